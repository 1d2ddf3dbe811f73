#pragma once

// Representative slips as the terminal builds them (buildSlip from the string tables): every
// outcome, the certificate warnings, long and uncommon names, initials and the eligibility
// summary, for the golden byte streams and the prints through the ESC/POS simulator.

#include "kiosk/model/wire_enum.hpp"
#include "kiosk/runner/slip.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace uketsuke::tests {

// The check-in id the QR code must carry (an idempotency key as the terminal makes them).
inline const std::string kSampleCheckInId = "3f9a0c1de2b44e6f8a7b5c4d3e2f1a0b";

inline const kiosk::model::StringTable& sampleTable(const std::string& lang)
{
    static const kiosk::model::StringCatalog catalog = [] {
        auto loaded = kiosk::model::StringCatalog::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
        REQUIRE(loaded);
        return std::move(*loaded);
    }();
    return catalog.table(lang);
}

struct SlipSample {
    std::string name; // file-name-safe: the golden's name
    std::string lang = "ja";
    kiosk::runner::SlipInput input;
    int width = 576;
};

inline kiosk::model::QualificationResult sampleResult(const std::string& validity, int people,
                                                      const std::string& name)
{
    kiosk::model::QualificationResult q;
    q.header.segmentOfResult = "1";
    q.header.qualificationConfirmationDate = "20261204";
    q.body.processingResultStatus = "1";
    q.body.qualificationValidity = validity;
    for (int i = 0; i < people; ++i) {
        kiosk::model::ResultOfQualificationConfirmation r;
        r.insurerNumber = "06139999";
        r.insurerName = "テスト健康保険組合";
        r.insuredCardSymbol = "4321";
        r.insuredIdentificationNumber = "87654321";
        r.insuredBranchNumber = "01";
        r.name = PatientName(name);
        r.nameKana = PatientName("ﾔﾏﾀﾞ ﾀﾛｳ");
        r.birthdate = "19800101";
        q.body.resultList.push_back(r);
    }
    return q;
}

inline SlipSample slipSample(std::string name, const std::string& outcome, int width = 576,
                             const std::string& patient = "山田 太郎")
{
    SlipSample s;
    s.name = std::move(name);
    s.width = width;
    auto& in = s.input;
    in.receiptNumber = "0007";
    in.outcome = kiosk::model::fromWireName<kiosk::model::Outcome>(outcome).value();
    if (outcome == "valid") {
        in.qualification = sampleResult("1", 1, patient);
    } else if (outcome == "lost") {
        in.qualification = sampleResult("2", 1, patient);
    } else if (outcome == "not_found") {
        in.qualification = sampleResult("4", 0, patient);
    } else if (outcome == "ambiguous") {
        in.qualification = sampleResult("1", 2, patient);
    }
    using namespace std::chrono;
    // 2026-12-04 00:30 UTC: Friday 09:30 in Japan.
    in.when = sys_days{year{2026} / December / 4} + minutes(30);
    in.settings.clinicName = "さくら整骨院";
    in.checkInId = kSampleCheckInId;
    return s;
}

inline std::vector<SlipSample> slipSamples()
{
    using kiosk::card::CertificateStatus;
    std::vector<SlipSample> samples = {
        slipSample("slip_valid_576", "valid", 576),
        slipSample("slip_valid_512", "valid", 512),
        slipSample("slip_valid_384", "valid", 384),
        slipSample("slip_lost_576", "lost"),
        slipSample("slip_lost_384", "lost", 384),
        slipSample("slip_not_found_576", "not_found"),
        slipSample("slip_ambiguous_576", "ambiguous"),
        slipSample("slip_pending_576", "pending"),
        slipSample("slip_error_576", "error"),
        slipSample("slip_certificate_expiring_576", "valid"),
        slipSample("slip_certificate_grace_576", "lost"),
        slipSample("slip_long_name_576", "valid", 576,
                   "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末"),
        slipSample("slip_long_name_384", "lost", 384,
                   "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末"),
        slipSample("slip_uncommon_kanji_576", "valid", 576, "髙﨑 ㈱①商店"),
        slipSample("slip_outside_cp932_576", "valid", 576, "𠮷田 太郎"),
        slipSample("slip_initials_summary_576", "valid"),
        slipSample("slip_en_not_found_576", "not_found"),
        // Unconfirmed check-ins: nobody leaves without a number.
        slipSample("slip_unconfirmed_pin_locked_576", "unconfirmed"),
        slipSample("slip_unconfirmed_pin_forgotten_576", "unconfirmed"),
        slipSample("slip_unconfirmed_certificate_expired_576", "unconfirmed"),
        slipSample("slip_unconfirmed_certificate_revoked_576", "unconfirmed"),
        slipSample("slip_unconfirmed_card_error_576", "unconfirmed"),
        slipSample("slip_unconfirmed_service_unreachable_576", "unconfirmed"),
        slipSample("slip_unconfirmed_service_unreachable_384", "unconfirmed", 384),
        slipSample("slip_unconfirmed_service_error_576", "unconfirmed"),
        slipSample("slip_en_unconfirmed_service_unreachable_576", "unconfirmed"),
    };
    for (SlipSample& s : samples) {
        if (s.name == "slip_certificate_expiring_576") {
            s.input.certificateStatus = CertificateStatus::ExpiringSoon;
        } else if (s.name == "slip_certificate_grace_576") {
            s.input.certificateStatus = CertificateStatus::ExpiredInGrace;
        } else if (s.name == "slip_initials_summary_576") {
            s.input.settings.name = kiosk::runner::SlipName::Initials;
            s.input.settings.eligibilitySummary = true;
            s.input.settings.window = "2番窓口";
        } else if (s.name == "slip_en_not_found_576") {
            s.lang = "en";
        }
        if (s.input.outcome == kiosk::model::Outcome::Unconfirmed) {
            // "slip_[en_]unconfirmed_<problem>_<width>"
            std::string problem = s.name.substr(s.name.find("unconfirmed_") + 12);
            problem = problem.substr(0, problem.rfind('_'));
            s.input.problem = kiosk::model::fromWireName<kiosk::model::Problem>(problem).value();
            if (s.name.rfind("slip_en_", 0) == 0) {
                s.lang = "en";
            }
        }
    }
    return samples;
}

inline hal::Slip buildSample(const SlipSample& sample)
{
    return kiosk::runner::buildSlip(sampleTable(sample.lang), sample.input);
}

} // namespace uketsuke::tests
