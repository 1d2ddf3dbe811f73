#include "kiosk/runner/terminal.hpp"

#include "base/hex.hpp"
#include "base/log.hpp"
#include "base/time.hpp"
#include "kiosk/card/jpki.hpp"
#include "kiosk/runner/slip.hpp"
#include "kiosk/runner/worker.hpp"

#include <openssl/rand.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace uketsuke::kiosk::runner {
namespace {

const log::Category kLog("kiosk.runner");
const log::Category kFlowLog("kiosk.flow");

constexpr auto kReaderPoll = std::chrono::milliseconds(200);
constexpr auto kReaderRetry = std::chrono::milliseconds(500);

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string randomKey()
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        return {};
    }
    return hex(bytes, HexCase::Lower);
}

} // namespace

struct Terminal::Impl final : InputTarget {
    Impl(Devices d, const model::StringCatalog& s, const Clock& c, TerminalOptions o)
        : devices(d), strings(s), clock(c), options(std::move(o)),
          cardWorker("card", [this] { watchReader(); }, heartbeatFor("card")),
          serviceWorker("service", {}, heartbeatFor("service")),
          printerWorker("printer", {}, heartbeatFor("printer"))
    {
        auto can = devices.eligibility.capabilities();
        state.canUseMyNumberCard = can.myNumberCard;
        state.canLookUpInsuranceCard = can.insuranceCard;
    }

    std::shared_ptr<service::Heartbeat> heartbeatFor(const std::string& worker) const
    {
        return options.heartbeat ? options.heartbeat(worker) : nullptr;
    }

    Devices devices;
    const model::StringCatalog& strings; // immutable: any worker may read it
    const Clock& clock;
    TerminalOptions options;

    flow::State state;
    PinEntry pinEntryBuffer;
    InsuranceEntry insuranceForm;
    // Numbers the lookups by insurance card; CancelLookup moves it on, and a lookup whose number
    // is no longer current drops its answer (the patient left; the next one must not get it).
    std::atomic<std::uint64_t> lookupSerial{0};
    std::map<std::uint32_t, std::chrono::steady_clock::time_point> timers;

    std::mutex queueMutex;
    std::condition_variable queueCv;
    std::deque<flow::Event> queue;
    // Keys from a hardware keypad, guarded by queueMutex. A vector (not a deque) so that the
    // digits can be wiped in place after use.
    std::vector<KeypadPress> keys;

    // Card worker only. One JpkiCard per connection for the whole check-in: it remembers the
    // selected EF, so a check-in takes the minimum of APDUs (docs/card.md).
    std::unique_ptr<hal::CardChannel> channel;
    std::optional<card::JpkiCard> jpki;
    hal::CardPresence knownPresence = hal::CardPresence::Absent;

    Worker cardWorker;
    Worker serviceWorker;
    Worker printerWorker;

    // InputTarget (main thread).
    PinEntry& pinEntry() override { return pinEntryBuffer; }
    InsuranceEntry& insuranceEntry() override { return insuranceForm; }
    flow::Phase phase() const override { return state.phase; }

    void post(flow::Event event) override
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

    // ---- card worker ----------------------------------------------------------------------

    // Card worker only: what the flow was last told about the reader.
    bool readerAvailable = true;

    void setReaderAvailable(bool available)
    {
        if (available != readerAvailable) {
            readerAvailable = available;
            UKETSUKE_LOG(kLog, Info) << "reader " << (available ? "available" : "unavailable");
            post(flow::ReaderStatus{available});
        }
    }

    void watchReader()
    {
        auto change = devices.reader.waitForChange(knownPresence, kReaderPoll);
        if (change || change.error().code == Errc::Timeout) {
            setReaderAvailable(true);
        }
        if (change) {
            if (change->presence != knownPresence) {
                knownPresence = change->presence;
                if (knownPresence == hal::CardPresence::Present) {
                    post(flow::CardInserted{});
                } else {
                    releaseCard();
                    post(flow::CardRemoved{});
                }
            }
            return;
        }
        auto code = change.error().code;
        if (code == Errc::Timeout || code == Errc::Cancelled) {
            return;
        }
        if (readerAvailable) {
            UKETSUKE_LOG(kLog, Warn) << "reader: " << errcName(code) << " "
                                     << change.error().message;
        }
        if (code == Errc::ReaderNotFound || code == Errc::ReaderServiceDown) {
            setReaderAvailable(false);
        }
        std::this_thread::sleep_for(kReaderRetry); // retry delay while the reader is away
    }

    void pushCardJob(Worker::Job job)
    {
        cardWorker.push(std::move(job));
        devices.reader.cancel(); // wake the presence wait so the job starts at once
    }

    Result<card::JpkiCard*> ensureCard()
    {
        if (!channel) {
            auto connected = devices.reader.connect();
            if (!connected) {
                return fail(std::move(connected).error());
            }
            channel = std::move(*connected);
            jpki.emplace(*channel);
        }
        return &*jpki;
    }

    void releaseCard()
    {
        jpki.reset();
        channel.reset();
    }

    void readCard()
    {
        auto card = ensureCard();
        if (!card) {
            post(flow::CardFailed{std::move(card).error()});
            return;
        }
        card::JpkiCard& reader = **card;
        auto selected = reader.selectJpki();
        if (!selected) {
            post(flow::CardFailed{std::move(selected).error()});
            return;
        }
        auto certificate = reader.readAuthCertificate();
        if (!certificate) {
            post(flow::CardFailed{std::move(certificate).error()});
            return;
        }
        auto info = card::parseCertificate(*certificate);
        if (!info) {
            post(flow::CardFailed{std::move(info).error()});
            return;
        }
        auto status = card::certificateStatus(
            *info, std::chrono::floor<std::chrono::seconds>(clock.wallNow()));
        auto tries = reader.pinTriesLeft();
        if (!tries) {
            post(flow::CardFailed{std::move(tries).error()});
            return;
        }
        const bool pinPad = options.readerPinPad && reader.readerHasPinPad();
        UKETSUKE_LOG(kLog, Info) << "card read: certificate " << certificate->size()
                                 << " bytes, status " << card::certificateStatusName(status)
                                 << ", PIN tries left " << *tries
                                 << (pinPad ? ", PIN on the reader's pad" : "");
        post(flow::CardRead{std::move(*certificate), *tries, status, pinPad});
    }

    void verifyAndSign(const Pin& pin, const hal::Bytes& toSign)
    {
        auto card = ensureCard();
        if (!card) {
            post(flow::CardFailed{std::move(card).error()});
            return;
        }
        postSignOutcome((*card)->verifyAndSign(pin, toSign));
    }

    void verifyOnReaderAndSign(const hal::Bytes& toSign)
    {
        auto card = ensureCard();
        if (!card) {
            post(flow::CardFailed{std::move(card).error()});
            return;
        }
        auto signature = (*card)->verifyOnReaderAndSign(toSign, options.pinPadTimeout);
        if (!signature) {
            const Errc code = signature.error().code;
            if (code == Errc::Timeout || code == Errc::Cancelled || code == Errc::PinFormat ||
                code == Errc::NotSupported) {
                UKETSUKE_LOG(kLog, Info) << "PIN pad ended without a VERIFY: " << errcName(code);
                post(flow::PinPadEnded{std::move(signature).error()});
                return;
            }
        }
        postSignOutcome(std::move(signature));
    }

    void postSignOutcome(Result<card::SignOutcome> outcome)
    {
        if (!outcome) {
            post(flow::CardFailed{std::move(outcome).error()});
            return;
        }
        if (auto* refused = std::get_if<card::PinRefused>(&*outcome)) {
            UKETSUKE_LOG(kLog, Info) << "PIN refused, tries left " << refused->triesLeft;
            post(flow::PinRejected{refused->triesLeft});
            return;
        }
        post(flow::Signed{std::move(std::get<hal::Bytes>(*outcome))});
    }

    // ---- service worker -------------------------------------------------------------------

    void saveCheckIn(const flow::SaveCheckIn& command)
    {
        auto now = clock.wallNow();
        auto receipt = devices.outbox.nextReceiptNumber(time::isoDate(options.zone.local(now).date));
        if (!receipt) {
            post(flow::SaveFailed{std::move(receipt).error()});
            return;
        }
        model::CheckIn checkIn;
        checkIn.idempotencyKey = randomKey();
        checkIn.terminalId = options.terminalId;
        checkIn.receiptNumber = *receipt;
        checkIn.checkedAt = time::isoUtc(now);
        checkIn.method = command.method;
        checkIn.outcome = command.outcome;
        checkIn.qualification = command.qualification;
        if (checkIn.idempotencyKey.empty()) {
            post(flow::SaveFailed{Error{Errc::Internal, 0, "no randomness for the key"}});
            return;
        }
        if (auto put = devices.outbox.put(checkIn); !put) {
            post(flow::SaveFailed{std::move(put).error()});
            return;
        }
        UKETSUKE_LOG(kLog, Info) << "check-in " << checkIn.idempotencyKey << " receipt "
                                 << checkIn.receiptNumber << " outcome " << checkIn.outcome
                                 << " saved";
        if (options.onCheckInSaved) {
            options.onCheckInSaved();
        }
        post(flow::CheckInSaved{checkIn.receiptNumber});
    }

    // ---- main thread ----------------------------------------------------------------------

    void execute(flow::Command command)
    {
        std::visit(
            Overloaded{
                [&](const flow::ReadCard&) { pushCardJob([this] { readCard(); }); },
                [&](const flow::FetchChallenge&) {
                    serviceWorker.push([this] {
                        auto challenge = devices.eligibility.challenge();
                        if (challenge) {
                            post(flow::ChallengeReady{challenge->id, challenge->toSign});
                        } else {
                            post(flow::ServiceFailed{std::move(challenge).error()});
                        }
                    });
                },
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
                    serviceWorker.push([this, c] {
                        eligibility::ConfirmRequest request;
                        request.challengeId = c.challengeId;
                        request.certificate = c.certificate;
                        request.signature = c.signature;
                        auto result = devices.eligibility.confirm(request);
                        if (result) {
                            post(flow::EligibilityAnswered{std::move(*result)});
                        } else {
                            post(flow::ServiceFailed{std::move(result).error()});
                        }
                    });
                },
                [&](const flow::SaveCheckIn& c) {
                    serviceWorker.push([this, c] { saveCheckIn(c); });
                },
                [&](const flow::PrintSlip& c) {
                    SlipInput input{c.receiptNumber, c.outcome, c.qualification, clock.wallNow(),
                                    {}, c.certificateStatus};
                    // The slip speaks the language the patient chose on screen.
                    printerWorker.push([this, input, lang = c.language] {
                        auto printed =
                            devices.printer.print(buildSlip(strings.table(lang), input));
                        if (printed) {
                            post(flow::Printed{});
                        } else {
                            post(flow::PrintFailed{std::move(printed).error()});
                        }
                    });
                },
                [&](const flow::ReleaseCard&) { pushCardJob([this] { releaseCard(); }); },
                [&](const flow::LookUpInsurance&) { lookUpInsurance(); },
                [&](const flow::CancelLookup&) {
                    ++lookupSerial;
                    devices.eligibility.cancel();
                    UKETSUKE_LOG(kLog, Info) << "insurance card lookup cancelled";
                },
                [&](const flow::DiscardInsurance&) { insuranceForm.clear(); },
                [&](const flow::StartTimer& c) {
                    timers.clear(); // one flow timer at a time: the newest replaces the rest
                    timers[c.generation] = clock.now() + c.after;
                },
            },
            command);
    }

    // Main thread: builds the query from the form and runs the lookup on the service worker.
    void lookUpInsurance()
    {
        insuranceForm.setToday(today());
        auto query = insuranceForm.query();
        if (!query) {
            // The UI submits only a valid form; name the fields, never their values.
            std::string fields;
            for (auto field : insuranceForm.problems()) {
                fields += fields.empty() ? "" : ", ";
                fields += insuranceFieldName(field);
            }
            UKETSUKE_LOG(kLog, Warn) << "insurance card form not valid: " << fields;
            post(flow::ServiceFailed{Error{Errc::InvalidArgument, 0, "form: " + fields}});
            return;
        }
        // Shared, so that the one copy is wiped after the lookup whatever copies the job.
        auto shared = std::make_shared<eligibility::InsuranceCardQuery>(std::move(*query));
        std::uint64_t serial = ++lookupSerial;
        serviceWorker.push([this, shared, serial] {
            if (serial != lookupSerial.load()) {
                return; // cancelled before it started
            }
            auto result = devices.eligibility.lookup(*shared);
            for (std::string* s : {&shared->insurerNumber, &shared->insuredCardSymbol,
                                   &shared->insuredIdentificationNumber,
                                   &shared->insuredBranchNumber, &shared->birthdate}) {
                explicit_bzero(s->data(), s->size());
                s->clear();
            }
            if (serial != lookupSerial.load()) {
                UKETSUKE_LOG(kLog, Info) << "insurance card lookup ended after cancel: dropped";
                return;
            }
            if (result) {
                UKETSUKE_LOG(kLog, Info)
                    << "insurance card lookup: "
                    << model::outcomeName(model::outcomeOf(*result));
                post(flow::EligibilityAnswered{std::move(*result)});
            } else {
                UKETSUKE_LOG(kLog, Info)
                    << "insurance card lookup failed: " << errcName(result.error().code);
                post(flow::ServiceFailed{std::move(result).error()});
            }
        });
    }

    // Today in the clinic's time zone, for the birth date check.
    CivilDate today() const
    {
        const auto date = options.zone.local(clock.wallNow()).date;
        return {int(date.year()), int(unsigned(date.month())), int(unsigned(date.day()))};
    }

    void postKey(KeypadPress key)
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
    void applyKeys()
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

    int pump()
    {
        applyKeys();
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
        }
        return changed;
    }
};

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
    if (m_impl->timers.empty()) {
        return std::nullopt;
    }
    return m_impl->timers.begin()->second;
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
