// The font atlas cache (ui/font_cache.hpp): read back only for exactly what it was built from,
// drawn the same as a built atlas, and a damaged file is an error the library survives by
// building the atlas again.

#include "support.hpp"
#include "ui/font_cache.hpp"
#include "ui/fonts.hpp"
#include "ui/host.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace uketsuke::ui {
namespace {

namespace fs = std::filesystem;

fs::path freshDir(const std::string& name)
{
    auto dir = fs::temp_directory_path() /
               ("uketsuke-font-cache-" + std::to_string(::getpid())) / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::unique_ptr<Host> hostWith(const fs::path& cache,
                               const std::vector<const kiosk::model::StringTable*>& tables,
                               const std::string& font = hal::text::kDefaultFontPath)
{
    HostOptions options;
    options.width = 1280;
    options.height = 800;
    options.headless = true;
    auto fonts = locateFonts(font, hal::text::kDefaultFaceIndex);
    REQUIRE(fonts.has_value());
    options.fonts = *fonts;
    options.fontCache = cache.string();
    options.tables = tables;
    auto host = Host::create(options);
    INFO((host ? std::string() : host.error().message));
    REQUIRE(host.has_value());
    return std::move(*host);
}

std::vector<const kiosk::model::StringTable*> everyTable()
{
    std::vector<const kiosk::model::StringTable*> tables;
    for (const auto& lang : test::languages()) {
        tables.push_back(&test::table(lang));
    }
    return tables;
}

Pixels idleFrame(Host& host)
{
    kiosk::flow::State idle;
    const auto& strings = test::table("ja");
    ScreenModel model = buildScreenModel(idle, host.screenContext(strings, 0.0), 0, true);
    FrameInput input;
    input.keepPixels = true;
    FrameOutput out = host.frame(std::move(model), std::nullopt, input);
    REQUIRE_FALSE(out.captureError.has_value());
    return std::move(out.pixels);
}

TEST_CASE("Font cache: the second start reads the atlas back and draws the same pixels",
          "[ui]")
{
    const fs::path cache = freshDir("same");
    Pixels built;
    std::string file;
    {
        auto host = hostWith(cache, everyTable());
        CHECK_FALSE(host->fontLibrary().fromCache());
        file = host->fontLibrary().cacheFile();
        CHECK(fs::is_regular_file(file));
        built = idleFrame(*host);
    }
    auto host = hostWith(cache, everyTable());
    CHECK(host->fontLibrary().fromCache());
    CHECK(host->fontLibrary().cacheFile() == file);
    CHECK(ImGui::GetIO().Fonts->IsBuilt());
    Pixels cached = idleFrame(*host);
    CHECK(cached.rgb == built.rgb);
    // Every language's characters, the fallback and the ellipsis as a built atlas has them.
    const FontSet& fonts = host->fonts();
    CHECK(fonts.text->FindGlyphNoFallback(static_cast<ImWchar>(0x53D7)) != nullptr); // 受
    CHECK(fonts.huge->FindGlyphNoFallback(static_cast<ImWchar>('7')) != nullptr);
    CHECK(fonts.text->FallbackGlyph != nullptr);
}

TEST_CASE("Font cache: a changed string or font file builds the atlas again", "[ui]")
{
    const fs::path cache = freshDir("changed");
    hostWith(cache, everyTable());

    // A ja table with one more character (鬱) in a screen's text.
    const fs::path i18n = freshDir("i18n");
    std::ifstream in(std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n/ja.json");
    auto json = nlohmann::json::parse(in);
    json["screen.idle.title"] = json["screen.idle.title"].get<std::string>() + "鬱";
    std::ofstream(i18n / "ja.json") << json.dump();
    auto changed = kiosk::model::StringTable::load(i18n.string(), "ja");
    REQUIRE(changed.has_value());
    {
        auto host = hostWith(cache, {&*changed});
        CHECK_FALSE(host->fontLibrary().fromCache());
        CHECK(host->fonts().text->FindGlyphNoFallback(static_cast<ImWchar>(0x9B31)) != nullptr);
    }
    {
        auto host = hostWith(cache, everyTable()); // the first file is still there
        CHECK(host->fontLibrary().fromCache());
    }

    // The same font under another name, then touched: its size and time are in the key.
    const fs::path fontDir = freshDir("font");
    const fs::path font = fontDir / "NotoSansCJK-Regular.ttc";
    fs::copy_file(hal::text::kDefaultFontPath, font);
    {
        auto host = hostWith(cache, everyTable(), font.string());
        CHECK_FALSE(host->fontLibrary().fromCache());
    }
    {
        auto host = hostWith(cache, everyTable(), font.string());
        CHECK(host->fontLibrary().fromCache());
    }
    fs::last_write_time(font, fs::last_write_time(font) + std::chrono::hours(1));
    {
        auto host = hostWith(cache, everyTable(), font.string());
        CHECK_FALSE(host->fontLibrary().fromCache());
    }
    fs::remove_all(fontDir);
}

TEST_CASE("Font cache: large text has its own file", "[ui]")
{
    const fs::path cache = freshDir("scale");
    auto host = hostWith(cache, everyTable());
    const std::string normal = host->fontLibrary().cacheFile();
    host->setFontScale(1.3f);
    idleFrame(*host);
    CHECK_FALSE(host->fontLibrary().fromCache());
    CHECK(host->fontLibrary().cacheFile() != normal);
    host->setFontScale(1.0f);
    idleFrame(*host);
    CHECK(host->fontLibrary().fromCache());
    CHECK(host->fontLibrary().cacheFile() == normal);
}

TEST_CASE("Font cache: a damaged file is ignored, the atlas built and the file written again",
          "[ui]")
{
    const fs::path cache = freshDir("damaged");
    std::string file;
    {
        auto host = hostWith(cache, everyTable());
        file = host->fontLibrary().cacheFile();
    }
    std::ofstream(file, std::ios::binary | std::ios::trunc) << "not an atlas at all";
    {
        auto host = hostWith(cache, everyTable());
        CHECK_FALSE(host->fontLibrary().fromCache());
        CHECK(ImGui::GetIO().Fonts->IsBuilt());
    }
    auto host = hostWith(cache, everyTable());
    CHECK(host->fontLibrary().fromCache()); // written again, whole
}

TEST_CASE("loadAtlas: every truncation and a bad length are errors, never a crash", "[ui]")
{
    const fs::path cache = freshDir("truncated");
    std::string file;
    std::string key;
    {
        auto host = hostWith(cache, everyTable());
        file = host->fontLibrary().cacheFile();
    }
    std::ifstream in(file, std::ios::binary);
    const std::string whole((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(whole.size() > 1000);
    // The key is stored after the 8-byte magic and its 4-byte length.
    std::uint32_t keySize = 0;
    std::memcpy(&keySize, whole.data() + 8, sizeof keySize);
    REQUIRE(keySize < whole.size());
    key = whole.substr(12, keySize);

    ImFontAtlas atlas;
    REQUIRE(loadAtlas(file, key, atlas).has_value());
    CHECK(atlas.IsBuilt());
    CHECK(atlas.TexPixelsAlpha8 != nullptr);

    auto loadBytes = [&](const std::string& bytes) {
        const fs::path damaged = cache / "damaged";
        std::ofstream(damaged, std::ios::binary | std::ios::trunc) << bytes;
        ImFontAtlas target;
        return loadAtlas(damaged.string(), key, target);
    };
    // Every length through the header and the first glyphs, then a spread to the end.
    std::vector<std::size_t> lengths;
    for (std::size_t n = 0; n < 12 + keySize + 2000 && n < whole.size(); n += (n < 64 ? 1 : 7)) {
        lengths.push_back(n);
    }
    for (std::size_t n = 12 + keySize; n < whole.size(); n += whole.size() / 97) {
        lengths.push_back(n);
    }
    lengths.push_back(whole.size() - 1);
    for (std::size_t n : lengths) {
        CAPTURE(n);
        auto loaded = loadBytes(whole.substr(0, n));
        REQUIRE_FALSE(loaded.has_value());
        CHECK((loaded.error().code == Errc::StorageCorrupt ||
               loaded.error().code == Errc::ConfigInvalid));
    }
    auto longer = loadBytes(whole + "x");
    REQUIRE_FALSE(longer.has_value());
    CHECK(longer.error().code == Errc::StorageCorrupt);

    // A font count far beyond any atlas (the field after the baked lines).
    std::string bad = whole;
    const std::size_t fontsAt = 12 + keySize + 8 + 8 + 16 * (IM_DRAWLIST_TEX_LINES_WIDTH_MAX + 1);
    const std::uint32_t many = 0xFFFFFFF0u;
    std::memcpy(bad.data() + fontsAt, &many, sizeof many);
    auto tooMany = loadBytes(bad);
    REQUIRE_FALSE(tooMany.has_value());
    CHECK(tooMany.error().code == Errc::StorageCorrupt);
    CHECK(tooMany.error().message.find("font count") != std::string::npos);

    auto otherKey = loadAtlas(file, key + "!", atlas);
    REQUIRE_FALSE(otherKey.has_value());
    CHECK(otherKey.error().code == Errc::ConfigInvalid);
    auto missing = loadAtlas((cache / "none").string(), key, atlas);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == Errc::StorageError);
}

} // namespace
} // namespace uketsuke::ui
