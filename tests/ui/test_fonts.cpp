#include "support.hpp"
#include "ui/fonts.hpp"

#include <catch2/catch.hpp>
#include <imgui_internal.h> // ImTextCharFromUtf8

namespace uketsuke::ui {
namespace {

TEST_CASE("locateFonts: a missing font fails with one line naming the key and the package",
          "[ui]")
{
    auto files = locateFonts("/nonexistent/NotoSansCJK-Regular.ttc", 0);
    REQUIRE_FALSE(files.has_value());
    CHECK(files.error().code == Errc::ConfigMissing);
    CHECK(files.error().message.find("ui.font") != std::string::npos);
    CHECK(files.error().message.find("fonts-noto-cjk") != std::string::npos);
}

TEST_CASE("locateFonts: Debian's Noto Sans CJK has a bold sibling", "[ui]")
{
    auto files = locateFonts(hal::text::kDefaultFontPath, 0);
    REQUIRE(files.has_value());
    CHECK(files->bold.find("Bold") != std::string::npos);
}

TEST_CASE("FontSet::load: every character of both tables has a glyph in every text font", "[ui]")
{
    auto host = test::makeHost();
    const FontSet& fonts = host->fonts();
    for (const char* lang : {"ja", "en"}) {
        const auto& table = test::table(lang);
        for (const auto& key : table.keys()) {
            if (key.rfind("desk.", 0) == 0) {
                continue; // the desk's web page: the browser draws those words
            }
            std::string text = table.tr(key);
            const char* p = text.c_str();
            const char* end = p + text.size();
            while (p < end) {
                unsigned int c = 0;
                p += ImTextCharFromUtf8(&c, p, end);
                if (c < 0x20) {
                    continue;
                }
                INFO(key << " U+" << std::hex << c);
                for (ImFont* font : {fonts.text, fonts.bold, fonts.title, fonts.small}) {
                    CHECK(font->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr);
                }
            }
        }
    }
    for (const char* p = kHugeGlyphs; *p != 0; ++p) {
        CHECK(fonts.huge->FindGlyphNoFallback(static_cast<ImWchar>(*p)) != nullptr);
    }
}

TEST_CASE("FontSet::load: the atlas stays within 2048 px on the standard panel", "[ui]")
{
    auto host = test::makeHost(1280, 800);
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    INFO("atlas " << atlas->TexWidth << "x" << atlas->TexHeight);
    CHECK(atlas->TexWidth <= 2048);
    CHECK(atlas->TexHeight <= 2048);
}

} // namespace
} // namespace uketsuke::ui
