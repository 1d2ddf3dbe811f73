#pragma once

// The qualification result (資格確認結果), shared by terminal, desk and simulator.
// It follows the OQS result structure (XmlMsg/MessageHeader, MessageBody,
// ResultOfQualificationConfirmation; docs/protocol/eligibility.md §3) with the element
// names kept, so the XML of the 資格確認端末 (oqs_xml.hpp) and our JSON protocol (json.hpp)
// map onto one model. Codes and numbers are text, so leading zeros and the space-padded insurer
// numbers survive. The code tables are in codes.hpp, the values reception derives from a result
// (copay ratio, insurer number, kana, 記号・番号) in derived.hpp.
//
// Every member is named after its OQS element (camelCase); the element order of each struct is
// the order of the OQS layout (別紙3-1, as far as public code shows it), which is also the
// order the XML writer uses. An empty string means "element absent".
//
// Personal data: names, birth date, address and insurance numbers live here. These types have
// no operator<<, so none of it can reach a log line; the names are PatientName, which also
// refuses to be streamed on its own.

#include "base/personal.hpp"
#include "kiosk/model/strings.hpp"
#include "kiosk/model/wire_enum.hpp"

#include <optional>
#include <string>
#include <vector>

namespace uketsuke::kiosk::model {

// OQSCD006 資格有効性
enum class Validity {
    Valid = 1,
    Invalid = 2,
    InvalidNewQualification = 3,
    NotFound = 4,
    Ambiguous = 5,
};

// An element the model does not know (new OQS elements appear: QualificationConfirmationKey
// did). Readers keep it, with its children, so that a result written back out loses nothing;
// they log its name, never its value.
struct OtherElement {
    std::string name;
    std::string text; // the text of a leaf element
    std::vector<OtherElement> children;
};

// Unknown elements are kept at most this many levels below the first one. Both readers (the
// OQS XML and the JSON of the gateway and the desk) refuse deeper ones, counting elements the
// same way (a JSON array of repeated elements is not a level): what one writes, the other reads.
inline constexpr int kMaxOtherDepth = 16;

struct MessageHeader {
    std::string processExecutionTime;          // YYYYMMDDhhmmss
    std::string qualificationConfirmationDate; // YYYYMMDD, the 施術日
    std::string medicalInstitutionCode;        // 10 digits
    std::string arbitraryFileIdentifier;       // echoed back
    std::string referenceClassification;       // OQSCD002: 1 マイナンバーカード, 2 被保険者証情報
    std::string segmentOfResult;               // OQSCD003: 1 正常終了, 2 処理中, 9 異常終了
    std::string errorCode;
    std::string errorMessage;
    std::string characterCodeIdentifier; // OQSCD005: 0 UTF-8, 1 Shift_JIS
    // Bulk (一括照会) answers only.
    std::string receptionNumber;
    std::string numberOfProcessingResult;
    std::string numberOfNormalProcessing;
    std::string numberOfError;
    std::vector<OtherElement> otherElements;
};

// 限度額適用認定証関連情報
struct LimitApplicationCertificateRelatedInfo {
    std::string limitApplicationCertificateClassification;     // OQSCD011: 01, 02, 03
    std::string limitApplicationCertificateClassificationFlag; // OQSCD012: A01-A06, B01-B10
    std::string limitApplicationCertificateDate;               // 交付年月日
    std::string limitApplicationCertificateValidStartDate;
    std::string limitApplicationCertificateValidEndDate;
    std::string limitApplicationCertificateLongTermDate; // 長期入院該当年月日
    std::vector<OtherElement> otherElements;
};

// 特定疾病療養受療証情報
struct SpecificDiseasesCertificateInfo {
    std::string specificDiseasesDiseaseCategory; // OQSCD013: 1, 2, 3
    std::string specificDiseasesCertificateDate;
    std::string specificDiseasesValidStartDate;
    std::string specificDiseasesValidEndDate;
    std::string specificDiseasesSelfPay; // monthly cap, yen
    std::vector<OtherElement> otherElements;
};

// 医療扶助 医療券・調剤券情報 (PublicExpenseResultList/MedicalTicketInfo; element names from
// public code, unconfirmed against the specification).
struct MedicalTicketInfo {
    std::string ticketType; // 医療券・調剤券別
    std::string medicalTicketValidDate;
    std::string medicalTicketExpirationDate;
    std::string issueNumber;           // 交付番号
    std::string medicalTreatmentMonth; // 診療年月
    std::string designatedMedicalInstitutionCode;
    std::string designatedMedicalInstitutionFlag;
    std::string designatedMedicalInstitutionName;
    std::string prescriptionIssuerMedicalInstitutionCode;
    std::string prescriptionIssuerMedicalInstitutionName;
    std::string injuryName1;
    std::string injuryName2;
    std::string injuryName3;
    std::string medicalTreatmentType; // 診療別
    std::string selfPayAmount;        // 本人支払額
    std::string districtContactName;
    std::string handlingContactName;
    std::string singleOrCombinedUse; // 単独・併用別
    std::string statusOfSocialInsurance;
    std::string consistencyFlag;
    std::string statusOfInfection; // element StatusOfInfecton (sic)
    std::string statusOfElderlyMedicalCare;
    std::string statusOfPrefecturalExpenses;
    std::string remarks1;
    std::string remarks2;
    std::string remarks3;
    std::vector<OtherElement> otherElements;
};

// A viewing consent given at the reader: <Prefix>ConsFlg, <Prefix>ConsTime,
// <Prefix>AvailableTime. flag "1" comes with both times (available = consent + 24 h), "0"
// with none.
struct ViewingConsent {
    std::string consFlg;
    std::string consTime;      // YYYYMMDDhhmmss
    std::string availableTime; // YYYYMMDDhhmmss
};

struct ResultOfQualificationConfirmation {
    std::string insuredCardClassification; // OQSCD010
    std::string insurerNumber;             // 8 characters; 国保 6 digits space-padded
    std::string insuredCardSymbol;         // 記号 (may be empty, e.g. 後期高齢者)
    std::string insuredIdentificationNumber; // 番号
    std::string insuredBranchNumber;         // 枝番, 2 digits
    std::string personalFamilyClassification; // OQSCD009: 1 本人, 2 家族
    // Names are PatientName (base/personal.hpp): they cannot be streamed into a log line, and
    // the screen, the slip and the desk ask for them with reveal().
    PatientName insuredName; // 被保険者（世帯主）氏名, not the patient
    PatientName name;
    PatientName nameOfOther; // 通称
    PatientName nameKana;    // half-width katakana as OQS sends it (derived.hpp: fullWidthKana)
    PatientName nameOfOtherKana;
    std::string sex1; // OQSCD007, as on the card face
    std::string sex2; // set only under the 2012 事務連絡 or the 医療券 記載要領
    std::string birthdate; // YYYYMMDD
    std::string address;
    std::string postNumber;
    std::string qualificationDate;
    std::string disqualificationDate;
    std::string insuredCertificateIssuanceDate;
    std::string insuredCardValidDate;
    std::string insuredCardExpirationDate;
    std::string insuredPartialContributionRatio; // 後期高齢者: 010, 020, 030
    std::string preschoolClassification;         // 1 = 未就学, 2 = 就学中
    std::string reasonOfLoss;                    // 01, 02, 03, 99
    std::string insurerName;
    // ElderlyRecipientCertificateInfo (高齢受給者証, age 70-74): one XML element holding these
    // four; kept flat here.
    std::string elderlyRecipientCertificateDate;
    std::string elderlyRecipientValidStartDate;
    std::string elderlyRecipientValidEndDate;
    std::string elderlyRecipientContributionRatio; // 020, 030
    std::string limitApplicationCertificateRelatedConsFlg;  // 0 未同意, 1 同意
    std::string limitApplicationCertificateRelatedConsTime; // YYYYMMDDhhmmss
    LimitApplicationCertificateRelatedInfo limitApplicationCertificateRelatedInfo;
    std::string specificDiseasesCertificateRelatedConsFlg; // 0 なし, 1 あり, 2 期限切れ
    std::string specificDiseasesCertificateRelatedConsTime;
    std::vector<SpecificDiseasesCertificateInfo> specificDiseasesCertificateList;
    // 医療扶助 (生活保護): 公費負担者番号, 受給者番号, 福祉事務所名 and the tickets.
    std::string publicExpenseNumber;
    std::string beneficiaryNumber;
    std::string welfareOfficeName;
    std::vector<MedicalTicketInfo> publicExpenseResultList;
    ViewingConsent specificHealthCheckupsInfo; // 特定健診情報
    ViewingConsent pharmacistsInfo;            // 薬剤情報 (canonical over PharmaceuticalInfo…)
    ViewingConsent diagnosisInfo;              // 診療情報
    ViewingConsent operationInfo;              // 手術情報
    std::string arbitraryIdentifier;           // free item per facility
    std::string referenceNumber;               // 照会番号: the clinic's own patient id
    std::string qualificationConfirmationKey;  // seen in 2026 face files; meaning unconfirmed
    std::vector<OtherElement> otherElements;
};

// 資格確認照会用情報: the search key of a lookup by 被保険者証情報 (request body, echoed in the
// answer's MessageBody).
struct QualificationConfirmSearchInfo {
    std::string insurerNumber;
    std::string insuredCardSymbol;
    std::string insuredIdentificationNumber;
    std::string insuredBranchNumber;
    std::string birthdate;
    std::string limitApplicationCertificateRelatedConsFlg; // 0 未同意, 1 同意
    std::string arbitraryIdentifier;
    std::vector<OtherElement> otherElements;
};

struct MessageBody {
    std::string processingResultStatus; // OQSCD004: 1 正常終了, 2 エラー
    std::string processingResultCode;   // on success only a supplementary warning
    std::string processingResultMessage;
    std::string qualificationValidity; // OQSCD006 as text ("1".."5")
    std::string prescriptionIssueSelect; // 1 電子処方箋, 2 紙の処方箋
    QualificationConfirmSearchInfo qualificationConfirmSearchInfo; // echo; empty when absent
    std::vector<ResultOfQualificationConfirmation> resultList;
    std::vector<OtherElement> otherElements;
};

struct QualificationResult {
    MessageHeader header;
    MessageBody body;
};

// A lookup by 被保険者証情報 (`OQSsiquc01req_…`): the header carries
// QualificationConfirmationDate, MedicalInstitutionCode and ArbitraryFileIdentifier.
struct QualificationRequest {
    MessageHeader header;
    QualificationConfirmSearchInfo searchInfo;
};

// What the terminal and the desk do with a result (docs/protocol/eligibility.md §3.2).
enum class Outcome {
    Valid,     // all four conditions hold
    Pending,   // SegmentOfResult 2: not answered yet
    Lost,      // validity 2 or 3 (with ReasonOfLoss)
    NotFound,  // validity 4
    Ambiguous, // validity 5 or more than one record
    Error,     // SegmentOfResult 9 or ProcessingResultStatus 2, or anything unrecognised
    // Eligibility was not determined: the check-in was made without an answer (PIN locked,
    // certificate expired or revoked, the service unreachable...). Never from outcomeOf(): the
    // flow sets it, and model::CheckIn::problem says why.
    Unconfirmed,
};

// The validity rule: SegmentOfResult = 1, ProcessingResultStatus = 1,
// QualificationValidity = 1 and exactly one ResultOfQualificationConfirmation.
// A normal answer with more than one record is Ambiguous: never pick the first.
Outcome outcomeOf(const QualificationResult& result);

// The names of outcomes at the edge (JSON, the desk's SQL and page, logs; wire_enum.hpp):
// "valid", "pending", "lost", "not_found", "ambiguous", "error", "unconfirmed".
template <>
std::span<const WireName<Outcome>> wireNames<Outcome>();

// The one person of a passing (or lost) result; nullptr when there is not exactly one.
const ResultOfQualificationConfirmation* person(const QualificationResult& result);

// The supplementary warning a passing answer may carry (ProcessingResultCode set on success,
// docs/protocol/eligibility.md §3.2: e.g. the card expires within 3 months): "CODE message",
// or the one that is set. Empty for other outcomes (their codes are errors, for the desk) or
// when none is set.
std::string serviceNotice(const QualificationResult& result);

// The string-table key of the patient's words for that warning: "notice.<code>" when `strings`
// has it ("notice.UKW0001"), else "notice.other"; empty when there is none. The screen and the
// slip show these words in the patient's language; the code and the service's own (Japanese)
// message are for staff only (serviceNotice(), the desk).
std::string patientNoticeKey(const QualificationResult& result, const StringTable& strings);

// True when the result holds for `date` (YYYYMMDD): a 施術所 must check on the 施術日, so a
// valid result for another day is not a valid result for today. False when the result carries
// no QualificationConfirmationDate.
bool confirmsDate(const QualificationResult& result, const std::string& date);

} // namespace uketsuke::kiosk::model
