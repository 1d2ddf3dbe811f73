#include "kiosk/runner/terminal.hpp"

// The terminal's main-thread side: the event queue, timers, the flow, and turning the flow's
// commands into jobs for the workers (card_jobs.cpp, service_jobs.cpp, printer_jobs.cpp). The
// inputs of every kind go through runner/input.cpp.

#include "base/log.hpp"
#include "base/overloaded.hpp"
#include "kiosk/runner/terminal_impl.hpp"

#include <algorithm>
#include <string.h> // explicit_bzero

namespace uketsuke::kiosk::runner {
namespace {

const log::Category kLog("kiosk.runner");
const log::Category kFlowLog("kiosk.flow");

} // namespace

void Terminal::Impl::post(flow::Event event)
{
    {
        std::lock_guard lock(queueMutex);
        queue.push_back(std::move(event));
    }
    queueCv.notify_all();
    if (options.wake) {
        options.wake();
    }
}

void Terminal::Impl::execute(flow::Command command)
{
    std::visit(
        Overloaded{
            [&](const flow::ReadCard&) { pushCardJob([this] { readCard(); }); },
            [&](const flow::FetchChallenge&) { serviceWorker.push([this] { fetchChallenge(); }); },
            [&](const flow::VerifyPinAndSign& c) {
                // The digits leave the keypad buffer here, go to the card worker, and are
                // wiped when the job (and with it the Pin) is destroyed.
                auto pin = std::make_shared<Pin>(pinEntryBuffer.take());
                pushCardJob([this, pin, toSign = c.toSign] { verifyAndSign(*pin, toSign); });
            },
            [&](const flow::VerifyOnReaderAndSign& c) {
                pushCardJob([this, toSign = c.toSign] { verifyOnReaderAndSign(toSign); });
            },
            [&](const flow::DiscardPin&) { pinEntryBuffer.clear(); },
            [&](const flow::QueryEligibility& c) {
                serviceWorker.push([this, c] { confirm(c); });
            },
            [&](const flow::SaveCheckIn& c) {
                serviceWorker.push([this, c] { saveCheckIn(c); });
            },
            [&](const flow::PrintSlip& c) { printSlip(c); },
            [&](const flow::ReleaseCard&) { pushCardJob([this] { releaseCard(); }); },
            [&](const flow::LookUpInsurance&) { lookUpInsurance(); },
            [&](const flow::CancelLookup&) {
                ++lookupSerial;
                devices.eligibility.cancel();
                UKETSUKE_LOG(kLog, Info) << "insurance card lookup cancelled";
            },
            [&](const flow::DiscardInsurance&) { insuranceForm.clear(); },
            [&](const flow::ReportCall& c) {
                if (c.call) {
                    UKETSUKE_LOG(kLog, Info) << "staff called: call " << c.call->id << " on "
                                             << c.call->screen;
                } else {
                    UKETSUKE_LOG(kLog, Info) << "staff call ended";
                }
                if (options.onCall) {
                    options.onCall(c.call);
                }
            },
            [&](const flow::StartTimer& c) {
                timers.clear(); // one flow timer at a time: the newest replaces the rest
                timers[c.generation] = clock.now() + c.after;
            },
        },
        command);
}

flow::CallStaff Terminal::Impl::staffCall()
{
    const auto now = clock.wallNow();
    const auto unix =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    return {"c-" + std::to_string(unix) + "-" + std::to_string(++callSerial), time::isoUtc(now)};
}

// Today in the clinic's time zone, for the birth date check.
CivilDate Terminal::Impl::today() const
{
    const auto date = options.zone.local(clock.wallNow()).date;
    return {int(date.year()), int(unsigned(date.month())), int(unsigned(date.day()))};
}

void Terminal::Impl::postKey(KeypadPress key)
{
    {
        std::lock_guard lock(queueMutex);
        keys.push_back(key);
    }
    queueCv.notify_all();
    if (options.wake) {
        options.wake();
    }
}

// Main thread: applies the queued keypad keys as inputs, in the one place every input goes
// (applyInput), then wipes them.
void Terminal::Impl::applyKeys()
{
    std::vector<KeypadPress> pending;
    {
        std::lock_guard lock(queueMutex);
        pending.swap(keys);
        keys.reserve(pending.capacity()); // the next keys go to fresh memory we wipe too
    }
    for (const KeypadPress& k : pending) {
        applyInput(inputOf(k), *this);
    }
    if (!pending.empty()) {
        explicit_bzero(pending.data(), pending.size() * sizeof(KeypadPress));
    }
}

void Terminal::Impl::checkHours()
{
    if (!options.openingHours) {
        return;
    }
    const auto now = clock.now();
    if (hoursCheckAt && now < *hoursCheckAt) {
        return;
    }
    const auto wall = clock.wallNow();
    const config::OpeningHours& hours = *options.openingHours;
    const bool open = config::isOpen(hours, options.zone.local(wall));
    const auto change = config::nextChange(hours, options.zone, wall);
    if (hoursOpen != open) {
        hoursOpen = open;
        flow::OpeningHoursChanged changed{open, std::nullopt};
        if (!open && change) {
            changed.opensAt = options.zone.local(*change);
        }
        UKETSUKE_LOG(kFlowLog, Info) << "opening hours: " << (open ? "open" : "closed");
        post(std::move(changed));
    }
    constexpr std::chrono::steady_clock::duration kLookAgain = std::chrono::hours(1);
    auto wait = change ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             *change - wall)
                       : kLookAgain;
    hoursCheckAt = now + std::clamp(wait, std::chrono::steady_clock::duration::zero(), kLookAgain);
}

int Terminal::Impl::pump()
{
    applyKeys();
    checkHours();
    auto now = clock.now();
    for (auto it = timers.begin(); it != timers.end();) {
        if (it->second <= now) {
            post(flow::Timeout{it->first});
            it = timers.erase(it);
        } else {
            ++it;
        }
    }
    std::deque<flow::Event> events;
    {
        std::lock_guard lock(queueMutex);
        events.swap(queue);
    }
    int changed = 0;
    for (auto& event : events) {
        auto transition = flow::step(state, event, options.timeouts);
        if (transition.rejected) {
            UKETSUKE_LOG(kFlowLog, Info)
                << "rejected " << flow::eventName(event) << " in "
                << flow::phaseName(state.phase);
            continue;
        }
        if (transition.state.phase != state.phase) {
            UKETSUKE_LOG(kFlowLog, Info)
                << flow::phaseName(state.phase) << " -> "
                << flow::phaseName(transition.state.phase) << " on "
                << flow::eventName(event);
        }
        bool formOpened = transition.state.phase == flow::Phase::EnterInsurance &&
                          state.phase != flow::Phase::EnterInsurance;
        state = std::move(transition.state);
        ++changed;
        if (formOpened) {
            insuranceForm.setToday(today()); // birth dates after today are refused
        }
        for (auto& command : transition.commands) {
            execute(std::move(command));
        }
        reportCard();
        reportVisual();
    }
    return changed;
}

void Terminal::Impl::reportVisual()
{
    const bool possible = flow::canConfirmVisually(state);
    if (reportedVisual == possible) {
        return;
    }
    reportedVisual = possible;
    if (options.onVisualPossible) {
        options.onVisualPossible(possible);
    }
}

void Terminal::Impl::reportCard()
{
    const bool wasIdle = reportedCard && !reportedCard->idleSince.empty();
    std::optional<model::CardHealth> card;
    if (auto known = flow::cardState(state, reportedCard ? reportedCard->state.known()
                                                         : std::nullopt)) {
        card = model::CardHealth{*known, ""};
        if (flow::cardIdle(state)) {
            // The time it began, stamped by the first state that found the card idle.
            card->idleSince = wasIdle ? reportedCard->idleSince : time::isoUtc(clock.wallNow());
            if (!wasIdle) {
                UKETSUKE_LOG(kLog, Info) << "card lies on the reader with no check-in using it";
            }
        }
    }
    if (cardReported && card == reportedCard) {
        return;
    }
    cardReported = true;
    reportedCard = card;
    if (options.onCardStatus) {
        options.onCardStatus(card);
    }
}

Terminal::Terminal(Devices devices, const model::StringCatalog& strings, const Clock& clock,
                   TerminalOptions options)
    : m_impl(std::make_unique<Impl>(devices, strings, clock, std::move(options)))
{
}

Terminal::~Terminal()
{
    stop();
}

void Terminal::start()
{
    m_impl->reportCard(); // the state it starts in: no card yet (the card worker tells if one is)
    m_impl->reportVisual();
    m_impl->checkHours(); // closed before the first frame when it starts out of hours
    m_impl->cardWorker.start();
    m_impl->serviceWorker.start();
    m_impl->printerWorker.start();
}

void Terminal::stop()
{
    m_impl->devices.reader.cancel();
    ++m_impl->lookupSerial;
    m_impl->devices.eligibility.cancel(); // a lookup waiting for its answer ends now
    m_impl->cardWorker.stop();
    m_impl->serviceWorker.stop();
    m_impl->printerWorker.stop();
    m_impl->pinEntryBuffer.clear();
    m_impl->insuranceForm.clear();
}

void Terminal::post(flow::Event event)
{
    m_impl->post(std::move(event));
}

void Terminal::onPrinterWorker(std::function<void(hal::ReceiptPrinter&)> job)
{
    Impl* impl = m_impl.get();
    impl->printerWorker.push([impl, job = std::move(job)] {
        job(impl->devices.printer);
        impl->checkPrinter();
    });
}

void Terminal::setTimeouts(const flow::Timeouts& timeouts)
{
    m_impl->options.timeouts = timeouts;
}

const flow::Timeouts& Terminal::timeouts() const
{
    return m_impl->options.timeouts;
}

void Terminal::setReceiptPrefix(std::string prefix)
{
    Impl* impl = m_impl.get();
    impl->serviceWorker.push(
        [impl, prefix = std::move(prefix)] { impl->options.receiptPrefix = prefix; });
}

void Terminal::postKey(KeypadPress key)
{
    m_impl->postKey(key);
}

int Terminal::pump()
{
    return m_impl->pump();
}

void Terminal::waitForEvents(std::chrono::steady_clock::time_point deadline)
{
    std::unique_lock lock(m_impl->queueMutex);
    m_impl->queueCv.wait_until(lock, deadline, [this] {
        return !m_impl->queue.empty() || !m_impl->keys.empty();
    });
}

std::optional<std::chrono::steady_clock::time_point> Terminal::nextTimer() const
{
    std::optional<std::chrono::steady_clock::time_point> next = m_impl->hoursCheckAt;
    for (const auto& [generation, at] : m_impl->timers) {
        if (!next || at < *next) {
            next = at;
        }
    }
    return next;
}

void Terminal::apply(const Input& input)
{
    applyInput(input, *m_impl);
}

const flow::State& Terminal::state() const
{
    return m_impl->state;
}

PinEntry& Terminal::pinEntry()
{
    return m_impl->pinEntryBuffer;
}

InsuranceEntry& Terminal::insuranceEntry()
{
    return m_impl->insuranceForm;
}

} // namespace uketsuke::kiosk::runner
