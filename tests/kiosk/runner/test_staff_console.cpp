// The staff console: the staff flow run with real argon2id accounts, its worker and the fake
// clock. Waits are on the console's wake-up, never sleeps.

#include "kiosk/runner/staff_console.hpp"

#include "tests/support/fakes.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>

using namespace uketsuke;
using namespace std::chrono_literals;
using kiosk::runner::StaffConsole;
using kiosk::runner::StaffInput;
using kiosk::runner::StaffTestResult;
using kiosk::staff::Intent;
using kiosk::staff::Phase;
using kiosk::staff::Role;
namespace in = kiosk::runner::staff_input;

namespace {

StaffPin pinOf(const char* digits)
{
    StaffPin pin;
    for (const char* c = digits; *c != '\0'; ++c) {
        pin.push(*c);
    }
    return pin;
}

kiosk::config::StaffAccounts accounts()
{
    kiosk::config::StaffAccounts a;
    REQUIRE(a.add("s01", Role::Admin, pinOf("2468")));
    REQUIRE(a.add("s02", Role::Staff, pinOf("1357")));
    return a;
}

// Wake-ups from the console's worker, counted.
struct Wakes {
    std::mutex mutex;
    std::condition_variable cv;
    int count = 0;
    void wake()
    {
        std::lock_guard lock(mutex);
        ++count;
        cv.notify_all();
    }
};

struct Rig {
    test::FakeClock clock;
    Wakes wakes;
    int sent = 0;
    std::vector<bool> outOfService;
    StaffConsole console;

    explicit Rig(kiosk::runner::StaffActions actions = {})
        : console(accounts(), clock, withWake(std::move(actions)))
    {
    }

    kiosk::runner::StaffActions withWake(kiosk::runner::StaffActions a)
    {
        a.wake = [this] { wakes.wake(); };
        if (!a.sendOutboxNow) {
            a.sendOutboxNow = [this] { ++sent; };
        }
        a.setOutOfService = [this](bool on) { outOfService.push_back(on); };
        return a;
    }

    // Pumps until `done` holds, waiting for the worker's wake-ups in between (bounded).
    template <class Pred>
    bool pumpUntil(Pred done)
    {
        for (int i = 0; i < 100; ++i) {
            console.pump();
            if (done()) {
                return true;
            }
            std::unique_lock lock(wakes.mutex);
            const int seen = wakes.count;
            wakes.cv.wait_for(lock, 5s, [&] { return wakes.count != seen; });
        }
        return false;
    }

    void type(const char* digits)
    {
        for (const char* c = digits; *c != '\0'; ++c) {
            console.apply(in::Digit{*c});
        }
    }
    // Types a PIN, OK, and waits for the answer.
    void enter(const char* digits)
    {
        type(digits);
        console.apply(in::Submit{});
        REQUIRE(pumpUntil([&] { return !console.state().checking; }));
    }
};

std::vector<std::string> auditActions(const StaffConsole& c)
{
    std::vector<std::string> actions;
    for (const auto& e : c.audit()) {
        actions.push_back(e.action + ":" + e.staffId);
    }
    return actions;
}

} // namespace

TEST_CASE("Staff console: the gesture, a right PIN, the menu as that account")
{
    Rig rig;
    CHECK_FALSE(rig.console.active());
    rig.console.gestureCompleted();
    CHECK(rig.console.active());
    CHECK(rig.console.state().phase == Phase::EnterPin);

    rig.type("24");
    CHECK(rig.console.pinDigits() == 2);
    rig.console.apply(in::Submit{}); // too short: nothing is checked
    CHECK_FALSE(rig.console.state().checking);
    rig.console.apply(in::Erase{});
    CHECK(rig.console.pinDigits() == 1);
    rig.type("468");
    rig.console.apply(in::Submit{});
    CHECK(rig.console.pinDigits() == 0); // the digits went to the worker
    REQUIRE(rig.pumpUntil([&] { return rig.console.state().phase == Phase::Menu; }));
    CHECK(rig.console.state().staffId == "s01");
    CHECK(rig.console.state().role == Role::Admin);
    CHECK(auditActions(rig.console) == std::vector<std::string>{"unlock:s01"});
}

TEST_CASE("Staff console: wrong PINs lock out on the clock, and stepping back frees the screen")
{
    Rig rig;
    rig.console.gestureCompleted();
    rig.enter("0000");
    rig.enter("1111");
    CHECK(rig.console.state().phase == Phase::EnterPin);
    rig.enter("2222");
    REQUIRE(rig.console.state().phase == Phase::LockedOut);
    auto until = rig.console.lockedOutUntil();
    REQUIRE(until);
    CHECK(*until - rig.clock.now() == 30s);

    // Digits typed while locked out go nowhere.
    rig.type("2468");
    CHECK(rig.console.pinDigits() == 0);

    rig.console.apply(Intent::Cancel);
    CHECK_FALSE(rig.console.active());
    rig.console.gestureCompleted();
    CHECK(rig.console.state().phase == Phase::LockedOut);

    rig.clock.advance(29s);
    rig.console.pump();
    CHECK(rig.console.state().phase == Phase::LockedOut);
    rig.clock.advance(1s);
    rig.console.pump();
    CHECK(rig.console.state().phase == Phase::EnterPin);
    rig.enter("1357");
    CHECK(rig.console.state().phase == Phase::Menu);
    CHECK(rig.console.state().staffId == "s02");
    CHECK(auditActions(rig.console) ==
          std::vector<std::string>{"wrong_pin:", "wrong_pin:", "wrong_pin:", "locked_out:",
                                   "unlock:s02"});
}

TEST_CASE("Staff console: the menu locks itself after a minute without a touch")
{
    Rig rig;
    rig.console.gestureCompleted();
    rig.enter("1357");
    REQUIRE(rig.console.state().phase == Phase::Menu);
    rig.clock.advance(50s);
    rig.console.apply(Intent::Today); // a touch restarts the minute
    rig.clock.advance(50s);
    rig.console.pump();
    CHECK(rig.console.state().phase == Phase::Menu);
    rig.clock.advance(10s);
    rig.console.pump();
    CHECK(rig.console.state().phase == Phase::Locked);
    CHECK(auditActions(rig.console).back() == "auto_lock:s02");
}

TEST_CASE("Staff console: device tests run on the worker, and actions reach the application")
{
    kiosk::runner::StaffActions actions;
    actions.testPrinter = [] {
        return StaffTestResult{Intent::TestPrinter, true, "staff.test.printer_ok", "TM-T88", {}};
    };
    Rig rig(std::move(actions));
    rig.console.gestureCompleted();
    rig.enter("2468");
    rig.console.apply(Intent::Devices);
    rig.console.apply(Intent::TestPrinter);
    REQUIRE(rig.pumpUntil([&] { return !rig.console.testing(); }));
    REQUIRE(rig.console.testResults().size() == 1);
    CHECK(rig.console.testResults()[0].ok);
    CHECK(rig.console.testResults()[0].detail == "TM-T88");
    // A test the application does not offer says so at once.
    rig.console.apply(Intent::TestCard);
    CHECK_FALSE(rig.console.testing());
    REQUIRE(rig.console.testResults().size() == 2);
    CHECK(rig.console.testResults()[1].key == "staff.test.unavailable");

    rig.console.apply(Intent::Today);
    rig.console.apply(Intent::SendNow);
    CHECK(rig.sent == 1);
    rig.console.apply(Intent::ToggleOutOfService);
    rig.console.apply(Intent::ToggleOutOfService);
    CHECK(rig.outOfService == std::vector<bool>{true, false});

    rig.console.apply(Intent::Lock);
    CHECK_FALSE(rig.console.active());
    CHECK(rig.console.testResults().empty()); // the next person starts clean
}

TEST_CASE("Staff console: 目視 while the patient flow takes it sends the staff id and locks")
{
    std::vector<std::string> confirmed;
    kiosk::runner::StaffActions actions;
    actions.confirmVisually = [&confirmed](const std::string& id) { confirmed.push_back(id); };
    Rig rig(std::move(actions));
    rig.console.gestureCompleted();
    rig.enter("1357");
    REQUIRE(rig.console.state().phase == Phase::Menu);

    rig.console.apply(Intent::Visual); // not offered: the patient is not at the PIN
    CHECK(rig.console.state().section == kiosk::staff::Section::Home);

    rig.console.patientStatus(true);
    CHECK(rig.console.state().visualPossible);
    rig.console.apply(Intent::Visual);
    CHECK(rig.console.state().section == kiosk::staff::Section::Visual);
    rig.console.apply(Intent::ConfirmVisual);
    CHECK(confirmed == std::vector<std::string>{"s02"});
    CHECK_FALSE(rig.console.active()); // back to the patient's screens
    CHECK(rig.console.pinDigits() == 0);
    CHECK(auditActions(rig.console) ==
          std::vector<std::string>{"unlock:s02", "visual_confirm:s02"});

    // The patient flow moved on: the next unlock does not offer it.
    rig.console.patientStatus(false);
    rig.console.gestureCompleted();
    rig.enter("1357");
    rig.console.apply(Intent::Visual);
    CHECK(rig.console.state().section == kiosk::staff::Section::Home);
    CHECK(confirmed.size() == 1);
}

TEST_CASE("Staff console: the enrolment page's digits go to the selected field, within its length")
{
    std::vector<std::pair<std::string, std::string>> asked;
    kiosk::runner::StaffActions actions;
    actions.clinicCode = "1399999999";
    actions.enrol = [&asked](const std::string& clinic, const std::string& code) {
        asked.emplace_back(clinic, code); // on the worker; read after the answer came back
        return kiosk::runner::StaffEnrolResult{false, "staff.enrol.refused", "activation_refused",
                                               "", ""};
    };
    Rig rig(actions);
    rig.console.gestureCompleted();
    rig.enter("2468");
    rig.console.apply(Intent::Enrol);
    REQUIRE(rig.console.state().section == kiosk::staff::Section::Enrol);
    CHECK(rig.console.enrolClinicCode() == "1399999999"); // filled in from the configuration
    CHECK(rig.console.enrolActivationCode().empty());

    rig.type("48291365027199"); // two digits too many: dropped
    CHECK(rig.console.enrolActivationCode() == "482913650271");
    CHECK(rig.console.enrolEntryComplete());
    rig.console.apply(Intent::EnrolClinicField);
    rig.console.apply(in::Erase{});
    CHECK(rig.console.enrolClinicCode() == "139999999");
    CHECK_FALSE(rig.console.enrolEntryComplete());
    rig.console.apply(in::Submit{}); // incomplete: OK does nothing
    CHECK_FALSE(rig.console.state().enrolling);
    rig.type("8");
    rig.console.apply(in::Submit{});
    CHECK(rig.console.state().enrolling);
    rig.type("5"); // while it runs: nowhere
    CHECK(rig.console.enrolClinicCode() == "1399999998");
    REQUIRE(rig.pumpUntil([&] { return !rig.console.state().enrolling; }));
    REQUIRE(asked.size() == 1);
    CHECK(asked[0] == std::pair<std::string, std::string>{"1399999998", "482913650271"});

    // Refused: the page says so, the codes stay for a correction, the audit names the code's
    // fate, never the code.
    REQUIRE(rig.console.enrolResult());
    CHECK(rig.console.enrolResult()->key == "staff.enrol.refused");
    CHECK(rig.console.enrolActivationCode() == "482913650271");
    const auto actionsSeen = auditActions(rig.console);
    CHECK(actionsSeen == std::vector<std::string>{"unlock:s01", "enrol:s01",
                                                  "enrol_failed activation_refused:s01"});

    // 戻る wipes the entry and the result.
    rig.console.apply(Intent::Cancel);
    CHECK(rig.console.enrolActivationCode().empty());
    CHECK_FALSE(rig.console.enrolResult());
}

TEST_CASE("Staff console: a successful enrolment wipes the used code and audits the terminal id")
{
    kiosk::runner::StaffActions actions;
    actions.clinicCode = "1399999999";
    actions.enrol = [](const std::string&, const std::string&) {
        return kiosk::runner::StaffEnrolResult{true, "staff.enrol.done", "", "KIOSK-0002",
                                               "2027-12-06"};
    };
    Rig rig(actions);
    rig.console.gestureCompleted();
    rig.enter("2468");
    rig.console.apply(Intent::Enrol);
    rig.type("482913650271");
    rig.console.apply(Intent::SubmitEnrol);
    REQUIRE(rig.pumpUntil([&] { return !rig.console.state().enrolling; }));
    REQUIRE(rig.console.enrolResult());
    CHECK(rig.console.enrolResult()->ok);
    CHECK(rig.console.enrolActivationCode().empty());
    CHECK(rig.console.enrolClinicCode() == "1399999999"); // still shown
    CHECK(auditActions(rig.console).back() == "enrolled KIOSK-0002:s01");

    // Enrolled again with another 機関コード: the page opened afterwards shows that one, not the
    // one the terminal started with.
    rig.console.apply(Intent::EnrolClinicField);
    rig.console.apply(in::Erase{});
    rig.type("8");
    rig.console.apply(Intent::EnrolCodeField);
    rig.type("482913650272");
    rig.console.apply(Intent::SubmitEnrol);
    REQUIRE(rig.pumpUntil([&] { return !rig.console.state().enrolling; }));
    REQUIRE(rig.console.enrolResult());
    REQUIRE(rig.console.enrolResult()->ok);
    rig.console.apply(Intent::Cancel);
    rig.console.apply(Intent::Enrol);
    CHECK(rig.console.enrolClinicCode() == "1399999998");
}

TEST_CASE("Staff console: without an enrol action the page says so")
{
    Rig rig;
    rig.console.gestureCompleted();
    rig.enter("2468");
    rig.console.apply(Intent::Enrol);
    rig.type("482913650271");
    rig.console.apply(Intent::SubmitEnrol);
    REQUIRE(rig.pumpUntil([&] { return !rig.console.state().enrolling; }));
    REQUIRE(rig.console.enrolResult());
    CHECK(rig.console.enrolResult()->key == "staff.enrol.unavailable");
}

TEST_CASE("Staff console: the pairing page sends its one code to the pair action, never to enrol")
{
    std::vector<std::string> paired;
    int enrolled = 0;
    kiosk::runner::StaffActions actions;
    actions.clinicCode = "1399999999";
    actions.deskUrl = "https://desk.example:8443";
    actions.enrol = [&enrolled](const std::string&, const std::string&) {
        ++enrolled;
        return kiosk::runner::StaffEnrolResult{};
    };
    bool refuse = true;
    actions.pair = [&paired, &refuse](const std::string& code) {
        paired.push_back(code); // on the worker; read after the answer came back
        if (refuse) {
            return kiosk::runner::StaffEnrolResult{false, "staff.pair.refused", "pairing_refused",
                                                   "", ""};
        }
        return kiosk::runner::StaffEnrolResult{true, "staff.pair.done", "", "KIOSK-0001",
                                               "2027-12-06"};
    };
    Rig rig(actions);
    rig.console.gestureCompleted();
    rig.enter("2468");
    rig.console.apply(Intent::Pair);
    REQUIRE(rig.console.state().section == kiosk::staff::Section::Pair);
    CHECK(rig.console.enrolClinicCode().empty()); // no 機関コード on this page
    CHECK(rig.console.deskUrl() == "https://desk.example:8443");
    rig.type("55501234567");
    CHECK_FALSE(rig.console.enrolEntryComplete());
    rig.console.apply(in::Submit{}); // 11 digits: OK does nothing
    CHECK_FALSE(rig.console.state().enrolling);
    rig.type("89"); // the 13th is dropped
    CHECK(rig.console.enrolActivationCode() == "555012345678");
    REQUIRE(rig.console.enrolEntryComplete());
    rig.console.apply(in::Submit{});
    REQUIRE(rig.pumpUntil([&] { return !rig.console.state().enrolling; }));
    CHECK(paired == std::vector<std::string>{"555012345678"});
    CHECK(enrolled == 0);
    REQUIRE(rig.console.enrolResult());
    CHECK(rig.console.enrolResult()->key == "staff.pair.refused");
    CHECK(rig.console.enrolActivationCode() == "555012345678"); // kept for a correction

    refuse = false;
    rig.console.apply(in::Erase{});
    rig.type("9");
    rig.console.apply(Intent::SubmitEnrol);
    REQUIRE(rig.pumpUntil([&] { return !rig.console.state().enrolling; }));
    REQUIRE(rig.console.enrolResult());
    CHECK(rig.console.enrolResult()->ok);
    CHECK(rig.console.enrolActivationCode().empty()); // used
    CHECK(auditActions(rig.console) ==
          std::vector<std::string>{"unlock:s01", "pair:s01", "pair_failed pairing_refused:s01",
                                   "pair:s01", "paired KIOSK-0001:s01"});
    // The 機関コード the enrolment page starts with is untouched by a pairing.
    rig.console.apply(Intent::Cancel);
    rig.console.apply(Intent::Enrol);
    CHECK(rig.console.enrolClinicCode() == "1399999999");
}

TEST_CASE("Staff console: without a pair action the pairing page says so")
{
    Rig rig;
    rig.console.gestureCompleted();
    rig.enter("2468");
    rig.console.apply(Intent::Pair);
    rig.type("555012345678");
    rig.console.apply(Intent::SubmitEnrol);
    REQUIRE(rig.pumpUntil([&] { return !rig.console.state().enrolling; }));
    REQUIRE(rig.console.enrolResult());
    CHECK(rig.console.enrolResult()->key == "staff.pair.unavailable");
}

TEST_CASE("Staff console: its audit keeps the newest lines only, for a terminal left running")
{
    Rig rig;
    rig.console.gestureCompleted();
    rig.enter("2468");
    rig.console.apply(Intent::Today);
    const std::size_t many = StaffConsole::kAuditKept * 2;
    for (std::size_t i = 0; i < many; ++i) {
        rig.console.apply(Intent::ToggleOutOfService);
    }
    CHECK(rig.console.audit().size() == StaffConsole::kAuditKept);
    rig.console.apply(Intent::Lock);
    CHECK(rig.console.audit().size() == StaffConsole::kAuditKept);
    CHECK(rig.console.audit().back().action == "lock"); // the newest is kept, the oldest went
    CHECK(rig.console.audit().front().action != "unlock");
}
