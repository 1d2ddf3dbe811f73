#pragma once

// Data the terminal's tests share (model, flow, runner): a passing answer and the string
// tables.

#include "kiosk/model/qualification.hpp"
#include "kiosk/model/strings.hpp"

#include <catch2/catch.hpp>

namespace uketsuke::test {

// A passing answer for one person (insurer 06139999, 受付 太郎).
inline kiosk::model::QualificationResult insuredResult()
{
    kiosk::model::QualificationResult r;
    r.header.segmentOfResult = "1";
    r.body.processingResultStatus = "1";
    r.body.qualificationValidity = "1";
    r.body.resultList.emplace_back();
    r.body.resultList.back().insurerNumber = "06139999";
    r.body.resultList.back().name = PatientName("受付 太郎");
    return r;
}

// Every shipped language, Japanese the default (as the terminal loads them).
inline kiosk::model::StringCatalog japaneseStrings()
{
    auto catalog = kiosk::model::StringCatalog::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
    REQUIRE(catalog.has_value());
    return std::move(*catalog);
}

} // namespace uketsuke::test
