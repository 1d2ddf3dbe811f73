#include "kiosk/runner/terminal_impl.hpp"

// The card worker's jobs: watching the reader between check-ins, reading the certificate and
// the tries left, VERIFY and sign. Thread: the card worker (pushCardJob: main).

#include "base/log.hpp"
#include "kiosk/card/certificate.hpp"

#include <thread>

namespace uketsuke::kiosk::runner {
namespace {

const log::Category kLog("kiosk.runner");

// How long one wait for a card change lasts when nothing happens. A card job wakes it at once
// (pushCardJob cancels the wait), a card or a reader plugged in or out too; the bound decides
// how soon a reader found again is reported available, and how often the idle card worker
// wakes: once a second (docs/performance.md). It must stay below the card worker's stall bound
// (service.stall_s + pin.pad_timeout_s, at least 2 s), which counts the wait as a job. pcsc-lite
// leaves a window of a few instructions in which a cancel finds no wait to cancel; a job pushed
// in it waits this long.
constexpr auto kReaderPoll = std::chrono::seconds(1);
constexpr auto kReaderRetry = std::chrono::milliseconds(500);

} // namespace

void Terminal::Impl::setReaderAvailable(bool available)
{
    if (available != readerAvailable) {
        readerAvailable = available;
        UKETSUKE_LOG(kLog, Info) << "reader " << (available ? "available" : "unavailable");
        post(flow::ReaderStatus{available});
        if (options.onReaderStatus) {
            options.onReaderStatus(available);
        }
    }
}

void Terminal::Impl::watchReader()
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

void Terminal::Impl::pushCardJob(Worker::Job job)
{
    cardWorker.push(std::move(job));
    devices.reader.cancel(); // wake the presence wait so the job starts at once
}

Result<card::JpkiCard*> Terminal::Impl::ensureCard()
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

void Terminal::Impl::releaseCard()
{
    jpki.reset();
    channel.reset();
}

void Terminal::Impl::readCard()
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

void Terminal::Impl::verifyAndSign(const Pin& pin, const hal::Bytes& toSign)
{
    auto card = ensureCard();
    if (!card) {
        post(flow::CardFailed{std::move(card).error()});
        return;
    }
    postSignOutcome((*card)->verifyAndSign(pin, toSign));
}

void Terminal::Impl::verifyOnReaderAndSign(const hal::Bytes& toSign)
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

void Terminal::Impl::postSignOutcome(Result<card::SignOutcome> outcome)
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

} // namespace uketsuke::kiosk::runner
