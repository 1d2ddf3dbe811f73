#include "support.hpp"

#include <catch2/catch.hpp>

#include <map>

namespace uketsuke::ui::test {

using kiosk::flow::CheckStep;
using kiosk::flow::ErrorKind;
using kiosk::flow::Phase;
using kiosk::flow::State;

const kiosk::model::StringTable& table(const std::string& lang)
{
    // Loaded once per test process: the tables are read-only.
    static std::map<std::string, kiosk::model::StringTable> tables;
    auto it = tables.find(lang);
    if (it == tables.end()) {
        std::string dir = std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n";
        auto loaded = kiosk::model::StringTable::load(dir, lang);
        REQUIRE(loaded.has_value());
        it = tables.emplace(lang, std::move(*loaded)).first;
    }
    return it->second;
}

const std::vector<std::string>& languages()
{
    static const std::vector<std::string> all = [] {
        auto catalog = kiosk::model::StringCatalog::load(
            std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", "ja");
        REQUIRE(catalog.has_value());
        return catalog->languages();
    }();
    return all;
}

std::unique_ptr<Host> makeHost(int width, int height)
{
    HostOptions options;
    options.width = width;
    options.height = height;
    options.headless = true;
    auto fonts = locateFonts(hal::text::kDefaultFontPath, hal::text::kDefaultFaceIndex);
    INFO((fonts ? std::string() : fonts.error().message));
    REQUIRE(fonts.has_value());
    options.fonts = *fonts;
    for (const auto& lang : languages()) {
        options.tables.push_back(&table(lang));
    }
    auto host = Host::create(options);
    INFO((host ? std::string() : host.error().message));
    REQUIRE(host.has_value());
    return std::move(*host);
}

kiosk::model::QualificationResult qualification(const std::string& validity,
                                                const std::string& name)
{
    kiosk::model::QualificationResult q;
    q.header.segmentOfResult = "1";
    q.body.processingResultStatus = "1";
    q.body.qualificationValidity = validity;
    kiosk::model::ResultOfQualificationConfirmation person;
    person.insurerNumber = "06139999";
    person.name = PatientName(name);
    q.body.resultList.push_back(person);
    return q;
}

std::vector<NamedState> everyScreen()
{
    std::vector<NamedState> out;
    auto add = [&](std::string name, State s, std::size_t digits = 0) {
        out.push_back({std::move(name), std::move(s), digits, nullptr});
    };
    State s;
    add("idle", s);
    s.phase = Phase::PlaceCard;
    add("place_card", s);
    s.cardPresent = true;
    s.phase = Phase::ReadingCard;
    add("reading_card", s);
    s.certificate = {0x30, 0x82};
    s.phase = Phase::EnterPin;
    s.pinTriesLeft = 3;
    add("enter_pin", s, 0);
    s.pinTriesLeft = 2;
    add("enter_pin-2_left", s, 3);
    s.pinTriesLeft = 1;
    add("enter_pin-1_left", s, 4);
    s.phase = Phase::LastTryWarning;
    add("last_try_warning", s);
    s.pinTriesLeft = 3;
    s.phase = Phase::Checking;
    s.checkStep = CheckStep::Signature;
    add("checking", s);
    s.checkStep = CheckStep::Eligibility;
    add("checking-eligibility", s);
    s.checkStep = CheckStep::None;
    s.phase = Phase::Result;
    s.receiptNumber = "12";
    s.qualification = qualification("1", "受付 太郎");
    add("result", s);
    s.qualification = qualification("1", "𠮷田 髙子");
    s.printFailed = true;
    s.cardPresent = false;
    add("result-rare_kanji-print_failed", s);
    s.cardPresent = true;
    s.certificateStatus = kiosk::model::CertificateStatus::ExpiredInGrace;
    add("result-print_failed-certificate_in_grace", s);
    s.printFailed = false;
    s.certificateStatus = kiosk::model::CertificateStatus::ExpiringSoon;
    add("result-certificate_expiring", s);
    s.qualification->body.processingResultCode = "UKW0001"; // the reference gateway's code
    s.qualification->body.processingResultMessage =
        "マイナンバーカードの電子証明書の有効期限が3か月以内です";
    add("result-certificate_expiring-service_notice", s);
    s.certificateStatus = kiosk::model::CertificateStatus::Valid;
    s.cardPresent = true;
    s.qualification = qualification("4", "受付 花子");
    s.receiptNumber = "20261126-0103"; // longer than a panel can hold at full size
    add("result-not_found", s);
    s.qualification.reset();
    // Unconfirmed check-ins (nobody leaves without a number): one screen per problem.
    s.receiptNumber = "A-0104";
    s.certificateStatus = kiosk::model::CertificateStatus::Valid;
    for (const auto& [problem, name] : kiosk::model::wireNames<kiosk::model::Problem>()) {
        State u = s;
        u.problem = problem;
        u.cardPresent = problem != kiosk::model::Problem::PinLocked &&
                        problem != kiosk::model::Problem::CertificateExpired;
        add("result-" + std::string(name), u);
    }
    s.receiptNumber.clear();
    s.phase = Phase::PinWrong;
    s.pinTriesLeft = 2;
    add("pin_wrong", s);
    s.pinTriesLeft = 1;
    add("pin_wrong-1_left", s);
    s.phase = Phase::AskStaff;
    add("ask_staff", s);
    s.pinTriesLeft = 3;
    s.phase = Phase::Error;
    for (ErrorKind kind : {ErrorKind::NotMyNumberCard, ErrorKind::CardUnreadable,
                           ErrorKind::CardRemoved, ErrorKind::StorageFailed,
                           ErrorKind::PinNotEntered, ErrorKind::PinLocked,
                           ErrorKind::PinForgotten}) {
        State e = s;
        e.error = kind;
        e.cardPresent = kind != ErrorKind::CardRemoved;
        if (kind == ErrorKind::StorageFailed) {
            e.qualification = qualification("1", "受付 太郎");
        }
        add(std::string("error-") + kiosk::flow::errorKindName(kind), e);
    }
    State removed;
    removed.phase = Phase::RemoveCard;
    removed.cardPresent = true;
    add("remove_card", removed);

    // Secure PIN entry on the reader's own pad, and a reader that is away.
    State pad;
    pad.phase = Phase::PinOnReader;
    pad.cardPresent = true;
    pad.readerPinPad = true;
    pad.pinTriesLeft = 3;
    add("pin_on_reader", pad);
    pad.pinTriesLeft = 2;
    add("pin_on_reader-2_left", pad);
    State noReader;
    noReader.readerAvailable = false;
    add("idle-no_reader", noReader);
    noReader.phase = Phase::PlaceCard;
    add("place_card-no_reader", noReader);

    // The printer: unavailable at idle (with and without the reader), a slip on its way.
    State noPrinter;
    noPrinter.printerAvailable = false;
    add("idle-printer_unavailable", noPrinter);
    noPrinter.readerAvailable = false;
    add("idle-no_reader-printer_unavailable", noPrinter);
    // Closed: by staff, and outside the opening hours (with when it opens).
    State closedByStaff;
    closedByStaff.outOfService = true;
    add("idle-out_of_service", closedByStaff);
    State closedHours;
    closedHours.closedHours = true;
    uketsuke::time::LocalTime opens;
    opens.date = std::chrono::year{2026} / 12 / 7;
    opens.time = std::chrono::hh_mm_ss<std::chrono::seconds>(std::chrono::hours(8) +
                                                             std::chrono::minutes(30));
    opens.weekday = std::chrono::weekday(std::chrono::sys_days(opens.date));
    closedHours.opensAt = opens;
    add("idle-closed", closedHours);
    State printing;
    printing.phase = Phase::Result;
    printing.receiptNumber = "0031";
    printing.qualification = qualification("1", "受付 太郎");
    printing.printing = true;
    printing.cardPresent = true;
    add("result-printing", printing);

    // The insurance card path (資格確認書).
    State idle;
    idle.canLookUpInsuranceCard = true;
    add("idle-insurance_card", idle);
    idle.canUseMyNumberCard = false;
    add("idle-insurance_only", idle);
    State form;
    form.canLookUpInsuranceCard = true;
    form.route = kiosk::flow::Route::InsuranceCard;
    form.phase = Phase::EnterInsurance;
    using kiosk::runner::Era;
    using kiosk::runner::InsuranceField;
    auto addForm = [&](std::string name, auto fill) {
        auto entry = std::make_shared<kiosk::runner::InsuranceEntry>();
        fill(*entry);
        out.push_back({std::move(name), form, 0, entry});
    };
    auto type = [](kiosk::runner::InsuranceEntry& e, InsuranceField field, const char* digits) {
        e.select(field);
        for (const char* d = digits; *d; ++d) {
            e.press(*d);
        }
    };
    addForm("enter_insurance-empty", [](kiosk::runner::InsuranceEntry&) {});
    addForm("enter_insurance-typing", [&](kiosk::runner::InsuranceEntry& e) {
        type(e, InsuranceField::InsurerNumber, "1234567"); // one short: amber when left
        type(e, InsuranceField::Symbol, "12345678901234567890"); // longer than its box
        type(e, InsuranceField::Number, "345");
    });
    addForm("enter_insurance-era", [&](kiosk::runner::InsuranceEntry& e) {
        type(e, InsuranceField::InsurerNumber, "06139999");
        e.select(InsuranceField::Era);
    });
    addForm("enter_insurance-era_year", [&](kiosk::runner::InsuranceEntry& e) {
        type(e, InsuranceField::InsurerNumber, "06139999");
        e.setEra(Era::Heisei);
        e.press('3');
    });
    addForm("enter_insurance-complete", [&](kiosk::runner::InsuranceEntry& e) {
        type(e, InsuranceField::InsurerNumber, "06139999");
        type(e, InsuranceField::Symbol, "12");
        type(e, InsuranceField::Number, "345");
        type(e, InsuranceField::Branch, "01");
        type(e, InsuranceField::BirthYear, "1980");
        type(e, InsuranceField::BirthMonth, "12");
        type(e, InsuranceField::BirthDay, "31");
    });
    State lookup = form;
    lookup.phase = Phase::Checking;
    lookup.checkStep = CheckStep::Lookup;
    add("checking-lookup", lookup);
    State failed = form;
    failed.phase = Phase::Error;
    for (ErrorKind kind : {ErrorKind::LookupFailed, ErrorKind::InsuranceEntryRejected,
                           ErrorKind::InsuranceNotFound}) {
        failed.error = kind;
        add(std::string("error-") + kiosk::flow::errorKindName(kind), failed);
    }
    // The consent questions after the PIN, each topic, the first of several and the last.
    State consent;
    consent.phase = Phase::Consent;
    consent.cardPresent = true;
    for (const auto& topic : kiosk::model::wireNames<kiosk::model::ConsentTopic>()) {
        consent.consentTopics = {topic.value};
        add("consent-" + std::string(topic.name), consent);
    }
    consent.consentTopics = {kiosk::model::ConsentTopic::DiagnosisPharmacists,
                             kiosk::model::ConsentTopic::SpecificHealthCheckups,
                             kiosk::model::ConsentTopic::Operation};
    add("consent-first_of_3", consent);
    consent.consent = {{kiosk::model::ConsentTopic::DiagnosisPharmacists, true},
                       {kiosk::model::ConsentTopic::SpecificHealthCheckups, false}};
    add("consent-last_of_3", consent);
    // "Need more time?" over each screen where the patient types.
    State still = consent;
    still.stillThere = true;
    add("consent-still_there", still);
    still.phase = Phase::EnterPin;
    add("enter_pin-still_there", still, 2);
    {
        State stillForm = form;
        stillForm.stillThere = true;
        auto entry = std::make_shared<kiosk::runner::InsuranceEntry>();
        out.push_back({"enter_insurance-still_there", stillForm, 0, entry});
    }
    State unsupported;
    unsupported.canUseMyNumberCard = false;
    unsupported.canLookUpInsuranceCard = true;
    unsupported.cardPresent = true;
    unsupported.phase = Phase::Error;
    unsupported.error = ErrorKind::MyNumberCardUnsupported;
    add("error-my_number_card_unsupported", unsupported);
    return out;
}

} // namespace uketsuke::ui::test
