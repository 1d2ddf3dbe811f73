#pragma once

// The file interface of a 資格確認端末 (docs/oqs-files.md): a lookup by 被保険者番号 is written as
// `OQSsiquc01req_<id>.xml` into the `req` folder; the 連携アプリケーション answers with
// `OQSsiquc01res_<id>.xml` in the `res` folder.
//
// - The request is written atomically: a hidden temporary file in the req folder, fsync'd,
//   then linked to its final name (never replacing a file), so the 連携アプリ never reads half
//   a request.
// - The answer is awaited with inotify on the res folder, plus a periodic re-scan because
//   inotify does not see files written by another machine on a network share (CIFS/SMB). The
//   wait is bounded by the timeout and can be cancelled.
// - A stale file is never adopted: the id is fresh per lookup and a name whose answer already
//   exists is not used; the answer must carry our ArbitraryFileIdentifier and, when it echoes
//   the search key, our insurer number and 番号.
// - Requests and answers are UTF-8 or Shift_JIS as configured; an answer in the other
//   encoding is refused (model/oqs_xml.hpp).
// - The answer file is deleted once read (it holds personal data); on timeout or cancel the
//   request is deleted if the 連携アプリ has not taken it yet.
//
// Logs carry the request id, file names, codes and timings only.
//
// Used by the terminal (kiosk/eligibility/oqs_files_source.hpp, the insurance-card form) and by
// the desk (its re-check of a patient's eligibility), so it sees the model and the foundations
// only.

#include "base/result.hpp"
#include "kiosk/model/insurance_query.hpp"
#include "kiosk/model/qualification.hpp"
#include "kiosk/model/oqs_xml.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace uketsuke::oqs {

struct FileExchangeOptions {
    std::filesystem::path requestDir; // the 資格確認端末's `req` folder
    std::filesystem::path resultDir;  // its `res` folder
    std::string medicalInstitutionCode; // 10-digit 医療機関コード sent in every request
    // As set on the 資格確認端末.
    kiosk::model::XmlEncoding encoding = kiosk::model::XmlEncoding::Utf8;
    std::chrono::milliseconds timeout{30000}; // for the answer, from writing the request
    // Re-scan for the answer at least this often (network shares send no inotify events).
    std::chrono::milliseconds rescanInterval{1000};
    // The wall clock (today's date when a query has none), injectable; empty: the real one.
    std::function<std::chrono::system_clock::time_point()> wallNow;
    // Request ids (12 characters of [0-9A-Za-z]), injectable for tests; empty: the Japanese
    // date yyMMdd and 6 random digits.
    std::function<std::string()> newId;
};

class FileExchange {
public:
    // Checks that both folders exist and sets up the inotify watch. Does not block.
    // Errors: ConfigMissing (a folder does not exist), ConfigInvalid (not a folder, or no
    // medical institution code), StorageError (inotify or eventfd could not be set up).
    static Result<std::unique_ptr<FileExchange>> create(FileExchangeOptions options);
    ~FileExchange();
    FileExchange(const FileExchange&) = delete;
    FileExchange& operator=(const FileExchange&) = delete;

    // Checks a query as lookup() does before it writes anything. Pure; thread: any.
    // Errors: InvalidArgument, the message naming the field (never its value): insurer_number
    // not 6 or 8 digits, insured_identification_number empty or malformed, insured_card_symbol
    // malformed, insured_branch_number not 2 digits, birthdate or service_date not YYYYMMDD.
    static Result<void> checkQuery(const kiosk::model::InsuranceCardQuery& query);

    // Writes the request and waits for its answer. Blocks up to options.timeout; thread: one
    // at a time (the terminal's service worker, the desk's re-check worker). Errors: InvalidArgument (the message names the
    // field: insurer_number not 6 or 8 digits, empty 番号, birthdate or service date not
    // YYYYMMDD, 枝番 not 2 digits), StorageError (cannot write the request: message has the
    // file name and errno), Timeout (no answer in time; the request is withdrawn if still
    // there), Cancelled (cancel() was called), BadReply (an answer that does not parse, is in
    // the wrong encoding, or does not answer this request).
    Result<kiosk::model::QualificationResult> lookup(const kiosk::model::InsuranceCardQuery& query);

    // Makes a lookup in progress return Cancelled. Does not block. Thread: any.
    void cancel();

private:
    struct Impl;
    explicit FileExchange(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace uketsuke::oqs
