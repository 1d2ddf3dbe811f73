// Runs the real uketsuke-desk binary: the command-line contract of docs/programs/uketsuke-desk.md.

#include "desk/store.hpp"
#include "kiosk/model/json.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/sample_checkin.hpp"
#include "tests/net/tls_client.hpp"
#include "tests/support/notify_socket.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <csignal>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

using namespace uketsuke;
using Clock = std::chrono::steady_clock;

constexpr auto kDeadline = std::chrono::seconds(30);

int remainingMs(Clock::time_point deadline)
{
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// The program under test as a child process with its stdout and stderr on pipes, and `input`
// (small: it must fit the pipe) as its stdin.
class Child {
public:
    explicit Child(std::vector<std::string> args, const std::string& input = {})
    {
        args.insert(args.begin(), UKETSUKE_DESK_BINARY);
        int in[2];
        int out[2];
        int err[2];
        REQUIRE(pipe(in) == 0);
        REQUIRE(pipe(out) == 0);
        REQUIRE(pipe(err) == 0);
        REQUIRE(write(in[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
        close(in[1]);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, in[0], 0);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        posix_spawn_file_actions_adddup2(&actions, err[1], 2);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        posix_spawn_file_actions_addclose(&actions, err[0]);
        std::vector<char*> argv;
        for (auto& arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        int rc = posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(in[0]);
        close(out[1]);
        close(err[1]);
        m_out = out[0];
        m_err = err[0];
        REQUIRE(rc == 0);
        m_pidfd = static_cast<int>(syscall(SYS_pidfd_open, m_pid, 0));
        REQUIRE(m_pidfd >= 0);
    }

    ~Child()
    {
        if (!m_reaped) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
        }
        close(m_out);
        close(m_err);
        close(m_pidfd);
    }

    // One line of stdout, without the newline; empty if none came before the deadline.
    std::string readLine(Clock::time_point deadline)
    {
        std::string line;
        char c = 0;
        while (true) {
            pollfd fd{m_out, POLLIN, 0};
            if (poll(&fd, 1, remainingMs(deadline)) <= 0 || read(m_out, &c, 1) != 1) {
                return line;
            }
            if (c == '\n') {
                return line;
            }
            line += c;
        }
    }

    // The exit status once the child ended (-1 if it did not by the deadline, -2 if a signal
    // ended it). Also collects what it wrote to stdout and stderr.
    int wait(Clock::time_point deadline)
    {
        pollfd fd{m_pidfd, POLLIN, 0};
        if (poll(&fd, 1, remainingMs(deadline)) != 1) {
            return -1;
        }
        int status = 0;
        REQUIRE(waitpid(m_pid, &status, 0) == m_pid);
        m_reaped = true;
        m_stdout += drain(m_out);
        m_stderr = drain(m_err);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
    }

    void signal(int sig) { kill(m_pid, sig); }
    const std::string& out() const { return m_stdout; }
    const std::string& err() const { return m_stderr; }

private:
    static std::string drain(int fd)
    {
        std::string text;
        char buffer[4096];
        ssize_t n = 0;
        while ((n = read(fd, buffer, sizeof buffer)) > 0) {
            text.append(buffer, static_cast<std::size_t>(n));
        }
        return text;
    }

    pid_t m_pid = -1;
    int m_pidfd = -1;
    int m_out = -1;
    int m_err = -1;
    bool m_reaped = false;
    std::string m_stdout;
    std::string m_stderr;
};

std::size_t lines(const std::string& text)
{
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Adds the staff account "sato" to the data folder `data` (before the desk starts).
void addStaffAccount(const std::filesystem::path& data, Clock::time_point deadline)
{
    Child add({"user", "add", "sato", "--data", data.string()}, "correct-horse-42\n");
    REQUIRE(add.wait(deadline) == 0);
    CHECK(add.out() == "user add sato: done\n");
}

// Logs "sato" in as a reception PC does; the Cookie header line of the session.
std::string staffCookie(int port, const tests::ClientTls& tls)
{
    tests::HttpsTestClient staff("127.0.0.1", port, tls);
    auto login = staff.post("/login", "name=sato&password=correct-horse-42",
                            "application/x-www-form-urlencoded");
    REQUIRE(login);
    REQUIRE(login->status == 303);
    const std::string cookie = login->header("Set-Cookie");
    return "Cookie: " + cookie.substr(0, cookie.find(';')) + "\r\n";
}

// GET `path` with the session header `cookie`.
std::optional<tests::HttpAnswer> staffGet(int port, const tests::ClientTls& tls,
                                          const std::string& cookie, const std::string& path)
{
    auto connection = tests::TlsClient::connect("127.0.0.1", port, tls);
    REQUIRE(connection);
    return connection->request("GET", path, {}, cookie);
}

TEST_CASE("uketsuke-desk: --version prints the version and exits 0")
{
    Child child({"--version"});
    CHECK(child.wait(Clock::now() + kDeadline) == 0);
    CHECK(child.out() == std::string("uketsuke-desk ") + UKETSUKE_VERSION + "\n");
}

TEST_CASE("uketsuke-desk: --help prints the usage and exits 0")
{
    Child child({"--help"});
    CHECK(child.wait(Clock::now() + kDeadline) == 0);
    CHECK(child.out().find("--listen HOST:PORT") != std::string::npos);
}

TEST_CASE("uketsuke-desk: an unknown flag is one line on stderr and exit status 2")
{
    Child child({"--pki", "/nowhere", "--data", "/nowhere", "--frobnicate"});
    CHECK(child.wait(Clock::now() + kDeadline) == 2);
    CHECK(lines(child.err()) == 1);
    CHECK(child.err().find("--frobnicate") != std::string::npos);
    CHECK(child.out().empty());
}

TEST_CASE("uketsuke-desk: a bad user command is one line on stderr and exit status 2")
{
    tests::TempDir dir;
    const std::string data = (dir.path() / "data").string();
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"user", "rename", "sato", "--data", data}, {"user", "add", "Sato", "--data", data},
             {"user", "list"}}) {
        Child child(args);
        CHECK(child.wait(Clock::now() + kDeadline) == 2);
        CHECK(lines(child.err()) == 1);
        CHECK(child.out().empty());
    }
    Child tooShort({"user", "add", "sato", "--data", data}, "short\n");
    CHECK(tooShort.wait(Clock::now() + kDeadline) == 2);
    Child listed({"user", "list", "--data", data});
    CHECK(listed.wait(Clock::now() + kDeadline) == 0);
    CHECK(lines(listed.out()) == 1); // the heading: no account was made
}

TEST_CASE("uketsuke-desk: a bad config key is one line naming it and exit status 2")
{
    tests::TempDir dir;
    std::ofstream(dir.path() / "desk.toml") << "pki = \"pki\"\ndata = \"data\"\nport = 1\n";
    Child child({"--config", (dir.path() / "desk.toml").string()});
    CHECK(child.wait(Clock::now() + kDeadline) == 2);
    CHECK(lines(child.err()) == 1);
    CHECK(child.err().find("port") != std::string::npos);
}

TEST_CASE("uketsuke-desk: a PKI folder without the desk's files is exit status 2")
{
    tests::TempDir dir;
    Child child({"--pki", (dir.path() / "pki").string(), "--data", (dir.path() / "data").string(),
                 "--listen", "127.0.0.1:0", "--assets",
                 std::string(UKETSUKE_SOURCE_DIR) + "/assets"});
    CHECK(child.wait(Clock::now() + kDeadline) == 2);
    CHECK(lines(child.err()) == 1);
    CHECK(child.err().find("desk.pem") != std::string::npos);
}

TEST_CASE("uketsuke-desk: serves on the port it prints and stops cleanly on SIGTERM")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path() / "pki");
    const auto tls = dir.path() / "pki" / "tls";
    const auto deadline = Clock::now() + kDeadline;
    addStaffAccount(dir.path() / "data", deadline);
    Child child({"--pki", (dir.path() / "pki").string(), "--data", (dir.path() / "data").string(),
                 "--listen", "127.0.0.1:0", "--assets",
                 std::string(UKETSUKE_SOURCE_DIR) + "/assets"});

    const std::string line = child.readLine(deadline);
    const std::string prefix = "listening https://127.0.0.1:";
    REQUIRE(line.rfind(prefix, 0) == 0);
    const int port = std::stoi(line.substr(prefix.size()));
    CHECK(port > 0);

    tests::ClientTls terminalTls;
    terminalTls.caFile = (tls / "ca.pem").string();
    terminalTls.certFile = (tls / "terminal.pem").string();
    terminalTls.keyFile = (tls / "terminal.key").string();
    tests::HttpsTestClient terminal("127.0.0.1", port, terminalTls);
    auto posted = terminal.post("/api/v1/checkins",
                                kiosk::model::toJson(tests::sampleCheckIn("k1", "0005")).dump());
    REQUIRE(posted);
    CHECK(posted->status == 201);

    // A reception PC: no client certificate, a log-in with the account added above.
    tests::ClientTls staffTls;
    staffTls.caFile = (tls / "ca.pem").string();
    tests::HttpsTestClient staff("127.0.0.1", port, staffTls);
    auto anonymous = staff.get("/");
    REQUIRE(anonymous);
    CHECK(anonymous->status == 303);
    const std::string header = staffCookie(port, staffTls);
    auto page = staffGet(port, staffTls, header, "/");
    REQUIRE(page);
    CHECK(page->status == 200);
    auto script = staff.get("/desk/queue.js"); // from the assets folder the binary found
    REQUIRE(script);
    CHECK(script->status == 200);
    auto queue = staffGet(port, staffTls, header, "/api/v1/queue"); // the rows the page shows
    REQUIRE(queue);
    CHECK(queue->status == 200);
    CHECK(queue->body.find("\"receipt_number\":\"0005\"") != std::string::npos);

    child.signal(SIGTERM);
    CHECK(child.wait(deadline) == 0);
    CHECK(child.out() == ""); // nothing after the one listening line

    auto store = desk::DeskStore::open((dir.path() / "data" / "desk.sqlite3").string());
    REQUIRE(store);
    CHECK(*(*store)->count() == 1);
}

TEST_CASE("uketsuke-desk as a service: READY=1 once it listens, STOPPING=1 on SIGTERM")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path() / "pki");
    const auto deadline = Clock::now() + kDeadline;
    test::NotifySocket socket; // sets NOTIFY_SOCKET for the child
    Child child({"--pki", (dir.path() / "pki").string(), "--data", (dir.path() / "data").string(),
                 "--listen", "127.0.0.1:0", "--assets",
                 std::string(UKETSUKE_SOURCE_DIR) + "/assets"});
    ::unsetenv("NOTIFY_SOCKET");
    const std::string line = child.readLine(deadline);
    const std::string prefix = "listening ";
    REQUIRE(line.rfind(prefix, 0) == 0);
    using namespace std::chrono_literals;
    auto ready = socket.next(10s);
    REQUIRE(ready);
    CHECK(*ready == "READY=1\nSTATUS=" + line);

    child.signal(SIGTERM);
    CHECK(socket.waitFor("STOPPING=1", 10s));
    CHECK(child.wait(deadline) == 0);
}

TEST_CASE("uketsuke-desk: its data folder is 0700 and the files in it 0600 under umask 022")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path() / "pki");
    const auto tls = dir.path() / "pki" / "tls";
    const auto data = dir.path() / "var" / "desk";
    SECTION("made by the desk") {}
    SECTION("already there, open to others")
    {
        std::filesystem::create_directories(data);
        std::filesystem::permissions(data, std::filesystem::perms{0755});
    }
    tests::Umask umask(022);
    const auto deadline = Clock::now() + kDeadline;
    Child child({"--pki", (dir.path() / "pki").string(), "--data", data.string(), "--listen",
                 "127.0.0.1:0", "--assets", std::string(UKETSUKE_SOURCE_DIR) + "/assets"});
    const std::string line = child.readLine(deadline);
    const std::string prefix = "listening https://127.0.0.1:";
    REQUIRE(line.rfind(prefix, 0) == 0);

    // One check-in, so that the database and its journal hold personal data.
    tests::ClientTls terminalTls;
    terminalTls.caFile = (tls / "ca.pem").string();
    terminalTls.certFile = (tls / "terminal.pem").string();
    terminalTls.keyFile = (tls / "terminal.key").string();
    tests::HttpsTestClient terminal("127.0.0.1", std::stoi(line.substr(prefix.size())),
                                    terminalTls);
    auto posted = terminal.post("/api/v1/checkins",
                                kiosk::model::toJson(tests::sampleCheckIn("k1", "0006")).dump());
    REQUIRE(posted);
    CHECK(posted->status == 201);

    CHECK(tests::modeOf(data) == 0700);
    REQUIRE(std::filesystem::exists(data / "desk.sqlite3"));
    // Files 0600; the pairing CA's folder (desk/pairing.hpp) 0700.
    for (const auto& entry : std::filesystem::recursive_directory_iterator(data)) {
        CAPTURE(entry.path().string());
        if (entry.is_directory()) {
            CHECK(entry.path().filename() == "pairing");
            CHECK(tests::modeOf(entry.path()) == 0700);
            continue;
        }
        CHECK(entry.is_regular_file());
        CHECK(tests::modeOf(entry.path()) == 0600);
    }
    child.signal(SIGTERM);
    CHECK(child.wait(deadline) == 0);
}

// Sets an environment variable for the children this test starts, and restores it after.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : m_name(name)
    {
        if (const char* old = std::getenv(name); old != nullptr) {
            m_old = old;
        }
        setenv(name, value, 1);
    }
    ~ScopedEnv()
    {
        if (m_old) {
            setenv(m_name, m_old->c_str(), 1);
        } else {
            unsetenv(m_name);
        }
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

TEST_CASE("uketsuke-desk: local dates follow time_zone, not the process's TZ")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path() / "pki");
    const auto tls = dir.path() / "pki" / "tls";
    std::ofstream(dir.path() / "desk.toml") << "pki = \"pki\"\ndata = \"data\"\n"
                                               "listen = \"127.0.0.1:0\"\n"
                                               "time_zone = \"Asia/Tokyo\"\n"
                                               "assets = \"" UKETSUKE_SOURCE_DIR "/assets\"\n";
    ScopedEnv utc("TZ", "UTC");
    const auto deadline = Clock::now() + kDeadline;
    addStaffAccount(dir.path() / "data", deadline);
    Child child({"--config", (dir.path() / "desk.toml").string()});
    const std::string line = child.readLine(deadline);
    const std::string prefix = "listening https://127.0.0.1:";
    REQUIRE(line.rfind(prefix, 0) == 0);
    const int port = std::stoi(line.substr(prefix.size()));

    tests::ClientTls terminalTls;
    terminalTls.caFile = (tls / "ca.pem").string();
    terminalTls.certFile = (tls / "terminal.pem").string();
    terminalTls.keyFile = (tls / "terminal.key").string();
    auto checkIn = tests::sampleCheckIn("tz-1", "0008");
    checkIn.checkedAt = "2026-12-04T16:30:00Z";
    auto posted = tests::HttpsTestClient("127.0.0.1", port, terminalTls)
                      .post("/api/v1/checkins", kiosk::model::toJson(checkIn).dump());
    REQUIRE(posted);
    CHECK(posted->status == 201);

    tests::ClientTls staffTls;
    staffTls.caFile = (tls / "ca.pem").string();
    const std::string cookie = staffCookie(port, staffTls);
    auto listed = staffGet(port, staffTls, cookie, "/api/v1/checkins?date=2026-12-05");
    REQUIRE(listed);
    REQUIRE(listed->status == 200);
    auto list = nlohmann::json::parse(listed->body);
    REQUIRE(list.at("checkins").size() == 1);
    CHECK(list.at("checkins").at(0).at("local_date") == "2026-12-05");
    CHECK(list.at("checkins").at(0).at("local_time") == "01:30");
    auto evening = staffGet(port, staffTls, cookie, "/api/v1/checkins?date=2026-12-04");
    REQUIRE(evening);
    CHECK(nlohmann::json::parse(evening->body).at("checkins").empty());

    child.signal(SIGTERM);
    CHECK(child.wait(deadline) == 0);
}

TEST_CASE("uketsuke-desk export: writes the face files and CSV of a day again")
{
    tests::TempDir dir;
    std::filesystem::create_directories(dir.path() / "data");
    {
        auto store = desk::DeskStore::open((dir.path() / "data" / "desk.sqlite3").string());
        REQUIRE(store);
        auto checkIn = tests::sampleCheckIn("e-1", "0001");
        checkIn.checkedAt = "2026-12-04T16:30:05Z";
        REQUIRE((*store)->ingest(checkIn));
    }
    const auto config = dir.path() / "desk.toml";
    std::ofstream(config) << "pki = \"pki\"\ndata = \"data\"\n"
                             "[export]\ndir = \"out\"\nencoding = \"shift_jis\"\n";
    const auto deadline = Clock::now() + kDeadline;

    Child run({"--config", config.string(), "export", "--date", "2026-12-05"});
    CHECK(run.wait(deadline) == 0);
    CHECK(run.out() == "exported 1 check-ins of 2026-12-05 to " + (dir.path() / "out").string() +
                           "\n");
    CHECK(std::filesystem::exists(dir.path() / "out" / "OQSsiquc01res_face_1_20261205013005.xml"));
    CHECK(std::filesystem::exists(dir.path() / "out" / "checkins-2026-12-05.csv"));

    Child noDate({"--config", config.string(), "export"});
    CHECK(noDate.wait(deadline) == 2);
    CHECK(noDate.err().find("--date") != std::string::npos);
    Child dateAlone({"--config", config.string(), "--date", "2026-12-05"});
    CHECK(dateAlone.wait(deadline) == 2);
    CHECK(dateAlone.err().find("export") != std::string::npos);
}

TEST_CASE("uketsuke-desk: the server limits are flags and config keys")
{
    Child badFlag({"--pki", "/nowhere", "--data", "/nowhere", "--max-connections", "0"});
    CHECK(badFlag.wait(Clock::now() + kDeadline) == 2);
    CHECK(lines(badFlag.err()) == 1);
    CHECK(badFlag.err().find("--max-connections") != std::string::npos);

    tests::TempDir dir;
    std::ofstream(dir.path() / "desk.toml") << "pki = \"pki\"\ndata = \"data\"\n"
                                               "idle_timeout_ms = \"soon\"\n";
    Child badKey({"--config", (dir.path() / "desk.toml").string()});
    CHECK(badKey.wait(Clock::now() + kDeadline) == 2);
    CHECK(lines(badKey.err()) == 1);
    CHECK(badKey.err().find("'idle_timeout_ms'") != std::string::npos);
}

} // namespace
