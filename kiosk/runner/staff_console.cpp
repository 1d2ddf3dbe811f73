#include "kiosk/runner/staff_console.hpp"

#include "base/log.hpp"
#include "base/overloaded.hpp"

#include <algorithm>
#include <memory>
#include <utility>

namespace uketsuke::kiosk::runner {
namespace {

const log::Category kAudit("staff.audit");
const log::Category kLog("staff.console");

} // namespace

StaffConsole::StaffConsole(config::StaffAccounts accounts, const Clock& clock,
                           StaffActions actions, staff::Policy policy)
    : m_accounts(std::move(accounts)), m_clock(clock), m_actions(std::move(actions)),
      m_policy(policy), m_worker("staff")
{
    m_worker.start();
}

StaffConsole::~StaffConsole()
{
    stop();
}

void StaffConsole::stop()
{
    m_worker.stop();
}

void StaffConsole::startOutOfService(bool on)
{
    if (m_state.phase == staff::Phase::Locked) {
        m_state.outOfService = on;
    }
}

void StaffConsole::patientStatus(bool visualPossible)
{
    if (visualPossible != m_state.visualPossible) {
        run(staff::PatientStatus{visualPossible});
    }
}

void StaffConsole::gestureCompleted()
{
    run(staff::GestureCompleted{});
}

void StaffConsole::apply(const StaffInput& input)
{
    std::visit(Overloaded{
                   [&](const staff_input::Digit& d) {
                       if (typingEnrolment()) {
                           std::string& field = enrolFieldText();
                           const std::size_t limit =
                               m_state.enrolField == staff::EnrolField::ClinicCode
                                   ? kClinicCodeDigits
                                   : kActivationCodeDigits;
                           if (d.digit >= '0' && d.digit <= '9' && field.size() < limit) {
                               field.push_back(d.digit);
                           }
                       } else if (m_state.phase == staff::Phase::EnterPin && !m_state.checking) {
                           m_pin.push(d.digit);
                       }
                   },
                   [&](const staff_input::Erase&) {
                       if (typingEnrolment()) {
                           std::string& field = enrolFieldText();
                           if (!field.empty()) {
                               field.pop_back();
                           }
                       } else if (m_state.phase == staff::Phase::EnterPin && !m_state.checking) {
                           m_pin.pop();
                       }
                   },
                   [&](const staff_input::Clear&) {
                       if (typingEnrolment()) {
                           enrolFieldText().clear();
                       } else {
                           m_pin.wipe();
                       }
                   },
                   [&](const staff_input::Submit&) {
                       if (typingEnrolment()) {
                           if (enrolEntryComplete()) {
                               run(staff::Touch{staff::Intent::SubmitEnrol});
                           }
                       } else if (m_pin.complete()) {
                           run(staff::PinSubmitted{});
                       }
                   },
                   [&](const staff::Intent& intent) { run(staff::Touch{intent}); },
               },
               input);
}

int StaffConsole::pump()
{
    int changed = 0;
    if (m_timer && m_timer->at <= m_clock.now()) {
        const std::uint32_t generation = m_timer->generation;
        m_timer.reset(); // before run(): a timer it starts must stay
        run(staff::Timeout{generation});
        ++changed;
    }
    std::deque<Posted> posted;
    {
        std::lock_guard lock(m_postedMutex);
        posted.swap(m_posted);
    }
    for (auto& p : posted) {
        std::visit(Overloaded{
                       [&](staff::PinChecked& checked) { run(checked); },
                       [&](EnrolDone& done) {
                           // The audit line names the outcome, never the code typed.
                           const std::string ok = done.pairing ? "paired " : "enrolled ";
                           const std::string failed = done.pairing ? "pair_failed " : "enrol_failed ";
                           record(done.result.ok ? ok + done.result.terminalId
                                                 : failed + done.result.detail,
                                  done.staffId);
                           if (done.result.ok) {
                               // Used: it opens nothing any more. The 機関コード stays shown.
                               std::fill(m_enrolCode.begin(), m_enrolCode.end(), '\0');
                               m_enrolCode.clear();
                               if (!done.pairing) {
                                   // The 機関コード it was enrolled with (the application saved
                                   // it): what the page shows when opened again before a restart.
                                   m_actions.clinicCode = m_enrolClinic;
                               }
                           }
                           m_enrolResult = std::move(done.result);
                           run(staff::EnrolFinished{m_enrolResult->ok});
                       },
                       [&](TestDone& done) {
                           --m_testsRunning;
                           std::erase_if(m_results, [&](const StaffTestResult& r) {
                               return r.test == done.result.test;
                           });
                           m_results.push_back(std::move(done.result));
                       },
                   },
                   p);
        ++changed;
    }
    return changed;
}

std::optional<std::chrono::steady_clock::time_point> StaffConsole::nextTimer() const
{
    if (!m_timer) {
        return std::nullopt;
    }
    return m_timer->at;
}

std::optional<std::chrono::steady_clock::time_point> StaffConsole::lockedOutUntil() const
{
    if (!m_state.lockOutRunning) {
        return std::nullopt;
    }
    if (!m_timer || m_timer->generation != m_state.timerGeneration) {
        return std::nullopt;
    }
    return m_timer->at;
}

void StaffConsole::run(const staff::Event& event)
{
    const bool wasMenu = m_state.phase == staff::Phase::Menu;
    staff::Transition t = staff::step(m_state, event, m_policy);
    if (t.rejected) {
        return;
    }
    m_state = std::move(t.state);
    if (wasMenu && m_state.phase != staff::Phase::Menu) {
        m_results.clear(); // the next one to unlock starts with a clean page
    }
    for (const auto& command : t.commands) {
        execute(command);
    }
}

void StaffConsole::execute(const staff::Command& command)
{
    std::visit(
        Overloaded{
            [&](const staff::VerifyStaffPin&) {
                // The digits move to the worker and are wiped there after the check.
                auto pin = std::make_shared<StaffPin>(std::move(m_pin));
                m_pin.wipe();
                m_worker.push([this, pin] {
                    auto match = m_accounts.verify(*pin);
                    pin->wipe();
                    staff::PinChecked checked;
                    if (match) {
                        checked = staff::PinChecked{true, match->id, match->role};
                    }
                    post(std::move(checked));
                });
            },
            [&](const staff::DiscardStaffPin&) { m_pin.wipe(); },
            [&](const staff::StartTimer& timer) {
                // One staff timer at a time: a new one makes the older stale anyway.
                m_timer = PendingTimer{timer.generation, m_clock.now() + timer.after};
            },
            [&](const staff::Audit& audit) { record(audit.action, audit.staffId); },
            [&](const staff::RunTest& test) {
                const std::function<StaffTestResult()>* run = &m_actions.testPrinter;
                if (test.test == staff::Intent::TestCard) {
                    run = &m_actions.testCard;
                } else if (test.test == staff::Intent::TestNetwork) {
                    run = &m_actions.testNetwork;
                }
                if (!*run) {
                    std::erase_if(m_results,
                                  [&](const StaffTestResult& r) { return r.test == test.test; });
                    m_results.push_back(
                        StaffTestResult{test.test, false, "staff.test.unavailable", "", {}});
                    return;
                }
                ++m_testsRunning;
                m_worker.push([this, fn = *run, which = test.test] {
                    StaffTestResult result = fn();
                    result.test = which;
                    post(TestDone{std::move(result)});
                });
            },
            [&](const staff::AnswerCall&) {
                if (m_actions.answerCall) {
                    m_actions.answerCall();
                }
            },
            [&](const staff::ConfirmVisually& confirm) {
                if (m_actions.confirmVisually) {
                    m_actions.confirmVisually(confirm.staffId);
                }
            },
            [&](const staff::SendOutboxNow&) {
                if (m_actions.sendOutboxNow) {
                    m_actions.sendOutboxNow();
                }
            },
            [&](const staff::SetOutOfService& set) {
                if (m_actions.setOutOfService) {
                    m_actions.setOutOfService(set.on);
                }
            },
            [&](const staff::OpenSettingsEditor&) {
                if (m_actions.openSettingsEditor) {
                    m_actions.openSettingsEditor();
                }
            },
            [&](const staff::EditSetting& edit) {
                if (m_actions.editSetting) {
                    m_actions.editSetting(edit.change);
                }
            },
            [&](const staff::SaveSettings&) {
                if (!m_actions.saveSettings) {
                    UKETSUKE_LOG(kLog, Warn) << "settings: no editor on this terminal";
                    return;
                }
                // Each key written is an audit line of its own, by whoever is signed in.
                for (auto& action : m_actions.saveSettings()) {
                    record(action, m_state.staffId);
                }
            },
            [&](const staff::OpenEnrolment&) {
                wipeEnrolment();
                if (m_state.section == staff::Section::Enrol) {
                    m_enrolClinic = m_actions.clinicCode;
                }
                m_enrolResult.reset();
            },
            [&](const staff::DiscardEnrolment&) {
                wipeEnrolment();
                m_enrolResult.reset();
            },
            [&](const staff::RunEnrolment&) {
                m_enrolResult.reset();
                const bool pairing = m_state.section == staff::Section::Pair;
                const bool available = pairing ? bool(m_actions.pair) : bool(m_actions.enrol);
                const std::string keys = pairing ? "staff.pair." : "staff.enrol.";
                if (!enrolEntryComplete() || !available) {
                    const char* why = available ? "incomplete" : "unavailable";
                    post(EnrolDone{StaffEnrolResult{false, keys + why, why, "", ""},
                                   m_state.staffId, pairing});
                    return;
                }
                // The worker sends a copy, wiped after; the entry keeps the code until it was
                // used, so that after a failure (the network, a mistyped digit) a retry is one
                // press or one correction.
                std::function<StaffEnrolResult(std::string&)> send;
                if (pairing) {
                    send = [fn = m_actions.pair](std::string& code) { return fn(code); };
                } else {
                    send = [fn = m_actions.enrol, clinic = m_enrolClinic](std::string& code) {
                        return fn(clinic, code);
                    };
                }
                m_worker.push([this, send = std::move(send), code = m_enrolCode,
                               staffId = m_state.staffId, pairing]() mutable {
                    StaffEnrolResult result = send(code);
                    std::fill(code.begin(), code.end(), '\0');
                    post(EnrolDone{std::move(result), staffId, pairing});
                });
            },
            [&](const staff::RestartService&) {
                if (m_actions.restartService) {
                    m_actions.restartService();
                }
            },
        },
        command);
}

bool StaffConsole::typingEnrolment() const
{
    return m_state.phase == staff::Phase::Menu && staff::takesCode(m_state.section) &&
           !m_state.enrolling;
}

std::string& StaffConsole::enrolFieldText()
{
    return m_state.enrolField == staff::EnrolField::ClinicCode ? m_enrolClinic : m_enrolCode;
}

void StaffConsole::wipeEnrolment()
{
    std::fill(m_enrolCode.begin(), m_enrolCode.end(), '\0');
    m_enrolCode.clear();
    m_enrolClinic.clear();
}

void StaffConsole::record(const std::string& action, const std::string& staffId)
{
    StaffAuditEntry entry{m_clock.wallNow(), action, staffId};
    UKETSUKE_LOG(kAudit, Info) << action << " staff=" << (staffId.empty() ? "-" : staffId);
    if (m_actions.recordAudit) {
        m_actions.recordAudit(entry);
    }
    m_audit.push_back(std::move(entry));
    if (m_audit.size() > kAuditKept) {
        m_audit.pop_front();
    }
}

void StaffConsole::post(Posted posted)
{
    {
        std::lock_guard lock(m_postedMutex);
        m_posted.push_back(std::move(posted));
    }
    if (m_actions.wake) {
        m_actions.wake();
    }
}

} // namespace uketsuke::kiosk::runner
