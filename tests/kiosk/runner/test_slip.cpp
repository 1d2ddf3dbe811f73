#include "kiosk/runner/slip.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <regex>
#include <string>
#include <type_traits>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using uketsuke::kiosk::runner::buildSlip;
using uketsuke::kiosk::runner::SlipInput;

namespace {

const std::vector<std::string> kOutcomes = {"valid",   "lost",  "not_found",  "ambiguous",
                                            "pending", "error", "unconfirmed"};

// Every translation file, loaded once: the slip prints in each.
const model::StringCatalog& catalog()
{
    static const model::StringCatalog all = [] {
        auto loaded = model::StringCatalog::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
        REQUIRE(loaded);
        return std::move(*loaded);
    }();
    return all;
}

const model::StringTable& table(const std::string& lang)
{
    REQUIRE(catalog().has(lang));
    return catalog().table(lang);
}

const std::vector<std::string>& languages()
{
    static const std::vector<std::string> all = catalog().languages();
    return all;
}

model::ResultOfQualificationConfirmation record(const std::string& name)
{
    model::ResultOfQualificationConfirmation r;
    r.insurerNumber = "06139999";
    r.insurerName = "テスト健康保険組合";
    r.insuredCardSymbol = "4321";
    r.insuredIdentificationNumber = "87654321";
    r.insuredBranchNumber = "01";
    r.name = PatientName(name);
    r.nameKana = PatientName("ﾖｼﾀﾞ ﾀｶｺ");
    r.birthdate = "19800101";
    return r;
}

// A result of the given validity naming `people` persons.
model::QualificationResult result(const std::string& validity, int people)
{
    model::QualificationResult q;
    q.header.segmentOfResult = "1";
    q.header.qualificationConfirmationDate = "20251127";
    q.body.processingResultStatus = "1";
    q.body.qualificationValidity = validity;
    for (int i = 0; i < people; ++i) {
        q.body.resultList.push_back(record("𠮷田 髙子"));
    }
    return q;
}

// 2025-11-26 15:30 UTC is 2025-11-27 (Thursday) 00:30 in Japan.
std::chrono::system_clock::time_point when()
{
    using namespace std::chrono;
    return sys_days{year{2025} / November / 26} + hours(15) + minutes(30);
}

SlipInput input(const std::string& outcome, std::optional<model::QualificationResult> q)
{
    SlipInput in;
    in.receiptNumber = "0007";
    in.outcome = model::fromWireName<model::Outcome>(outcome).value();
    in.qualification = std::move(q);
    in.when = when();
    in.settings.clinicName = "さくら整骨院";
    in.checkInId = "3f9a0c1de2b44e6f8a7b5c4d3e2f1a0b";
    return in;
}

std::optional<model::QualificationResult> resultFor(const std::string& outcome)
{
    if (outcome == "valid") {
        return result("1", 1);
    }
    if (outcome == "lost") {
        return result("2", 1);
    }
    if (outcome == "not_found") {
        return result("4", 0);
    }
    if (outcome == "ambiguous") {
        return result("1", 2);
    }
    return std::nullopt;
}

std::string allText(const hal::Slip& slip)
{
    std::string text;
    for (const auto& line : slip.lines) {
        text += line.text + "\n";
    }
    return text;
}

// The longest run of digits, ASCII or full-width (U+FF10..U+FF19, UTF-8 EF BC 90..99).
int longestDigitRun(const std::string& text)
{
    int longest = 0;
    int run = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= '0' && c <= '9') {
            ++run;
            ++i;
        } else if (c == 0xEF && i + 2 < text.size() &&
                   static_cast<unsigned char>(text[i + 1]) == 0xBC &&
                   static_cast<unsigned char>(text[i + 2]) >= 0x90 &&
                   static_cast<unsigned char>(text[i + 2]) <= 0x99) {
            ++run;
            i += 3;
        } else {
            run = 0;
            ++i;
        }
        longest = std::max(longest, run);
    }
    return longest;
}

bool hasLine(const hal::Slip& slip, const std::string& text)
{
    return std::any_of(slip.lines.begin(), slip.lines.end(),
                       [&](const hal::SlipLine& line) { return line.text == text; });
}

} // namespace

TEST_CASE("buildSlip: every outcome uses only keys the string tables have", "[slip]")
{
    for (const std::string& lang : languages()) {
        for (const auto& outcome : kOutcomes) {
            INFO(lang << " " << outcome);
            const hal::Slip slip = buildSlip(table(lang), input(outcome, resultFor(outcome)));
            for (const auto& line : slip.lines) {
                INFO(line.text);
                // StringTable::tr() shows a missing key as "[key]".
                CHECK(line.text.find("[slip.") == std::string::npos);
            }
            for (const std::string part : {"heading", "body"}) {
                CHECK(table(lang).has("slip." + outcome + "." + part));
            }
        }
    }
}

TEST_CASE("buildSlip: the receipt number is printed huge and centred", "[slip]")
{
    for (const auto& outcome : kOutcomes) {
        INFO(outcome);
        const hal::Slip slip = buildSlip(table("ja"), input(outcome, resultFor(outcome)));
        auto it = std::find_if(slip.lines.begin(), slip.lines.end(),
                               [](const hal::SlipLine& line) { return line.text == "0007"; });
        REQUIRE(it != slip.lines.end());
        CHECK(it->size == hal::SlipLine::Size::Huge);
        CHECK(it->center);
        CHECK(slip.lines.front().text == "さくら整骨院");
        CHECK(hasLine(slip, "受付票"));
        CHECK(slip.id == "20251127-0007");
    }
}

TEST_CASE("buildSlip: date and time are in Japan time", "[slip]")
{
    const hal::Slip ja = buildSlip(table("ja"), input("valid", resultFor("valid")));
    CHECK(hasLine(ja, "2025年11月27日（木）0:30"));
    const hal::Slip en = buildSlip(table("en"), input("valid", resultFor("valid")));
    CHECK(hasLine(en, "2025-11-27 (Thu) 00:30"));
}

TEST_CASE("buildSlip: the QR code carries the check-in's id, nothing personal", "[slip]")
{
    for (const auto& outcome : kOutcomes) {
        INFO(outcome);
        const hal::Slip slip = buildSlip(table("ja"), input(outcome, resultFor(outcome)));
        CHECK(slip.qrPayload == "3f9a0c1de2b44e6f8a7b5c4d3e2f1a0b");
    }

    SlipInput odd = input("valid", resultFor("valid"));
    odd.receiptNumber = "A 1/2";
    const hal::Slip oddSlip = buildSlip(table("ja"), odd);
    CHECK(oddSlip.id == "20251127-A_1_2");

    // No id, or one that is not short printable ASCII: no QR code rather than a wrong one.
    for (const std::string& id : {std::string(), std::string("鍵"), std::string("a b"),
                                 std::string(65, 'a')}) {
        SlipInput in = input("valid", resultFor("valid"));
        in.checkInId = id;
        CHECK(buildSlip(table("ja"), in).qrPayload.empty());
    }
}

TEST_CASE("buildSlip: never prints insurance numbers, birth dates or long digit runs", "[slip]")
{
    for (const std::string& lang : languages()) {
        for (const auto& outcome : kOutcomes) {
            INFO(lang << " " << outcome);
            auto q = result(outcome == "lost" ? "2" : "1", 1);
            const hal::Slip slip = buildSlip(table(lang), input(outcome, q));
            const std::string text = allText(slip) + slip.qrPayload;
            for (const char* secret :
                 {"06139999", "87654321", "4321", "19800101", "テスト健康保険組合", "ﾖｼﾀﾞ"}) {
                CHECK(text.find(secret) == std::string::npos);
            }
            CHECK(longestDigitRun(allText(slip)) < 6);
        }
    }
}

TEST_CASE("buildSlip: the name appears only when the result names one person", "[slip]")
{
    const std::string nameLine = "𠮷田 髙子 様";
    CHECK(hasLine(buildSlip(table("ja"), input("valid", result("1", 1))), nameLine));
    CHECK(hasLine(buildSlip(table("ja"), input("lost", result("2", 1))), nameLine));

    // No person, several persons, or an ambiguous answer: no name at all.
    const std::vector<SlipInput> nameless = {
        input("not_found", result("4", 0)), input("ambiguous", result("1", 2)),
        input("ambiguous", result("5", 1)), input("pending", std::nullopt),
        input("error", std::nullopt)};
    for (const auto& in : nameless) {
        INFO(model::wireName(in.outcome));
        const std::string text = allText(buildSlip(table("ja"), in));
        CHECK(text.find("𠮷田") == std::string::npos);
        CHECK(text.find("様") == std::string::npos);
    }

    // A record without a kanji name prints the kana rather than nothing or ●.
    auto kanaOnly = result("1", 1);
    kanaOnly.body.resultList.front().name = PatientName();
    CHECK(hasLine(buildSlip(table("ja"), input("valid", kanaOnly)), "ﾖｼﾀﾞ ﾀｶｺ 様"));
}

TEST_CASE("buildSlip: failing outcomes say what to bring, in neutral words", "[slip]")
{
    for (const auto& outcome : kOutcomes) {
        INFO(outcome);
        const std::string ja = allText(buildSlip(table("ja"), input(outcome, resultFor(outcome))));
        const std::string en = allText(buildSlip(table("en"), input(outcome, resultFor(outcome))));
        CHECK(ja.find("無効") == std::string::npos);
        std::string lower = en;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        CHECK(lower.find("invalid") == std::string::npos);
        const bool failing = outcome != "valid";
        CHECK((ja.find("資格情報のお知らせ") != std::string::npos) == failing);
        CHECK((ja.find("マイナポータル") != std::string::npos) == failing);
        CHECK((ja.find("資格確認書") != std::string::npos) == failing);
        CHECK((ja.find("受付") != std::string::npos));
    }
    const std::string lost = allText(buildSlip(table("ja"), input("lost", resultFor("lost"))));
    CHECK(lost.find("保険者") != std::string::npos);
}

TEST_CASE("longestDigitRun (test helper): sees ASCII and full-width digits", "[slip]")
{
    CHECK(longestDigitRun("受付 0007 番") == 4);
    CHECK(longestDigitRun("１２３４５６７８９０１２") == 12);
    CHECK(longestDigitRun("12３4") == 4);
}

// An outcome the slip does not know cannot reach it: the input holds the model's enum, and every
// value of it has its words (the keys test above walks them all).
static_assert(std::is_same_v<decltype(SlipInput::outcome), model::Outcome>);

TEST_CASE("buildSlip: large print is reserved for title, number, name and heading", "[slip]")
{
    const hal::Slip slip = buildSlip(table("ja"), input("lost", resultFor("lost")));
    std::vector<std::string> large;
    for (const auto& line : slip.lines) {
        if (line.size != hal::SlipLine::Size::Normal) {
            large.push_back(line.text);
        }
    }
    CHECK(large == std::vector<std::string>{"受付票", "0007", "𠮷田 髙子 様",
                                            table("ja").tr("slip.lost.heading")});
}

TEST_CASE("buildSlip: an expiring or expired-in-grace certificate adds where to renew", "[slip]")
{
    for (const std::string& lang : languages()) {
        auto plain = buildSlip(table(lang), input("valid", resultFor("valid")));
        CHECK_FALSE(hasLine(plain, table(lang).tr("slip.certificate.expiring.heading")));

        auto soon = input("valid", resultFor("valid"));
        soon.certificateStatus = card::CertificateStatus::ExpiringSoon;
        auto slip = buildSlip(table(lang), soon);
        CHECK(hasLine(slip, table(lang).tr("slip.certificate.expiring.heading")));
        CHECK(hasLine(slip, table(lang).tr("slip.certificate.expiring.body")));

        auto grace = input("lost", resultFor("lost"));
        grace.certificateStatus = card::CertificateStatus::ExpiredInGrace;
        slip = buildSlip(table(lang), grace);
        CHECK(hasLine(slip, table(lang).tr("slip.certificate.grace.heading")));
        CHECK_FALSE(hasLine(slip, table(lang).tr("slip.certificate.expiring.heading")));
    }
}

TEST_CASE("buildSlip: a valid answer's service notice is printed in the patient's words, without "
          "its code")
{
    for (const std::string& lang : languages()) {
        INFO(lang);
        auto q = result("1", 1);
        q.body.processingResultCode = "UKW0001";
        q.body.processingResultMessage = "有効期限が近づいています";
        hal::Slip slip = buildSlip(table(lang), input("valid", q));
        CHECK(hasLine(slip, table(lang).format("slip.service_notice",
                                               {{"notice", table(lang).tr("notice.UKW0001")}})));
        // A code no file knows: a general note. Neither the code nor the service's own words.
        q.body.processingResultCode = "W0001";
        slip = buildSlip(table(lang), input("valid", q));
        CHECK(hasLine(slip, table(lang).format("slip.service_notice",
                                               {{"notice", table(lang).tr("notice.other")}})));
        CHECK(allText(slip).find("W0001") == std::string::npos);
        CHECK(allText(slip).find("有効期限が近づいています") == std::string::npos);
    }

    const hal::Slip plain = buildSlip(table("ja"), input("valid", result("1", 1)));
    for (const auto& line : plain.lines) {
        CHECK(line.text.find("お知らせ") == std::string::npos);
    }
}

TEST_CASE("buildSlip: slip.name prints the full name, initials or no name", "[slip]")
{
    for (const std::string& lang : languages()) {
        INFO(lang);
        SlipInput in = input("valid", resultFor("valid"));
        in.settings.name = runner::SlipName::Initials;
        hal::Slip slip = buildSlip(table(lang), in);
        CHECK(hasLine(slip, table(lang).format("slip.name", {{"name", "Y.T."}})));
        CHECK(allText(slip).find("𠮷田") == std::string::npos);

        in.settings.name = runner::SlipName::None;
        slip = buildSlip(table(lang), in);
        CHECK(allText(slip).find("𠮷田") == std::string::npos);
        CHECK(allText(slip).find("Y.T.") == std::string::npos);
        CHECK(allText(slip).find("様") == std::string::npos);
    }
    // An ambiguous answer names nobody, whatever the setting.
    SlipInput ambiguous = input("ambiguous", resultFor("ambiguous"));
    ambiguous.settings.name = runner::SlipName::Initials;
    CHECK(allText(buildSlip(table("ja"), ambiguous)).find("Y.T.") == std::string::npos);

    CHECK(runner::slipNameFromString("full") == runner::SlipName::Full);
    CHECK(runner::slipNameFromString("initials") == runner::SlipName::Initials);
    CHECK(runner::slipNameFromString("none") == runner::SlipName::None);
    CHECK_FALSE(runner::slipNameFromString("kana").has_value());
}

TEST_CASE("buildSlip: the eligibility summary names the insurer and the copay, when asked",
          "[slip]")
{
    SlipInput in = input("valid", resultFor("valid"));
    in.settings.eligibilitySummary = true;
    hal::Slip slip = buildSlip(table("ja"), in);
    CHECK(hasLine(slip, "保険者：テスト健康保険組合（06139999）"));
    CHECK(hasLine(slip, "負担割合：3割"));
    CHECK(hasLine(buildSlip(table("en"), in), "Copayment: 30%"));
    // Still never the patient's own numbers or birth date.
    for (const char* secret : {"87654321", "4321", "19800101"}) {
        CHECK(allText(slip).find(secret) == std::string::npos);
    }

    // A 後期高齢者 ratio, a 6-digit 国保 number and no insurer name.
    auto elderly = result("1", 1);
    auto& person = elderly.body.resultList.front();
    person.insuredPartialContributionRatio = "010";
    person.insurerNumber = "  138999";
    person.insurerName.clear();
    in.qualification = elderly;
    slip = buildSlip(table("ja"), in);
    CHECK(hasLine(slip, "保険者番号：138999"));
    CHECK(hasLine(slip, "負担割合：1割"));

    // A ratio code nobody knows: staff check, never a guess.
    person.insuredPartialContributionRatio = "099";
    in.qualification = elderly;
    CHECK(hasLine(buildSlip(table("ja"), in), "負担割合：受付で確認します"));

    // Only on a confirmed check-in.
    SlipInput lost = input("lost", resultFor("lost"));
    lost.settings.eligibilitySummary = true;
    CHECK(allText(buildSlip(table("ja"), lost)).find("負担割合") == std::string::npos);
}

TEST_CASE("buildSlip: every unconfirmed outcome says what to do next, where to go", "[slip]")
{
    for (const std::string& lang : languages()) {
        for (const auto& outcome : kOutcomes) {
            INFO(lang << " " << outcome);
            SlipInput in = input(outcome, resultFor(outcome));
            const hal::Slip slip = buildSlip(table(lang), in);
            const bool failing = outcome != "valid";
            CHECK(hasLine(slip, table(lang).tr("slip.next.heading")) == failing);
            CHECK(hasLine(slip, table(lang).format(
                                    "slip.next.go",
                                    {{"window", table(lang).tr("slip.next.window")}})) == failing);
            if (failing) {
                CHECK(table(lang).has("slip." + outcome + ".next"));
                CHECK(hasLine(slip, table(lang).tr("slip." + outcome + ".next")));
            }
            // The clinic's own window name replaces the generic desk.
            in.settings.window = "2番窓口";
            const std::string text = allText(buildSlip(table(lang), in));
            CHECK((text.find("2番窓口") != std::string::npos) == failing);
        }
    }
}

TEST_CASE("buildSlip: every problem of an unconfirmed check-in has its words and next steps",
          "[slip]")
{
    for (const std::string& lang : languages()) {
        for (const auto& [problem, name] : model::wireNames<model::Problem>()) {
            INFO(lang << " " << name);
            SlipInput in = input("unconfirmed", std::nullopt);
            in.problem = problem;
            in.receiptNumber = "A-0012";
            const hal::Slip slip = buildSlip(table(lang), in);
            const std::string prefix = "slip.problem." + std::string(name);
            for (const std::string part : {"heading", "body", "next"}) {
                CHECK(table(lang).has(prefix + "." + part));
                CHECK(hasLine(slip, table(lang).tr(prefix + "." + part)));
            }
            const std::string text = allText(slip);
            CHECK(text.find("[slip.") == std::string::npos);
            CHECK(hasLine(slip, "A-0012"));
            CHECK(hasLine(slip, table(lang).tr("slip.next.heading")));
            CHECK(hasLine(slip, table(lang).tr("slip.bring.notice")));
            // The outage rule: without any of the papers, the 申立書 at the desk.
            CHECK(hasLine(slip, table(lang).tr("slip.bring.application")) ==
                  (problem == model::Problem::ServiceUnreachable));
            CHECK(slip.qrPayload == in.checkInId);
            if (lang == "ja") {
                CHECK(text.find("無効") == std::string::npos);
            }
        }
    }
    const std::string outage = [] {
        SlipInput in = input("unconfirmed", std::nullopt);
        in.problem = model::Problem::ServiceUnreachable;
        return allText(buildSlip(table("ja"), in));
    }();
    for (const char* paper : {"資格確認書", "資格情報のお知らせ", "マイナポータル", "被保険者資格申立書"}) {
        CHECK(outage.find(paper) != std::string::npos);
    }
    // An unconfirmed outcome without a problem still reads (the generic words).
    CHECK(allText(buildSlip(table("ja"), input("unconfirmed", std::nullopt))).find("[slip.") ==
          std::string::npos);
}

TEST_CASE("buildSlip: every language file has every slip key Japanese has", "[slip]")
{
    auto catalog = model::StringCatalog::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
    REQUIRE(catalog);
    REQUIRE(catalog->languages().size() >= 2);
    for (const auto& lang : catalog->languages()) {
        for (const auto& k : catalog->defaultTable().keys()) {
            if (k.rfind("slip.", 0) == 0) {
                INFO(lang << " " << k);
                CHECK(catalog->table(lang).has(k));
            }
        }
    }
}
