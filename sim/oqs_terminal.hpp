#pragma once

// A simulated 資格確認端末 for `uketsuke-sim oqs-terminal` and for tests (docs/oqs-files.md):
// it watches a `req` folder for `OQSsiquc01req_<id>.xml`, answers each from the personas with
// `OQSsiquc01res_<id>.xml` in the `res` folder (same encoding as the request), and removes the
// request, as the 連携アプリケーション does.
//
// A request matches a person of a persona when the insurer number (normalised), the 番号
// (trimmed) and the birth date agree, and the 記号 and 枝番 too when the request has them.
// No match: 該当資格なし (QualificationValidity 4). One persona: its whole result (so a lost
// persona answers 無効, an ambiguous one 複数該当). Several personas: 複数該当 with every
// matching record.
//
// Logs carry file names and persona ids only.

#include "base/result.hpp"
#include "sim/personas.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::sim {

struct OqsTerminalOptions {
    std::filesystem::path requestDir; // req
    std::filesystem::path resultDir;  // res
    std::filesystem::path personasFile; // empty: defaultPersonasFile()
    // The wall clock (ProcessExecutionTime), injectable; empty: the real one.
    std::function<std::chrono::system_clock::time_point()> wallNow;
};

class OqsTerminal {
public:
    // Loads the personas and checks the folders. Does not block.
    // Errors: ConfigMissing (personas file or a folder missing), ConfigInvalid (bad personas,
    // a folder that is not one), StorageError (inotify or eventfd).
    static Result<std::unique_ptr<OqsTerminal>> create(OqsTerminalOptions options);
    ~OqsTerminal();
    OqsTerminal(const OqsTerminal&) = delete;
    OqsTerminal& operator=(const OqsTerminal&) = delete;

    // The answer to one request document, in the request's encoding. A request that cannot be
    // read gets SegmentOfResult 9 with an ErrorCode. Pure; thread: any.
    std::string answer(std::string_view requestXml) const;

    // Answers every request now in the req folder; returns how many it answered. A request
    // file that cannot be read is answered with an error and removed. Thread: one at a time.
    // Errors: StorageError (the folder cannot be listed, an answer cannot be written).
    Result<int> processPending();

    // Answers requests as they appear (inotify) until stop(). Blocks; thread: a dedicated one.
    // Errors: StorageError.
    Result<void> run();

    // Makes run() return soon (or at once if it has not started). Does not block. Thread: any.
    void stop();

    // Requests answered so far. Thread: any.
    int answered() const;

private:
    struct Impl;
    explicit OqsTerminal(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace uketsuke::sim
