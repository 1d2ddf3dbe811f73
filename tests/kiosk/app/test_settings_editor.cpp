// The staff menu's settings editor: stepping through values, and saving into the configuration
// file (only the changed lines change, the file is checked as at start, its mode is kept); then
// through the App with real staff accounts: an administrator's edit reaches the file, the
// reloaded configuration and the running terminal; a staff member cannot edit.

#include "kiosk/app/settings_editor.hpp"

#include "base/files.hpp"
#include "kiosk/app/app.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/kiosk/app/app_fixture.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <condition_variable>
#include <mutex>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using namespace std::chrono_literals;
using tests::findRow;

namespace {

const std::string kToml = "# waiting room 2\n"
                          "language = \"ja\" # the idle screen\n"
                          "\n"
                          "[timeouts]\n"
                          "result_s = 20\n"
                          "\n"
                          "[desk]\n"
                          "url = \"https://127.0.0.1:1\"\n";

const app::SettingEntry& entry(const app::SettingsEditor& e, const std::string& key)
{
    for (const auto& x : e.entries()) {
        if (x.key == key) {
            return x;
        }
    }
    FAIL("no setting " << key);
    return e.entries().front();
}

void select(app::SettingsEditor& e, const std::string& key)
{
    for (std::size_t i = 0; i < e.entries().size(); ++i) {
        if (e.entries()[e.selected()].key == key) {
            return;
        }
        e.selectNext();
    }
    FAIL("cannot select " << key);
}

StaffPin pinOf(const char* digits)
{
    StaffPin pin;
    for (const char* c = digits; *c != '\0'; ++c) {
        pin.push(*c);
    }
    return pin;
}

} // namespace

TEST_CASE("SettingsEditor::step: languages, prefixes and timeouts step within their values")
{
    config::KioskConfig running;
    running.timeouts.result = 20s;
    app::SettingsEditor editor({"en", "ja"});
    editor.open(running);
    CHECK(editor.entries()[editor.selected()].key == "language");
    editor.step(+1);
    CHECK(entry(editor, "language").value == "en");
    editor.step(+1);
    CHECK(entry(editor, "language").value == "ja");

    select(editor, "receipt_prefix");
    editor.step(+1);
    CHECK(entry(editor, "receipt_prefix").value == "A");
    editor.step(-1);
    editor.step(-1);
    CHECK(entry(editor, "receipt_prefix").value == "ZZ");

    select(editor, "timeouts.result_s");
    editor.step(+1);
    CHECK(entry(editor, "timeouts.result_s").value == "25");
    for (int i = 0; i < 10; ++i) {
        editor.step(-1);
    }
    CHECK(entry(editor, "timeouts.result_s").value == "5"); // the floor

    select(editor, "out_of_service");
    editor.step(+1);
    CHECK(entry(editor, "out_of_service").value == "true");
    CHECK_FALSE(entry(editor, "out_of_service").appliesNow);

    const auto changes = editor.changes();
    REQUIRE(changes.size() == 3);
    CHECK(changes[0] == std::pair<std::string, std::string>("receipt_prefix", "ZZ"));
}

TEST_CASE("SettingsEditor: the display and sound defaults switch and step, and save as the "
          "terminal reads them at its next start")
{
    tests::TempDir dir;
    const auto file = dir.path() / "kiosk.toml";
    REQUIRE(files::writeFile(file, kToml + "\n[sound]\nvolume = 75\n", 0600));
    auto running = config::parseKioskArgs({"--config", file.string(), "--pki", "pki"});
    REQUIRE(running);
    REQUIRE(running->sound.volume == 75);

    app::SettingsEditor editor({"en", "ja"});
    editor.open(*running);
    for (const char* key : {"ui.large_text", "ui.high_contrast", "sound.mute"}) {
        INFO(key);
        CHECK(app::isSwitchSetting(key));
        CHECK(entry(editor, key).value == "false");
        CHECK_FALSE(entry(editor, key).appliesNow);
    }
    select(editor, "ui.large_text");
    editor.step(-1); // either step switches
    CHECK(entry(editor, "ui.large_text").value == "true");
    select(editor, "ui.high_contrast");
    editor.step(+1);
    editor.step(+1);
    CHECK(entry(editor, "ui.high_contrast").value == "false"); // and back
    select(editor, "sound.volume");
    editor.step(+1);
    CHECK(entry(editor, "sound.volume").value == "80"); // to the next step of 10
    for (int i = 0; i < 12; ++i) {
        editor.step(-1);
    }
    CHECK(entry(editor, "sound.volume").value == "0"); // the floor
    for (int i = 0; i < 3; ++i) {
        editor.step(+1);
    }
    CHECK(entry(editor, "sound.volume").value == "30");
    select(editor, "sound.mute");
    editor.step(+1);

    auto saved = editor.save(file.string());
    REQUIRE(saved);
    CHECK(saved->largeText);
    CHECK_FALSE(saved->highContrast);
    CHECK(saved->sound.volume == 30);
    CHECK(saved->sound.mute);
    auto reloaded = config::parseKioskArgs({"--config", file.string(), "--pki", "pki"});
    REQUIRE(reloaded);
    CHECK(reloaded->largeText);
    CHECK(reloaded->sound.volume == 30);
    CHECK(reloaded->sound.mute);
    auto text = files::readFile(file);
    REQUIRE(text);
    CHECK(text->find("volume = 30\n") != std::string::npos);
    CHECK(text->find("large_text = true\n") != std::string::npos);
    CHECK(text->find("high_contrast") == std::string::npos); // unchanged: not written
}

TEST_CASE("SettingsEditor::save: only the changed lines change, the file keeps its mode, and "
          "it reads back as the terminal reads it")
{
    tests::TempDir dir;
    const auto file = dir.path() / "kiosk.toml";
    REQUIRE(files::writeFile(file, kToml, 0640));
    auto running = config::parseKioskArgs({"--config", file.string(), "--pki", "pki"});
    REQUIRE(running);

    app::SettingsEditor editor({"en", "ja"});
    editor.open(*running);
    editor.step(+1); // language: en
    select(editor, "timeouts.result_s");
    editor.step(+1); // 25
    select(editor, "receipt_prefix");
    editor.step(+1); // A
    auto saved = editor.save(file.string());
    REQUIRE(saved);
    CHECK(saved->language == "en");
    CHECK(saved->timeouts.result == 25s);
    CHECK(saved->receiptPrefix == "A");

    auto text = files::readFile(file);
    REQUIRE(text);
    CHECK(*text == "# waiting room 2\n"
                   "language = \"en\" # the idle screen\n"
                   "receipt_prefix = \"A\"\n"
                   "\n"
                   "[timeouts]\n"
                   "result_s = 25\n"
                   "\n"
                   "[desk]\n"
                   "url = \"https://127.0.0.1:1\"\n");
    struct stat info {};
    REQUIRE(::stat(file.c_str(), &info) == 0);
    CHECK((info.st_mode & 07777) == 0640);
    auto reloaded = config::parseKioskArgs({"--config", file.string(), "--pki", "pki"});
    REQUIRE(reloaded);
    CHECK(reloaded->timeouts.result == 25s);
    CHECK(reloaded->language == "en");
}

TEST_CASE("SettingsEditor::save: a new file that would not load is not written")
{
    tests::TempDir dir;
    const auto file = dir.path() / "kiosk.toml";
    // The timeouts as an inline table: the editor's line cannot go there.
    const std::string inline_ = "timeouts = { result_s = 20 }\n";
    REQUIRE(files::writeFile(file, inline_));
    auto running = config::parseKioskArgs({"--config", file.string(), "--pki", "pki"});
    REQUIRE(running);
    app::SettingsEditor editor({"ja"});
    editor.open(*running);
    select(editor, "timeouts.result_s");
    editor.step(+1);
    auto saved = editor.save(file.string());
    REQUIRE_FALSE(saved);
    CHECK(saved.error().code == Errc::ConfigInvalid);
    auto text = files::readFile(file);
    REQUIRE(text);
    CHECK(*text == inline_);

    SECTION("without a configuration file there is nothing to save into")
    {
        auto none = editor.save("");
        REQUIRE_FALSE(none);
        CHECK(none.error().code == Errc::ConfigMissing);
    }
}

namespace {

// An App with the simulated devices, a kiosk.toml and two staff accounts (s01 admin PIN 2468,
// s02 staff PIN 1357); pumps the staff console on its wake-ups.
struct AppRig {
    tests::TempDir dir;
    std::filesystem::path file = dir.path() / "kiosk.toml";
    std::mutex mutex;
    std::condition_variable cv;
    int wakes = 0;
    std::unique_ptr<app::App> app;

    AppRig()
    {
        tests::writeTestPki(dir.path());
        REQUIRE(files::writeFile(file, kToml));
        config::StaffAccounts accounts;
        REQUIRE(accounts.add("s01", staff::Role::Admin, pinOf("2468")));
        REQUIRE(accounts.add("s02", staff::Role::Staff, pinOf("1357")));
        std::filesystem::create_directories(dir.path() / "kiosk");
        REQUIRE(accounts.save((dir.path() / "kiosk" / "staff").string()));

        auto config = config::parseKioskArgs(
            {"--config", file.string(), "--pki", dir.path().string(), "--data",
             (dir.path() / "kiosk").string(), "--printer",
             "sim:" + (dir.path() / "slips").string(), "--assets",
             std::string(UKETSUKE_SOURCE_DIR) + "/assets"});
        REQUIRE(config);
        config->terminalId = "KIOSK-0001";
        app = tests::buildSimApp(*config, [this] {
            std::lock_guard lock(mutex);
            ++wakes;
            cv.notify_all();
        });
    }

    runner::StaffConsole& console() { return app->staff(); }

    void unlock(const char* pin)
    {
        console().gestureCompleted();
        for (const char* c = pin; *c != '\0'; ++c) {
            console().apply(runner::staff_input::Digit{*c});
        }
        console().apply(runner::staff_input::Submit{});
        for (int i = 0; i < 100 && console().state().checking; ++i) {
            int seen = 0;
            {
                std::lock_guard lock(mutex);
                seen = wakes;
            }
            // Not under the lock: pump() may wake the terminal (the unlock answers a patient's
            // call), and the wake callback takes the same mutex on this thread.
            console().pump();
            if (!console().state().checking) {
                break;
            }
            std::unique_lock lock(mutex);
            cv.wait_for(lock, 5s, [&] { return wakes != seen; });
        }
        REQUIRE(console().state().phase == staff::Phase::Menu);
    }
    void touch(staff::Intent intent) { console().apply(intent); }
};

} // namespace

// The seconds a timeout row shows ("staff.value.seconds" with its {seconds}); empty otherwise.
std::string secondsShown(const runner::StaffRow& row)
{
    if (!row.valueIsKey || row.value != "staff.value.seconds") {
        return {};
    }
    for (const auto& [name, value] : row.args) {
        if (name == "seconds") {
            return value;
        }
    }
    return {};
}

TEST_CASE("App settings: an administrator's edit is written, reloaded and applied, with an "
          "audit line, and a staff member cannot edit")
{
    AppRig rig;
    SECTION("administrator")
    {
        rig.unlock("2468");
        rig.touch(staff::Intent::Settings);
        rig.touch(staff::Intent::EditSettings);
        REQUIRE(rig.console().state().editingSettings);
        // The editor's rows: the first key selected.
        auto rows = rig.app->staffPage(staff::Section::Settings);
        const auto* language = findRow(rows, "staff.setting.language");
        REQUIRE(language != nullptr);
        CHECK(language->selected);
        // timeouts.result_s is the fifth key: 20 -> 25.
        for (int i = 0; i < 4; ++i) {
            rig.touch(staff::Intent::SettingNext);
        }
        rig.touch(staff::Intent::SettingUp);
        rows = rig.app->staffPage(staff::Section::Settings);
        REQUIRE(findRow(rows, "staff.setting.timeouts.result_s") != nullptr);
        CHECK(secondsShown(*findRow(rows, "staff.setting.timeouts.result_s")) == "25");
        rig.touch(staff::Intent::SaveSettings);
        CHECK_FALSE(rig.console().state().editingSettings);

        auto text = files::readFile(rig.file);
        REQUIRE(text);
        CHECK(text->find("result_s = 25\n") != std::string::npos);
        CHECK(text->find("# waiting room 2\n") == 0);
        auto reloaded = config::parseKioskArgs({"--config", rig.file.string(), "--pki", "pki"});
        REQUIRE(reloaded);
        CHECK(reloaded->timeouts.result == 25s);
        // Applied now: the running terminal's result screen stays 25 s.
        CHECK(rig.app->terminal().timeouts().result == 25s);
        bool audited = false;
        for (const auto& line : rig.console().audit()) {
            audited = audited || (line.action == "setting timeouts.result_s=25" &&
                                  line.staffId == "s01");
        }
        CHECK(audited);
        rows = rig.app->staffPage(staff::Section::Settings);
        REQUIRE(findRow(rows, "staff.setting.timeouts.result_s") != nullptr);
        CHECK(secondsShown(*findRow(rows, "staff.setting.timeouts.result_s")) == "25");
    }
    SECTION("staff: view only")
    {
        rig.unlock("1357");
        rig.touch(staff::Intent::Settings);
        rig.touch(staff::Intent::EditSettings);
        CHECK_FALSE(rig.console().state().editingSettings);
        rig.touch(staff::Intent::SettingUp);
        rig.touch(staff::Intent::SaveSettings);
        auto text = files::readFile(rig.file);
        REQUIRE(text);
        CHECK(*text == kToml);
        for (const auto& line : rig.console().audit()) {
            CHECK(line.action.rfind("setting", 0) != 0);
        }
    }
}
