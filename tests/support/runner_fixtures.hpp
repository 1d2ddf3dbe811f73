#pragma once

// Data the runner tests share: a passing answer and the Japanese string table.

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
    r.body.resultList.back().name = "受付 太郎";
    return r;
}

inline kiosk::model::StringTable japaneseStrings()
{
    auto table = kiosk::model::StringTable::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
    REQUIRE(table.has_value());
    return std::move(*table);
}

} // namespace uketsuke::test
