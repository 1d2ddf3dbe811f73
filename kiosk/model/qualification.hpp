#pragma once

// The qualification result (資格確認結果), shared by terminal, desk and simulator.
// It follows the OQS result structure (XmlMsg/MessageHeader, MessageBody,
// ResultOfQualificationConfirmation; ../shared/domain/eligibility.md §2) with the element
// names kept, so the XML of the 資格確認端末 and our JSON protocol map onto one model.
// Codes and numbers are text, so leading zeros and the space-padded insurer numbers survive.
//
// Personal data: names, birth date and insurance numbers live here. This type has no
// operator<<, so none of it can reach a log line.

#include <optional>
#include <string>
#include <vector>

namespace uketsuke::kiosk::model {

// OQSCD006 資格有効性
enum class Validity { Valid = 1, Invalid = 2, InvalidNewQualification = 3, NotFound = 4, Ambiguous = 5 };

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
};

struct ResultOfQualificationConfirmation {
    std::string insuredCardClassification; // OQSCD010
    std::string insurerNumber;             // 8 characters; 国保 6 digits space-padded
    std::string insurerName;
    std::string insuredCardSymbol; // 記号 (may be empty)
    std::string insuredIdentificationNumber; // 番号
    std::string insuredBranchNumber;         // 枝番
    std::string personalFamilyClassification; // OQSCD009: 1 本人, 2 家族
    std::string insuredName;                   // 被保険者（世帯主）氏名, not the patient
    std::string name;
    std::string nameKana; // half-width katakana as OQS sends it
    std::string sex1;     // OQSCD007
    std::string birthdate; // YYYYMMDD
    std::string qualificationDate;
    std::string disqualificationDate;
    std::string insuredCardValidDate;
    std::string insuredCardExpirationDate;
    std::string insuredPartialContributionRatio; // 後期高齢者: 010, 020, 030
    std::string preschoolClassification;         // 1 = 未就学
    std::string reasonOfLoss;                    // 01, 02, 03, 99
    std::string elderlyRecipientContributionRatio; // 70-74: 020, 030
    std::string elderlyRecipientValidStartDate;
    std::string elderlyRecipientValidEndDate;
};

struct MessageBody {
    std::string processingResultStatus; // OQSCD004: 1 正常終了, 2 エラー
    std::string processingResultCode;   // on success only a supplementary warning
    std::string processingResultMessage;
    std::string qualificationValidity; // OQSCD006 as text ("1".."5")
    std::vector<ResultOfQualificationConfirmation> resultList;
};

struct QualificationResult {
    MessageHeader header;
    MessageBody body;
};

// What the terminal and the desk do with a result (eligibility.md §2.5).
enum class Outcome {
    Valid,     // all four conditions hold
    Pending,   // SegmentOfResult 2: not answered yet
    Lost,      // validity 2 or 3 (with ReasonOfLoss)
    NotFound,  // validity 4
    Ambiguous, // validity 5 or more than one record
    Error,     // SegmentOfResult 9 or ProcessingResultStatus 2, or anything unrecognised
};

// The validity rule: SegmentOfResult = 1, ProcessingResultStatus = 1,
// QualificationValidity = 1 and exactly one ResultOfQualificationConfirmation.
Outcome outcomeOf(const QualificationResult& result);

// "valid", "pending", "lost", "not_found", "ambiguous", "error" (JSON, desk, logs).
const char* outcomeName(Outcome outcome);

// The one person of a passing (or lost) result; nullptr when there is not exactly one.
const ResultOfQualificationConfirmation* person(const QualificationResult& result);

} // namespace uketsuke::kiosk::model
