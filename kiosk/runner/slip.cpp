#include "kiosk/runner/slip.hpp"

#include "base/time.hpp"
#include "kiosk/model/derived.hpp"

#include <chrono>
#include <string_view>

namespace uketsuke::kiosk::runner {
namespace {

using Size = hal::SlipLine::Size;

std::string twoDigits(long value)
{
    return (value < 10 ? "0" : "") + std::to_string(value);
}

// The receipt number as it may appear in a file name.
std::string safeReceipt(const std::string& receipt)
{
    std::string out;
    for (char c : receipt) {
        const bool safe = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                          (c >= 'a' && c <= 'z') || c == '-' || c == '_';
        out.push_back(safe ? c : '_');
    }
    return out.empty() ? "0" : out.substr(0, 32);
}

// "slip.<outcome>" ("slip.not_found"), or "slip.problem.<problem>" for an unconfirmed
// check-in ("slip.problem.pin_locked"): where the slip's heading, body and next step live.
std::string keyPrefix(const SlipInput& input)
{
    if (input.problem) {
        return "slip.problem." + std::string(model::wireName(*input.problem));
    }
    return "slip." + std::string(model::wireName(input.outcome));
}

std::string key(const std::string& prefix, std::string_view part)
{
    return prefix + "." + std::string(part);
}

// The check-in id as a QR payload: short printable ASCII (the printer stores QR data in kanji
// mode, where other bytes would be read as Shift_JIS), the characters the desk allows in an
// idempotency key.
bool usableCheckInId(const std::string& id)
{
    if (id.empty() || id.size() > 64) {
        return false;
    }
    for (char c : id) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                        (c >= 'a' && c <= 'z') || c == '.' || c == '_' || c == ':' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

// The name as the clinic chose to print it; empty = no name line.
std::string slipName(SlipName mode, const model::ResultOfQualificationConfirmation& who)
{
    switch (mode) {
    case SlipName::Full:
        return (who.name.empty() ? who.nameKana : who.name).reveal();
    case SlipName::Initials:
        return model::nameInitials(who.nameKana.reveal(), who.name.reveal());
    case SlipName::None:
        return {};
    }
    return {};
}

// The insurer number as printed: OQS pads a 6-digit 国保 number with spaces.
std::string printedInsurerNumber(const std::string& number)
{
    std::string out = model::normalisedInsurerNumber(number).value_or("");
    const std::size_t first = out.find_first_not_of(' ');
    return first == std::string::npos ? std::string() : out.substr(first);
}

} // namespace

std::optional<SlipName> slipNameFromString(std::string_view text)
{
    if (text == "full") {
        return SlipName::Full;
    }
    if (text == "initials") {
        return SlipName::Initials;
    }
    if (text == "none") {
        return SlipName::None;
    }
    return std::nullopt;
}

hal::Slip buildSlip(const model::StringTable& strings, const SlipInput& input)
{
    // The clinic's wall clock, as the desk and the receipt day use it.
    const time::LocalTime local = input.zone.local(input.when);
    const int year = int(local.date.year());
    const unsigned month = unsigned(local.date.month());
    const unsigned day = unsigned(local.date.day());
    const long hour = local.time.hours().count();
    const long minute = local.time.minutes().count();
    const std::string date = time::compactDate(local.date);
    const std::string receipt = safeReceipt(input.receiptNumber);
    // The string-table keys of the outcome or the problem: "slip.<name>.heading".
    const std::string outcome = keyPrefix(input);

    const SlipSettings& settings = input.settings;

    hal::Slip slip;
    slip.id = date + "-" + receipt;
    // The id the outbox and the desk store, and nothing personal: scanning the slip at the desk
    // opens this check-in, whichever terminal printed it.
    if (usableCheckInId(input.checkInId)) {
        slip.qrPayload = input.checkInId;
    }

    auto add = [&slip](std::string text, Size size = Size::Normal, bool center = false) {
        slip.lines.push_back(hal::SlipLine{std::move(text), size, center});
    };
    auto spacer = [&add] { add(""); };

    if (!settings.clinicName.empty()) {
        add(settings.clinicName, Size::Normal, true);
    }
    add(strings.tr("slip.title"), Size::Large, true);
    spacer();
    add(strings.tr("slip.receipt_label"), Size::Normal, true);
    add(input.receiptNumber, Size::Huge, true);
    add(strings.format("slip.datetime",
                       {{"year", std::to_string(year)},
                        {"month", std::to_string(month)},
                        {"day", std::to_string(day)},
                        {"month2", twoDigits(month)},
                        {"day2", twoDigits(day)},
                        {"weekday", strings.tr("slip.weekday." +
                                               std::to_string(local.weekday.c_encoding()))},
                        {"hour", std::to_string(hour)},
                        {"hour2", twoDigits(hour)},
                        {"minute", twoDigits(minute)}}),
        Size::Normal, true);
    spacer();

    // The name only when the result names exactly one person, and never for an ambiguous
    // result, where that person may not be the patient at the terminal. The kana stands in
    // when the record has no kanji name.
    const model::ResultOfQualificationConfirmation* who =
        input.qualification ? model::person(*input.qualification) : nullptr;
    if (who != nullptr && input.outcome != model::Outcome::Ambiguous) {
        if (const std::string name = slipName(settings.name, *who); !name.empty()) {
            add(strings.format("slip.name", {{"name", name}}), Size::Large, true);
            spacer();
        }
    }

    // Neutral words in large print: what happens next, never "invalid" in front of others.
    add(strings.tr(key(outcome, "heading")), Size::Large, true);
    spacer();
    add(strings.tr(key(outcome, "body")));
    if (input.outcome == model::Outcome::Valid) {
        add(strings.tr("slip.valid.note"));
        if (settings.eligibilitySummary && who != nullptr) {
            // For staff who take the slip: who insures the patient and the share they pay.
            spacer();
            const std::string number = printedInsurerNumber(who->insurerNumber);
            if (!who->insurerName.empty() || !number.empty()) {
                add(strings.format(who->insurerName.empty() ? "slip.summary.insurer_number"
                                                            : "slip.summary.insurer",
                                   {{"name", who->insurerName}, {"number", number}}));
            }
            const model::CopayRatio copay = model::copayRatio(*who, date);
            if (copay.percent > 0) {
                add(strings.format("slip.summary.copay",
                                   {{"ratio", std::to_string(copay.percent / 10)},
                                    {"percent", std::to_string(copay.percent)}}));
            } else {
                add(strings.tr("slip.summary.copay_unknown"));
            }
        }
    } else {
        // The next steps, in plain words: where to go, what happens there, what to show
        // instead (docs/slip.md).
        spacer();
        add(strings.tr("slip.next.heading"));
        add(strings.format("slip.next.go", {{"window", settings.window.empty()
                                                           ? strings.tr("slip.next.window")
                                                           : settings.window}}));
        add(strings.tr(key(outcome, "next")));
        spacer();
        add(strings.tr("slip.bring.intro"));
        add(strings.tr("slip.bring.notice"));
        add(strings.tr("slip.bring.portal"));
        add(strings.tr("slip.bring.certificate"));
        if (input.problem == model::Problem::ServiceUnreachable) {
            // The outage rule (docs/slip.md): without any of these, the patient fills
            // in a 被保険者資格申立書 at the desk.
            add(strings.tr("slip.bring.application"));
        }
        spacer();
        add(strings.tr("slip.ask_desk"));
        if (input.outcome == model::Outcome::Lost || input.outcome == model::Outcome::NotFound) {
            // Lost or not found is often the insurer's data not having arrived yet.
            add(strings.tr("slip.ask_insurer"));
        }
    }
    // The service's supplementary warning on a valid answer (docs/slip.md), in the
    // patient's words (the code is for staff, at the desk).
    if (input.qualification) {
        if (std::string key = model::patientNoticeKey(*input.qualification, strings);
            !key.empty()) {
            spacer();
            add(strings.format("slip.service_notice", {{"notice", strings.tr(key)}}));
        }
    }
    // The card's certificate needs renewing: where and by when (docs/card.md,
    // docs/slip.md). Checked before the PIN; the check-in itself went on.
    if (input.certificateStatus == card::CertificateStatus::ExpiringSoon ||
        input.certificateStatus == card::CertificateStatus::ExpiredInGrace) {
        spacer();
        bool grace = input.certificateStatus == card::CertificateStatus::ExpiredInGrace;
        add(strings.tr(grace ? "slip.certificate.grace.heading"
                             : "slip.certificate.expiring.heading"),
            Size::Large, true);
        add(strings.tr(grace ? "slip.certificate.grace.body" : "slip.certificate.expiring.body"));
    }
    return slip;
}

} // namespace uketsuke::kiosk::runner
