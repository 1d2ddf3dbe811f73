// What is said and played on each screen, and the voice lines in the translation files: every
// file names a voice that parses, every patient screen but the idle one has a line, and no line
// has a placeholder (nothing spoken can carry a name, an insurance number or a PIN).

#include "kiosk/flow/flow.hpp"
#include "kiosk/voice/cues.hpp"
#include "kiosk/voice/synth.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk::voice;

namespace {

const kiosk::model::StringCatalog& catalog()
{
    static const auto loaded = kiosk::model::StringCatalog::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
    REQUIRE(loaded.has_value());
    return *loaded;
}

} // namespace

TEST_CASE("lineFor: the variant's line first, then the phase's, none on idle and staff screens")
{
    const auto& ja = catalog().table("ja");
    CHECK(lineFor("place_card", ja) == "voice.place_card");
    CHECK(lineFor("error:card_removed", ja) == "voice.error.card_removed");
    CHECK(lineFor("error:storage_failed", ja) == "voice.error");
    CHECK(lineFor("error:pin_locked", ja) == "voice.error.pin_locked");
    CHECK(lineFor("error:pin_forgotten", ja) == "voice.error.pin_forgotten");
    CHECK(lineFor("enter_pin:still_there", ja) == "voice.still_there");
    CHECK(lineFor("consent:still_there", ja) == "voice.still_there");
    CHECK(lineFor("consent:operation", ja) == "voice.consent");
    CHECK(lineFor("result:print_failed", ja) == "voice.result.print_failed");
    CHECK(lineFor("result:pin_locked", ja) == "voice.result");
    CHECK(lineFor("result", ja) == "voice.result");
    CHECK_FALSE(lineFor("idle", ja).has_value());
    CHECK_FALSE(lineFor("idle:printer_unavailable", ja).has_value());
    CHECK_FALSE(lineFor("staff:menu:home", ja).has_value());
    CHECK_FALSE(lineFor("staff:enter_pin", ja).has_value());
    CHECK_FALSE(lineFor("not_ready", ja).has_value());
    CHECK_FALSE(lineFor("", ja).has_value());
}

TEST_CASE("lineFor: every patient screen but idle and reading_card has a line in every language")
{
    using kiosk::flow::Phase;
    for (const auto& lang : catalog().languages()) {
        const auto& table = catalog().table(lang);
        for (Phase p : {Phase::PlaceCard, Phase::EnterPin, Phase::LastTryWarning, Phase::Checking,
                        Phase::Result, Phase::PinWrong, Phase::AskStaff, Phase::Error,
                        Phase::RemoveCard, Phase::PinOnReader, Phase::EnterInsurance,
                        Phase::Consent}) {
            INFO(lang << " " << kiosk::flow::phaseName(p));
            CHECK(lineFor(kiosk::flow::phaseName(p), table).has_value());
        }
        // reading_card is short: the card sound says it, and enter_pin's line follows.
        CHECK_FALSE(lineFor("reading_card", table).has_value());
        CHECK(table.has(kCardReminderLine));
        CHECK(table.has(kCallStaffLine));
    }
}

TEST_CASE("voice lines: every language names a voice, and no line has a placeholder or is empty")
{
    for (const auto& lang : catalog().languages()) {
        const auto& table = catalog().table(lang);
        INFO(lang);
        REQUIRE(table.has("language.voice"));
        auto spec = parseVoiceSpec(table.tr("language.voice"));
        REQUIRE(spec.has_value());
        CHECK(spec->has_value());
        const auto keys = lineKeys(table);
        CHECK(keys.size() >= 19);
        for (const auto& key : keys) {
            INFO(key);
            const std::string text = table.tr(key);
            CHECK_FALSE(text.empty());
            CHECK(text.find('{') == std::string::npos);
            CHECK(text.find('\n') == std::string::npos);
            CHECK(text.size() < 200);
        }
    }
    // Japanese is spoken with Open JTalk, the others with espeak-ng.
    CHECK(catalog().table("ja").tr("language.voice").rfind("open-jtalk:", 0) == 0);
    CHECK(catalog().table("ja-easy").tr("language.voice").rfind("open-jtalk:", 0) == 0);
    CHECK(catalog().table("en").tr("language.voice").rfind("espeak-ng:", 0) == 0);
}

TEST_CASE("earconFor: a card found, an error, the result, and nothing in between")
{
    CHECK(earconFor("place_card", "reading_card") == Earcon::CardDetected);
    CHECK(earconFor("idle", "reading_card") == Earcon::CardDetected);
    CHECK(earconFor("place_card", "enter_pin") == Earcon::CardDetected);
    CHECK(earconFor("idle", "last_try_warning") == Earcon::CardDetected);
    CHECK(earconFor("place_card", "checking") == Earcon::CardDetected);
    CHECK_FALSE(earconFor("enter_insurance", "checking").has_value());
    CHECK(earconFor("checking", "error:card_removed") == Earcon::Error);
    CHECK(earconFor("error:card_unreadable", "error:card_removed") == Earcon::Error);
    CHECK(earconFor("checking", "pin_wrong") == Earcon::Error);
    CHECK(earconFor("checking", "result") == Earcon::Done);
    CHECK(earconFor("checking", "result:pin_locked") == Earcon::Done);
    CHECK(earconFor("checking", "result:print_failed") == Earcon::Done);
    CHECK(earconFor("result", "result:print_failed") == Earcon::Error);
    CHECK_FALSE(earconFor("result", "remove_card").has_value());
    CHECK_FALSE(earconFor("reading_card", "enter_pin").has_value());
    CHECK_FALSE(earconFor("idle", "place_card").has_value());
    CHECK_FALSE(earconFor("", "idle").has_value());
    CHECK_FALSE(earconFor("error:card_removed", "error:card_removed").has_value());
}
