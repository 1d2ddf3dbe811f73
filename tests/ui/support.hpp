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
// Every translation file of assets/i18n, ja first (the catalog's order).
const std::vector<std::string>& languages();

// A headless host (offscreen driver, software renderer) with every table's glyphs.
std::unique_ptr<Host> makeHost(int width = 1280, int height = 800);

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

// Inputs go through the real applyInput() into a fake terminal: what it posted, its PIN entry
// and form, and the phase "on screen".
class FakeTarget final : public IntentTarget, public kiosk::runner::InputTarget {
public:
    void apply(const kiosk::runner::Input& input) override
    {
        kiosk::runner::applyInput(input, *this);
    }
    void post(kiosk::flow::Event event) override { posted.push_back(std::move(event)); }
    kiosk::runner::PinEntry& pinEntry() override { return entry; }
    kiosk::runner::InsuranceEntry& insuranceEntry() override { return form; }
    kiosk::flow::Phase phase() const override { return shownPhase; }
    kiosk::flow::CallStaff staffCall() override
    {
        return {"c-test-" + std::to_string(++calls), "2026-12-05T01:00:00Z"};
    }
    void insertCard() override { ++inserted; }
    void removeCard() override { ++removed; }

    std::vector<kiosk::flow::Event> posted;
    kiosk::runner::PinEntry entry;
    kiosk::runner::InsuranceEntry form;
    kiosk::flow::Phase shownPhase = kiosk::flow::Phase::EnterPin;
    int inserted = 0;
    int removed = 0;
    int calls = 0;
};

} // namespace uketsuke::ui::test
