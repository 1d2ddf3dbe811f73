#include "kiosk/model/derived.hpp"

#include "kiosk/model/codes.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke::kiosk::model;

namespace {

ResultOfQualificationConfirmation elderly(const char* ratio, const char* start, const char* end)
{
    ResultOfQualificationConfirmation p;
    p.elderlyRecipientContributionRatio = ratio;
    p.elderlyRecipientValidStartDate = start;
    p.elderlyRecipientValidEndDate = end;
    return p;
}

} // namespace

TEST_CASE("copayRatio: 後期高齢者 ratio decides first, naming its element")
{
    ResultOfQualificationConfirmation p;
    p.insuredPartialContributionRatio = "010";
    p.elderlyRecipientContributionRatio = "030"; // ignored: step 1 wins
    p.preschoolClassification = "1";
    auto ratio = copayRatio(p, "20261126");
    CHECK(ratio.percent == 10);
    CHECK(ratio.source == CopaySource::LateElderly);
    CHECK(ratio.element == "InsuredPartialContributionRatio");

    p.insuredPartialContributionRatio = "020";
    CHECK(copayRatio(p, "20261126").percent == 20);
    p.insuredPartialContributionRatio = "030";
    CHECK(copayRatio(p, "20261126").percent == 30);
}

TEST_CASE("copayRatio: an unknown ratio code is 0 (staff check), never a guess")
{
    ResultOfQualificationConfirmation p;
    p.insuredPartialContributionRatio = "015";
    auto ratio = copayRatio(p, "20261126");
    CHECK(ratio.percent == 0);
    CHECK(ratio.source == CopaySource::LateElderly);
}

TEST_CASE("copayRatio: the 70-74 ratio counts only when valid on the 施術日")
{
    auto p = elderly("020", "20240401", "20290331");
    auto inside = copayRatio(p, "20261126");
    CHECK(inside.percent == 20);
    CHECK(inside.source == CopaySource::Elderly);
    CHECK(inside.element == "ElderlyRecipientContributionRatio");
    CHECK(copayRatio(p, "20240401").percent == 20); // first day
    CHECK(copayRatio(p, "20290331").percent == 20); // last day

    auto before = copayRatio(p, "20240331");
    CHECK(before.source == CopaySource::Default);
    CHECK(before.percent == 30);
    CHECK(copayRatio(p, "20290401").source == CopaySource::Default);

    CHECK(copayRatio(elderly("030", "", ""), "20261126").percent == 30); // open bounds
    // Without a usable 施術日 the certificate cannot be checked.
    CHECK(copayRatio(p, "").source == CopaySource::Default);
    CHECK(copayRatio(p, "2026-11-26").source == CopaySource::Default);
}

TEST_CASE("copayRatio: 未就学 is 2割, everyone else 3割")
{
    ResultOfQualificationConfirmation p;
    p.preschoolClassification = "1";
    auto preschool = copayRatio(p, "20261126");
    CHECK(preschool.percent == 20);
    CHECK(preschool.source == CopaySource::Preschool);
    CHECK(preschool.element == "PreschoolClassification");

    p.preschoolClassification = "2"; // 就学中
    auto adult = copayRatio(p, "20261126");
    CHECK(adult.percent == 30);
    CHECK(adult.source == CopaySource::Default);
    CHECK(adult.element.empty());
    CHECK(std::string(copaySourceName(adult.source)) == "default");
}

TEST_CASE("normalisedInsurerNumber: 6-digit 国保 numbers are space-padded to 8")
{
    CHECK(normalisedInsurerNumber("138999") == std::string("  138999"));
    CHECK(normalisedInsurerNumber("  138999") == std::string("  138999"));
    CHECK(normalisedInsurerNumber("00138999") == std::string("  138999"));
    CHECK(normalisedInsurerNumber("１３８９９９") == std::string("  138999"));
    CHECK(normalisedInsurerNumber("　06139999 ") == std::string("06139999"));
    CHECK(normalisedInsurerNumber("06139999") == std::string("06139999"));
    CHECK_FALSE(normalisedInsurerNumber("1389").has_value());
    CHECK_FALSE(normalisedInsurerNumber("0613999X").has_value());
    CHECK_FALSE(normalisedInsurerNumber("061 39999").has_value());
    CHECK_FALSE(normalisedInsurerNumber("").has_value());
}

TEST_CASE("sameInsurerNumber: compares trimmed and normalised")
{
    CHECK(sameInsurerNumber("  138999", "138999"));
    CHECK(sameInsurerNumber("00138999", "  138999"));
    CHECK(sameInsurerNumber("06139999", " 06139999"));
    CHECK_FALSE(sameInsurerNumber("06139999", "06139998"));
    CHECK_FALSE(sameInsurerNumber("138999", "01138999"));
    CHECK_FALSE(sameInsurerNumber("", ""));
}

TEST_CASE("fullWidthKana: half-width katakana become full width, marks combine")
{
    CHECK(fullWidthKana("ｳｹﾂｹ ﾀﾛｳ") == "ウケツケ タロウ");
    CHECK(fullWidthKana("ｾｼﾞｭﾂ ﾊﾅｺ") == "セジュツ ハナコ");
    CHECK(fullWidthKana("ｶﾞｷﾞｸﾞｹﾞｺﾞ ｻﾞｼﾞｽﾞｾﾞｿﾞ ﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞ") ==
          "ガギグゲゴ ザジズゼゾ ダヂヅデド");
    CHECK(fullWidthKana("ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ") == "バビブベボ パピプペポ");
    CHECK(fullWidthKana("ｳﾞｧｲｵﾘﾝ ﾜﾞ ｦﾞ") == "ヴァイオリン ヷ ヺ");
    CHECK(fullWidthKana("ｷｬｯﾁｰ｡｢ｱ｣､･") == "キャッチー。「ア」、・");
    // A mark with nothing to combine with stands alone.
    CHECK(fullWidthKana("ﾞｱﾟ") == "゛ア゜");
    // Everything else is copied: full-width kana, kanji beyond the BMP, ASCII.
    CHECK(fullWidthKana("𠮷田 ヨシダ abc") == "𠮷田 ヨシダ abc");
    CHECK(fullWidthKana("") == "");
}

TEST_CASE("sameNameKana: width and spacing do not matter")
{
    CHECK(sameNameKana("ｳｹﾂｹ ﾀﾛｳ", "ウケツケ　タロウ"));
    CHECK(sameNameKana("ｳｹﾂｹ  ﾀﾛｳ ", "ウケツケ タロウ"));
    CHECK_FALSE(sameNameKana("ｳｹﾂｹ ﾀﾛｳ", "ウケツケ ジロウ"));
    CHECK_FALSE(sameNameKana("ﾊﾞﾊﾞ", "ハハ"));
}

TEST_CASE("nameInitials: Hepburn initials of the kana reading, family name first")
{
    CHECK(nameInitials("ﾖｼﾀﾞ ﾀｶｺ", "𠮷田 髙子") == "Y.T.");
    CHECK(nameInitials("ｼﾝﾘｮｳ ﾀﾛｳ", "") == "S.T.");
    CHECK(nameInitials("チバ　フミコ", "千葉　文子") == "C.F.");
    CHECK(nameInitials("ｼﾞﾕｳ ﾂﾊﾞｻ", "") == "J.T.");
    CHECK(nameInitials("ぢゃ ゔぃ", "") == "J.V.");
    CHECK(nameInitials("ｶﾞﾓｳ ｵｻﾑ", "") == "G.O.");
    CHECK(nameInitials("ﾔﾏﾀﾞ", "山田") == "Y.");
}

TEST_CASE("nameInitials: Latin names without kana, and nothing rather than a wrong letter")
{
    CHECK(nameInitials("", "SMITH John") == "S.J.");
    CHECK(nameInitials("", "ＳＭＩＴＨ　ＪＯＨＮ") == "S.J.");
    // The kana does not give every part a letter: the Latin name is tried next.
    CHECK(nameInitials("ー ﾀﾛｳ", "Lee Taro") == "L.T.");
    CHECK(nameInitials("", "山田 太郎").empty());
    CHECK(nameInitials("ー", "山田").empty());
    CHECK(nameInitials("", "").empty());
}

TEST_CASE("symbolNumberLine: 記号・番号（枝番） as the 療養費 form writes it")
{
    ResultOfQualificationConfirmation p;
    p.insuredCardSymbol = "12";
    p.insuredIdentificationNumber = "345";
    p.insuredBranchNumber = "01";
    CHECK(symbolNumberLine(p) == "12・345（01）");
    CHECK(symbolNumberLine(p, " ") == "12 345（01）");
    CHECK(symbolNumberLine(p, "―") == "12―345（01）");

    p.insuredBranchNumber.clear();
    CHECK(symbolNumberLine(p) == "12・345");

    ResultOfQualificationConfirmation lateElderly; // 後期高齢者: no 記号
    lateElderly.insuredIdentificationNumber = " 12345678 ";
    CHECK(symbolNumberLine(lateElderly) == "12345678");

    ResultOfQualificationConfirmation kokuho;
    kokuho.insuredCardSymbol = "ウケ　";
    kokuho.insuredIdentificationNumber = "7001";
    kokuho.insuredBranchNumber = "02";
    CHECK(symbolNumberLine(kokuho) == "ウケ・7001（02）");
}

TEST_CASE("codeLabel: every code table answers its codes and refuses others")
{
    CHECK(codeLabel(CodeTable::QualificationValidity, "3") ==
          std::string_view("無効（新しい資格あり）"));
    CHECK(codeLabel(CodeTable::ReasonOfLoss, "03") == std::string_view("医療保険等の資格取得"));
    CHECK(codeLabel(CodeTable::LimitApplicationClassificationFlag, "B07") ==
          std::string_view("低所得Ⅰ（老福）"));
    CHECK(codeLabel(CodeTable::InsuredCardClassification, "07") ==
          std::string_view("自衛官診療証"));
    CHECK_FALSE(codeLabel(CodeTable::ReasonOfLoss, "3").has_value());
    CHECK_FALSE(codeLabel(CodeTable::Sex, "").has_value());
    CHECK(codes(CodeTable::LimitApplicationClassificationFlag).size() == 16);
    CHECK(tableName(CodeTable::QualificationValidity) == "OQSCD006");
    CHECK(codeKey(CodeTable::ReasonOfLoss, "03") == "oqs.reason_of_loss.03");
    for (auto table : {CodeTable::ReferenceClassification, CodeTable::SegmentOfResult,
                       CodeTable::ProcessingResultStatus, CodeTable::CharacterCodeIdentifier,
                       CodeTable::QualificationValidity, CodeTable::Sex,
                       CodeTable::PersonalFamilyClassification,
                       CodeTable::InsuredCardClassification,
                       CodeTable::LimitApplicationClassification,
                       CodeTable::LimitApplicationClassificationFlag,
                       CodeTable::SpecificDiseasesDiseaseCategory, CodeTable::ReasonOfLoss,
                       CodeTable::PreschoolClassification, CodeTable::LimitApplicationConsent,
                       CodeTable::SpecificDiseasesConsent, CodeTable::ViewingConsent,
                       CodeTable::PrescriptionIssueSelect}) {
        INFO(static_cast<int>(table));
        REQUIRE_FALSE(codes(table).empty());
        CHECK(codeLabel(table, codes(table).front().code).has_value());
    }
}
