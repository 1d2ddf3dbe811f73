#include "kiosk/model/receipt.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace uketsuke::kiosk::model;

TEST_CASE("isReceiptPrefix: one or two capital letters")
{
    for (const char* good : {"A", "Z", "AB", "ZZ"}) {
        CHECK(isReceiptPrefix(good));
    }
    for (const char* bad : {"", "a", "ABC", "A1", "-", "Ａ", "A "}) {
        INFO(bad);
        CHECK_FALSE(isReceiptPrefix(bad));
    }
}

TEST_CASE("defaultReceiptPrefix: the terminal id's trailing number as letters")
{
    CHECK(defaultReceiptPrefix("KIOSK-0001") == "A");
    CHECK(defaultReceiptPrefix("KIOSK-0002") == "B");
    CHECK(defaultReceiptPrefix("KIOSK-0026") == "Z");
    CHECK(defaultReceiptPrefix("KIOSK-0027") == "AA");
    CHECK(defaultReceiptPrefix("KIOSK-0702") == "ZZ");
    CHECK(defaultReceiptPrefix("7") == "G");
    // Terminals 1 to 702 of a clinic never share letters.
    std::set<std::string> seen;
    for (int n = 1; n <= 702; ++n) {
        const std::string prefix = defaultReceiptPrefix("KIOSK-" + std::to_string(n));
        CHECK(isReceiptPrefix(prefix));
        seen.insert(prefix);
    }
    CHECK(seen.size() == 702);
}

TEST_CASE("defaultReceiptPrefix: an id without a usable number gets two stable letters")
{
    for (const char* id : {"reception", "KIOSK-0000", "KIOSK-0703", "KIOSK-12345678901234", ""}) {
        INFO(id);
        const std::string prefix = defaultReceiptPrefix(id);
        CHECK(prefix.size() == 2);
        CHECK(isReceiptPrefix(prefix));
        CHECK(defaultReceiptPrefix(id) == prefix);
    }
    CHECK(defaultReceiptPrefix("reception") != defaultReceiptPrefix("reception-2b"));
}

TEST_CASE("receiptNumber: the letters, a hyphen and the day's sequence")
{
    CHECK(receiptNumber("A", "0007") == "A-0007");
    CHECK(receiptNumber("AB", "3782") == "AB-3782");
}
