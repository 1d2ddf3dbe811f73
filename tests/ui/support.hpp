#pragma once

// Shared by the ui tests: the string tables from the source tree, a headless Host, flow states
// for every screen and a fake intent target.

#include "kiosk/flow/flow.hpp"
#include "kiosk/model/strings.hpp"
#include "kiosk/runner/insurance_entry.hpp"
#include "kiosk/runner/pin_entry.hpp"
#include "ui/actions.hpp"
#include "ui/host.hpp"

#include <memory>
#include <string>
#include <vector>

namespace uketsuke::ui::test {

const kiosk::model::StringTable& table(const std::string& lang);

// A headless host (offscreen driver, software renderer) with both tables' glyphs.
std::unique_ptr<Host> makeHost(int width = 1280, int height = 800, bool demoBar = false);

kiosk::model::QualificationResult qualification(const std::string& validity,
                                                const std::string& name);

struct NamedState {
    std::string name;
    kiosk::flow::State state;
    std::size_t pinDigits = 0;
    // The insurance card form's data, for the enter_insurance screens (shared: not copyable).
    std::shared_ptr<kiosk::runner::InsuranceEntry> insurance;
};
// One or more states for every phase and every error kind.
std::vector<NamedState> everyScreen();

class FakeTarget final : public IntentTarget {
public:
    void post(kiosk::flow::Event event) override { posted.push_back(std::move(event)); }
    kiosk::runner::PinEntry& pinEntry() override { return entry; }
    kiosk::runner::InsuranceEntry& insuranceEntry() override { return form; }
    kiosk::flow::Phase phase() const override { return shownPhase; }
    void setLanguage(const std::string& lang) override { language = lang; }
    void insertCard() override { ++inserted; }
    void removeCard() override { ++removed; }

    std::vector<kiosk::flow::Event> posted;
    kiosk::runner::PinEntry entry;
    kiosk::runner::InsuranceEntry form;
    kiosk::flow::Phase shownPhase = kiosk::flow::Phase::Idle;
    std::string language;
    int inserted = 0;
    int removed = 0;
};

} // namespace uketsuke::ui::test
