// The real uketsuke-kiosk: each TLS misconfiguration ends the start with exit status 2 and one
// line naming the config key; a terminal without its client certificate boots into the
// not-ready screen (headless), and `doctor config` reports the same checks as JSON.

#include "base/time.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/support/notify_socket.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

using namespace uketsuke;

namespace {

struct Run {
    int status = -1;
    std::string out;
    std::string err;
};

std::string readAll(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeText(const std::filesystem::path& path, const std::string& text)
{
    std::ofstream(path) << text;
}

// A kiosk.toml naming every TLS file of the test PKI in `dir` (as `--pki` would; flags win over
// the file, so the file must name them all), with `overrides` (dotted key -> value) on top.
std::string kioskToml(const std::filesystem::path& dir,
                      const std::map<std::string, std::string>& overrides)
{
    const auto tls = dir / "tls";
    std::map<std::string, std::string> keys = {
        {"sim.pki", dir.string()},
        {"gateway.ca", (tls / "ca.pem").string()},
        {"gateway.cert", (tls / "terminal.pem").string()},
        {"gateway.key", (tls / "terminal.key").string()},
        {"desk.ca", (tls / "ca.pem").string()},
        {"desk.cert", (tls / "terminal.pem").string()},
        {"desk.key", (tls / "terminal.key").string()},
    };
    for (const auto& [key, value] : overrides) {
        keys[key] = value;
    }
    std::map<std::string, std::string> sections; // section -> its lines
    for (const auto& [key, value] : keys) {
        auto dot = key.find('.');
        std::string section = dot == std::string::npos ? "" : key.substr(0, dot);
        std::string name = dot == std::string::npos ? key : key.substr(dot + 1);
        sections[section] += name + " = \"" + value + "\"\n";
    }
    std::string text = sections[""];
    for (const auto& [section, lines] : sections) {
        if (!section.empty()) {
            text += "[" + section + "]\n" + lines;
        }
    }
    return text;
}

// Runs the kiosk with `args` (already shell-quoted where needed); stdout and stderr to files.
Run runKiosk(const tests::TempDir& dir, const std::string& args)
{
    const auto out = dir.path() / "stdout.txt";
    const auto err = dir.path() / "stderr.txt";
    std::string command = std::string("SDL_VIDEODRIVER=offscreen '") + UKETSUKE_KIOSK_BINARY +
                          "' " + args + " >'" + out.string() + "' 2>'" + err.string() + "'";
    int raw = std::system(command.c_str());
    Run run;
    run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    run.out = readAll(out);
    run.err = readAll(err);
    return run;
}

// Starts the kiosk with `args` in the background, stderr to `log`; returns its pid.
pid_t startKiosk(const std::vector<std::string>& args, const std::filesystem::path& log)
{
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, STDERR_FILENO);
        ::dup2(fd, STDOUT_FILENO);
        std::vector<char*> argv{const_cast<char*>(UKETSUKE_KIOSK_BINARY)};
        for (const auto& arg : args) {
            argv.push_back(const_cast<char*>(arg.c_str()));
        }
        argv.push_back(nullptr);
        ::execv(UKETSUKE_KIOSK_BINARY, argv.data());
        ::_exit(127);
    }
    return pid;
}

// Waits (bounded, on a pidfd) for `pid` to end; returns its exit status, -1 on the bound.
int waitExit(pid_t pid, std::chrono::milliseconds bound)
{
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    REQUIRE(pidfd >= 0);
    pollfd pfd{pidfd, POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(bound.count()));
    ::close(pidfd);
    if (ready <= 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        return -1;
    }
    int raw = 0;
    ::waitpid(pid, &raw, 0);
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

// The lines of stderr that are not log lines (log lines carry a level after the time).
std::vector<std::string> messageLines(const std::string& err)
{
    std::vector<std::string> lines;
    std::istringstream in(err);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("uketsuke-kiosk: ", 0) == 0) {
            lines.push_back(line);
        }
    }
    return lines;
}

} // namespace

TEST_CASE("uketsuke-kiosk: each TLS misconfiguration (and a missing font) exits 2 with one line "
          "naming the key")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    const auto tls = dir.path() / "tls";
    tests::writeClientCertificate(dir.path(), "other", "KIOSK-0002");
    writeText(tls / "garbage.pem", "this is not PEM\n");
    // Should the checks pass after all, the run ends at once instead of opening a window.
    writeText(dir.path() / "idle.script", "timeout 1\nexpect-screen ask_staff\n");

    struct Case {
        const char* name;
        std::string key;
        std::string value;
    };
    const std::vector<Case> cases = {
        {"desk certificate not PEM", "desk.cert", (tls / "garbage.pem").string()},
        {"gateway key not PEM", "gateway.key", (tls / "garbage.pem").string()},
        {"desk key of another certificate", "desk.key", (tls / "other.key").string()},
        {"terminal_id not the certificate's CN", "terminal_id", "KIOSK-9999"},
        {"CA unreadable", "gateway.ca", (tls / "missing-ca.pem").string()},
        // Not a TLS file, but a start-up problem all the same: named by its key, not as the
        // printer that happens to use the font first.
        {"UI font missing", "ui.font", (dir.path() / "no-such-font.ttc").string()},
    };
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.name)
        {
            writeText(dir.path() / "kiosk.toml", kioskToml(dir.path(), {{c.key, c.value}}));
            auto run = runKiosk(dir, "--config '" + (dir.path() / "kiosk.toml").string() +
                                         "' --data '" +
                                         (dir.path() / "data").string() + "' --headless --script '" +
                                         (dir.path() / "idle.script").string() + "'");
            CHECK(run.status == 2);
            auto lines = messageLines(run.err);
            REQUIRE(lines.size() == 1);
            CHECK(lines[0].rfind(std::string("uketsuke-kiosk: ") + c.key + ": ", 0) == 0);
        }
    }
}

TEST_CASE("uketsuke-kiosk: without its client certificate the terminal shows the not-ready "
          "screen")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    const auto enrolled = dir.path() / "enrolled";
    writeText(dir.path() / "kiosk.toml",
              kioskToml(dir.path(), {{"desk.cert", (enrolled / "terminal.pem").string()},
                                     {"desk.key", (enrolled / "terminal.key").string()}}));
    const std::string common = "--config '" + (dir.path() / "kiosk.toml").string() +
                               "' --data '" + (dir.path() / "data").string() + "'";

    SECTION("doctor config reports what is missing")
    {
        auto run = runKiosk(dir, "doctor config " + common);
        CHECK(run.status == 1);
        auto report = nlohmann::json::parse(run.out);
        CHECK(report["mode"] == "not-ready");
        int missing = 0;
        for (const auto& check : report["checks"]) {
            if (check["status"] == "missing") {
                ++missing;
                CHECK((check["key"] == "desk.cert" || check["key"] == "desk.key"));
            }
        }
        CHECK(missing == 2);
    }
    SECTION("a headless run reaches the not-ready screen and its words")
    {
        writeText(dir.path() / "not-ready.script", "expect-screen not_ready\n"
                                                   "expect-text screen.not_ready.title\n"
                                                   "expect-text screen.not_ready.missing.cert\n"
                                                   "screenshot not-ready\n");
        auto run = runKiosk(dir, common + " --headless --script '" +
                                     (dir.path() / "not-ready.script").string() +
                                     "' --screenshots '" + (dir.path() / "shots").string() + "'");
        INFO(run.err);
        CHECK(run.status == 0);
        CHECK(std::filesystem::file_size(dir.path() / "shots" / "01-not_ready.png") > 0);
        CHECK(std::filesystem::exists(dir.path() / "shots" / "02-not-ready.png"));
        // Nothing was built: no outbox.
        CHECK_FALSE(std::filesystem::exists(dir.path() / "data" / "outbox.sqlite3"));
    }
    SECTION("doctor config passes with the files in place")
    {
        auto run = runKiosk(dir, "doctor config --pki '" + dir.path().string() + "'");
        CHECK(run.status == 0);
        CHECK(nlohmann::json::parse(run.out)["mode"] == "run");
    }
}

TEST_CASE("uketsuke-kiosk as a service: READY=1 and watchdog pings, then SIGTERM ends it with 0")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    const auto enrolled = dir.path() / "enrolled";
    writeText(dir.path() / "kiosk.toml",
              kioskToml(dir.path(), {{"desk.cert", (enrolled / "terminal.pem").string()},
                                     {"desk.key", (enrolled / "terminal.key").string()}}));
    test::NotifySocket socket; // sets NOTIFY_SOCKET for the child
    ::setenv("WATCHDOG_USEC", "1000000", 1);
    // The windowed path on the offscreen driver, with SDL's software renderer: Mesa's llvmpipe
    // (the GL one) leaks at exit, which LeakSanitizer would report as the kiosk's exit status.
    ::setenv("SDL_VIDEODRIVER", "offscreen", 1);
    ::setenv("SDL_RENDER_DRIVER", "software", 1);
    ::setenv("SDL_FRAMEBUFFER_ACCELERATION", "0", 1);
    pid_t pid = startKiosk({"--config", (dir.path() / "kiosk.toml").string(), "--data",
                            (dir.path() / "data").string()},
                           dir.path() / "kiosk.log");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("SDL_VIDEODRIVER");
    ::unsetenv("SDL_RENDER_DRIVER");
    ::unsetenv("SDL_FRAMEBUFFER_ACCELERATION");
    using namespace std::chrono_literals;

    auto ready = socket.next(10s);
    REQUIRE(ready);
    CHECK(*ready == "READY=1\nSTATUS=not ready, missing: desk.cert desk.key");
    REQUIRE(socket.waitFor("WATCHDOG=1", 5s));
    auto first = std::chrono::steady_clock::now();
    REQUIRE(socket.waitFor("WATCHDOG=1", 5s));
    CHECK(std::chrono::steady_clock::now() - first < 1s); // within WATCHDOG_USEC

    REQUIRE(::kill(pid, SIGTERM) == 0);
    CHECK(socket.waitFor("STOPPING=1", 10s));
    CHECK(waitExit(pid, 10s) == 0);
}

TEST_CASE("uketsuke-kiosk: staff open the menu with the gesture and their PIN, also when the "
          "terminal is not ready")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    const auto enrolled = dir.path() / "enrolled";
    writeText(dir.path() / "kiosk.toml",
              kioskToml(dir.path(), {{"desk.cert", (enrolled / "terminal.pem").string()},
                                     {"desk.key", (enrolled / "terminal.key").string()}}));
    const std::string common = "--config '" + (dir.path() / "kiosk.toml").string() +
                               "' --data '" + (dir.path() / "data").string() + "'";
    writeText(dir.path() / "pin.txt", "97531\n");
    auto added = runKiosk(dir, "staff add s01 --role admin " + common + " <'" +
                                   (dir.path() / "pin.txt").string() + "'");
    INFO(added.err);
    REQUIRE(added.status == 0);
    const auto shots = dir.path() / "shots";

    SECTION("a right PIN opens every section, and Lock goes back to the patient's screen")
    {
        writeText(dir.path() / "menu.script", "expect-screen not_ready\n"
                                              "staff-gesture\n"
                                              "expect-screen staff:enter_pin\n"
                                              "expect-text staff.pin.title\n"
                                              "type 97531\n"
                                              "tap ok\n"
                                              "expect-screen staff:menu:home\n"
                                              "expect-text staff.menu.signed_in_admin\n"
                                              "screenshot staff-home\n"
                                              // An administrator's five actions take two
                                              // rows at 1280x800: the version is on the
                                              // home page's second page.
                                              "tap staff-page-next\n"
                                              "expect-text staff.row.version\n"
                                              "tap staff-page-previous\n"
                                              "tap staff-devices\n"
                                              "expect-screen staff:menu:devices\n"
                                              "expect-text staff.row.reader\n"
                                              "tap staff-today\n"
                                              "expect-screen staff:menu:today\n"
                                              "tap staff-logs\n"
                                              "expect-screen staff:menu:logs\n"
                                              "screenshot staff-logs\n"
                                              "tap staff-settings\n"
                                              "expect-screen staff:menu:settings\n"
                                              // More rows than fit: the gateway's is on
                                              // the second page.
                                              "expect-text staff.menu.page\n"
                                              "tap staff-page-next\n"
                                              "expect-text staff.row.gateway\n"
                                              "tap staff-page-previous\n"
                                              "expect-text staff.setting.language\n"
                                              "tap staff-edit-settings\n"
                                              "tap staff-setting-next\n"
                                              "tap staff-setting-next\n"
                                              "tap staff-setting-next\n"
                                              "tap staff-setting-next\n"
                                              "tap staff-setting-up\n"
                                              "screenshot staff-settings-edit\n"
                                              // The editor follows its selection to the
                                              // last page, where the note is.
                                              "tap staff-setting-next\n"
                                              "tap staff-setting-next\n"
                                              "tap staff-setting-next\n"
                                              "tap staff-setting-next\n"
                                              "tap staff-setting-next\n"
                                              "tap staff-setting-next\n"
                                              "tap staff-setting-next\n"
                                              "expect-text staff.settings.next_start_note\n"
                                              "tap staff-settings-save\n"
                                              "expect-text staff.action.edit_settings\n"
                                              "tap staff-lock\n"
                                              "expect-screen not_ready\n");
        auto run = runKiosk(dir, common + " --headless --script '" +
                                     (dir.path() / "menu.script").string() +
                                     "' --screenshots '" + shots.string() + "'");
        INFO(run.err);
        CHECK(run.status == 0);
        CHECK(run.err.find("unlock staff=s01") != std::string::npos);
        CHECK(run.err.find("staff.audit: lock staff=s01") != std::string::npos);
        CHECK(run.err.find("97531") == std::string::npos);
        std::string names;
        for (const auto& entry : std::filesystem::directory_iterator(shots)) {
            names += entry.path().filename().string() + " ";
        }
        INFO(names);
        CHECK(names.find("-staff-home.png") != std::string::npos);
        CHECK(names.find("-staff-menu-settings.png") != std::string::npos);
        // The administrator's edit: timeouts.result_s 20 -> 25 s, in the file it was started
        // with (the other keys kept), with an audit line.
        const std::string toml = readAll(dir.path() / "kiosk.toml");
        CHECK(toml.find("[timeouts]\nresult_s = 25\n") != std::string::npos);
        CHECK(toml.find("[gateway]") != std::string::npos);
        CHECK(run.err.find("staff.audit: setting timeouts.result_s=25 staff=s01") !=
              std::string::npos);
    }
    SECTION("three wrong PINs lock the PIN screen; stepping back shows the patient's screen")
    {
        writeText(dir.path() / "wrong.script", "expect-screen not_ready\n"
                                               "staff-gesture\n"
                                               "expect-screen staff:enter_pin\n"
                                               "type 1111\n"
                                               "tap ok\n"
                                               "expect-text staff.pin.wrong\n"
                                               "type 2222\n"
                                               "tap ok\n"
                                               "type 3333\n"
                                               "tap ok\n"
                                               "expect-screen staff:locked_out\n"
                                               "expect-text staff.locked_out.title\n"
                                               "screenshot staff-locked-out\n"
                                               "tap cancel\n"
                                               "expect-screen not_ready\n"
                                               "staff-gesture\n"
                                               "expect-screen staff:locked_out\n");
        auto run = runKiosk(dir, common + " --headless --script '" +
                                     (dir.path() / "wrong.script").string() + "'");
        INFO(run.err);
        CHECK(run.status == 0);
        CHECK(run.err.find("locked_out staff=-") != std::string::npos);
        CHECK(run.err.find("unlock") == std::string::npos);
    }
}

TEST_CASE("uketsuke-kiosk: a bad flag or key exits 2 with one line naming it")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    writeText(dir.path() / "idle.script", "timeout 1\nexpect-screen never\n");
    const std::string run = "--data '" + (dir.path() / "data").string() +
                            "' --headless --script '" + (dir.path() / "idle.script").string() +
                            "'";
    struct Case {
        const char* name;
        std::string toml; // before the TLS keys
        std::map<std::string, std::string> keys; // string keys among the TLS keys
        std::string flags;
        std::string named;
    };
    const std::vector<Case> cases = {
        {"a persona that is not a plain name", "", {}, "--persona ../x",
         "--persona (sim.persona)"},
        {"a persona key that is not a plain name", "", {{"sim.persona", "../x"}}, "",
         "key 'sim.persona'"},
        {"a clinic code that is not 10 digits", "", {{"clinic_code", "abc"}}, "",
         "key 'clinic_code'"},
        {"a terminal id of the wrong type", "terminal_id = 5\n", {}, "", "key 'terminal_id'"},
        {"an unknown key", "colour = \"blue\"\n", {}, "", "unknown key 'colour'"},
    };
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.name)
        {
            writeText(dir.path() / "kiosk.toml", c.toml + kioskToml(dir.path(), c.keys));
            auto result = runKiosk(dir, "--config '" + (dir.path() / "kiosk.toml").string() +
                                            "' " + run + " " + c.flags);
            INFO(result.err);
            CHECK(result.status == 2);
            auto lines = messageLines(result.err);
            REQUIRE(lines.size() == 1);
            CHECK(lines[0].find(c.named) != std::string::npos);
        }
    }
}

TEST_CASE("uketsuke-kiosk: its data folder is 0700 and the files in it 0600 under umask 022")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    // The simulated reader's card: a persona whose card is not a My Number card needs no
    // certificate files (hal/sim/persona_card.hpp).
    writeText(dir.path() / "personas.json",
              R"({"personas": [{"id": "valid", "card": {"pin": "1234", "kind": "foreign"}}]})");
    writeText(dir.path() / "kiosk.toml", kioskToml(dir.path(), {}));
    writeText(dir.path() / "idle.script", "expect-screen idle\n");
    const auto data = dir.path() / "var" / "kiosk";
    SECTION("made by the terminal") {}
    SECTION("already there, open to others")
    {
        std::filesystem::create_directories(data);
        std::filesystem::permissions(data, std::filesystem::perms{0755});
    }
    tests::Umask umask(022);
    const std::string args = "--config '" + (dir.path() / "kiosk.toml").string() + "' --data '" +
                             data.string() + "' --printer 'sim:" + (data / "slips").string() +
                             "' --headless --script '" + (dir.path() / "idle.script").string() +
                             "'";
    auto run = runKiosk(dir, args);
    INFO(run.err);
    REQUIRE(run.status == 0);
    CHECK(tests::modeOf(data) == 0700);
    REQUIRE(std::filesystem::exists(data / "outbox.sqlite3"));
    for (const auto& entry : std::filesystem::directory_iterator(data)) {
        CAPTURE(entry.path().string());
        if (entry.is_regular_file()) {
            CHECK(tests::modeOf(entry.path()) == 0600);
        } else {
            CHECK(tests::modeOf(entry.path()) == 0700);
        }
    }
}

TEST_CASE("uketsuke-kiosk: outside the opening hours the idle screen says when check-in opens")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    writeText(dir.path() / "personas.json",
              R"({"personas": [{"id": "valid", "card": {"pin": "1234", "kind": "foreign"}}]})");
    // Closed today and tomorrow in Tokyo (whatever the hour), open from 09:00 on the day after.
    const auto zone = time::Zone::tokyo();
    const std::chrono::sys_days today{zone.local(std::chrono::system_clock::now()).date};
    const std::string closed = time::isoDate(std::chrono::year_month_day{today}) + " " +
                               time::isoDate(std::chrono::year_month_day{today + std::chrono::days(1)});
    writeText(dir.path() / "kiosk.toml",
              kioskToml(dir.path(), {{"opening_hours", "mon-sun 09:00-18:00"},
                                     {"closed_dates", closed}}));
    writeText(dir.path() / "closed.script", "expect-screen idle:closed\n"
                                            "expect-text screen.closed.title\n"
                                            "expect-text screen.closed.when\n"
                                            "screenshot closed\n");
    const auto data = dir.path() / "data";
    const std::string args = "--config '" + (dir.path() / "kiosk.toml").string() + "' --data '" +
                             data.string() + "' --printer 'sim:" + (data / "slips").string() +
                             "' --headless --script '" + (dir.path() / "closed.script").string() +
                             "' --screenshots '" + (dir.path() / "shots").string() + "'";
    auto run = runKiosk(dir, args);
    INFO(run.err);
    REQUIRE(run.status == 0);
    CHECK(run.err.find("opening hours: closed") != std::string::npos);

    // A schedule that does not read is refused at start with the key named.
    writeText(dir.path() / "bad.toml",
              kioskToml(dir.path(), {{"opening_hours", "mon-fry 09:00-18:00"}}));
    auto bad = runKiosk(dir, "--config '" + (dir.path() / "bad.toml").string() + "' --data '" +
                                 data.string() + "' --headless --script '" +
                                 (dir.path() / "closed.script").string() + "'");
    CHECK(bad.status == 2);
    const auto lines = messageLines(bad.err);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("opening_hours") != std::string::npos);
    CHECK(lines[0].find("mon-fry") != std::string::npos);
}
