#include "sim/oqs_terminal.hpp"

#include "base/files.hpp"
#include "base/log.hpp"
#include "kiosk/model/derived.hpp"
#include "kiosk/model/oqs_xml.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <set>

namespace uketsuke::sim {
namespace {

namespace model = kiosk::model;
using std::chrono::system_clock;

const log::Category kLog("sim.oqs");

constexpr std::time_t kJstOffset = 9 * 60 * 60;

std::string jstDateTime(system_clock::time_point t)
{
    std::time_t jst = system_clock::to_time_t(t) + kJstOffset;
    std::tm tm{};
    gmtime_r(&jst, &tm);
    char text[32];
    return std::string(text, std::strftime(text, sizeof text, "%Y%m%d%H%M%S", &tm));
}

std::string trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) {
        return {};
    }
    return std::string(text.substr(first, text.find_last_not_of(' ') - first + 1));
}

bool matches(const model::ResultOfQualificationConfirmation& person,
             const model::QualificationConfirmSearchInfo& search)
{
    if (!model::sameInsurerNumber(person.insurerNumber, search.insurerNumber) ||
        trimmed(person.insuredIdentificationNumber) !=
            trimmed(search.insuredIdentificationNumber) ||
        person.birthdate != search.birthdate) {
        return false;
    }
    if (!search.insuredCardSymbol.empty() &&
        trimmed(person.insuredCardSymbol) != trimmed(search.insuredCardSymbol)) {
        return false;
    }
    return search.insuredBranchNumber.empty() ||
           person.insuredBranchNumber == search.insuredBranchNumber;
}

using files::UniqueFd;

} // namespace

struct OqsTerminal::Impl {
    OqsTerminalOptions options;
    std::vector<Persona> personas;
    UniqueFd inotify;
    UniqueFd stopEvent;
    std::atomic<bool> stopRequested{false};
    std::atomic<int> answered{0};

    system_clock::time_point wallNow() const
    {
        return options.wallNow ? options.wallNow() : system_clock::now();
    }

    model::QualificationResult resultFor(const model::QualificationRequest& request) const
    {
        const auto& search = request.searchInfo;
        std::vector<const Persona*> found;
        std::vector<model::ResultOfQualificationConfirmation> records;
        for (const auto& persona : personas) {
            bool hit = false;
            for (const auto& person : persona.qualification.body.resultList) {
                if (matches(person, search)) {
                    hit = true;
                    records.push_back(person);
                }
            }
            if (hit) {
                found.push_back(&persona);
            }
        }
        model::QualificationResult result;
        if (found.size() == 1) {
            result = found.front()->qualification;
        } else {
            result.header.segmentOfResult = "1";
            result.body.processingResultStatus = "1";
            result.body.qualificationValidity = found.empty() ? "4" : "5";
            result.body.resultList = std::move(records);
        }
        UKETSUKE_LOG(kLog, Info) << "lookup " << request.header.arbitraryFileIdentifier << ": "
                                 << (found.empty() ? std::string("no persona")
                                     : found.size() == 1 ? "persona " + found.front()->id
                                                         : std::to_string(found.size()) +
                                                               " personas");
        if (result.header.segmentOfResult.empty()) {
            result.header.segmentOfResult = "1";
        }
        for (auto& person : result.body.resultList) {
            person.limitApplicationCertificateRelatedConsFlg =
                search.limitApplicationCertificateRelatedConsFlg;
        }
        result.body.qualificationConfirmSearchInfo = search;
        return result;
    }

    // Writes `content` as `name` in the res folder: the name appears only when complete.
    Result<void> publish(const std::string& name, const std::string& content) const
    {
        return files::publishFile(options.resultDir / name, content, {0644});
    }
};

OqsTerminal::OqsTerminal(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
OqsTerminal::~OqsTerminal() = default;

Result<std::unique_ptr<OqsTerminal>> OqsTerminal::create(OqsTerminalOptions options)
{
    for (const auto& [dir, flag] : {std::pair{options.requestDir, "--req"},
                                    std::pair{options.resultDir, "--res"}}) {
        std::error_code error;
        if (dir.empty() || !std::filesystem::exists(dir, error)) {
            return fail(Errc::ConfigMissing,
                        std::string(flag) + ": folder " + dir.string() + " does not exist");
        }
        if (!std::filesystem::is_directory(dir, error)) {
            return fail(Errc::ConfigInvalid,
                        std::string(flag) + ": " + dir.string() + " is not a folder");
        }
    }
    auto impl = std::make_unique<Impl>();
    auto personas = loadPersonas(options.personasFile.empty() ? defaultPersonasFile()
                                                              : options.personasFile);
    if (!personas) {
        return fail(std::move(personas).error());
    }
    impl->personas = std::move(*personas);
    impl->options = std::move(options);
    impl->inotify.reset(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    impl->stopEvent.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (impl->inotify.get() < 0 || impl->stopEvent.get() < 0) {
        return fail(Errc::StorageError, std::string("inotify/eventfd: ") + std::strerror(errno));
    }
    if (::inotify_add_watch(impl->inotify.get(), impl->options.requestDir.c_str(),
                            IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
        return fail(Errc::StorageError, "cannot watch " + impl->options.requestDir.string());
    }
    return std::unique_ptr<OqsTerminal>(new OqsTerminal(std::move(impl)));
}

std::string OqsTerminal::answer(std::string_view requestXml) const
{
    auto encoding = model::declaredEncoding(requestXml);
    const auto written = encoding ? *encoding : model::XmlEncoding::Utf8;
    model::QualificationResult result;
    auto request = model::parseOqsRequestXml(requestXml);
    if (request) {
        result = m_impl->resultFor(*request);
        result.header.qualificationConfirmationDate = request->header.qualificationConfirmationDate;
        result.header.medicalInstitutionCode = request->header.medicalInstitutionCode;
        result.header.arbitraryFileIdentifier = request->header.arbitraryFileIdentifier;
    } else {
        UKETSUKE_LOG(kLog, Warn) << "unreadable request: " << request.error().message;
        result.header.segmentOfResult = "9";
        result.header.errorCode = "UKSIM0001";
        result.header.errorMessage = "要求ファイルを読み取れません";
        result.body.processingResultStatus = "2";
    }
    result.header.processExecutionTime = jstDateTime(m_impl->wallNow());
    result.header.referenceClassification = "2";
    auto xml = model::writeOqsResultXml(result, written);
    return xml ? std::move(*xml) : std::string();
}

Result<int> OqsTerminal::processPending()
{
    Impl& impl = *m_impl;
    std::error_code error;
    std::vector<std::filesystem::path> requests;
    for (std::filesystem::directory_iterator it(impl.options.requestDir, error), end;
         !error && it != end; it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (model::isSingleRequestFileName(name)) {
            requests.push_back(it->path());
        }
    }
    if (error) {
        return fail(Errc::StorageError, "cannot list " + impl.options.requestDir.string());
    }
    int count = 0;
    for (const auto& path : requests) {
        const std::string name = path.filename().string();
        auto bytes = files::readFile(path);
        if (!bytes) {
            continue; // taken away meanwhile
        }
        const std::string resultName = *model::resultFileNameFor(name);
        const std::string content = answer(*bytes);
        // Taken (and counted) before the answer appears, as the 連携アプリ takes a request
        // away first: whoever sees the answer sees the request gone.
        std::filesystem::remove(path, error);
        ++count;
        impl.answered.fetch_add(1);
        if (auto published = impl.publish(resultName, content); !published) {
            return fail(std::move(published).error());
        }
        UKETSUKE_LOG(kLog, Info) << "answered " << name << " with " << resultName;
    }
    return count;
}

Result<void> OqsTerminal::run()
{
    Impl& impl = *m_impl;
    UKETSUKE_LOG(kLog, Info) << "watching " << impl.options.requestDir.string();
    for (;;) {
        if (impl.stopRequested.load()) {
            return ok();
        }
        // Drain the events first, then scan: a file that arrives after the scan wakes poll.
        std::array<char, 8192> buffer{};
        while (::read(impl.inotify.get(), buffer.data(), buffer.size()) > 0) {
        }
        if (auto done = processPending(); !done) {
            return fail(std::move(done).error());
        }
        std::array<pollfd, 2> fds{pollfd{impl.inotify.get(), POLLIN, 0},
                                  pollfd{impl.stopEvent.get(), POLLIN, 0}};
        if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) {
            return fail(Errc::StorageError, std::string("poll: ") + std::strerror(errno));
        }
    }
}

void OqsTerminal::stop()
{
    m_impl->stopRequested.store(true);
    const std::uint64_t one = 1;
    if (::write(m_impl->stopEvent.get(), &one, sizeof one) < 0) {
        UKETSUKE_LOG(kLog, Warn) << "stop: eventfd write failed";
    }
}

int OqsTerminal::answered() const
{
    return m_impl->answered.load();
}

} // namespace uketsuke::sim
