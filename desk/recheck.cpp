#include "desk/recheck.hpp"

#include "base/log.hpp"
#include "kiosk/model/json.hpp"
#include "kiosk/model/qualification.hpp"
#include "oqs/file_exchange.hpp"

namespace uketsuke::desk {
namespace {

const log::Category kLog("desk.recheck");

} // namespace

Result<kiosk::model::InsuranceCardQuery> recheckQueryFromJson(const nlohmann::json& body)
{
    kiosk::model::InsuranceCardQuery query;
    const std::pair<const char*, std::string*> members[] = {
        {"insurer_number", &query.insurerNumber},
        {"symbol", &query.insuredCardSymbol},
        {"number", &query.insuredIdentificationNumber},
        {"branch", &query.insuredBranchNumber},
        {"birthdate", &query.birthdate},
    };
    if (!body.is_object()) {
        return fail(Errc::InvalidArgument, "body: not a JSON object");
    }
    for (const auto& [name, field] : members) {
        auto it = body.find(name);
        if (it == body.end() || !it->is_string()) {
            return fail(Errc::InvalidArgument, std::string(name) + ": missing or not a string");
        }
        *field = it->get<std::string>();
    }
    if (auto checked = oqs::FileExchange::checkQuery(query); !checked) {
        return fail(std::move(checked).error());
    }
    return query;
}

RecheckWorker::RecheckWorker(std::unique_ptr<oqs::FileExchange> files, DeskStore& store)
    : m_files(std::move(files)), m_store(store)
{
}

Result<std::unique_ptr<RecheckWorker>> RecheckWorker::create(const RecheckSettings& settings,
                                                             DeskStore& store)
{
    oqs::FileExchangeOptions options;
    options.requestDir = settings.reqDir;
    options.resultDir = settings.resDir;
    options.medicalInstitutionCode = settings.clinicCode;
    options.encoding = settings.encoding;
    options.timeout = settings.timeout;
    auto files = oqs::FileExchange::create(std::move(options));
    if (!files) {
        return fail(std::move(files).error());
    }
    auto abandoned = store.abandonRechecks();
    if (!abandoned) {
        return fail(std::move(abandoned).error());
    }
    if (*abandoned > 0) {
        UKETSUKE_LOG(kLog, Warn) << *abandoned << " re-checks were pending at the last stop: "
                                 << "marked interrupted";
    }
    return std::unique_ptr<RecheckWorker>(new RecheckWorker(std::move(*files), store));
}

RecheckWorker::~RecheckWorker()
{
    stop();
}

void RecheckWorker::onFinished(std::function<void(std::int64_t)> finished)
{
    m_finished = std::move(finished);
}

void RecheckWorker::start()
{
    if (!m_thread.joinable()) {
        m_thread = std::thread([this] { run(); });
    }
}

bool RecheckWorker::submit(std::int64_t id, kiosk::model::InsuranceCardQuery query)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            return false;
        }
        m_jobs.emplace_back(id, std::move(query));
    }
    m_wake.notify_one();
    return true;
}

void RecheckWorker::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_jobs.clear();
    }
    m_wake.notify_one();
    m_files->cancel();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void RecheckWorker::run()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
        if (m_stopping) {
            return;
        }
        auto [id, query] = std::move(m_jobs.front());
        m_jobs.pop_front();
        lock.unlock();
        recheckOne(id, query);
        lock.lock();
    }
}

void RecheckWorker::recheckOne(std::int64_t id, const kiosk::model::InsuranceCardQuery& query)
{
    auto answer = m_files->lookup(query);
    RecheckRecord record;
    if (answer) {
        record.state = "done";
        record.outcome = std::string(kiosk::model::wireName(kiosk::model::outcomeOf(*answer)));
        record.result = kiosk::model::toJson(*answer).dump();
        UKETSUKE_LOG(kLog, Info) << "re-check of check-in id=" << id << ": " << record.outcome;
    } else {
        record.state = "failed";
        record.error = std::string(errcName(answer.error().code));
        UKETSUKE_LOG(kLog, Warn) << "re-check of check-in id=" << id << " failed: "
                                 << record.error;
    }
    if (auto stored = m_store.finishRecheck(id, record); !stored) {
        UKETSUKE_LOG(kLog, Error) << "cannot keep the re-check of id=" << id << ": "
                                  << stored.error().message;
    }
    if (m_finished) {
        m_finished(id);
    }
}

} // namespace uketsuke::desk
