// A USB numeric keypad as the PIN pad (hal/evdev): `pin.keypad = "/dev/input/..."`. Missing at
// start or unplugged later, it is opened again when it comes back (hal/evdev/keypad_feed).

#include "hal/evdev/keypad_feed.hpp"
#include "kiosk/app/devices.hpp"

namespace uketsuke::kiosk::app {
namespace {

class EvdevInput final : public InputDevice {
public:
    EvdevInput(const std::string& device, std::function<void(runner::KeypadPress)> onKey)
        : m_feed([device] { return hal::evdev::EvdevKeypad::open(device); },
                 [onKey = std::move(onKey)](const hal::evdev::KeyPress& key) {
                     using Key = runner::KeypadPress::Key;
                     Key k = key.key == hal::evdev::PinKey::Digit       ? Key::Digit
                             : key.key == hal::evdev::PinKey::Backspace ? Key::Backspace
                             : key.key == hal::evdev::PinKey::Enter     ? Key::Enter
                                                                        : Key::Cancel;
                     onKey({k, key.digit});
                 })
    {
    }
    void start() override { m_feed.start(); }
    void stop() override { m_feed.stop(); }

private:
    hal::evdev::KeypadFeed m_feed;
};

} // namespace

void registerEvdev(DeviceRegistry& registry)
{
    registry.addKeypad("evdev", [](const std::string& device,
                                   std::function<void(runner::KeypadPress)> onKey)
                                    -> Result<std::unique_ptr<InputDevice>> {
        return std::unique_ptr<InputDevice>(std::make_unique<EvdevInput>(device, std::move(onKey)));
    });
}

} // namespace uketsuke::kiosk::app
