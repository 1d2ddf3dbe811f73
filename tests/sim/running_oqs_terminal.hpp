#pragma once

// A simulated 資格確認端末 (sim/oqs_terminal.hpp) answering in scratch req/res folders on a
// thread of its own, for the tests of everyone who asks one: the terminal's eligibility source
// (tests/kiosk/eligibility) and the desk's re-check (tests/desk). Test code: failures are
// Catch2 REQUIREs.

#include "sim/oqs_terminal.hpp"
#include "tests/sim/support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <thread>

namespace uketsuke::sim::testing {

// The req and res folders of a 資格確認端末, in a scratch folder.
struct OqsFolders {
    ScratchDir scratch;
    std::filesystem::path req = scratch.path() / "req";
    std::filesystem::path res = scratch.path() / "res";
    OqsFolders()
    {
        std::filesystem::create_directories(req);
        std::filesystem::create_directories(res);
    }
};

// The simulated 資格確認端末 answering on its own thread; stopped and joined on destruction.
class RunningOqsTerminal {
public:
    explicit RunningOqsTerminal(const OqsFolders& folders)
    {
        OqsTerminalOptions options;
        options.requestDir = folders.req;
        options.resultDir = folders.res;
        auto terminal = OqsTerminal::create(std::move(options));
        REQUIRE(terminal);
        m_terminal = std::move(*terminal);
        m_thread = std::thread([this] { (void)m_terminal->run(); });
    }
    ~RunningOqsTerminal()
    {
        m_terminal->stop();
        m_thread.join();
    }
    RunningOqsTerminal(const RunningOqsTerminal&) = delete;
    RunningOqsTerminal& operator=(const RunningOqsTerminal&) = delete;
    OqsTerminal& terminal() { return *m_terminal; }

private:
    std::unique_ptr<OqsTerminal> m_terminal;
    std::thread m_thread;
};

} // namespace uketsuke::sim::testing
