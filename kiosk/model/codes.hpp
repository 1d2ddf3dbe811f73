#pragma once

// The OQS code tables (OQSCD…) of the result model (docs/protocol/eligibility.md §3.2), as
// data: each code with the term the specification uses for it. These are the domain's own
// labels (for the desk, exports and logs of codes), not screen text: screens still name
// string-table keys (codeKey()), so a translation can say it differently.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace uketsuke::kiosk::model {

enum class CodeTable {
    ReferenceClassification,       // OQSCD002
    SegmentOfResult,               // OQSCD003
    ProcessingResultStatus,        // OQSCD004
    CharacterCodeIdentifier,       // OQSCD005
    QualificationValidity,         // OQSCD006
    Sex,                           // OQSCD007 (Sex1, Sex2)
    PersonalFamilyClassification,  // OQSCD009
    InsuredCardClassification,     // OQSCD010
    LimitApplicationClassification, // OQSCD011
    LimitApplicationClassificationFlag, // OQSCD012
    SpecificDiseasesDiseaseCategory, // OQSCD013
    ReasonOfLoss,
    PreschoolClassification,
    LimitApplicationConsent,       // LimitApplicationCertificateRelatedConsFlg
    SpecificDiseasesConsent,       // SpecificDiseasesCertificateRelatedConsFlg
    ViewingConsent,                // …InfoConsFlg
    PrescriptionIssueSelect,
};

struct Code {
    std::string_view code;
    std::string_view label; // the specification's term, Japanese
};

// Every code of a table, in table order.
std::span<const Code> codes(CodeTable table);

// The label of a code; nullopt when the table does not know it (treat as "ask staff", and log
// the code: codes are not personal data).
std::optional<std::string_view> codeLabel(CodeTable table, std::string_view code);

// "OQSCD006", or the element name for tables without a number ("ReasonOfLoss").
std::string_view tableName(CodeTable table);

// A string-table key for screens and slips: "oqs.<table>.<code>", e.g.
// "oqs.reason_of_loss.03". Keys are not checked against the table.
std::string codeKey(CodeTable table, std::string_view code);

} // namespace uketsuke::kiosk::model
