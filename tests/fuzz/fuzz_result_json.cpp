// Fuzz target: arbitrary bytes as the JSON a gateway (docs/protocol/eligibility.md §3) or a
// terminal (desk ingest) sends: a qualification result or a check-in
// (kiosk/model/json.hpp), or a batch of staff audit lines (kiosk/model/staff_audit.hpp). The
// reader must refuse what it cannot use with an error naming a
// key, never crash or recurse without bound. What it accepts round-trips through JSON and is
// written as OQS XML, which must read again.

#include "base/log.hpp"
#include "kiosk/model/derived.hpp"
#include "kiosk/model/json.hpp"
#include "kiosk/model/oqs_xml.hpp"
#include "kiosk/model/staff_audit.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using namespace uketsuke::kiosk::model;
using nlohmann::json;

void useResult(const QualificationResult& result)
{
    (void)outcomeOf(result);
    if (const auto* who = person(result)) {
        (void)copayRatio(*who, "20261126");
        (void)fullWidthKana(who->nameKana.reveal());
        (void)symbolNumberLine(*who);
        (void)sameInsurerNumber(who->insurerNumber, "  138999");
    }
    const json again = toJson(result);
    if (!qualificationFromJson(again)) {
        std::abort(); // what we write, we can read
    }
    (void)again.dump(-1, ' ', false, json::error_handler_t::replace);
    auto xml = writeOqsResultXml(result, XmlEncoding::Utf8);
    if (!xml || (xml->size() < kMaxOqsXmlBytes && !parseOqsResultXml(*xml))) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    uketsuke::log::configure("*:off");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const json parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded()) {
        return 0;
    }
    // A gateway's confirm reply carries the result under "result".
    const json& candidate = parsed.is_object() && parsed.contains("result") ? parsed["result"]
                                                                           : parsed;
    if (auto result = qualificationFromJson(candidate)) {
        useResult(*result);
    }
    if (auto checkIn = checkInFromJson(parsed)) {
        (void)toJson(*checkIn).dump(-1, ' ', false, json::error_handler_t::replace);
        if (checkIn->qualification) {
            useResult(*checkIn->qualification);
        }
    }
    if (auto audit = staffAuditBatchFromJson(parsed)) {
        // What it accepts round-trips and holds only printable ASCII actions.
        auto again = staffAuditBatchFromJson(toJson(*audit));
        if (!again || !(*again == *audit)) {
            std::abort();
        }
        for (const auto& line : audit->entries) {
            if (!isValidAuditAction(line.action)) {
                std::abort();
            }
        }
    }
    return 0;
}
