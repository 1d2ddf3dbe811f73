#include "kiosk/staff/staff.hpp"

#include "tests/support/commands.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace uketsuke::kiosk::staff;
using namespace std::chrono_literals;

namespace {

using uketsuke::test::get;
using uketsuke::test::has;

std::vector<std::string> audits(const Transition& t)
{
    std::vector<std::string> actions;
    for (const auto& c : t.commands) {
        if (const auto* a = std::get_if<Audit>(&c)) {
            actions.push_back(a->action);
        }
    }
    return actions;
}

struct Walk {
    State state;
    Transition last;
    Policy policy;

    Walk& on(const Event& e)
    {
        last = step(state, e, policy);
        if (!last.rejected) {
            state = last.state;
        }
        return *this;
    }
    Walk& timeout() { return on(Timeout{state.timerGeneration}); }
    Walk& pin(bool matched, Role role = Role::Staff, const std::string& id = "staff-1")
    {
        on(PinSubmitted{});
        return on(PinChecked{matched, matched ? id : "", role});
    }
    Phase phase() const { return state.phase; }
};

Walk unlocked(Role role = Role::Staff)
{
    Walk w;
    w.on(GestureCompleted{}).pin(true, role);
    REQUIRE(w.phase() == Phase::Menu);
    return w;
}

} // namespace

TEST_CASE("Staff flow: the gesture opens the PIN screen with a fresh entry and a timer")
{
    Walk w;
    w.on(GestureCompleted{});
    CHECK(w.phase() == Phase::EnterPin);
    CHECK(has<DiscardStaffPin>(w.last));
    CHECK(get<StartTimer>(w.last).after == w.policy.enterPin);
    // A second gesture while the PIN screen is up does nothing.
    CHECK(step(w.state, GestureCompleted{}).rejected);
}

TEST_CASE("Staff flow: a right PIN opens the menu as who and what role the runner says")
{
    Walk w;
    w.on(GestureCompleted{}).on(PinSubmitted{});
    CHECK(has<VerifyStaffPin>(w.last));
    CHECK(w.state.checking);
    // A second OK while the PIN is being checked is ignored.
    CHECK(step(w.state, PinSubmitted{}).rejected);
    w.on(PinChecked{true, "admin-7", Role::Admin});
    CHECK(w.phase() == Phase::Menu);
    CHECK(w.state.section == Section::Home);
    CHECK(w.state.role == Role::Admin);
    CHECK(w.state.staffId == "admin-7");
    CHECK(has<DiscardStaffPin>(w.last));
    CHECK(audits(w.last) == std::vector<std::string>{"unlock"});
    CHECK(get<Audit>(w.last).staffId == "admin-7");
    CHECK(get<StartTimer>(w.last).after == w.policy.idleMenu);
    // Staff are at the terminal: a patient's call for staff is answered.
    CHECK(has<AnswerCall>(w.last));
}

TEST_CASE("Staff flow: only an unlock answers a patient's call, not the PIN screen or a wrong PIN")
{
    Walk w;
    w.on(GestureCompleted{});
    CHECK_FALSE(has<AnswerCall>(w.last));
    w.on(PinSubmitted{}).on(PinChecked{false, "", Role::Staff});
    CHECK_FALSE(has<AnswerCall>(w.last));
}

TEST_CASE("Staff flow: an answer nobody asked for is rejected")
{
    State locked;
    CHECK(step(locked, PinChecked{true, "x", Role::Admin}).rejected);
    CHECK(step(locked, PinSubmitted{}).rejected);
    Walk w;
    w.on(GestureCompleted{});
    CHECK(step(w.state, PinChecked{true, "x", Role::Admin}).rejected); // no PinSubmitted yet
}

TEST_CASE("Staff flow: wrong PINs: free tries, then lock-outs that double up to the cap")
{
    Walk w;
    w.on(GestureCompleted{});
    for (int i = 1; i <= 2; ++i) {
        w.pin(false);
        CHECK(w.phase() == Phase::EnterPin);
        CHECK(w.state.wrongInARow == i);
        CHECK(audits(w.last) == std::vector<std::string>{"wrong_pin"});
        CHECK(has<DiscardStaffPin>(w.last));
    }
    w.pin(false); // the third
    CHECK(w.phase() == Phase::LockedOut);
    CHECK(audits(w.last) == std::vector<std::string>{"wrong_pin", "locked_out"});
    CHECK(get<StartTimer>(w.last).after == 30s);
    // Locked out: no PIN, no gesture, only stepping back; a stale timer does nothing.
    CHECK(step(w.state, PinSubmitted{}).rejected);
    CHECK(step(w.state, GestureCompleted{}).rejected);
    CHECK(step(w.state, Touch{Intent::Lock}).rejected);
    CHECK(step(w.state, Timeout{w.state.timerGeneration - 1}).rejected);
    w.timeout();
    CHECK(w.phase() == Phase::EnterPin);
    w.pin(false); // the fourth: 60 s
    CHECK(get<StartTimer>(w.last).after == 60s);
    w.timeout().pin(false); // the fifth: 120 s
    CHECK(get<StartTimer>(w.last).after == 120s);

    CHECK(lockOutAfter(0, w.policy) == 0s);
    CHECK(lockOutAfter(2, w.policy) == 0s);
    CHECK(lockOutAfter(3, w.policy) == 30s);
    CHECK(lockOutAfter(8, w.policy) == 15min); // 30 s × 2^5 = 16 min, capped
    CHECK(lockOutAfter(1000, w.policy) == 15min);
}

TEST_CASE("Staff flow: stepping back from a lock-out frees the patient's screens, not the PIN")
{
    Walk w;
    w.on(GestureCompleted{});
    w.pin(false).pin(false).pin(false);
    REQUIRE(w.phase() == Phase::LockedOut);
    const auto generation = w.state.timerGeneration;

    w.on(Touch{Intent::Cancel});
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.phase() == Phase::Locked);
    CHECK(w.state.lockOutRunning);
    CHECK(w.last.commands.empty());
    CHECK(w.state.timerGeneration == generation); // the delay runs on

    // The gesture during the delay shows the lock-out again, without a new timer.
    w.on(GestureCompleted{});
    CHECK(w.phase() == Phase::LockedOut);
    CHECK_FALSE(has<StartTimer>(w.last));
    w.on(Touch{Intent::Cancel});

    // The delay ends while the patient's screens are up: still locked, and the gesture then
    // asks for the PIN.
    w.timeout();
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.phase() == Phase::Locked);
    CHECK_FALSE(w.state.lockOutRunning);
    CHECK(step(w.state, Timeout{w.state.timerGeneration}).rejected);
    w.on(GestureCompleted{});
    CHECK(w.phase() == Phase::EnterPin);
    CHECK(w.state.wrongInARow == 3); // the count survives
    w.pin(false);
    CHECK(get<StartTimer>(w.last).after == 60s);
}

TEST_CASE("Staff flow: walking away keeps the count, a right PIN resets it")
{
    Walk w;
    w.on(GestureCompleted{}).pin(false).pin(false);
    w.on(Touch{Intent::Cancel});
    CHECK(w.phase() == Phase::Locked);
    w.on(GestureCompleted{}).pin(false); // the third in a row, after walking away
    CHECK(w.phase() == Phase::LockedOut);
    w.timeout().pin(true);
    CHECK(w.phase() == Phase::Menu);
    CHECK(w.state.wrongInARow == 0);
}

TEST_CASE("Staff flow: the PIN screen gives up after its timeout, a late answer is ignored")
{
    Walk w;
    w.on(GestureCompleted{}).on(PinSubmitted{});
    w.timeout();
    CHECK(w.phase() == Phase::Locked);
    CHECK(has<DiscardStaffPin>(w.last));
    CHECK(step(w.state, PinChecked{true, "late", Role::Admin}).rejected);
    CHECK(step(w.state, Timeout{w.state.timerGeneration}).rejected); // nothing runs in Locked
}

TEST_CASE("Staff flow: the menu locks itself after a minute without a touch")
{
    Walk w = unlocked();
    const auto first = w.state.timerGeneration;
    w.on(Touch{Intent::Devices});
    CHECK(w.state.section == Section::Devices);
    CHECK(get<StartTimer>(w.last).after == 60s); // a touch starts the minute again
    CHECK(step(w.state, Timeout{first}).rejected); // the old minute is stale
    w.timeout();
    CHECK(w.phase() == Phase::Locked);
    CHECK(audits(w.last) == std::vector<std::string>{"auto_lock"});
    CHECK(get<Audit>(w.last).staffId == "staff-1");
    CHECK(w.state.staffId.empty());
    CHECK(w.state.section == Section::Home);
}

TEST_CASE("Staff flow: Lock locks at once and says who")
{
    Walk w = unlocked();
    w.on(Touch{Intent::Lock});
    CHECK(w.phase() == Phase::Locked);
    CHECK(audits(w.last) == std::vector<std::string>{"lock"});
    CHECK(get<Audit>(w.last).staffId == "staff-1");
    CHECK(w.state.staffId.empty());
}

TEST_CASE("Staff flow: sections, and actions only where their buttons are")
{
    Walk w = unlocked();
    for (auto [intent, section] : {std::pair{Intent::Devices, Section::Devices},
                                   std::pair{Intent::Today, Section::Today},
                                   std::pair{Intent::Logs, Section::Logs},
                                   std::pair{Intent::Settings, Section::Settings},
                                   std::pair{Intent::Home, Section::Home}}) {
        w.on(Touch{intent});
        CHECK_FALSE(w.last.rejected);
        CHECK(w.state.section == section);
    }
    CHECK(step(w.state, Touch{Intent::TestPrinter}).rejected); // not on Home
    CHECK(step(w.state, Touch{Intent::SendNow}).rejected);
    CHECK(step(w.state, Touch{Intent::Cancel}).rejected);

    w.on(Touch{Intent::Devices});
    for (auto [test, action] : {std::pair{Intent::TestCard, "test_card"},
                                std::pair{Intent::TestPrinter, "test_printer"},
                                std::pair{Intent::TestNetwork, "test_network"}}) {
        w.on(Touch{test});
        REQUIRE_FALSE(w.last.rejected);
        CHECK(get<RunTest>(w.last).test == test);
        CHECK(audits(w.last) == std::vector<std::string>{action});
    }
    w.on(Touch{Intent::Today}).on(Touch{Intent::SendNow});
    CHECK(has<SendOutboxNow>(w.last));
    CHECK(audits(w.last) == std::vector<std::string>{"send_now"});
}

TEST_CASE("Staff flow: out of service on and off, from any section")
{
    Walk w = unlocked();
    w.on(Touch{Intent::ToggleOutOfService});
    CHECK(w.state.outOfService);
    CHECK(get<SetOutOfService>(w.last).on);
    CHECK(audits(w.last) == std::vector<std::string>{"out_of_service_on"});
    // It stays on after the menu locks: the patients see the out-of-service screen.
    w.on(Touch{Intent::Lock});
    CHECK(w.state.outOfService);
    w.on(GestureCompleted{}).pin(true).on(Touch{Intent::Logs}).on(Touch{Intent::ToggleOutOfService});
    CHECK_FALSE(w.state.outOfService);
    CHECK(audits(w.last) == std::vector<std::string>{"out_of_service_off"});
}

TEST_CASE("Staff flow: settings edits and restarts are for administrators")
{
    Walk staff = unlocked(Role::Staff);
    staff.on(Touch{Intent::Settings});
    CHECK(step(staff.state, Touch{Intent::EditSettings}).rejected);
    CHECK(step(staff.state, Touch{Intent::Restart}).rejected);

    Walk admin = unlocked(Role::Admin);
    CHECK(step(admin.state, Touch{Intent::EditSettings}).rejected); // only on the settings page
    admin.on(Touch{Intent::Settings}).on(Touch{Intent::EditSettings});
    CHECK(has<OpenSettingsEditor>(admin.last));
    CHECK(audits(admin.last) == std::vector<std::string>{"edit_settings"});
    admin.on(Touch{Intent::Restart});
    CHECK(has<RestartService>(admin.last));
    CHECK(audits(admin.last) == std::vector<std::string>{"restart"});
}

TEST_CASE("Staff flow: the settings editor steps and saves a draft, and drops it on Cancel, on "
          "another section and on lock")
{
    Walk admin = unlocked(Role::Admin);
    admin.on(Touch{Intent::Settings});
    // Nothing to step or save before the editor is open.
    CHECK(step(admin.state, Touch{Intent::SettingUp}).rejected);
    CHECK(step(admin.state, Touch{Intent::SaveSettings}).rejected);
    CHECK(step(admin.state, Touch{Intent::Cancel}).rejected);

    admin.on(Touch{Intent::EditSettings});
    CHECK(admin.state.editingSettings);
    CHECK(step(admin.state, Touch{Intent::EditSettings}).rejected); // already open
    admin.on(Touch{Intent::SettingNext});
    REQUIRE(has<EditSetting>(admin.last));
    CHECK(std::get<EditSetting>(admin.last.commands.front()).change == SettingChange::SelectNext);
    CHECK(audits(admin.last).empty()); // a draft is not an action yet
    admin.on(Touch{Intent::SettingDown});
    CHECK(std::get<EditSetting>(admin.last.commands.front()).change == SettingChange::Down);
    admin.on(Touch{Intent::SettingUp});
    CHECK(std::get<EditSetting>(admin.last.commands.front()).change == SettingChange::Up);
    CHECK(has<StartTimer>(admin.last)); // every touch keeps the menu open

    admin.on(Touch{Intent::SaveSettings});
    CHECK(has<SaveSettings>(admin.last));
    CHECK(audits(admin.last) == std::vector<std::string>{"save_settings"});
    CHECK_FALSE(admin.state.editingSettings);

    admin.on(Touch{Intent::EditSettings}).on(Touch{Intent::Cancel});
    CHECK_FALSE(admin.state.editingSettings);
    CHECK_FALSE(has<SaveSettings>(admin.last));
    CHECK(admin.state.phase == Phase::Menu);

    admin.on(Touch{Intent::EditSettings}).on(Touch{Intent::Today});
    CHECK_FALSE(admin.state.editingSettings);
    admin.on(Touch{Intent::Settings}).on(Touch{Intent::EditSettings}).on(Touch{Intent::Lock});
    CHECK_FALSE(admin.state.editingSettings);

    Walk staff = unlocked(Role::Staff);
    staff.on(Touch{Intent::Settings});
    CHECK(step(staff.state, Touch{Intent::SettingUp}).rejected);
    CHECK(step(staff.state, Touch{Intent::SaveSettings}).rejected);
}

TEST_CASE("Staff flow: a section's pages go forward and back and start over on every new page")
{
    Walk w = unlocked(Role::Admin);
    w.on(Touch{Intent::Logs});
    CHECK(w.state.page == 0);
    CHECK(step(w.state, Touch{Intent::PagePrevious}).rejected); // nothing before the first
    w.on(Touch{Intent::PageNext}).on(Touch{Intent::PageNext});
    CHECK(w.state.page == 2);
    CHECK(has<StartTimer>(w.last)); // paging is a touch: the menu stays open
    CHECK(audits(w.last).empty());  // and no action for the audit log
    w.on(Touch{Intent::PagePrevious});
    CHECK(w.state.page == 1);

    // Another section, the same section again, 目視, the editor and a lock start at page 0.
    w.on(Touch{Intent::Devices});
    CHECK(w.state.page == 0);
    w.on(Touch{Intent::PageNext}).on(Touch{Intent::Devices});
    CHECK(w.state.page == 0);
    w.on(Touch{Intent::Settings}).on(Touch{Intent::PageNext});
    REQUIRE(w.state.page == 1);
    w.on(Touch{Intent::EditSettings});
    CHECK(w.state.page == 0);
    // The editor shows the page of its selected setting: the page buttons are not there.
    CHECK(step(w.state, Touch{Intent::PageNext}).rejected);
    CHECK(step(w.state, Touch{Intent::PagePrevious}).rejected);
    w.on(Touch{Intent::Cancel}).on(Touch{Intent::PageNext}).on(Touch{Intent::Lock});
    CHECK(w.state.phase == Phase::Locked);
    CHECK(w.state.page == 0);

    // The page number is bounded whatever is touched.
    Walk many = unlocked();
    many.on(Touch{Intent::Logs});
    for (int i = 0; i < 200; ++i) {
        many.on(Touch{Intent::PageNext});
    }
    CHECK(many.state.page < 200);
    CHECK(many.state.page > 0);
}

TEST_CASE("Staff flow: names for logs and scripts")
{
    CHECK(std::string(phaseName(Phase::LockedOut)) == "locked_out");
    CHECK(std::string(sectionName(Section::Settings)) == "settings");
    CHECK(std::string(roleName(Role::Admin)) == "admin");
}

TEST_CASE("Staff flow: 目視 is offered only while the patient flow can take it")
{
    Walk w = unlocked();
    w.on(Touch{Intent::Visual});
    CHECK(w.last.rejected);
    CHECK(w.state.section == Section::Home);

    // The runner tells the staff flow in any phase; a repeat changes nothing.
    Walk locked;
    locked.on(PatientStatus{true});
    REQUIRE_FALSE(locked.last.rejected);
    CHECK(locked.state.visualPossible);
    CHECK(locked.phase() == Phase::Locked);
    CHECK(locked.last.commands.empty());
    locked.on(PatientStatus{true});
    CHECK(locked.last.rejected);

    w.on(PatientStatus{true});
    const auto generation = w.state.timerGeneration;
    w.on(Touch{Intent::Visual});
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.state.section == Section::Visual);
    CHECK(get<StartTimer>(w.last).after == w.policy.idleMenu);
    CHECK(w.state.timerGeneration == generation + 1);
    CHECK(audits(w.last).empty()); // opening the page does nothing yet
    CHECK_FALSE(has<ConfirmVisually>(w.last));
}

TEST_CASE("Staff flow: confirming 目視 sends the staff id, audits it and locks at once")
{
    Walk w = unlocked(Role::Staff);
    REQUIRE(w.state.staffId == "staff-1");
    w.on(PatientStatus{true});

    // Only from its page: no confirmation without the question asked.
    w.on(Touch{Intent::ConfirmVisual});
    CHECK(w.last.rejected);

    w.on(Touch{Intent::Visual}).on(Touch{Intent::ConfirmVisual});
    REQUIRE_FALSE(w.last.rejected);
    REQUIRE(has<ConfirmVisually>(w.last));
    CHECK(get<ConfirmVisually>(w.last).staffId == "staff-1");
    CHECK(audits(w.last) == std::vector<std::string>{"visual_confirm"});
    CHECK(get<Audit>(w.last).staffId == "staff-1");
    CHECK(has<DiscardStaffPin>(w.last));
    CHECK(w.phase() == Phase::Locked);
    CHECK(w.state.staffId.empty());
    CHECK(w.state.section == Section::Home);
    CHECK_FALSE(has<StartTimer>(w.last));
    // The menu's timer is stale now.
    CHECK(step(w.state, Timeout{w.state.timerGeneration - 1}).rejected);

    // The next unlock is a fresh PIN entry, as after any lock.
    w.on(GestureCompleted{});
    CHECK(w.phase() == Phase::EnterPin);
}

TEST_CASE("Staff flow: やめる on the 目視 page goes back to the menu, nothing confirmed")
{
    Walk w = unlocked();
    w.on(PatientStatus{true}).on(Touch{Intent::Visual}).on(Touch{Intent::Cancel});
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.phase() == Phase::Menu);
    CHECK(w.state.section == Section::Home);
    CHECK_FALSE(has<ConfirmVisually>(w.last));
    CHECK(has<StartTimer>(w.last));

    // Cancel elsewhere in the menu (no draft) is still rejected.
    w.on(Touch{Intent::Cancel});
    CHECK(w.last.rejected);
}

TEST_CASE("Staff flow: the 目視 page closes when the patient flow no longer takes it")
{
    Walk w = unlocked();
    w.on(PatientStatus{true}).on(Touch{Intent::Visual});
    REQUIRE(w.state.section == Section::Visual);
    const auto generation = w.state.timerGeneration;
    w.on(PatientStatus{false});
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.phase() == Phase::Menu);
    CHECK(w.state.section == Section::Home);
    CHECK(w.state.timerGeneration == generation); // the menu's idle timer runs on
    w.on(Touch{Intent::ConfirmVisual});
    CHECK(w.last.rejected);
    w.on(Touch{Intent::Visual});
    CHECK(w.last.rejected);

    // On another page the status only changes what the menu offers.
    Walk other = unlocked();
    other.on(PatientStatus{true}).on(Touch{Intent::Devices}).on(PatientStatus{false});
    CHECK(other.state.section == Section::Devices);
}

TEST_CASE("Staff flow: the menu's idle lock and Lock also leave the 目視 page unconfirmed")
{
    Walk w = unlocked();
    w.on(PatientStatus{true}).on(Touch{Intent::Visual}).timeout();
    CHECK(w.phase() == Phase::Locked);
    CHECK(audits(w.last) == std::vector<std::string>{"auto_lock"});
    CHECK_FALSE(has<ConfirmVisually>(w.last));
    CHECK(w.state.visualPossible); // still what the patient flow said

    Walk l = unlocked();
    l.on(PatientStatus{true}).on(Touch{Intent::Visual}).on(Touch{Intent::Lock});
    CHECK(l.phase() == Phase::Locked);
    CHECK_FALSE(has<ConfirmVisually>(l.last));
    CHECK(std::string(sectionName(Section::Visual)) == "visual");
}

TEST_CASE("Staff flow: enrolment is an administrator's, from the home page")
{
    Walk staff = unlocked(Role::Staff);
    staff.on(Touch{Intent::Enrol});
    CHECK(staff.last.rejected);

    Walk admin = unlocked(Role::Admin);
    admin.on(Touch{Intent::Devices}).on(Touch{Intent::Enrol});
    CHECK(admin.last.rejected); // from Home only
    admin.on(Touch{Intent::Home}).on(Touch{Intent::Enrol});
    REQUIRE_FALSE(admin.last.rejected);
    CHECK(admin.state.section == Section::Enrol);
    CHECK(admin.state.enrolField == EnrolField::ActivationCode);
    CHECK(has<OpenEnrolment>(admin.last));
    CHECK(has<StartTimer>(admin.last)); // a touch keeps the menu open
    CHECK(std::string(sectionName(admin.state.section)) == "enrol");
}

TEST_CASE("Staff flow: the enrolment page selects a field, sends once, and waits for the answer")
{
    Walk w = unlocked(Role::Admin);
    w.on(Touch{Intent::Enrol}).on(Touch{Intent::EnrolClinicField});
    CHECK(w.state.enrolField == EnrolField::ClinicCode);
    w.on(Touch{Intent::EnrolCodeField});
    CHECK(w.state.enrolField == EnrolField::ActivationCode);

    w.on(Touch{Intent::SubmitEnrol});
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.state.enrolling);
    CHECK(has<RunEnrolment>(w.last));
    CHECK(audits(w.last) == std::vector<std::string>{"enrol"});

    // While it runs: no second request, no field change, no cancel.
    for (Intent intent : {Intent::SubmitEnrol, Intent::EnrolClinicField, Intent::Cancel}) {
        w.on(Touch{intent});
        CHECK(w.last.rejected);
    }
    w.on(EnrolFinished{false});
    REQUIRE_FALSE(w.last.rejected);
    CHECK_FALSE(w.state.enrolling);
    CHECK(w.state.section == Section::Enrol); // the page shows what came of it
    w.on(EnrolFinished{true});
    CHECK(w.last.rejected); // nothing was running

    // 戻る: back home, the entry wiped.
    w.on(Touch{Intent::Cancel});
    CHECK(w.state.section == Section::Home);
    CHECK(has<DiscardEnrolment>(w.last));
}

TEST_CASE("Staff flow: leaving the enrolment page wipes the entry, a sent request still ends")
{
    SECTION("another section")
    {
        Walk w = unlocked(Role::Admin);
        w.on(Touch{Intent::Enrol}).on(Touch{Intent::Logs});
        CHECK(has<DiscardEnrolment>(w.last));
    }
    SECTION("Lock")
    {
        Walk w = unlocked(Role::Admin);
        w.on(Touch{Intent::Enrol}).on(Touch{Intent::Lock});
        CHECK(has<DiscardEnrolment>(w.last));
        CHECK(w.phase() == Phase::Locked);
    }
    SECTION("the idle lock while the request runs: its answer is still taken")
    {
        Walk w = unlocked(Role::Admin);
        w.on(Touch{Intent::Enrol}).on(Touch{Intent::SubmitEnrol}).timeout();
        CHECK(w.phase() == Phase::Locked);
        CHECK(has<DiscardEnrolment>(w.last));
        CHECK(w.state.enrolling);
        w.on(EnrolFinished{true});
        REQUIRE_FALSE(w.last.rejected);
        CHECK_FALSE(w.state.enrolling);
        CHECK(w.phase() == Phase::Locked);
    }
    SECTION("the enrolment touches mean nothing elsewhere")
    {
        Walk w = unlocked(Role::Admin);
        for (Intent intent : {Intent::SubmitEnrol, Intent::EnrolClinicField}) {
            w.on(Touch{intent});
            CHECK(w.last.rejected);
        }
    }
}

TEST_CASE("Staff flow: the pairing page is an administrator's, with the code only, and sends once")
{
    Walk staff = unlocked(Role::Staff);
    staff.on(Touch{Intent::Pair});
    CHECK(staff.last.rejected);

    Walk w = unlocked(Role::Admin);
    w.on(Touch{Intent::Devices}).on(Touch{Intent::Pair});
    CHECK(w.last.rejected); // from Home only
    w.on(Touch{Intent::Home}).on(Touch{Intent::Pair});
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.state.section == Section::Pair);
    CHECK(w.state.enrolField == EnrolField::ActivationCode);
    CHECK(has<OpenEnrolment>(w.last));
    CHECK(std::string(sectionName(w.state.section)) == "pair");

    w.on(Touch{Intent::EnrolClinicField});
    CHECK(w.last.rejected); // no 機関コード on this page
    w.on(Touch{Intent::EnrolCodeField});
    CHECK_FALSE(w.last.rejected);

    w.on(Touch{Intent::SubmitEnrol});
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.state.enrolling);
    CHECK(has<RunEnrolment>(w.last));
    CHECK(audits(w.last) == std::vector<std::string>{"pair"});
    for (Intent intent : {Intent::SubmitEnrol, Intent::EnrolCodeField, Intent::Cancel}) {
        w.on(Touch{intent});
        CHECK(w.last.rejected);
    }
    w.on(EnrolFinished{false});
    CHECK_FALSE(w.state.enrolling);
    CHECK(w.state.section == Section::Pair); // the page shows what came of it

    // 戻る: back home, the entry wiped.
    w.on(Touch{Intent::Cancel});
    CHECK(w.state.section == Section::Home);
    CHECK(has<DiscardEnrolment>(w.last));
}

TEST_CASE("Staff flow: while one page's request runs, neither code page opens")
{
    Walk w = unlocked(Role::Admin);
    w.on(Touch{Intent::Pair}).on(Touch{Intent::SubmitEnrol}).on(Touch{Intent::Lock});
    REQUIRE(w.phase() == Phase::Locked);
    REQUIRE(w.state.enrolling);
    w.on(GestureCompleted{}).pin(true, Role::Admin);
    REQUIRE(w.phase() == Phase::Menu);
    for (Intent intent : {Intent::Enrol, Intent::Pair}) {
        w.on(Touch{intent});
        CHECK(w.last.rejected);
    }
    w.on(EnrolFinished{true});
    REQUIRE_FALSE(w.last.rejected);
    w.on(Touch{Intent::Enrol});
    CHECK_FALSE(w.last.rejected);
    CHECK(w.state.section == Section::Enrol);
}
