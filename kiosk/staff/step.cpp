#include "kiosk/staff/staff.hpp"

#include "base/overloaded.hpp"

#include <algorithm>

namespace uketsuke::kiosk::staff {
namespace {

class Builder {
public:
    Builder(const State& state, const Policy& policy) : m_policy(policy) { m_t.state = state; }

    Builder& run(Command command)
    {
        m_t.commands.push_back(std::move(command));
        return *this;
    }
    // A new timer for the phase; older ones become stale.
    Builder& timer(Duration after)
    {
        State& s = m_t.state;
        ++s.timerGeneration;
        return run(StartTimer{s.timerGeneration, after});
    }
    Builder& audit(std::string action)
    {
        return run(Audit{std::move(action), m_t.state.staffId});
    }
    Builder& enterPin()
    {
        State& s = m_t.state;
        s.phase = Phase::EnterPin;
        s.checking = false;
        run(DiscardStaffPin{});
        return timer(m_policy.enterPin);
    }
    Builder& lock()
    {
        State& s = m_t.state;
        leaveEnrol();
        s.phase = Phase::Locked;
        s.section = Section::Home;
        s.role = Role::Staff;
        s.staffId.clear();
        s.checking = false;
        s.editingSettings = false; // an unsaved draft is dropped
        s.page = 0;
        ++s.timerGeneration; // whatever timer runs is stale now
        return *this;
    }
    // Leaving the enrolment (or pairing) page wipes what was typed there (a request already
    // sent runs on).
    Builder& leaveEnrol()
    {
        if (takesCode(m_t.state.section)) {
            run(DiscardEnrolment{});
        }
        return *this;
    }
    State& state() { return m_t.state; }
    Transition done() { return std::move(m_t); }
    Transition reject()
    {
        m_t.commands.clear();
        m_t.rejected = true;
        return std::move(m_t);
    }

private:
    Transition m_t;
    const Policy& m_policy;
};

// Far more pages than any section has rows for; a bound on a state the screen clamps anyway.
constexpr int kMaxPage = 99;

bool isSection(Intent intent)
{
    return intent == Intent::Home || intent == Intent::Devices || intent == Intent::Today ||
           intent == Intent::Logs || intent == Intent::Settings;
}

Section sectionOf(Intent intent)
{
    switch (intent) {
    case Intent::Devices:
        return Section::Devices;
    case Intent::Today:
        return Section::Today;
    case Intent::Logs:
        return Section::Logs;
    case Intent::Settings:
        return Section::Settings;
    default:
        return Section::Home;
    }
}

const char* testAction(Intent intent)
{
    switch (intent) {
    case Intent::TestCard:
        return "test_card";
    case Intent::TestPrinter:
        return "test_printer";
    default:
        return "test_network";
    }
}

Transition menuTouch(const State& s, Intent intent, const Policy& policy)
{
    Builder b(s, policy);
    State& next = b.state();
    switch (intent) {
    case Intent::Lock:
        b.audit("lock");
        return b.lock().run(DiscardStaffPin{}).done();
    case Intent::TestCard:
    case Intent::TestPrinter:
    case Intent::TestNetwork:
        if (s.section != Section::Devices) {
            return b.reject();
        }
        b.run(RunTest{intent}).audit(testAction(intent));
        break;
    case Intent::SendNow:
        if (s.section != Section::Today) {
            return b.reject();
        }
        b.run(SendOutboxNow{}).audit("send_now");
        break;
    case Intent::ToggleOutOfService:
        next.outOfService = !s.outOfService;
        b.run(SetOutOfService{next.outOfService})
            .audit(next.outOfService ? "out_of_service_on" : "out_of_service_off");
        break;
    case Intent::EditSettings:
        if (s.section != Section::Settings || s.role != Role::Admin || s.editingSettings) {
            return b.reject();
        }
        next.editingSettings = true;
        next.page = 0; // the editor's page is the selected setting's
        b.run(OpenSettingsEditor{}).audit("edit_settings");
        break;
    case Intent::SettingNext:
    case Intent::SettingDown:
    case Intent::SettingUp:
        if (!s.editingSettings) {
            return b.reject();
        }
        b.run(EditSetting{intent == Intent::SettingNext   ? SettingChange::SelectNext
                          : intent == Intent::SettingDown ? SettingChange::Down
                                                          : SettingChange::Up});
        break;
    case Intent::SaveSettings:
        if (!s.editingSettings) {
            return b.reject();
        }
        next.editingSettings = false;
        next.page = 0;
        b.run(SaveSettings{}).audit("save_settings");
        break;
    case Intent::PageNext:
        if (s.editingSettings || s.page >= kMaxPage) {
            return b.reject(); // the editor pages by its selection
        }
        ++next.page;
        break;
    case Intent::PagePrevious:
        if (s.editingSettings || s.page == 0) {
            return b.reject();
        }
        --next.page;
        break;
    case Intent::Restart:
        if (s.role != Role::Admin) {
            return b.reject();
        }
        b.run(RestartService{}).audit("restart");
        break;
    case Intent::Visual:
        if (!s.visualPossible) {
            return b.reject();
        }
        b.leaveEnrol();
        next.section = Section::Visual;
        next.page = 0;
        next.editingSettings = false; // leaving the page drops an unsaved draft
        break;
    case Intent::ConfirmVisual:
        if (s.section != Section::Visual || !s.visualPossible) {
            return b.reject();
        }
        // The patient goes on; the menu locks at once and the screen is the patient's again.
        b.audit("visual_confirm").run(ConfirmVisually{s.staffId});
        return b.lock().run(DiscardStaffPin{}).done();
    case Intent::Enrol:
    case Intent::Pair:
        // Not while a request of either page runs: its answer belongs to the page that sent it.
        if (s.role != Role::Admin || s.section != Section::Home || s.enrolling) {
            return b.reject();
        }
        next.section = intent == Intent::Enrol ? Section::Enrol : Section::Pair;
        next.page = 0;
        next.enrolField = EnrolField::ActivationCode; // the 機関コード comes filled in
        b.run(OpenEnrolment{});
        break;
    case Intent::EnrolClinicField:
        if (s.section != Section::Enrol || s.enrolling) {
            return b.reject();
        }
        next.enrolField = EnrolField::ClinicCode;
        break;
    case Intent::EnrolCodeField:
        if (!takesCode(s.section) || s.enrolling) {
            return b.reject();
        }
        next.enrolField = EnrolField::ActivationCode;
        break;
    case Intent::SubmitEnrol:
        if (!takesCode(s.section) || s.enrolling) {
            return b.reject();
        }
        next.enrolling = true;
        b.run(RunEnrolment{}).audit(s.section == Section::Enrol ? "enrol" : "pair");
        break;
    case Intent::Cancel:
        if (takesCode(s.section)) {
            if (s.enrolling) {
                return b.reject(); // the answer comes within the network budget
            }
            b.leaveEnrol();
            next.section = Section::Home;
            next.page = 0;
            break;
        }
        if (s.section == Section::Visual) {
            next.section = Section::Home; // やめる: nothing confirmed
            next.page = 0;
            break;
        }
        if (!s.editingSettings) {
            return b.reject();
        }
        next.editingSettings = false; // the draft is dropped unsaved
        next.page = 0;
        break;
    default:
        if (!isSection(intent)) {
            return b.reject();
        }
        b.leaveEnrol();
        next.section = sectionOf(intent);
        next.page = 0;
        next.editingSettings = false; // leaving the page drops an unsaved draft
        break;
    }
    // Every accepted touch keeps the menu open for another idle period.
    return b.timer(policy.idleMenu).done();
}

} // namespace

Duration lockOutAfter(int wrongInARow, const Policy& policy)
{
    if (wrongInARow < policy.freeTries) {
        return Duration::zero();
    }
    Duration delay = policy.firstLockOut;
    for (int i = policy.freeTries; i < wrongInARow && delay < policy.maxLockOut; ++i) {
        delay *= 2;
    }
    return std::min(delay, policy.maxLockOut);
}

Transition step(const State& s, const Event& event, const Policy& policy)
{
    Builder b(s, policy);
    return std::visit(
        Overloaded{
            [&](const GestureCompleted&) -> Transition {
                if (s.phase != Phase::Locked) {
                    return b.reject();
                }
                if (s.lockOutRunning) {
                    b.state().phase = Phase::LockedOut; // its timer runs on
                    return b.done();
                }
                return b.enterPin().done();
            },
            [&](const PinSubmitted&) -> Transition {
                if (s.phase != Phase::EnterPin || s.checking) {
                    return b.reject();
                }
                b.state().checking = true;
                return b.run(VerifyStaffPin{}).done();
            },
            [&](const PinChecked& e) -> Transition {
                if (s.phase != Phase::EnterPin || !s.checking) {
                    return b.reject();
                }
                State& next = b.state();
                next.checking = false;
                b.run(DiscardStaffPin{});
                if (e.matched) {
                    next.phase = Phase::Menu;
                    next.section = Section::Home;
                    next.role = e.role;
                    next.staffId = e.staffId;
                    next.wrongInARow = 0;
                    return b.audit("unlock").run(AnswerCall{}).timer(policy.idleMenu).done();
                }
                ++next.wrongInARow;
                b.audit("wrong_pin");
                const Duration delay = lockOutAfter(next.wrongInARow, policy);
                if (delay > Duration::zero()) {
                    next.phase = Phase::LockedOut;
                    next.lockOutRunning = true;
                    return b.audit("locked_out").timer(delay).done();
                }
                return b.timer(policy.enterPin).done();
            },
            [&](const Touch& e) -> Transition {
                switch (s.phase) {
                case Phase::EnterPin:
                    if (e.intent != Intent::Cancel) {
                        return b.reject();
                    }
                    return b.lock().run(DiscardStaffPin{}).done();
                case Phase::Menu:
                    return menuTouch(s, e.intent, policy);
                case Phase::LockedOut:
                    if (e.intent != Intent::Cancel) {
                        return b.reject();
                    }
                    // Back to the patient's screens; the lock-out's timer stays current.
                    b.state().phase = Phase::Locked;
                    return b.done();
                default:
                    return b.reject();
                }
            },
            [&](const Timeout& e) -> Transition {
                if (e.generation != s.timerGeneration) {
                    return b.reject();
                }
                switch (s.phase) {
                case Phase::EnterPin:
                    return b.lock().run(DiscardStaffPin{}).done();
                case Phase::LockedOut:
                    b.state().lockOutRunning = false;
                    return b.enterPin().done();
                case Phase::Menu:
                    b.audit("auto_lock");
                    return b.lock().run(DiscardStaffPin{}).done();
                case Phase::Locked:
                    if (!s.lockOutRunning) {
                        return b.reject();
                    }
                    b.state().lockOutRunning = false; // the delay is over; stay locked
                    return b.done();
                }
                return b.reject();
            },
            [&](const EnrolFinished&) -> Transition {
                if (!s.enrolling) {
                    return b.reject();
                }
                b.state().enrolling = false;
                return b.done();
            },
            [&](const PatientStatus& e) -> Transition {
                if (e.visualPossible == s.visualPossible) {
                    return b.reject();
                }
                b.state().visualPossible = e.visualPossible;
                if (!e.visualPossible && s.section == Section::Visual) {
                    // The patient moved on (a timeout, the card taken away): nothing to confirm.
                    b.state().section = Section::Home;
                }
                return b.done();
            },
        },
        event);
}

const char* phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Locked:
        return "locked";
    case Phase::EnterPin:
        return "enter_pin";
    case Phase::LockedOut:
        return "locked_out";
    case Phase::Menu:
        return "menu";
    }
    return "unknown";
}

const char* sectionName(Section section)
{
    switch (section) {
    case Section::Home:
        return "home";
    case Section::Devices:
        return "devices";
    case Section::Today:
        return "today";
    case Section::Logs:
        return "logs";
    case Section::Settings:
        return "settings";
    case Section::Visual:
        return "visual";
    case Section::Enrol:
        return "enrol";
    case Section::Pair:
        return "pair";
    }
    return "unknown";
}

const char* roleName(Role role)
{
    return role == Role::Admin ? "admin" : "staff";
}

} // namespace uketsuke::kiosk::staff
