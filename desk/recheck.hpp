#pragma once

// Staff re-check a patient's eligibility from the desk (docs/desk-staff.md "Re-checking
// eligibility"): a lookup by 被保険者番号 through the clinic's 資格確認端末 folders
// (oqs/file_exchange.hpp, docs/oqs-files.md), for a check-in whose eligibility the terminal
// could not confirm (the service was unreachable, the PIN locked, the patient typed a wrong
// number) or to see it again later in the day.
//
// A re-check runs on one worker thread of its own, one at a time, so a handler never waits for
// the 資格確認端末 (up to oqs.timeout_s). The request is answered at once (pending); the result
// lands in the store (DeskStore::finishRecheck) and the pages hear of it as a row event.
// After a restart of the desk, a re-check that was pending is marked failed ("interrupted").
//
// Logs and the audit log carry the check-in id, the staff account and codes; never the numbers
// typed or the answer's names.

#include "base/result.hpp"
#include "desk/store.hpp"
#include "kiosk/model/insurance_query.hpp"
#include "kiosk/model/oqs_xml.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace uketsuke::oqs {
class FileExchange;
}

namespace uketsuke::desk {

// The desk's keys for the 資格確認端末 (the terminal's keys of the same names). Re-checks are
// off while reqDir is empty.
struct RecheckSettings {
    std::string reqDir;     // oqs.req_dir: its `req` folder
    std::string resDir;     // oqs.res_dir: its `res` folder
    std::string clinicCode; // clinic_code: the 10-digit 医療機関コード in each request
    kiosk::model::XmlEncoding encoding = kiosk::model::XmlEncoding::Utf8; // oqs.encoding
    std::chrono::seconds timeout{30};                                     // oqs.timeout_s

    bool enabled() const { return !reqDir.empty(); }
};

// The query of POST /api/v1/queue/recheck's body {"id", "insurer_number", "symbol", "number",
// "branch", "birthdate"} (strings; symbol and branch may be empty). Errors: InvalidArgument,
// naming the member (a member missing or not a string) or, from
// oqs::FileExchange::checkQuery, the field that does not hold.
Result<kiosk::model::InsuranceCardQuery> recheckQueryFromJson(const nlohmann::json& body);

class RecheckWorker {
public:
    // Checks the folders (oqs::FileExchange::create) and marks re-checks left pending by an
    // earlier run failed. Does not start the thread. Errors: ConfigMissing, ConfigInvalid,
    // StorageError.
    static Result<std::unique_ptr<RecheckWorker>> create(const RecheckSettings& settings,
                                                         DeskStore& store);
    ~RecheckWorker(); // stop()
    RecheckWorker(const RecheckWorker&) = delete;
    RecheckWorker& operator=(const RecheckWorker&) = delete;

    // Called on the worker thread after each re-check has been stored, with its check-in id.
    // Set before start().
    void onFinished(std::function<void(std::int64_t)> finished);
    void start();
    // Queues the re-check of check-in `id`, which DeskStore::beginRecheck has just marked
    // pending. Thread: any. False when stopping (the re-check stays pending until the next
    // start marks it interrupted).
    bool submit(std::int64_t id, kiosk::model::InsuranceCardQuery query);
    // Cancels the lookup in progress, drops the queued ones (they stay pending, see above) and
    // joins the thread. Thread: any but the worker's.
    void stop();

private:
    RecheckWorker(std::unique_ptr<oqs::FileExchange> files, DeskStore& store);
    void run();
    void recheckOne(std::int64_t id, const kiosk::model::InsuranceCardQuery& query);

    std::unique_ptr<oqs::FileExchange> m_files;
    DeskStore& m_store;
    std::function<void(std::int64_t)> m_finished;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::pair<std::int64_t, kiosk::model::InsuranceCardQuery>> m_jobs; // m_mutex
    bool m_stopping = false;                                                      // m_mutex
    std::thread m_thread;
};

} // namespace uketsuke::desk
