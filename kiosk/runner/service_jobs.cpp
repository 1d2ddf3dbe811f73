#include "kiosk/runner/terminal_impl.hpp"

// The service worker's jobs: the eligibility source (challenge, confirm, lookup by insurance
// card) and the outbox. Thread: the service worker, except where a function says main.

#include "base/hex.hpp"
#include "base/log.hpp"
#include "base/time.hpp"
#include "kiosk/model/receipt.hpp"

#include <openssl/rand.h>

#include <string.h> // explicit_bzero

namespace uketsuke::kiosk::runner {
namespace {

const log::Category kLog("kiosk.runner");

std::string randomKey()
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        return {};
    }
    return hex(bytes, HexCase::Lower);
}

} // namespace

void Terminal::Impl::fetchChallenge()
{
    auto challenge = devices.eligibility.challenge();
    if (challenge) {
        post(flow::ChallengeReady{challenge->id, challenge->toSign});
    } else {
        post(flow::ServiceFailed{std::move(challenge).error()});
    }
}

void Terminal::Impl::confirm(const flow::QueryEligibility& command)
{
    eligibility::ConfirmRequest request;
    request.challengeId = command.challengeId;
    request.certificate = command.certificate;
    request.signature = command.signature;
    if (command.method == model::Method::Visual) {
        request.method = "visual"; // staff compared the card's photo: no PIN, no signature
        request.staffId = command.staffId;
    }
    using model::ConsentTopic;
    auto agreed = [&command](ConsentTopic topic) {
        return model::consentAnswer(command.consent, topic).value_or(false);
    };
    eligibility::Consents& consents = request.consents;
    consents.diagnosis = agreed(ConsentTopic::DiagnosisPharmacists);
    consents.pharmacists = consents.diagnosis; // one question: 診療・薬剤情報
    consents.specificHealthCheckups = agreed(ConsentTopic::SpecificHealthCheckups);
    consents.operation = agreed(ConsentTopic::Operation);
    consents.limitApplication = agreed(ConsentTopic::LimitApplication);
    auto result = devices.eligibility.confirm(request);
    if (result) {
        post(flow::EligibilityAnswered{std::move(*result)});
    } else {
        post(flow::ServiceFailed{std::move(result).error()});
    }
}

void Terminal::Impl::saveCheckIn(const flow::SaveCheckIn& command)
{
    auto now = clock.wallNow();
    const time::LocalTime local = options.zone.local(now);
    auto sequence = devices.outbox.nextReceiptNumber(time::isoDate(local.date),
                                                     local.time.to_duration());
    if (!sequence) {
        post(flow::SaveFailed{std::move(sequence).error()});
        return;
    }
    // The terminal's letters make the number unique in the clinic (docs/receipt-numbers.md).
    const std::string receipt = model::receiptNumber(options.receiptPrefix, *sequence);
    model::CheckIn checkIn;
    checkIn.idempotencyKey = randomKey();
    checkIn.terminalId = options.terminalId;
    checkIn.receiptNumber = receipt;
    checkIn.checkedAt = time::isoUtc(now);
    checkIn.method = command.method;
    checkIn.outcome = command.outcome;
    checkIn.qualification = command.qualification;
    checkIn.consent = command.consent;
    checkIn.staffId = command.staffId;
    if (command.problem) {
        checkIn.problem = *command.problem;
    }
    if (checkIn.idempotencyKey.empty()) {
        post(flow::SaveFailed{Error{Errc::Internal, 0, "no randomness for the key"}});
        return;
    }
    if (auto put = devices.outbox.put(checkIn); !put) {
        post(flow::SaveFailed{std::move(put).error()});
        return;
    }
    UKETSUKE_LOG(kLog, Info) << "check-in " << checkIn.idempotencyKey << " receipt "
                             << checkIn.receiptNumber << " outcome " << checkIn.outcome.name()
                             << (checkIn.problem ? " problem " : "")
                             << (checkIn.problem ? checkIn.problem->name() : "") << " saved";
    if (options.onCheckInSaved) {
        options.onCheckInSaved();
    }
    post(flow::CheckInSaved{checkIn.receiptNumber, checkIn.idempotencyKey});
}

// Main thread: builds the query from the form and runs the lookup on the service worker.
void Terminal::Impl::lookUpInsurance()
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
                << "insurance card lookup: " << model::wireName(model::outcomeOf(*result));
            post(flow::EligibilityAnswered{std::move(*result)});
        } else {
            UKETSUKE_LOG(kLog, Info)
                << "insurance card lookup failed: " << errcName(result.error().code);
            post(flow::ServiceFailed{std::move(result).error()});
        }
    });
}

} // namespace uketsuke::kiosk::runner
