// Runs the real uketsuke-sim binary the way integrators, `make demo` and the end-to-end test
// start it: exit statuses, the "listening" line, and a clean stop on SIGTERM.

#include "base/files.hpp"
#include "crypto/crypto.hpp"
#include "tests/net/tls_client.hpp"
#include "tests/sim/support.hpp"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using uketsuke::sim::testing::ScratchDir;

// A child process with its stdout and stderr on pipes. Reads wait in poll() with a deadline.
class Child {
public:
    explicit Child(const std::vector<std::string>& args)
    {
        int out[2];
        int err[2];
        if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
            throw std::runtime_error("pipe failed");
        }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
        std::vector<std::string> argv{UKETSUKE_SIM_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        std::vector<char*> raw;
        for (auto& arg : argv) {
            raw.push_back(arg.data());
        }
        raw.push_back(nullptr);
        int spawned = posix_spawn(&m_pid, raw[0], &actions, nullptr, raw.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(out[1]);
        ::close(err[1]);
        m_out = out[0];
        m_err = err[0];
        if (spawned != 0) {
            throw std::runtime_error("posix_spawn failed");
        }
    }

    ~Child()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        ::close(m_out);
        ::close(m_err);
    }

    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    // The first line on stdout, or "" if none came before the deadline.
    std::string readLine(Clock::duration within)
    {
        const auto deadline = Clock::now() + within;
        while (m_stdout.find('\n') == std::string::npos && pump(deadline)) {
        }
        auto newline = m_stdout.find('\n');
        if (newline == std::string::npos) {
            return {};
        }
        std::string line = m_stdout.substr(0, newline);
        m_stdout.erase(0, newline + 1);
        return line;
    }

    void signal(int number) { ::kill(m_pid, number); }

    // Reads both pipes to their end and reaps the child; -1 if it did not end in time.
    int wait(Clock::duration within)
    {
        const auto deadline = Clock::now() + within;
        while (!(m_outClosed && m_errClosed)) {
            if (!pump(deadline)) {
                return -1;
            }
        }
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

    const std::string& out() const { return m_stdout; }
    const std::string& err() const { return m_stderr; }

private:
    // Waits for output until the deadline; false when the deadline passed.
    bool pump(Clock::time_point deadline)
    {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left <= 0ms) {
            return false;
        }
        pollfd fds[2] = {{m_outClosed ? -1 : m_out, POLLIN, 0},
                         {m_errClosed ? -1 : m_err, POLLIN, 0}};
        int ready = ::poll(fds, 2, static_cast<int>(left.count()));
        if (ready <= 0) {
            return ready == 0 ? false : true;
        }
        readInto(fds[0], m_out, m_stdout, m_outClosed);
        readInto(fds[1], m_err, m_stderr, m_errClosed);
        return true;
    }

    static void readInto(const pollfd& fd, int pipe, std::string& buffer, bool& closed)
    {
        if (fd.fd < 0 || fd.revents == 0) {
            return;
        }
        char chunk[4096];
        ssize_t got = ::read(pipe, chunk, sizeof chunk);
        if (got <= 0) {
            closed = true;
        } else {
            buffer.append(chunk, static_cast<std::size_t>(got));
        }
    }

    pid_t m_pid = -1;
    int m_out = -1;
    int m_err = -1;
    bool m_outClosed = false;
    bool m_errClosed = false;
    std::string m_stdout;
    std::string m_stderr;
};

TEST_CASE("uketsuke-sim --version: prints the version and exits 0")
{
    Child child({"--version"});
    CHECK(child.wait(30s) == 0);
    CHECK(child.out() == std::string("uketsuke-sim ") + UKETSUKE_VERSION + "\n");
}

TEST_CASE("uketsuke-sim --help: prints the usage on stdout and exits 0")
{
    Child child({"--help"});
    CHECK(child.wait(30s) == 0);
    CHECK(child.out().rfind("usage: uketsuke-sim", 0) == 0);
}

TEST_CASE("uketsuke-sim: an unknown flag exits 2 with one line naming it")
{
    Child child({"gateway", "--no-such-flag"});
    CHECK(child.wait(30s) == 2);
    CHECK(child.out().empty());
    CHECK(child.err() == "uketsuke-sim: unknown flag --no-such-flag for command gateway\n");
}

TEST_CASE("uketsuke-sim: an unknown config key exits 2 naming it")
{
    ScratchDir scratch;
    REQUIRE(uketsuke::files::writeFile(scratch.path() / "sim.toml", "lisen = \"127.0.0.1:0\"\n"));
    Child child({"gateway", "--config", (scratch.path() / "sim.toml").string()});
    CHECK(child.wait(30s) == 2);
    CHECK(child.err().find("unknown key 'lisen'") != std::string::npos);
}

TEST_CASE("uketsuke-sim gateway: prints where it listens, serves, and stops on SIGTERM")
{
    const auto pki = uketsuke::sim::testing::sharedTestPki();
    Child child({"gateway", "--pki", pki.root().string(), "--listen", "127.0.0.1:0"});
    const std::string line = child.readLine(60s);
    INFO("stdout line: " << line << "\nstderr: " << child.err());
    std::smatch match;
    REQUIRE(std::regex_match(line, match, std::regex(R"(listening https://127\.0\.0\.1:(\d+))")));
    const int port = std::stoi(match[1]);
    CHECK(port > 0);

    uketsuke::tests::ClientTls tls;
    tls.caFile = pki.tlsCa().string();
    tls.certFile = pki.terminalCert().string();
    tls.keyFile = pki.terminalKey().string();
    auto reply = uketsuke::tests::HttpsTestClient("127.0.0.1", port, tls).post("/v1/challenge", "{}");
    REQUIRE(reply);
    CHECK(reply->status == 200);

    child.signal(SIGTERM);
    CHECK(child.wait(60s) == 0);
    CHECK(child.out().empty()); // exactly one line on stdout, already read
}

TEST_CASE("uketsuke-sim gateway: SIGINT stops it too")
{
    const auto pki = uketsuke::sim::testing::sharedTestPki();
    Child child({"gateway", "--pki", pki.root().string(), "--listen", "[::1]:0"});
    const std::string line = child.readLine(60s);
    INFO(child.err());
    CHECK(std::regex_match(line, std::regex(R"(listening https://\[::1\]:\d+)")));
    child.signal(SIGINT);
    CHECK(child.wait(60s) == 0);
}

TEST_CASE("uketsuke-sim gateway: a port in use exits 1")
{
    const auto pki = uketsuke::sim::testing::sharedTestPki();
    Child first({"gateway", "--pki", pki.root().string(), "--listen", "127.0.0.1:0"});
    const std::string line = first.readLine(60s);
    REQUIRE(line.rfind("listening https://127.0.0.1:", 0) == 0);
    const std::string port = line.substr(line.rfind(':') + 1);

    Child second({"gateway", "--pki", pki.root().string(), "--listen", "127.0.0.1:" + port});
    CHECK(second.wait(60s) == 1);
    CHECK(second.err().find("cannot listen") != std::string::npos);
    first.signal(SIGTERM);
    CHECK(first.wait(60s) == 0);
}

TEST_CASE("uketsuke-sim gateway activation-code: its code enrols a terminal at the gateway")
{
    ScratchDir scratch;
    const auto pki = uketsuke::sim::testing::copyOfSharedPki(scratch.path() / "pki");
    Child child({"gateway", "activation-code", "--pki", pki.root().string(), "--terminal",
                 "KIOSK-0007"});
    REQUIRE(child.wait(60s) == 0);
    INFO("stdout: " << child.out() << "\nstderr: " << child.err());
    std::smatch match;
    REQUIRE(std::regex_search(child.out(), match,
                              std::regex(R"(^(\d{4}) (\d{4}) (\d{4})\nvalid until \S+Z )")));
    // What a terminal sends: the code as typed, without the spaces.
    const std::string code = match[1].str() + match[2].str() + match[3].str();

    uketsuke::sim::GatewayOptions options;
    options.pkiDir = pki.root();
    uketsuke::sim::testing::RunningGateway gateway(std::move(options));
    auto key = uketsuke::crypto::generateEcKey();
    REQUIRE(key);
    const std::string body =
        nlohmann::json{{"clinic_code", "1399999999"},
                       {"activation_code", code},
                       {"csr", uketsuke::sim::testing::csrPemFor(key->get())}}
            .dump();
    uketsuke::tests::ClientTls tls;
    tls.caFile = pki.tlsCa().string();
    auto reply = uketsuke::tests::HttpsTestClient("127.0.0.1", gateway.port(), tls)
                     .post("/v1/enrol", body);
    REQUIRE(reply);
    INFO(reply->body);
    CHECK(reply->status == 200);
    CHECK(nlohmann::json::parse(reply->body)["terminal_id"] == "KIOSK-0007");
}

TEST_CASE("uketsuke-sim gateway activation-code: a bad terminal id exits 2 with one line")
{
    ScratchDir scratch;
    const auto pki = uketsuke::sim::testing::copyOfSharedPki(scratch.path() / "pki");
    Child child({"gateway", "activation-code", "--pki", pki.root().string(), "--terminal",
                 "KIOSK 7"});
    CHECK(child.wait(30s) == 2);
    CHECK(child.out().empty());
    CHECK(child.err().find("--terminal") != std::string::npos);
    CHECK(child.err().find('\n') == child.err().size() - 1);
}

} // namespace
