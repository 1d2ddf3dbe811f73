#include "kiosk/runner/slip.hpp"

#include "base/time.hpp"

#include <chrono>
#include <string_view>

namespace uketsuke::kiosk::runner {
namespace {

using Size = hal::SlipLine::Size;

std::string twoDigits(long value)
{
    return (value < 10 ? "0" : "") + std::to_string(value);
}

// The receipt number as it may appear in a file name and in the QR code.
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

std::string key(std::string_view outcome, std::string_view part)
{
    return "slip." + std::string(outcome) + "." + std::string(part);
}

} // namespace

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
    // The string-table keys of the outcome: "slip.<name>.heading".
    const std::string_view outcome = model::wireName(input.outcome);

    hal::Slip slip;
    slip.id = date + "-" + receipt;
    // Nothing personal in the code: the desk finds the check-in by day and receipt number.
    slip.qrPayload = "UKETSUKE1:" + date + ":" + receipt;

    auto add = [&slip](std::string text, Size size = Size::Normal, bool center = false) {
        slip.lines.push_back(hal::SlipLine{std::move(text), size, center});
    };
    auto spacer = [&add] { add(""); };

    if (!input.clinicName.empty()) {
        add(input.clinicName, Size::Normal, true);
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
        const PatientName& name = who->name.empty() ? who->nameKana : who->name;
        if (!name.empty()) {
            add(strings.format("slip.name", {{"name", name.reveal()}}), Size::Large, true);
            spacer();
        }
    }

    // Neutral words in large print: what happens next, never "invalid" in front of others.
    add(strings.tr(key(outcome, "heading")), Size::Large, true);
    spacer();
    add(strings.tr(key(outcome, "body")));
    if (input.outcome == model::Outcome::Valid) {
        add(strings.tr("slip.valid.note"));
    } else {
        // What the patient can show instead (eligibility.md §5.5).
        spacer();
        add(strings.tr("slip.bring.intro"));
        add(strings.tr("slip.bring.notice"));
        add(strings.tr("slip.bring.portal"));
        add(strings.tr("slip.bring.certificate"));
        spacer();
        add(strings.tr("slip.ask_desk"));
        if (input.outcome == model::Outcome::Lost || input.outcome == model::Outcome::NotFound) {
            // Lost or not found is often the insurer's data not having arrived yet.
            add(strings.tr("slip.ask_insurer"));
        }
    }
    // The service's supplementary warning on a valid answer (eligibility.md §2.5), for staff.
    if (input.qualification) {
        if (std::string notice = model::serviceNotice(*input.qualification); !notice.empty()) {
            spacer();
            add(strings.format("slip.service_notice", {{"notice", notice}}));
        }
    }
    // The card's certificate needs renewing: where and by when (mynumber-card.md §4,
    // eligibility.md §5.4). Checked before the PIN; the check-in itself went on.
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
