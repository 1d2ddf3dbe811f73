#include "oqs/file_exchange.hpp"

#include "base/files.hpp"
#include "base/log.hpp"
#include "kiosk/model/derived.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <optional>
#include <random>

namespace uketsuke::oqs {
namespace model = kiosk::model;

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

const log::Category kLog("oqs.files");

constexpr std::time_t kJstOffset = 9 * 60 * 60;
constexpr std::size_t kMaxFieldLength = 40;
constexpr int kNameAttempts = 8;

std::string errnoText(int error)
{
    return std::string(std::strerror(error));
}

bool allDigits(std::string_view text)
{
    for (char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

bool isDate(std::string_view text)
{
    return text.size() == 8 && allDigits(text);
}

// Text a person typed: bounded, and without control characters.
bool isPlainField(std::string_view text)
{
    if (text.size() > kMaxFieldLength) {
        return false;
    }
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return false;
        }
    }
    return true;
}

std::string jstDate(std::chrono::system_clock::time_point t)
{
    std::time_t jst = std::chrono::system_clock::to_time_t(t) + kJstOffset;
    std::tm tm{};
    gmtime_r(&jst, &tm);
    char text[16];
    return std::string(text, std::strftime(text, sizeof text, "%Y%m%d", &tm));
}

using files::UniqueFd;

bool pathExists(const std::filesystem::path& file)
{
    struct stat info {};
    return ::lstat(file.c_str(), &info) == 0;
}

// Reads a regular file of at most `limit` bytes (no symlinks). Errors: StorageError,
// BadReply (too large, not a regular file).
Result<std::string> readSmallFile(const std::filesystem::path& file, std::size_t limit)
{
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) {
        return fail(Errc::StorageError, "cannot open " + file.string() + ": " + errnoText(errno),
                    errno);
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
        return fail(Errc::BadReply, file.string() + " is not a regular file");
    }
    if (static_cast<std::size_t>(info.st_size) > limit) {
        return fail(Errc::BadReply, file.string() + " is larger than " + std::to_string(limit));
    }
    std::string content;
    std::array<char, 8192> buffer{};
    for (;;) {
        ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return fail(Errc::StorageError, "cannot read " + file.string() + ": " +
                                                errnoText(errno), errno);
        }
        if (n == 0) {
            break;
        }
        content.append(buffer.data(), static_cast<std::size_t>(n));
        if (content.size() > limit) {
            return fail(Errc::BadReply, file.string() + " is larger than " + std::to_string(limit));
        }
    }
    return content;
}

} // namespace

struct FileExchange::Impl {
    FileExchangeOptions options;
    UniqueFd inotify;
    UniqueFd cancelEvent;
    std::mt19937_64 random{std::random_device{}()};

    std::chrono::system_clock::time_point wallNow() const
    {
        return options.wallNow ? options.wallNow() : std::chrono::system_clock::now();
    }

    // 12 characters: the Japanese date (yyMMdd) and 6 random digits.
    std::string newId()
    {
        if (options.newId) {
            return options.newId();
        }
        std::string date = jstDate(wallNow()).substr(2);
        std::uniform_int_distribution<int> digit(0, 9);
        for (int i = 0; i < 6; ++i) {
            date += static_cast<char>('0' + digit(random));
        }
        return date;
    }

    void drain(int fd)
    {
        std::array<char, 4096> buffer{};
        while (::read(fd, buffer.data(), buffer.size()) > 0) {
        }
    }

    // Reads the inotify events; true when one may concern `name` (or events were lost).
    bool eventsMention(const std::string& name)
    {
        alignas(inotify_event) std::array<char, 8192> buffer{};
        bool mentioned = false;
        for (;;) {
            ssize_t n = ::read(inotify.get(), buffer.data(), buffer.size());
            if (n <= 0) {
                break;
            }
            for (ssize_t at = 0; at < n;) {
                const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
                if ((event->mask & IN_Q_OVERFLOW) != 0 ||
                    (event->len > 0 && name == event->name)) {
                    mentioned = true;
                }
                at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            }
        }
        return mentioned;
    }

    void withdraw(const std::filesystem::path& request)
    {
        if (::unlink(request.c_str()) == 0) {
            UKETSUKE_LOG(kLog, Info) << "withdrew " << request.filename().string()
                                     << " (not taken by the 連携アプリ)";
        }
    }
};

FileExchange::FileExchange(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
FileExchange::~FileExchange() = default;

Result<std::unique_ptr<FileExchange>> FileExchange::create(FileExchangeOptions options)
{
    for (const auto& [dir, key] : {std::pair{options.requestDir, "oqs.req_dir"},
                                   std::pair{options.resultDir, "oqs.res_dir"}}) {
        std::error_code error;
        if (dir.empty() || !std::filesystem::exists(dir, error)) {
            return fail(Errc::ConfigMissing,
                        std::string(key) + ": folder " + dir.string() + " does not exist");
        }
        if (!std::filesystem::is_directory(dir, error)) {
            return fail(Errc::ConfigInvalid,
                        std::string(key) + ": " + dir.string() + " is not a folder");
        }
    }
    if (options.medicalInstitutionCode.empty() ||
        !isPlainField(options.medicalInstitutionCode)) {
        return fail(Errc::ConfigInvalid, "clinic_code: needed for oqs-files requests");
    }
    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    impl->inotify.reset(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    impl->cancelEvent.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (impl->inotify.get() < 0 || impl->cancelEvent.get() < 0) {
        return fail(Errc::StorageError, "inotify/eventfd: " + errnoText(errno), errno);
    }
    // Watched from now on, so no answer can appear between a check and the watch.
    if (::inotify_add_watch(impl->inotify.get(), impl->options.resultDir.c_str(),
                            IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
        return fail(Errc::StorageError, "cannot watch " + impl->options.resultDir.string() + ": " +
                                            errnoText(errno), errno);
    }
    return std::unique_ptr<FileExchange>(new FileExchange(std::move(impl)));
}

void FileExchange::cancel()
{
    const std::uint64_t one = 1;
    if (::write(m_impl->cancelEvent.get(), &one, sizeof one) < 0) {
        UKETSUKE_LOG(kLog, Warn) << "cancel: eventfd write failed";
    }
}

Result<void> FileExchange::checkQuery(const model::InsuranceCardQuery& query)
{
    // Messages name fields, never values.
    if (!model::normalisedInsurerNumber(query.insurerNumber)) {
        return fail(Errc::InvalidArgument, "insurer_number: not 6 or 8 digits");
    }
    if (query.insuredIdentificationNumber.empty() ||
        !isPlainField(query.insuredIdentificationNumber)) {
        return fail(Errc::InvalidArgument, "insured_identification_number: empty or malformed");
    }
    if (!isPlainField(query.insuredCardSymbol)) {
        return fail(Errc::InvalidArgument, "insured_card_symbol: malformed");
    }
    if (!query.insuredBranchNumber.empty() &&
        (query.insuredBranchNumber.size() != 2 || !allDigits(query.insuredBranchNumber))) {
        return fail(Errc::InvalidArgument, "insured_branch_number: not 2 digits");
    }
    if (!isDate(query.birthdate)) {
        return fail(Errc::InvalidArgument, "birthdate: not YYYYMMDD");
    }
    if (!query.serviceDate.empty() && !isDate(query.serviceDate)) {
        return fail(Errc::InvalidArgument, "service_date: not YYYYMMDD");
    }
    return {};
}

Result<model::QualificationResult> FileExchange::lookup(const model::InsuranceCardQuery& query)
{
    Impl& impl = *m_impl;
    const FileExchangeOptions& options = impl.options;

    // The query, checked before anything is written.
    if (auto checked = checkQuery(query); !checked) {
        return fail(std::move(checked).error());
    }
    const auto insurer = model::normalisedInsurerNumber(query.insurerNumber);

    // Forget events and cancels from before this lookup.
    impl.eventsMention({});
    impl.drain(impl.cancelEvent.get());

    // A fresh id whose request and answer names are both free: an answer that exists now can
    // only be stale.
    std::string id;
    for (int attempt = 0; attempt < kNameAttempts && id.empty(); ++attempt) {
        std::string candidate = impl.newId();
        if (!model::isSingleRequestFileName(model::singleRequestFileName(candidate))) {
            return fail(Errc::Internal, "request id generator gave an unusable id");
        }
        if (!pathExists(options.requestDir / model::singleRequestFileName(candidate)) &&
            !pathExists(options.resultDir / *model::resultFileNameFor(
                                            model::singleRequestFileName(candidate)))) {
            id = std::move(candidate);
        }
    }
    if (id.empty()) {
        return fail(Errc::StorageError, "no free request name in " + options.requestDir.string());
    }
    const std::string requestName = model::singleRequestFileName(id);
    const std::string resultName = *model::resultFileNameFor(requestName);

    model::QualificationRequest request;
    request.header.qualificationConfirmationDate =
        query.serviceDate.empty() ? jstDate(impl.wallNow()) : query.serviceDate;
    request.header.medicalInstitutionCode = options.medicalInstitutionCode;
    request.header.arbitraryFileIdentifier = id;
    request.searchInfo.insurerNumber = *insurer;
    request.searchInfo.insuredCardSymbol = query.insuredCardSymbol;
    request.searchInfo.insuredIdentificationNumber = query.insuredIdentificationNumber;
    request.searchInfo.insuredBranchNumber = query.insuredBranchNumber;
    request.searchInfo.birthdate = query.birthdate;
    request.searchInfo.limitApplicationCertificateRelatedConsFlg =
        query.limitApplicationConsent ? "1" : "0";
    auto xml = model::writeOqsRequestXml(request, options.encoding);
    if (!xml) {
        return fail(std::move(xml).error());
    }
    const auto started = steady_clock::now();
    // The name appears only when the request is complete, and never replaces another file.
    // 0640: the 資格確認端末's software may read the folder as another user of the group.
    const files::PublishOptions publish{0640, files::Existing::Keep};
    if (auto written = files::publishFile(options.requestDir / requestName, *xml, publish);
        !written) {
        UKETSUKE_LOG(kLog, Warn) << written.error().message;
        return fail(std::move(written).error());
    }
    UKETSUKE_LOG(kLog, Info) << "wrote " << requestName << " ("
                             << model::encodingName(options.encoding) << ")";

    const auto requestPath = options.requestDir / requestName;
    const auto resultPath = options.resultDir / resultName;
    const auto deadline = started + options.timeout;
    std::optional<Error> lastProblem; // an answer that did not parse yet (still being written)
    model::OqsXmlReadOptions readOptions;
    readOptions.expectedEncoding = options.encoding;

    // Reads and checks the answer. nullopt: not there (yet), keep waiting.
    auto tryAdopt = [&]() -> std::optional<Result<model::QualificationResult>> {
        if (!pathExists(resultPath)) {
            return std::nullopt;
        }
        auto bytes = readSmallFile(resultPath, readOptions.maxBytes);
        if (!bytes) {
            lastProblem = bytes.error();
            return std::nullopt;
        }
        auto result = model::parseOqsResultXml(*bytes, readOptions);
        if (!result) {
            // Possibly half written: wait for the next event or scan, up to the deadline.
            lastProblem = result.error();
            return std::nullopt;
        }
        if (result->header.arbitraryFileIdentifier != id) {
            return Result<model::QualificationResult>(fail(
                Errc::BadReply, resultName + " does not carry this request's "
                                             "ArbitraryFileIdentifier: not adopted"));
        }
        const auto& echo = result->body.qualificationConfirmSearchInfo;
        if ((!echo.insurerNumber.empty() &&
             !model::sameInsurerNumber(echo.insurerNumber, *insurer)) ||
            (!echo.insuredIdentificationNumber.empty() &&
             echo.insuredIdentificationNumber != query.insuredIdentificationNumber)) {
            return Result<model::QualificationResult>(
                fail(Errc::BadReply, resultName + " answers another search key: not adopted"));
        }
        if (echo.insurerNumber.empty() && echo.insuredIdentificationNumber.empty()) {
            // No echo (it is optional): the check-in still carries what was typed, so staff
            // see it on a "not found" (docs/protocol/desk.md `outcome`).
            result->body.qualificationConfirmSearchInfo = request.searchInfo;
        }
        if (::unlink(resultPath.c_str()) != 0) {
            UKETSUKE_LOG(kLog, Warn) << "cannot delete " << resultName << ": "
                                     << errnoText(errno);
        }
        return Result<model::QualificationResult>(std::move(*result));
    };

    for (;;) {
        if (auto adopted = tryAdopt()) {
            const auto elapsed =
                std::chrono::duration_cast<milliseconds>(steady_clock::now() - started);
            if (*adopted) {
                UKETSUKE_LOG(kLog, Info)
                    << resultName << " after " << elapsed.count()
                    << " ms: outcome " << model::wireName(model::outcomeOf(**adopted));
            } else {
                UKETSUKE_LOG(kLog, Warn) << adopted->error().message;
                impl.withdraw(requestPath);
            }
            return std::move(*adopted);
        }
        const auto now = steady_clock::now();
        if (now >= deadline) {
            impl.withdraw(requestPath);
            if (lastProblem && lastProblem->code == Errc::BadReply) {
                UKETSUKE_LOG(kLog, Warn) << resultName
                                         << " unusable: " << lastProblem->message;
                return fail(Errc::BadReply, resultName + ": " + lastProblem->message);
            }
            UKETSUKE_LOG(kLog, Warn) << "no " << resultName << " within "
                                     << options.timeout.count() << " ms";
            return fail(Errc::Timeout, "no answer to " + requestName + " within " +
                                           std::to_string(options.timeout.count()) + " ms");
        }
        const auto wait = std::min(std::chrono::duration_cast<milliseconds>(deadline - now),
                                   options.rescanInterval);
        std::array<pollfd, 2> fds{pollfd{impl.inotify.get(), POLLIN, 0},
                                  pollfd{impl.cancelEvent.get(), POLLIN, 0}};
        int ready = ::poll(fds.data(), fds.size(), static_cast<int>(wait.count()) + 1);
        if (ready < 0 && errno != EINTR) {
            impl.withdraw(requestPath);
            return fail(Errc::StorageError, "poll: " + errnoText(errno), errno);
        }
        if (ready > 0 && (fds[1].revents & POLLIN) != 0) {
            impl.drain(impl.cancelEvent.get());
            impl.withdraw(requestPath);
            UKETSUKE_LOG(kLog, Info) << requestName << " cancelled";
            return fail(Errc::Cancelled, "lookup cancelled");
        }
        if (ready > 0 && (fds[0].revents & POLLIN) != 0) {
            impl.eventsMention(resultName); // either way, look again
        }
    }
}

} // namespace uketsuke::oqs
