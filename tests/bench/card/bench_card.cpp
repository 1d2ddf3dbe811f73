// bench_card: the card part of one check-in through the real pcscd and vpcd (connect, SELECT
// AP, read the certificate, tries query, VERIFY, SELECT key, sign, disconnect), with the number
// of APDUs and the wall time, next to OpenSC's `pkcs11-tool --sign` on the same virtual card in
// the same run. Runs in the PC/SC sandbox of the integration tests (its own pcscd in a private
// network + mount namespace); prints "skipped: ..." and exits 77 where that cannot run.
//
// APDUs are counted twice: by a counting channel on our side, and for both clients from
// pcscd's own APDU log (pcscd --debug --apdu), so the two numbers are comparable.
//
// Usage: bench_card [RUNS]   (default 5; medians are printed)

#include "hal/apdu.hpp"
#include "hal/pcsc/pcsc_reader.hpp"
#include "kiosk/card/jpki.hpp"
#include "tests/hal/pcsc/pcsc_sandbox.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kPkcs11Tool = "/usr/bin/pkcs11-tool";
constexpr const char* kP11Module = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";

class CountingChannel final : public hal::CardChannel {
public:
    explicit CountingChannel(std::unique_ptr<hal::CardChannel> inner)
        : hal::CardChannel(inner->atr()), m_inner(std::move(inner))
    {
    }
    std::size_t count = 0;

protected:
    Result<hal::Bytes> doTransmit(std::span<const std::uint8_t> command) override
    {
        ++count;
        auto apdu = toApdu(command);
        if (!apdu) {
            return fail(std::move(apdu).error());
        }
        auto response = m_inner->transmit(std::move(*apdu));
        if (!response) {
            return fail(std::move(response).error());
        }
        hal::Bytes raw = std::move(response->data);
        raw.push_back(response->sw1());
        raw.push_back(response->sw2());
        return raw;
    }

private:
    // Re-parses the encoded command so the inner channel's front sees the same APDU.
    static Result<hal::Apdu> toApdu(std::span<const std::uint8_t> raw)
    {
        auto parsed = hal::parseCommandApdu(raw);
        if (!parsed) {
            return fail(std::move(parsed).error());
        }
        hal::Apdu apdu;
        apdu.cla = parsed->cla;
        apdu.ins = parsed->ins;
        apdu.p1 = parsed->p1;
        apdu.p2 = parsed->p2;
        apdu.data.assign(parsed->data.begin(), parsed->data.end());
        apdu.le = parsed->hasLe ? static_cast<int>(parsed->ne & 0xFF) : -1;
        apdu.sensitive = parsed->ins == 0x20 && !parsed->data.empty();
        return apdu;
    }
    std::unique_ptr<hal::CardChannel> m_inner;
};

// Lines with "APDU: " in pcscd's log: one per command (answers are "SW: " lines).
std::size_t pcscdApduLines(const std::filesystem::path& log)
{
    std::ifstream in(log);
    std::size_t count = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.find("APDU: ") != std::string::npos) {
            ++count;
        }
    }
    return count;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double ms(Clock::duration d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

struct Run {
    double ms = 0;
    std::size_t apdus = 0;
    std::size_t certificateBytes = 0;
};

Run ourCheckIn(hal::pcsc::PcscReader& reader)
{
    Pin pin;
    for (char c : {'1', '2', '3', '4'}) {
        pin.push(c);
    }
    const hal::Bytes challenge(32, 0x5A);
    const auto start = Clock::now();
    auto connected = reader.connect();
    if (!connected) {
        throw std::runtime_error("connect: " + connected.error().message);
    }
    CountingChannel channel(std::move(*connected));
    kiosk::card::JpkiCard card(channel);
    Run run;
    {
        if (!card.selectJpki()) {
            throw std::runtime_error("select");
        }
        auto der = card.readAuthCertificate();
        if (!der) {
            throw std::runtime_error("certificate: " + der.error().message);
        }
        run.certificateBytes = der->size();
        if (!card.pinTriesLeft()) {
            throw std::runtime_error("tries");
        }
        auto signature = card.verifyAndSign(pin, challenge);
        if (!signature) {
            throw std::runtime_error("sign: " + signature.error().message);
        }
        if (!std::holds_alternative<hal::Bytes>(*signature)) {
            throw std::runtime_error("sign: the card refused the PIN");
        }
    }
    run.apdus = channel.count;
    run.ms = ms(Clock::now() - start);
    return run;
}

} // namespace

int main(int argc, char** argv)
{
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    if (auto missing = test::pcscSandboxMissing(); !missing.empty()) {
        std::printf("skipped: %s\n", missing.c_str());
        return 77;
    }
    if (access(kPkcs11Tool, X_OK) != 0 || access(kP11Module, R_OK) != 0) {
        std::printf("skipped: OpenSC (opensc, opensc-pkcs11) not installed\n");
        return 77;
    }
    if (auto failed = test::enterPcscSandbox(); !failed.empty()) {
        std::printf("skipped: %s\n", failed.c_str());
        return 77;
    }
    try {
        char pattern[] = "/tmp/uketsuke-bench-XXXXXX";
        const std::filesystem::path dir = mkdtemp(pattern);
        test::Process pcscd({"/usr/sbin/pcscd", "--foreground", "--debug", "--apdu"},
                            dir / "pcscd.log");
        // Readiness: the reader sees the card (PcscReader waits on pcscd itself).
        auto card =
            test::startSimCard("valid", dir, 35963, {"--state", (dir / "state.json").string()});
        hal::pcsc::PcscReader reader;
        auto change = reader.waitForChange(hal::CardPresence::Absent, 30s);
        if (!change || change->presence != hal::CardPresence::Present) {
            throw std::runtime_error("the virtual card did not appear");
        }

        std::vector<double> ours;
        std::size_t ourApdus = 0;
        std::size_t ourPcscdApdus = 0;
        std::size_t certificateBytes = 0;
        for (int i = 0; i < runs; ++i) {
            const std::size_t before = pcscdApduLines(dir / "pcscd.log");
            Run run = ourCheckIn(reader);
            ours.push_back(run.ms);
            ourApdus = run.apdus;
            certificateBytes = run.certificateBytes;
            ourPcscdApdus = pcscdApduLines(dir / "pcscd.log") - before;
        }

        const auto data = dir / "data";
        std::ofstream(data) << "the eligibility challenge";
        std::vector<double> theirs;
        std::size_t theirPcscdApdus = 0;
        for (int i = 0; i < runs; ++i) {
            const std::size_t before = pcscdApduLines(dir / "pcscd.log");
            const auto start = Clock::now();
            auto result = test::runCommand({kPkcs11Tool, "--module", kP11Module, "--slot-index",
                                            "0", "--login", "--pin", "1234", "--sign", "-m",
                                            "SHA256-RSA-PKCS", "--id", "01", "-i", data.string(),
                                            "-o", (dir / "sig").string()});
            theirs.push_back(ms(Clock::now() - start));
            if (result.status != 0) {
                throw std::runtime_error("pkcs11-tool failed: " + result.output);
            }
            theirPcscdApdus = pcscdApduLines(dir / "pcscd.log") - before;
        }

        const std::size_t reads = (certificateBytes + 255) / 256;
        std::printf("bench_card: one check-in's card part through pcscd + vpcd "
                    "(%d runs, medians)\n",
                    runs);
        const std::size_t minimum = reads + 7;
        std::printf("  uketsuke JpkiCard:  %3zu APDUs, %8.1f ms  (pcscd saw %zu; minimum %zu = "
                    "%zu reads of the %zu-byte certificate + 7 commands)\n",
                    ourApdus, median(ours), ourPcscdApdus, minimum, reads, certificateBytes);
        std::printf("  OpenSC pkcs11-tool: %3zu APDUs, %8.1f ms  (pcscd's count; a new process "
                    "that binds PKCS#15 and probes drivers)\n",
                    theirPcscdApdus, median(theirs));
        std::printf("  APDU count: %zu (goal: exactly the minimum %zu; %s)\n", ourApdus, minimum,
                    ourApdus == minimum && ourPcscdApdus == minimum ? "met" : "NOT met");
        std::printf("  time ratio uketsuke / OpenSC: %.3f (goal: at most 0.2; %s)\n",
                    median(ours) / median(theirs),
                    median(ours) <= 0.2 * median(theirs) ? "met" : "NOT met");
        std::error_code ec;
        card.stop();
        pcscd.stop();
        std::filesystem::remove_all(dir, ec);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_card: %s\n", e.what());
        return 1;
    }
    return 0;
}
