// setTomlValue: one key's line changes, every other byte of the file stays.

#include "kiosk/config/settings_file.hpp"

#include <catch2/catch.hpp>

using uketsuke::Errc;
using uketsuke::kiosk::config::setTomlValue;
using uketsuke::kiosk::config::tomlString;

namespace {

const char* kFile = "# Uketsuke terminal, waiting room 2\n"
                    "language = \"ja\"   # the idle screen's language\n"
                    "receipt_prefix = 'B'\n"
                    "\n"
                    "[timeouts]\n"
                    "# patients here are slow with the card\n"
                    "place_card_s = 90\n"
                    "result_s=20 # short\n"
                    "\n"
                    "[desk]\n"
                    "url = \"https://desk.local:8444\"\n";

std::string set(std::string_view text, std::string_view key, std::string_view value)
{
    auto out = setTomlValue(text, key, value);
    REQUIRE(out);
    return *out;
}

} // namespace

TEST_CASE("setTomlValue: a key at the top keeps its comment and every other line")
{
    const std::string out = set(kFile, "language", tomlString("en"));
    std::string expected = kFile;
    expected.replace(expected.find("\"ja\""), 4, "\"en\"");
    CHECK(out == expected);
    // A literal string is replaced by the new value as written.
    CHECK(set(kFile, "receipt_prefix", tomlString("C")).find("receipt_prefix = \"C\"\n") !=
          std::string::npos);
}

TEST_CASE("setTomlValue: a key in its [table], with or without spaces and a comment")
{
    std::string out = set(kFile, "timeouts.result_s", "45");
    CHECK(out.find("result_s=45 # short\n") != std::string::npos);
    out = set(out, "timeouts.place_card_s", "60");
    CHECK(out.find("place_card_s = 60\n") != std::string::npos);
    CHECK(out.find("# patients here are slow with the card\n") != std::string::npos);
    CHECK(out.find("url = \"https://desk.local:8444\"\n") != std::string::npos);
}

TEST_CASE("setTomlValue: a missing key goes into its table, or the table is added at the end")
{
    std::string out = set(kFile, "timeouts.enter_pin_s", "40");
    CHECK(out.find("result_s=20 # short\nenter_pin_s = 40\n\n[desk]") != std::string::npos);
    out = set(kFile, "out_of_service", "true");
    CHECK(out.find("receipt_prefix = 'B'\nout_of_service = true\n") != std::string::npos);
    out = set("language = \"ja\"\n", "timeouts.result_s", "30");
    CHECK(out == "language = \"ja\"\n\n[timeouts]\nresult_s = 30\n");
    CHECK(set("", "language", "\"en\"") == "language = \"en\"\n");
}

TEST_CASE("setTomlValue: a table defined by dotted keys at the top gets another dotted key")
{
    const std::string text = "timeouts.result_s = 20\n[desk]\nurl = \"https://x\"\n";
    CHECK(set(text, "timeouts.result_s", "25") ==
          "timeouts.result_s = 25\n[desk]\nurl = \"https://x\"\n");
    CHECK(set(text, "timeouts.message_s", "15") ==
          "timeouts.result_s = 20\ntimeouts.message_s = 15\n[desk]\nurl = \"https://x\"\n");
}

TEST_CASE("setTomlValue: a key inside a multi-line string is not a key")
{
    const std::string text =
        "clinic_name = \"\"\"\nlanguage = \"fake\"\n\"\"\"\nlanguage = \"ja\"\n";
    CHECK(set(text, "language", "\"en\"") ==
          "clinic_name = \"\"\"\nlanguage = \"fake\"\n\"\"\"\nlanguage = \"en\"\n");
}

TEST_CASE("setTomlValue: a key written as an inline table or array is refused, by name")
{
    auto out = setTomlValue("timeouts = { result_s = 20 }\n", "timeouts.result_s", "30");
    // The inline table's line is not the key's; the dotted key would redefine the table, which
    // the caller's check refuses. An array value is refused here.
    CHECK(out.has_value());
    auto array = setTomlValue("language = [\"ja\"]\n", "language", "\"en\"");
    REQUIRE_FALSE(array);
    CHECK(array.error().code == Errc::ConfigInvalid);
    CHECK(array.error().message.find("language") == 0);
}

TEST_CASE("tomlString: quotes and backslashes are escaped")
{
    CHECK(tomlString("en") == "\"en\"");
    CHECK(tomlString("a\"b\\c") == "\"a\\\"b\\\\c\"");
}
