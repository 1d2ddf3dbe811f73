#include "sim/activation.hpp"

#include "base/files.hpp"
#include "base/hex.hpp"
#include "base/log.hpp"
#include "base/time.hpp"
#include "crypto/crypto.hpp"
#include "kiosk/model/pairing.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <span>

namespace uketsuke::sim {
namespace {

using nlohmann::json;

const log::Category kLog("sim.activation");

constexpr std::size_t kMaxTerminalIdLength = 32;
constexpr std::size_t kClinicCodeDigits = 10;
// A fresh code whose hash names a file already there is drawn again; 10^12 codes make a second
// collision in a row practically impossible, so this only bounds a broken random source.
constexpr int kCreateAttempts = 8;
constexpr const char* kUsedSuffix = ".used";

bool allDigits(std::string_view text, std::size_t count)
{
    return text.size() == count && text.find_first_not_of("0123456789") == std::string::npos;
}

// The lower-case hex SHA-256 of the code: its file name. Empty when hashing failed.
std::string hashName(std::string_view code)
{
    auto digest = crypto::sha256(
        std::span(reinterpret_cast<const std::uint8_t*>(code.data()), code.size()));
    return digest ? hex(*digest, HexCase::Lower) : std::string();
}

bool pathExists(const std::filesystem::path& file)
{
    std::error_code error;
    return std::filesystem::exists(std::filesystem::symlink_status(file, error));
}

} // namespace

bool isTerminalId(std::string_view id)
{
    return id.size() <= kMaxTerminalIdLength && files::isPlainName(id);
}

bool isClinicCode(std::string_view code)
{
    return allDigits(code, kClinicCodeDigits);
}

bool isActivationCode(std::string_view code)
{
    return allDigits(code, kActivationCodeDigits);
}

std::string groupActivationCode(std::string_view code)
{
    return kiosk::model::groupCodeDigits(code);
}

std::string activationToJson(const Activation& activation)
{
    return json{{"terminal_id", activation.terminalId},
                {"clinic_code", activation.clinicCode},
                {"expires_at", time::isoUtc(activation.expiresAt)}}
               .dump() +
           "\n";
}

Result<Activation> parseActivation(std::string_view text)
{
    const json record = json::parse(text, nullptr, false);
    if (record.is_discarded() || !record.is_object()) {
        return fail(Errc::InvalidArgument, "not a JSON object");
    }
    auto member = [&record](const char* name) -> const std::string* {
        auto it = record.find(name);
        return it != record.end() && it->is_string() ? &it->get_ref<const std::string&>()
                                                     : nullptr;
    };
    const std::string* terminalId = member("terminal_id");
    const std::string* clinicCode = member("clinic_code");
    const std::string* expiresAt = member("expires_at");
    if (terminalId == nullptr || !isTerminalId(*terminalId)) {
        return fail(Errc::InvalidArgument, "terminal_id missing or not a terminal id");
    }
    if (clinicCode == nullptr || !isClinicCode(*clinicCode)) {
        return fail(Errc::InvalidArgument, "clinic_code missing or not 10 digits");
    }
    auto expires = expiresAt != nullptr ? time::parseIsoUtc(*expiresAt) : std::nullopt;
    if (!expires) {
        return fail(Errc::InvalidArgument, "expires_at missing or not an RFC 3339 UTC time");
    }
    return Activation{*terminalId, *clinicCode, *expires};
}

const char* codeStateName(CodeState state)
{
    switch (state) {
    case CodeState::Open:
        return "open";
    case CodeState::Unknown:
        return "unknown";
    case CodeState::Used:
        return "used";
    case CodeState::Expired:
        return "expired";
    case CodeState::OtherClinic:
        return "other_clinic";
    case CodeState::Unreadable:
        return "unreadable";
    }
    return "unknown";
}

ActivationStore::ActivationStore(std::filesystem::path dir) : m_dir(std::move(dir)) {}

std::filesystem::path ActivationStore::fileOf(std::string_view code) const
{
    return m_dir / hashName(code);
}

std::filesystem::path ActivationStore::usedFileOf(std::string_view code) const
{
    return m_dir / (hashName(code) + kUsedSuffix);
}

Result<ActivationStore::Issued> ActivationStore::create(
    std::string_view terminalId, std::string_view clinicCode, std::chrono::seconds validFor,
    std::chrono::system_clock::time_point now) const
{
    if (!isTerminalId(terminalId)) {
        return fail(Errc::InvalidArgument,
                    "not a terminal id (1-32 of letters, digits, '.', '_', '-')");
    }
    if (!isClinicCode(clinicCode)) {
        return fail(Errc::InvalidArgument, "the clinic code must be 10 digits");
    }
    if (validFor <= std::chrono::seconds(0)) {
        return fail(Errc::InvalidArgument, "a code must be valid for some time");
    }
    if (auto made = files::ensurePrivateDir(m_dir); !made) {
        return fail(std::move(made).error());
    }
    if (const std::size_t pruned = prune(now); pruned > 0) {
        UKETSUKE_LOG(kLog, Info) << pruned << " activation code file(s) expired over "
                                 << kKeptAfterExpiry.count() / 24 << " days ago removed";
    }
    const Activation activation{std::string(terminalId), std::string(clinicCode),
                                std::chrono::floor<std::chrono::seconds>(now) + validFor};
    for (int attempt = 0; attempt < kCreateAttempts; ++attempt) {
        auto code = crypto::randomDigits(kActivationCodeDigits);
        if (!code) {
            return fail(std::move(code).error());
        }
        const std::string name = hashName(*code);
        if (name.empty()) {
            return fail(Errc::Internal, "SHA-256 failed");
        }
        if (pathExists(m_dir / (name + kUsedSuffix))) {
            continue; // a code once used stays used: never hand it out again
        }
        auto written = files::publishFile(m_dir / name, activationToJson(activation),
                                          files::PublishOptions{files::kPrivateFileMode,
                                                                files::Existing::Keep});
        if (!written && written.error().native == EEXIST) {
            continue;
        }
        if (!written) {
            return fail(std::move(written).error());
        }
        UKETSUKE_LOG(kLog, Info) << "activation code made for terminal " << terminalId
                                 << " at clinic " << clinicCode << ", valid until "
                                 << time::isoUtc(activation.expiresAt);
        return Issued{std::move(*code), activation.expiresAt};
    }
    return fail(Errc::Internal, "no unused activation code after several draws");
}

ActivationStore::Check ActivationStore::check(std::string_view code, std::string_view clinicCode,
                                              std::chrono::system_clock::time_point now) const
{
    Check result;
    if (!isActivationCode(code)) {
        return result; // Unknown
    }
    const std::string name = hashName(code);
    if (name.empty()) {
        result.state = CodeState::Unreadable;
        result.problem = "SHA-256 failed";
        return result;
    }
    auto text = files::readFile(m_dir / name);
    if (!text) {
        if (text.error().native != ENOENT) {
            result.state = CodeState::Unreadable;
            result.problem = text.error().message;
        } else if (auto used = files::readFile(m_dir / (name + kUsedSuffix))) {
            result.state = CodeState::Used;
            if (auto activation = parseActivation(*used)) {
                result.activation = std::move(*activation); // for the log: whose code it was
            }
        }
        return result;
    }
    auto activation = parseActivation(*text);
    if (!activation) {
        result.state = CodeState::Unreadable;
        result.problem = (m_dir / name).string() + ": " + activation.error().message;
        return result;
    }
    result.activation = std::move(*activation);
    if (result.activation.clinicCode != clinicCode) {
        result.state = CodeState::OtherClinic;
    } else if (now >= result.activation.expiresAt) {
        result.state = CodeState::Expired;
    } else {
        result.state = CodeState::Open;
    }
    return result;
}

std::size_t ActivationStore::prune(std::chrono::system_clock::time_point now) const
{
    std::size_t removed = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(m_dir, ec)) {
        std::string name = entry.path().filename().string();
        if (name.size() > std::string_view(kUsedSuffix).size() &&
            name.ends_with(kUsedSuffix)) {
            name.resize(name.size() - std::string_view(kUsedSuffix).size());
        }
        // Only the store's own files: 64 hex digits, with or without ".used".
        if (name.size() != 64 ||
            !std::all_of(name.begin(), name.end(), [](char c) {
                return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            })) {
            continue;
        }
        auto text = files::readFile(entry.path());
        if (!text) {
            continue;
        }
        auto activation = parseActivation(*text);
        if (!activation || activation->expiresAt + kKeptAfterExpiry > now) {
            continue;
        }
        std::error_code removeError;
        if (std::filesystem::remove(entry.path(), removeError)) {
            ++removed;
        }
    }
    return removed;
}

Result<bool> ActivationStore::consume(std::string_view code) const
{
    const std::string name = hashName(code);
    if (!isActivationCode(code) || name.empty()) {
        return false;
    }
    const std::filesystem::path open = m_dir / name;
    const std::filesystem::path used = m_dir / (name + kUsedSuffix);
    // rename() is atomic: of several callers, one moves the file and the others find it gone.
    if (std::rename(open.c_str(), used.c_str()) != 0) {
        const int error = errno;
        if (error == ENOENT) {
            return false;
        }
        return fail(Errc::StorageError, "cannot rename " + open.string() + ": " +
                                            std::generic_category().message(error),
                    error);
    }
    return true;
}

} // namespace uketsuke::sim
