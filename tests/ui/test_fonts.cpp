#include "support.hpp"
#include "ui/fonts.hpp"

#include <catch2/catch.hpp>
#include <imgui_internal.h> // ImTextCharFromUtf8
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <vector>

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

// Every character a screen can draw through ImGui, in every translation file: the atlas is cut
// from the tables, so a glyph is missing only when the font the terminal loads lacks it (the
// screen would draw ImGui's fallback "?"). The desk's words are drawn by the browser, the slip's
// by the name renderer (the next test).
TEST_CASE("FontSet::load: every character of every table has a glyph in every text font, "
          "the title's at the title size",
          "[ui]")
{
    auto host = test::makeHost();
    for (const auto& lang : test::languages()) {
        const auto& table = test::table(lang);
        // The atlas takes a language's characters on its first frame.
        REQUIRE(host->useLanguage(table).has_value());
        const FontSet& fonts = host->fontsFor(table);
        for (const auto& key : table.keys()) {
            if (!drawnOnScreen(key)) {
                continue; // the desk page and the slips: the next test
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
                INFO(lang << " " << key << " U+" << std::hex << c);
                for (ImFont* font : {fonts.text, fonts.bold, fonts.small}) {
                    CHECK(font->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr);
                }
                // The title size holds what is drawn at it (the next test: and no more).
                const bool atTitle = c < 0x7F || drawnAtTitleSize(key);
                if (atTitle) {
                    CHECK(fonts.title->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr);
                }
            }
        }
        for (const char* p = kHugeGlyphs; *p != 0; ++p) {
            CHECK(fonts.huge->FindGlyphNoFallback(static_cast<ImWchar>(*p)) != nullptr);
        }
    }
}

// The title size (92 px bold at 1920x1080) held every character of the tables, a third of the
// atlas, for the few strings drawn at it: now only theirs (drawnAtTitleSize) and ASCII.
TEST_CASE("FontSet::load: the title font holds the characters of what is drawn at its size only",
          "[ui]")
{
    auto host = test::makeHost(1920, 1080);
    const auto& table = test::table("ja");
    const FontSet& fonts = host->fontsFor(table);
    std::vector<ImWchar> atTitle;
    std::vector<ImWchar> elsewhere;
    for (const auto& key : table.keys()) {
        if (!drawnOnScreen(key)) {
            continue;
        }
        const std::string text = table.tr(key);
        const char* p = text.c_str();
        const char* end = p + text.size();
        while (p < end) {
            unsigned int c = 0;
            p += ImTextCharFromUtf8(&c, p, end);
            (drawnAtTitleSize(key) ? atTitle : elsewhere).push_back(static_cast<ImWchar>(c));
        }
    }
    std::size_t onlyElsewhere = 0;
    for (ImWchar c : elsewhere) {
        char utf8[5] = {};
        if (c < 0x7F || std::find(atTitle.begin(), atTitle.end(), c) != atTitle.end() ||
            std::string_view(kLayoutGlyphs).find(ImTextCharToUtf8(utf8, c)) !=
                std::string_view::npos) {
            continue;
        }
        ++onlyElsewhere;
        INFO("U+" << std::hex << c);
        CHECK(fonts.title->FindGlyphNoFallback(c) == nullptr);
        CHECK(fonts.text->FindGlyphNoFallback(c) != nullptr);
    }
    CHECK(onlyElsewhere > 100); // most of the tables' characters
    CHECK(fonts.title->Glyphs.Size * 3 < fonts.text->Glyphs.Size * 2); // ASCII in both
    CHECK(hasGlyphs(fonts.title, table.tr("screen.idle.title")));
    CHECK(hasGlyphs(fonts.title, table.tr("screen.enter_insurance.submit")));
}

TEST_CASE("hasGlyphs / noteMissingGlyphs: a character the font lacks is found and counted",
          "[ui]")
{
    auto host = test::makeHost(1280, 800);
    const FontSet& fonts = host->fontsFor(test::table("ja"));
    CHECK(hasGlyphs(fonts.huge, "0123-A"));
    CHECK(hasGlyphs(fonts.huge, "12\n34")); // line breaks are not drawn
    CHECK_FALSE(hasGlyphs(fonts.huge, "受付12"));
    CHECK(hasGlyphs(fonts.text, "受付12"));
    const std::size_t before = missingGlyphs();
    noteMissingGlyphs(fonts.huge, "受付12");
    CHECK(missingGlyphs() == before + 2);
    noteMissingGlyphs(fonts.text, "受付12");
    CHECK(missingGlyphs() == before + 2);

    // Text drawn straight into a draw list (the receipt number, the strip, the form's values)
    // is counted too.
    ImDrawList list(ImGui::GetDrawListSharedData());
    list._ResetForNewFrame();
    list.PushClipRect(ImVec2(0.0f, 0.0f), ImVec2(4096.0f, 4096.0f));
    list.PushTextureID(fonts.huge->ContainerAtlas->TexID);
    addText(&list, fonts.huge, fonts.huge->FontSize, ImVec2(0.0f, 0.0f), IM_COL32_WHITE, "受付12");
    CHECK(missingGlyphs() == before + 4);
    addText(&list, fonts.text, fonts.text->FontSize, ImVec2(0.0f, 0.0f), IM_COL32_WHITE, "受付12");
    CHECK(missingGlyphs() == before + 4);
    CHECK(list.VtxBuffer.Size > 0);
}

// The slip prints a line CP932 cannot encode (Hangul, Vietnamese, simplified Chinese) as an
// image drawn by the name renderer, which also draws patients' and insurers' names on screen
// and slip: none of those may come out as the font's empty box.
TEST_CASE("TextRenderer: every slip text of every table and every persona name has its glyphs",
          "[ui]")
{
    auto renderer = hal::text::TextRenderer::open();
    REQUIRE(renderer.has_value());
    auto missing = [&](const std::string& text) {
        auto bitmap = renderer->render(text, 24);
        REQUIRE(bitmap.has_value());
        return bitmap->missingGlyphs;
    };
    for (const auto& lang : test::languages()) {
        const auto& table = test::table(lang);
        for (const auto& key : table.keys()) {
            if (key.rfind("slip.", 0) != 0 && key.rfind("doctor.", 0) != 0) {
                continue;
            }
            std::string text = table.tr(key);
            std::replace(text.begin(), text.end(), '\n', ' ');
            INFO(lang << " " << key);
            CHECK(missing(text) == 0);
        }
    }
    std::ifstream in(std::string(UKETSUKE_SOURCE_DIR) + "/assets/personas/personas.json");
    auto json = nlohmann::json::parse(in, nullptr, false);
    REQUIRE(json.is_object());
    int names = 0;
    std::function<void(const nlohmann::json&, const std::string&)> walk;
    walk = [&](const nlohmann::json& node, const std::string& key) {
        if (node.is_object()) {
            for (const auto& [k, v] : node.items()) {
                walk(v, k);
            }
        } else if (node.is_array()) {
            for (const auto& v : node) {
                walk(v, key);
            }
        } else if (node.is_string() && key.find("Name") != std::string::npos) {
            ++names;
            INFO(key << ": " << node.get<std::string>());
            CHECK(missing(node.get<std::string>()) == 0);
        }
    };
    walk(json["personas"], "");
    CHECK(names > 10); // the walk found the personas' names
}

// Every language's characters at every size, the Chinese ones in the SC face too: 2048x2284
// with the six shipped files (2959 while the title size held every character, not only those
// of drawnAtTitleSize(); its CPU copies are freed once uploaded). 2048 wide suits small GPUs;
// the height is the glyphs' own (SDL's renderers take up to 16384 px here) and this bound
// catches a table that suddenly brings hundreds of new characters. (The staff screens are
// drawn in the default language only: the other languages' staff words need not be in the
// atlas.)
TEST_CASE("FontSet::load: the atlas of every language stays 2048 px wide and about 2300 high",
          "[ui]")
{
    auto host = test::makeHost(1280, 800);
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    const int startHeight = atlas->TexHeight; // the default language's characters only
    for (const auto& lang : test::languages()) {
        REQUIRE(host->useLanguage(test::table(lang)).has_value());
    }
    INFO("atlas " << atlas->TexWidth << "x" << atlas->TexHeight << ", at start "
                  << startHeight);
    CHECK(startHeight < atlas->TexHeight);
    CHECK(atlas->TexWidth <= 2048);
    CHECK(atlas->TexHeight <= 2400);
    // Uploaded once, then the CPU copies are gone: only the SDL texture holds the glyphs.
    CHECK(atlas->TexPixelsAlpha8 == nullptr);
    CHECK(atlas->TexPixelsRGBA32 == nullptr);
    CHECK(atlas->IsBuilt());
}

// Chinese is drawn with the SC face (language.font), the others with the configured JP face:
// two sets of fonts in the one atlas, one per face, each with its own tables' characters.
TEST_CASE("FontLibrary: each table is drawn with the face it names", "[ui]")
{
    auto host = test::makeHost(1280, 800);
    const FontSet& ja = host->fontsFor(test::table("ja"));
    CHECK(&ja == &host->fonts());
    CHECK(&host->fontsFor(test::table("en")) == &ja);
    const FontSet& zh = host->fontsFor(test::table("zh-Hans"));
    CHECK(&zh != &ja);
    CHECK(zh.text != ja.text);
    CHECK(zh.huge == ja.huge); // receipt numbers: one font for every language
    REQUIRE(host->useLanguage(test::table("zh-Hans")).has_value());
    // 请 is only in the Chinese file: the JP set does not carry it.
    CHECK(zh.text->FindGlyphNoFallback(static_cast<ImWchar>(0x8BF7)) != nullptr);
    CHECK(ja.text->FindGlyphNoFallback(static_cast<ImWchar>(0x8BF7)) == nullptr);
}

TEST_CASE("findFace: Debian's Noto Sans CJK collection names its faces", "[ui]")
{
    std::ifstream in(hal::text::kDefaultFontPath, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE_FALSE(data.empty());
    CHECK(findFace(data, "Noto Sans CJK JP") == 0);
    auto sc = findFace(data, "Noto Sans CJK SC");
    REQUIRE(sc.has_value());
    CHECK(*sc > 0);
    CHECK_FALSE(findFace(data, "Comic Sans").has_value());
    CHECK_FALSE(findFace(data, "").has_value());
}

} // namespace
} // namespace uketsuke::ui
