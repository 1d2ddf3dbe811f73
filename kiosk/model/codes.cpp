#include "kiosk/model/codes.hpp"

namespace uketsuke::kiosk::model {
namespace {

constexpr Code kReferenceClassification[] = {
    {"1", "マイナンバーカード"},
    {"2", "被保険者証情報"},
};
constexpr Code kSegmentOfResult[] = {
    {"1", "正常終了"},
    {"2", "処理中"},
    {"9", "異常終了"},
};
constexpr Code kProcessingResultStatus[] = {
    {"1", "正常終了"},
    {"2", "エラー"},
};
constexpr Code kCharacterCodeIdentifier[] = {
    {"0", "UTF-8"},
    {"1", "Shift_JIS"},
};
constexpr Code kQualificationValidity[] = {
    {"1", "有効"},
    {"2", "無効"},
    {"3", "無効（新しい資格あり）"},
    {"4", "該当資格なし"},
    {"5", "複数該当"},
};
constexpr Code kSex[] = {
    {"1", "男"},
    {"2", "女"},
    {"3", "未設定"},
};
constexpr Code kPersonalFamilyClassification[] = {
    {"1", "本人"},
    {"2", "家族"},
};
constexpr Code kInsuredCardClassification[] = {
    {"01", "被保険者証（一般）"},
    {"02", "被保険者証（退職）"},
    {"03", "短期被保険者証（一般）"},
    {"04", "短期被保険者証（退職）"},
    {"05", "被保険者資格証明書"},
    {"06", "特例退職被保険者証"},
    {"07", "自衛官診療証"},
    {"A1", "医療扶助"}, // from public code, unconfirmed
};
constexpr Code kLimitApplicationClassification[] = {
    {"01", "限度額適用認定証"},
    {"02", "限度額適用・標準負担額減額認定証"},
    {"03", "標準負担額減額認定証"},
};
constexpr Code kLimitApplicationClassificationFlag[] = {
    {"A01", "ア"},           {"A02", "イ"},           {"A03", "ウ"},
    {"A04", "エ"},           {"A05", "オ"},           {"A06", "オ（境）"},
    {"B01", "現役並みⅢ"},   {"B02", "現役並みⅡ"},   {"B03", "現役並みⅠ"},
    {"B04", "一般"},         {"B05", "低所得Ⅱ"},     {"B06", "低所得Ⅰ"},
    {"B07", "低所得Ⅰ（老福）"}, {"B08", "低所得Ⅰ（境）"}, {"B09", "一般Ⅱ"},
    {"B10", "一般Ⅰ"},
};
constexpr Code kSpecificDiseasesDiseaseCategory[] = {
    {"1", "人工透析を必要とする慢性腎不全"},
    {"2", "血友病"},
    {"3", "血液凝固因子製剤起因HIV"},
};
constexpr Code kReasonOfLoss[] = {
    {"01", "死亡"},
    {"02", "生活保護受給開始"},
    {"03", "医療保険等の資格取得"},
    {"99", "その他"},
};
constexpr Code kPreschoolClassification[] = {
    {"1", "未就学"},
    {"2", "就学中"},
};
constexpr Code kLimitApplicationConsent[] = {
    {"0", "未同意"},
    {"1", "同意"},
};
constexpr Code kSpecificDiseasesConsent[] = {
    {"0", "同意なし"},
    {"1", "同意あり"},
    {"2", "同意有効期限切れ"},
};
constexpr Code kViewingConsent[] = {
    {"0", "同意なし"},
    {"1", "同意あり"},
};
constexpr Code kPrescriptionIssueSelect[] = {
    {"1", "電子処方箋"},
    {"2", "紙の処方箋"},
};

struct TableEntry {
    CodeTable table;
    std::string_view name;
    std::string_view key; // snake_case, for string-table keys
    std::span<const Code> codes;
};

const TableEntry kTables[] = {
    {CodeTable::ReferenceClassification, "OQSCD002", "reference_classification",
     kReferenceClassification},
    {CodeTable::SegmentOfResult, "OQSCD003", "segment_of_result", kSegmentOfResult},
    {CodeTable::ProcessingResultStatus, "OQSCD004", "processing_result_status",
     kProcessingResultStatus},
    {CodeTable::CharacterCodeIdentifier, "OQSCD005", "character_code_identifier",
     kCharacterCodeIdentifier},
    {CodeTable::QualificationValidity, "OQSCD006", "qualification_validity",
     kQualificationValidity},
    {CodeTable::Sex, "OQSCD007", "sex", kSex},
    {CodeTable::PersonalFamilyClassification, "OQSCD009", "personal_family_classification",
     kPersonalFamilyClassification},
    {CodeTable::InsuredCardClassification, "OQSCD010", "insured_card_classification",
     kInsuredCardClassification},
    {CodeTable::LimitApplicationClassification, "OQSCD011", "limit_application_classification",
     kLimitApplicationClassification},
    {CodeTable::LimitApplicationClassificationFlag, "OQSCD012",
     "limit_application_classification_flag", kLimitApplicationClassificationFlag},
    {CodeTable::SpecificDiseasesDiseaseCategory, "OQSCD013",
     "specific_diseases_disease_category", kSpecificDiseasesDiseaseCategory},
    {CodeTable::ReasonOfLoss, "ReasonOfLoss", "reason_of_loss", kReasonOfLoss},
    {CodeTable::PreschoolClassification, "PreschoolClassification", "preschool_classification",
     kPreschoolClassification},
    {CodeTable::LimitApplicationConsent, "LimitApplicationCertificateRelatedConsFlg",
     "limit_application_consent", kLimitApplicationConsent},
    {CodeTable::SpecificDiseasesConsent, "SpecificDiseasesCertificateRelatedConsFlg",
     "specific_diseases_consent", kSpecificDiseasesConsent},
    {CodeTable::ViewingConsent, "InfoConsFlg", "viewing_consent", kViewingConsent},
    {CodeTable::PrescriptionIssueSelect, "PrescriptionIssueSelect", "prescription_issue_select",
     kPrescriptionIssueSelect},
};

const TableEntry& entry(CodeTable table)
{
    for (const auto& item : kTables) {
        if (item.table == table) {
            return item;
        }
    }
    return kTables[0]; // unreachable: every enumerator has a row (tested)
}

} // namespace

std::span<const Code> codes(CodeTable table)
{
    return entry(table).codes;
}

std::optional<std::string_view> codeLabel(CodeTable table, std::string_view code)
{
    for (const auto& item : entry(table).codes) {
        if (item.code == code) {
            return item.label;
        }
    }
    return std::nullopt;
}

std::string_view tableName(CodeTable table)
{
    return entry(table).name;
}

std::string codeKey(CodeTable table, std::string_view code)
{
    return "oqs." + std::string(entry(table).key) + "." + std::string(code);
}

} // namespace uketsuke::kiosk::model
