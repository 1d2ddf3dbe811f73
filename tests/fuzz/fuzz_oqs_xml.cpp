// Fuzz target: arbitrary bytes as an OQS XML file of the 資格確認端末 (res, face or req;
// kiosk/model/oqs_xml.hpp). The reader must refuse what it cannot use with an error, never
// crash, hang or expand entities. What it accepts is pushed through everything a result meets
// afterwards: the validity rule, the derived values, the JSON form, and writing it back as XML
// in both encodings, which must read again (our own output is always readable).

#include "base/log.hpp"
#include "kiosk/model/derived.hpp"
#include "kiosk/model/json.hpp"
#include "kiosk/model/oqs_xml.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using namespace uketsuke::kiosk::model;

void useResult(const QualificationResult& result)
{
    (void)outcomeOf(result);
    (void)confirmsDate(result, "20261126");
    for (const auto& person : result.body.resultList) {
        (void)copayRatio(person, result.header.qualificationConfirmationDate);
        (void)normalisedInsurerNumber(person.insurerNumber);
        (void)fullWidthKana(person.nameKana.reveal());
        (void)sameNameKana(person.nameKana.reveal(), person.nameOfOtherKana.reveal());
        (void)symbolNumberLine(person);
    }
    (void)toJson(result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    for (auto encoding : {XmlEncoding::Utf8, XmlEncoding::ShiftJis}) {
        auto xml = writeOqsResultXml(result, encoding);
        if (!xml) {
            std::abort(); // writing never fails
        }
        if (xml->size() < kMaxOqsXmlBytes && !parseOqsResultXml(*xml)) {
            std::abort(); // what we write, we can read
        }
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
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)declaredEncoding(bytes);
    if (auto result = parseOqsResultXml(bytes)) {
        useResult(*result);
    }
    OqsXmlReadOptions shiftJis;
    shiftJis.expectedEncoding = XmlEncoding::ShiftJis;
    (void)parseOqsResultXml(bytes, shiftJis);
    if (auto request = parseOqsRequestXml(bytes)) {
        auto xml = writeOqsRequestXml(*request, XmlEncoding::Utf8);
        if (!xml || (xml->size() < kMaxOqsXmlBytes && !parseOqsRequestXml(*xml))) {
            std::abort();
        }
    }
    return 0;
}
