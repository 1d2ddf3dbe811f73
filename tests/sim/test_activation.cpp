// The activation codes of enrolment (sim/activation.hpp) on real folders.

#include "sim/activation.hpp"

#include "base/files.hpp"
#include "base/hex.hpp"
#include "crypto/crypto.hpp"
#include "tests/sim/support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using uketsuke::Errc;
using namespace uketsuke::sim;
using uketsuke::sim::testing::ScratchDir;
namespace crypto = uketsuke::crypto;
namespace files = uketsuke::files;

// 2026-12-06T10:00:00Z.
const auto kNow = std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + 10h;

mode_t modeOf(const std::filesystem::path& path)
{
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    return info.st_mode & 0777;
}

std::string sha256Hex(const std::string& text)
{
    auto digest = crypto::sha256(crypto::Bytes(text.begin(), text.end()));
    REQUIRE(digest);
    return uketsuke::hex(*digest, uketsuke::HexCase::Lower);
}

TEST_CASE("isTerminalId and isClinicCode: what a code can be made for")
{
    for (const char* good :
         {"KIOSK-0002", "k", "Kiosk_2.reception", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"}) {
        INFO(good);
        CHECK(isTerminalId(good));
    }
    for (const char* bad : {"", ".hidden", "../x", "a/b", "KIOSK 2", "KIOSK-0002\n", "端末",
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"}) {
        INFO(bad);
        CHECK_FALSE(isTerminalId(bad));
    }
    CHECK(isClinicCode("1399999999"));
    CHECK_FALSE(isClinicCode("139999999"));
    CHECK_FALSE(isClinicCode("13999999990"));
    CHECK_FALSE(isClinicCode("13999 9999"));
    CHECK(isActivationCode("482913650271"));
    CHECK_FALSE(isActivationCode("4829 1365 0271"));
    CHECK_FALSE(isActivationCode("48291365027"));
    CHECK(groupActivationCode("482913650271") == "4829 1365 0271");
}

TEST_CASE("ActivationStore::create: 12 random digits, stored under their SHA-256 only")
{
    ScratchDir scratch;
    const auto dir = scratch.path() / "tls" / "activation";
    const ActivationStore store(dir);
    auto issued = store.create("KIOSK-0002", "1399999999", 24h, kNow);
    INFO((issued ? std::string() : issued.error().message));
    REQUIRE(issued);
    CHECK(isActivationCode(issued->code));
    CHECK(issued->expiresAt == kNow + 24h);

    CHECK(modeOf(dir) == 0700);
    const auto file = dir / sha256Hex(issued->code);
    CHECK(store.fileOf(issued->code) == file);
    REQUIRE(std::filesystem::is_regular_file(file));
    CHECK(modeOf(file) == 0600);
    auto text = files::readFile(file);
    REQUIRE(text);
    CHECK(json::parse(*text) == json{{"terminal_id", "KIOSK-0002"},
                                     {"clinic_code", "1399999999"},
                                     {"expires_at", "2026-12-07T10:00:00Z"}});
    // The code itself is written nowhere: neither as a name nor in a file.
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        CHECK(entry.path().filename().string().find(issued->code) == std::string::npos);
        auto content = files::readFile(entry.path());
        REQUIRE(content);
        CHECK(content->find(issued->code) == std::string::npos);
    }
}

TEST_CASE("ActivationStore::create: codes differ and refuse what is not a terminal or clinic")
{
    ScratchDir scratch;
    const ActivationStore store(scratch.path() / "activation");
    std::set<std::string> codes;
    for (int i = 0; i < 20; ++i) {
        auto issued = store.create("KIOSK-0002", "1399999999", 1h, kNow);
        REQUIRE(issued);
        codes.insert(issued->code);
    }
    CHECK(codes.size() == 20);

    CHECK(store.create("../x", "1399999999", 1h, kNow).error().code == Errc::InvalidArgument);
    CHECK(store.create("KIOSK-0002", "13999", 1h, kNow).error().code == Errc::InvalidArgument);
    CHECK(store.create("KIOSK-0002", "1399999999", 0s, kNow).error().code ==
          Errc::InvalidArgument);
}

TEST_CASE("ActivationStore::check: open for its clinic until it expires")
{
    ScratchDir scratch;
    const ActivationStore store(scratch.path() / "activation");
    auto issued = store.create("KIOSK-0002", "1399999999", 24h, kNow);
    REQUIRE(issued);

    auto open = store.check(issued->code, "1399999999", kNow + 24h - 1s);
    CHECK(open.state == CodeState::Open);
    CHECK(open.activation.terminalId == "KIOSK-0002");
    CHECK(store.check(issued->code, "1399999999", kNow + 24h).state == CodeState::Expired);
    CHECK(store.check(issued->code, "1311111111", kNow).state == CodeState::OtherClinic);
    std::string other = issued->code;
    other[0] = other[0] == '0' ? '1' : '0';
    CHECK(store.check(other, "1399999999", kNow).state == CodeState::Unknown);
    CHECK(store.check("4829 1365 0271", "1399999999", kNow).state == CodeState::Unknown);
    CHECK(store.check("", "1399999999", kNow).state == CodeState::Unknown);
    // Looking consumes nothing.
    CHECK(store.check(issued->code, "1399999999", kNow).state == CodeState::Open);

    REQUIRE(files::writeFile(store.fileOf(issued->code), "{\"terminal_id\": 5}"));
    auto broken = store.check(issued->code, "1399999999", kNow);
    CHECK(broken.state == CodeState::Unreadable);
    CHECK(broken.problem.find(issued->code) == std::string::npos);
}

TEST_CASE("ActivationStore::consume: once, and a used code stays used")
{
    ScratchDir scratch;
    const ActivationStore store(scratch.path() / "activation");
    auto issued = store.create("KIOSK-0002", "1399999999", 24h, kNow);
    REQUIRE(issued);
    auto first = store.consume(issued->code);
    REQUIRE(first);
    CHECK(*first);
    auto second = store.consume(issued->code);
    REQUIRE(second);
    CHECK_FALSE(*second);
    CHECK_FALSE(std::filesystem::exists(store.fileOf(issued->code)));
    CHECK(std::filesystem::is_regular_file(store.usedFileOf(issued->code)));
    auto used = store.check(issued->code, "1399999999", kNow);
    CHECK(used.state == CodeState::Used);
    CHECK(used.activation.terminalId == "KIOSK-0002");
}

TEST_CASE("ActivationStore::prune: codes expired a month ago go, used or not, and the rest stay")
{
    ScratchDir scratch;
    const ActivationStore store(scratch.path() / "activation");
    auto old = store.create("KIOSK-0002", "1399999999", 24h, kNow);
    auto oldUsed = store.create("KIOSK-0003", "1399999999", 24h, kNow);
    REQUIRE(old);
    REQUIRE(oldUsed);
    REQUIRE(store.consume(oldUsed->code));
    const auto later = kNow + 24h + ActivationStore::kKeptAfterExpiry;
    auto recent = store.create("KIOSK-0004", "1399999999", 72h, later - 48h);
    REQUIRE(recent);
    REQUIRE(files::writeFile(scratch.path() / "activation" / "README", "not a code"));
    const auto stranger = scratch.path() / "activation" / std::string(64, 'a');
    REQUIRE(files::writeFile(stranger, "{broken"));

    CHECK(store.prune(later - 1s) == 0); // not a month past expiry yet
    // Making a code prunes first.
    auto fresh = store.create("KIOSK-0005", "1399999999", 24h, later);
    REQUIRE(fresh);
    CHECK_FALSE(std::filesystem::exists(store.fileOf(old->code)));
    CHECK_FALSE(std::filesystem::exists(store.usedFileOf(oldUsed->code)));
    CHECK(std::filesystem::exists(store.fileOf(recent->code)));
    CHECK(std::filesystem::exists(store.fileOf(fresh->code)));
    CHECK(std::filesystem::exists(scratch.path() / "activation" / "README"));
    CHECK(std::filesystem::exists(stranger)); // unreadable: left for someone to look at
    CHECK(store.check(recent->code, "1399999999", later).state == CodeState::Open);
    CHECK(store.prune(later) == 0);
}

TEST_CASE("ActivationStore::consume: of 8 threads redeeming one code exactly one wins")
{
    ScratchDir scratch;
    const ActivationStore store(scratch.path() / "activation");
    auto issued = store.create("KIOSK-0002", "1399999999", 24h, kNow);
    REQUIRE(issued);
    constexpr int kThreads = 8;
    std::latch start(kThreads);
    std::vector<int> won(kThreads, -1);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            auto consumed = store.consume(issued->code);
            won[static_cast<std::size_t>(i)] = consumed ? (*consumed ? 1 : 0) : 2;
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(std::count(won.begin(), won.end(), 1) == 1);
    CHECK(std::count(won.begin(), won.end(), 0) == kThreads - 1);
}

TEST_CASE("parseActivation: reads what activationToJson writes and refuses anything else")
{
    const Activation activation{"KIOSK-0002", "1399999999", kNow};
    auto read = parseActivation(activationToJson(activation));
    REQUIRE(read);
    CHECK(read->terminalId == "KIOSK-0002");
    CHECK(read->clinicCode == "1399999999");
    CHECK(read->expiresAt == kNow);
    for (const char* bad :
         {"", "[]", "{}", R"({"terminal_id": "../x", "clinic_code": "1399999999",
                             "expires_at": "2026-12-07T10:00:00Z"})",
          R"({"terminal_id": "K", "clinic_code": "1399999999", "expires_at": "tomorrow"})",
          R"({"terminal_id": "K", "clinic_code": 1399999999,
              "expires_at": "2026-12-07T10:00:00Z"})"}) {
        INFO(bad);
        CHECK(parseActivation(bad).error().code == Errc::InvalidArgument);
    }
}

} // namespace
