#include "hal/sim/virtual_card.hpp"

#include "base/files.hpp"
#include "base/hex.hpp"
#include "base/log.hpp"
#include "crypto/crypto.hpp"
#include "hal/status_words.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>

namespace uketsuke::hal::sim {
namespace {

const log::Category kLog("hal.sim.card");

constexpr std::uint16_t kSwWrongLength = 0x6700;
constexpr std::uint16_t kSwSecurityStatus = 0x6982;
constexpr std::uint16_t kSwBlocked = 0x6984;
constexpr std::uint16_t kSwIncompatibleFile = 0x6981;
constexpr std::uint16_t kSwNoCurrentEf = 0x6986;
constexpr std::uint16_t kSwWrongData = 0x6A80;
constexpr std::uint16_t kSwNotFound = 0x6A82;
constexpr std::uint16_t kSwBadP1P2 = 0x6A86;
constexpr std::uint16_t kSwRefNotFound = 0x6A88;
constexpr std::uint16_t kSwBeyondEof = 0x6B00;
constexpr std::uint16_t kSwEndOfFile = 0x6282;
constexpr std::uint16_t kSwBadIns = 0x6D00;
constexpr std::uint16_t kSwBadCla = 0x6E00;

// Shared: copy() gives a new card the same keys (signing with one EVP_PKEY from several
// threads is safe; each signature has its own EVP_PKEY_CTX).
using KeyPtr = std::shared_ptr<EVP_PKEY>;

enum class EfKind { Binary, Pin, Key };

struct Ef {
    EfKind kind = EfKind::Binary;
    // Binary: the EF's content; readPin is the PIN EF that must be verified first (0 = none).
    Bytes data;
    std::uint16_t readPin = 0;
    // Pin: the reference value, its counter and the key of the counter in the state file.
    std::string pinValue;
    int maxTries = 0;
    int triesLeft = 0;
    std::string counterKey;
    // Key: the private key (null: no key behind this EF) and the PIN that unlocks it.
    KeyPtr key;
    std::uint16_t keyPin = 0;
};

struct App {
    std::string name; // "jpki", "support", "face", ... (state file keys)
    Bytes aid;
    std::map<std::uint16_t, Ef> efs;
};

Bytes swOnly(std::uint16_t sw)
{
    return {static_cast<std::uint8_t>(sw >> 8), static_cast<std::uint8_t>(sw & 0xFF)};
}

Bytes withSw(Bytes data, std::uint16_t sw)
{
    data.push_back(static_cast<std::uint8_t>(sw >> 8));
    data.push_back(static_cast<std::uint8_t>(sw & 0xFF));
    return data;
}

std::string fidHex(std::uint16_t fid)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04X", static_cast<unsigned>(fid));
    return text;
}

Bytes toBytes(std::string_view text)
{
    return Bytes(text.begin(), text.end());
}

Ef binaryEf(Bytes data, std::uint16_t readPin = 0)
{
    Ef ef;
    ef.kind = EfKind::Binary;
    ef.data = std::move(data);
    ef.readPin = readPin;
    return ef;
}

Ef pinEf(std::string value, int maxTries, int triesLeft, std::string counterKey)
{
    Ef ef;
    ef.kind = EfKind::Pin;
    ef.pinValue = std::move(value);
    ef.maxTries = maxTries;
    ef.triesLeft = triesLeft;
    ef.counterKey = std::move(counterKey);
    return ef;
}

Ef keyEf(KeyPtr key, std::uint16_t keyPin)
{
    Ef ef;
    ef.kind = EfKind::Key;
    ef.key = std::move(key);
    ef.keyPin = keyPin;
    return ef;
}

// The certificate EF: the DER, padded with 00 (docs/card.md).
Bytes paddedEf(const Bytes& der, std::size_t efSize)
{
    Bytes data = der;
    if (efSize == 0) {
        efSize = (der.size() + 255) / 256 * 256 + 256;
    }
    if (data.size() < efSize) {
        data.resize(efSize, 0x00);
    }
    return data;
}

// A placeholder for an optional certificate: a DER header that claims no content, padded.
Bytes dummyCertificateEf()
{
    Bytes data{0x30, 0x82, 0x00, 0x00};
    data.resize(1024, 0x00);
    return data;
}

void putU32(Bytes& out, std::uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<std::uint8_t>((value >> shift) & 0xFF));
    }
}

void putPadded(Bytes& out, std::string_view text, std::size_t size)
{
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(i < text.size() ? static_cast<std::uint8_t>(text[i]) : ' ');
    }
}

// EF 0006: a 160-byte PKCS#11 CK_TOKEN_INFO with big-endian CK_ULONGs (one public source only).
Bytes tokenInfo(std::string_view label)
{
    Bytes out;
    putPadded(out, label, 32);
    putPadded(out, "JPKI", 32);   // manufacturerID
    putPadded(out, "JPKI", 16);   // model
    putPadded(out, "00000000", 16); // serialNumber
    putU32(out, 0x0000040D);      // flags
    for (int i = 0; i < 4; ++i) {
        putU32(out, 0); // session counts
    }
    putU32(out, 16); // maxPinLen
    putU32(out, 6);  // minPinLen
    for (int i = 0; i < 4; ++i) {
        putU32(out, 0); // memory fields
    }
    putPadded(out, "03", 2); // hardwareVersion
    putPadded(out, "01", 2); // firmwareVersion
    putPadded(out, "", 16);  // utcTime
    return out;
}

void appendTlv(Bytes& out, std::uint16_t tag, std::span<const std::uint8_t> value)
{
    out.push_back(static_cast<std::uint8_t>(tag >> 8));
    out.push_back(static_cast<std::uint8_t>(tag & 0xFF));
    out.push_back(static_cast<std::uint8_t>(value.size()));
    out.insert(out.end(), value.begin(), value.end());
}

// 入力補助AP EF 0002: FF 20 L { DF21 header ; DF22 name ; DF23 address ; DF24 birth ;
// DF25 sex }, all dummies. The header holds the offsets of the four TLVs.
Bytes dummyBasicInfo()
{
    const Bytes name = toBytes("ダミー 氏名");
    const Bytes address = toBytes("ダミー 住所");
    const Bytes birth = toBytes("20000101");
    const Bytes sex = toBytes("9");
    Bytes values;
    std::array<std::uint16_t, 4> offsets{};
    const std::size_t headerTlv = 3 + 8;
    std::size_t at = headerTlv;
    const std::array<const Bytes*, 4> parts{&name, &address, &birth, &sex};
    for (std::size_t i = 0; i < parts.size(); ++i) {
        offsets[i] = static_cast<std::uint16_t>(at);
        at += 3 + parts[i]->size();
    }
    Bytes header;
    for (auto offset : offsets) {
        header.push_back(static_cast<std::uint8_t>(offset >> 8));
        header.push_back(static_cast<std::uint8_t>(offset & 0xFF));
    }
    Bytes content;
    appendTlv(content, 0xDF21, header);
    appendTlv(content, 0xDF22, name);
    appendTlv(content, 0xDF23, address);
    appendTlv(content, 0xDF24, birth);
    appendTlv(content, 0xDF25, sex);
    Bytes out{0xFF, 0x20, static_cast<std::uint8_t>(content.size())};
    out.insert(out.end(), content.begin(), content.end());
    return out;
}

Result<KeyPtr> parsePrivateKey(const std::string& pem, const char* what)
{
    auto key = crypto::parsePemPrivateKey(pem, what);
    if (!key) {
        return fail(Errc::ConfigInvalid, std::string(what) + ": not a PEM private key");
    }
    if (EVP_PKEY_get_base_id(key->get()) != EVP_PKEY_RSA) {
        return fail(Errc::ConfigInvalid, std::string(what) + ": not an RSA key");
    }
    return KeyPtr(std::move(*key));
}

Result<void> checkKeyMatches(const Bytes& certificate, EVP_PKEY* key, const char* what)
{
    auto x509 = crypto::parseDerCertificate(certificate);
    if (!x509) {
        return fail(Errc::ConfigInvalid, std::string(what) + ": certificate is not DER X.509");
    }
    if (!crypto::keyMatchesCertificate(x509->get(), key)) {
        return fail(Errc::ConfigInvalid, std::string(what) + ": key does not match certificate");
    }
    return ok();
}

bool isDigits(const std::string& text, std::size_t length)
{
    return text.size() == length &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

struct VirtualCard::State {
    mutable std::mutex mutex;
    Bytes atr;
    std::vector<App> apps;
    std::string stateFile;

    // Volatile state: cleared by SELECT of an application, power-off and reset.
    int currentApp = -1;
    std::optional<std::uint16_t> currentEf;
    std::set<std::uint16_t> verified; // PIN EFs of the current application

    std::vector<CardAccess> log;
    std::size_t commands = 0;

    App* app() { return currentApp >= 0 ? &apps[static_cast<std::size_t>(currentApp)] : nullptr; }

    Bytes currentAid()
    {
        const App* current = app();
        return current ? current->aid : Bytes{};
    }

    void clearVolatile()
    {
        currentApp = -1;
        currentEf.reset();
        verified.clear();
    }

    void record(CardAccess::Kind kind, Bytes aid, std::uint16_t fid, bool withData,
                std::uint16_t sw)
    {
        if (log.size() >= kAccessLogLimit) {
            log.erase(log.begin(), log.begin() + static_cast<std::ptrdiff_t>(kAccessLogLimit / 2));
        }
        log.push_back(CardAccess{kind, std::move(aid), fid, withData, sw});
    }

    Ef* findEf(std::uint16_t fid)
    {
        App* current = app();
        if (!current) {
            return nullptr;
        }
        auto it = current->efs.find(fid);
        return it == current->efs.end() ? nullptr : &it->second;
    }

    Ef* findPin(std::uint16_t fid)
    {
        Ef* ef = findEf(fid);
        return ef && ef->kind == EfKind::Pin ? ef : nullptr;
    }

    Result<void> loadCounters();
    void saveCounters() const;

    Bytes process(std::span<const std::uint8_t> raw);
    Bytes select(const CommandApdu& command);
    Bytes readBinary(const CommandApdu& command);
    Bytes verify(const CommandApdu& command);
    Bytes changeReference(const CommandApdu& command);
    Bytes sign(const CommandApdu& command);
};

Result<void> VirtualCard::State::loadCounters()
{
    if (stateFile.empty()) {
        return ok();
    }
    std::error_code ec;
    if (!std::filesystem::exists(stateFile, ec)) {
        return ok();
    }
    std::ifstream in(stateFile);
    auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.is_object() || json.value("format", 0) != 1 ||
        !json.contains("counters") || !json["counters"].is_object()) {
        return fail(Errc::StorageCorrupt, "card state file is not a format 1 state file");
    }
    for (auto& app : apps) {
        for (auto& [fid, ef] : app.efs) {
            if (ef.kind != EfKind::Pin) {
                continue;
            }
            const auto& counters = json["counters"];
            auto it = counters.find(ef.counterKey);
            if (it == counters.end()) {
                continue;
            }
            if (!it->is_number_integer() || it->get<int>() < 0 || it->get<int>() > ef.maxTries) {
                return fail(Errc::StorageCorrupt, "card state file: bad counter " + ef.counterKey);
            }
            ef.triesLeft = it->get<int>();
        }
    }
    return ok();
}

void VirtualCard::State::saveCounters() const
{
    if (stateFile.empty()) {
        return;
    }
    nlohmann::json counters = nlohmann::json::object();
    for (const auto& app : apps) {
        for (const auto& [fid, ef] : app.efs) {
            if (ef.kind == EfKind::Pin) {
                counters[ef.counterKey] = ef.triesLeft;
            }
        }
    }
    const nlohmann::json json{{"format", 1}, {"counters", counters}};
    // Atomic and 0600 whatever the umask (base/files.hpp), like every file the programs write.
    if (auto written = files::publishFile(stateFile, json.dump(2) + "\n"); !written) {
        UKETSUKE_LOG(kLog, Warn) << "cannot write the card state file: "
                                 << written.error().message;
    }
}

Bytes VirtualCard::State::process(std::span<const std::uint8_t> raw)
{
    ++commands;
    auto parsed = parseCommandApdu(raw);
    if (!parsed) {
        return swOnly(kSwWrongLength);
    }
    const CommandApdu& command = *parsed;
    if (command.cla == 0x00) {
        switch (command.ins) {
        case 0xA4:
            return select(command);
        case 0xB0:
            return readBinary(command);
        case 0x20:
            return verify(command);
        case 0x24:
            return changeReference(command);
        default:
            return swOnly(kSwBadIns);
        }
    }
    if (command.cla == 0x80) {
        if (command.ins == 0x2A) {
            return sign(command);
        }
        return swOnly(kSwBadIns);
    }
    return swOnly(kSwBadCla);
}

Bytes VirtualCard::State::select(const CommandApdu& command)
{
    if (command.p2 != 0x0C && command.p2 != 0x00) {
        return swOnly(kSwBadP1P2);
    }
    if (command.p1 == 0x04) {
        const Bytes aid(command.data.begin(), command.data.end());
        std::uint16_t sw = kSwNotFound;
        if (!aid.empty()) {
            for (std::size_t i = 0; i < apps.size(); ++i) {
                if (apps[i].aid == aid) {
                    clearVolatile();
                    currentApp = static_cast<int>(i);
                    sw = kSwOk;
                    break;
                }
            }
        }
        record(CardAccess::Kind::SelectAid, aid, 0, false, sw);
        return swOnly(sw);
    }
    if (command.p1 == 0x02) {
        if (command.data.size() != 2) {
            return swOnly(kSwWrongLength);
        }
        const auto fid = static_cast<std::uint16_t>((command.data[0] << 8) | command.data[1]);
        std::uint16_t sw = kSwNotFound;
        if (findEf(fid)) {
            currentEf = fid;
            sw = kSwOk;
        }
        record(CardAccess::Kind::SelectEf, currentAid(), fid, false, sw);
        return swOnly(sw);
    }
    return swOnly(kSwBadP1P2);
}

Bytes VirtualCard::State::readBinary(const CommandApdu& command)
{
    if (!command.data.empty() || !command.hasLe) {
        return swOnly(kSwWrongLength);
    }
    std::uint16_t fid = 0;
    std::size_t offset = 0;
    if (command.p1 & 0x80) {
        // SFI addressing: P1 = 80 | SFI, P2 = offset. In every AP here the SFI equals the FID.
        fid = command.p1 & 0x1F;
        offset = command.p2;
        if (!findEf(fid)) {
            record(CardAccess::Kind::ReadBinary, currentAid(), fid, false, kSwNotFound);
            return swOnly(kSwNotFound);
        }
        currentEf = fid;
    } else {
        if (!currentEf) {
            return swOnly(kSwNoCurrentEf);
        }
        fid = *currentEf;
        offset = (std::size_t{command.p1} << 8) | command.p2;
    }
    const Ef* ef = findEf(fid);
    auto answer = [&](Bytes data, std::uint16_t sw) {
        record(CardAccess::Kind::ReadBinary, currentAid(), fid, false, sw);
        return withSw(std::move(data), sw);
    };
    if (!ef || ef->kind != EfKind::Binary) {
        return answer({}, kSwIncompatibleFile);
    }
    if (ef->readPin != 0 && !verified.contains(ef->readPin)) {
        return answer({}, kSwSecurityStatus);
    }
    if (offset >= ef->data.size()) {
        return answer({}, kSwBeyondEof);
    }
    const std::size_t available = ef->data.size() - offset;
    const std::size_t count = std::min(available, command.ne);
    Bytes data(ef->data.begin() + static_cast<std::ptrdiff_t>(offset),
               ef->data.begin() + static_cast<std::ptrdiff_t>(offset + count));
    return answer(std::move(data), count < command.ne ? kSwEndOfFile : kSwOk);
}

Bytes VirtualCard::State::verify(const CommandApdu& command)
{
    if (command.p1 != 0x00) {
        return swOnly(kSwBadP1P2);
    }
    Ef* pin = nullptr;
    std::uint16_t fid = 0;
    if (command.p2 == 0x80) {
        if (!currentEf || !findPin(*currentEf)) {
            record(CardAccess::Kind::Verify, currentAid(), currentEf.value_or(0),
                   !command.data.empty(), kSwNoCurrentEf);
            return swOnly(kSwNoCurrentEf);
        }
        fid = *currentEf;
        pin = findPin(fid);
    } else if (command.p2 > 0x80 && command.p2 <= 0x9E) {
        fid = command.p2 & 0x1F;
        pin = findPin(fid);
        if (!pin) {
            record(CardAccess::Kind::Verify, currentAid(), fid, !command.data.empty(),
                   kSwRefNotFound);
            return swOnly(kSwRefNotFound);
        }
    } else {
        return swOnly(kSwBadP1P2);
    }
    const bool withData = !command.data.empty();
    auto answer = [&](std::uint16_t sw) {
        record(CardAccess::Kind::Verify, currentAid(), fid, withData, sw);
        return swOnly(sw);
    };
    const auto counterSw = [&] { return static_cast<std::uint16_t>(0x63C0 | pin->triesLeft); };
    if (!withData) {
        // The tries query spends no try; 63 C0 when blocked, 63 Cx even when verified.
        return answer(counterSw());
    }
    if (pin->triesLeft == 0) {
        return answer(kSwBlocked);
    }
    const std::string_view given(reinterpret_cast<const char*>(command.data.data()),
                                 command.data.size());
    if (given == pin->pinValue) {
        pin->triesLeft = pin->maxTries;
        verified.insert(fid);
        saveCounters();
        return answer(kSwOk);
    }
    --pin->triesLeft;
    verified.erase(fid);
    saveCounters();
    return answer(counterSw());
}

Bytes VirtualCard::State::changeReference(const CommandApdu& command)
{
    if (command.p1 != 0x01) {
        return swOnly(kSwBadP1P2);
    }
    std::uint16_t fid = 0;
    if (command.p2 == 0x80) {
        if (!currentEf || !findPin(*currentEf)) {
            return swOnly(kSwNoCurrentEf);
        }
        fid = *currentEf;
    } else if (command.p2 > 0x80 && command.p2 <= 0x9E) {
        fid = command.p2 & 0x1F;
    } else {
        return swOnly(kSwBadP1P2);
    }
    Ef* pin = findPin(fid);
    std::uint16_t sw = kSwOk;
    if (!pin) {
        sw = kSwRefNotFound;
    } else if (command.data.empty() || command.data.size() > 16) {
        sw = kSwWrongLength;
    } else if (!verified.contains(fid)) {
        sw = kSwSecurityStatus;
    } else {
        pin->pinValue.assign(command.data.begin(), command.data.end());
    }
    record(CardAccess::Kind::ChangeReference, currentAid(), fid, true, sw);
    return swOnly(sw);
}

Bytes VirtualCard::State::sign(const CommandApdu& command)
{
    if (command.p1 != 0x00) {
        return swOnly(kSwBadP1P2);
    }
    std::uint16_t fid = 0;
    if (command.p2 == 0x80) {
        if (!currentEf) {
            return swOnly(kSwNoCurrentEf);
        }
        fid = *currentEf;
    } else if (command.p2 > 0x80 && command.p2 <= 0x9E) {
        fid = command.p2 & 0x1F;
    } else {
        return swOnly(kSwBadP1P2);
    }
    auto answer = [&](Bytes data, std::uint16_t sw) {
        record(CardAccess::Kind::Sign, currentAid(), fid, false, sw);
        return withSw(std::move(data), sw);
    };
    const Ef* ef = findEf(fid);
    if (!ef) {
        return answer({}, command.p2 == 0x80 ? kSwNoCurrentEf : kSwRefNotFound);
    }
    if (ef->kind != EfKind::Key) {
        return answer({}, kSwNoCurrentEf);
    }
    if (command.data.empty() || command.data.size() > kMaxSignatureInput) {
        return answer({}, kSwWrongLength);
    }
    if (!verified.contains(ef->keyPin)) {
        return answer({}, kSwSecurityStatus);
    }
    if (!ef->key) {
        return answer({}, kSwRefNotFound);
    }
    crypto::PkeyCtxPtr ctx(EVP_PKEY_CTX_new(ef->key.get(), nullptr));
    std::size_t size = 0;
    // No signature digest: the card pads the given bytes (a DigestInfo) with PKCS#1 v1.5 type
    // 1 and applies the private key, as the real card does.
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
        EVP_PKEY_sign(ctx.get(), nullptr, &size, command.data.data(), command.data.size()) != 1) {
        return answer({}, kSwWrongData);
    }
    Bytes signature(size);
    if (EVP_PKEY_sign(ctx.get(), signature.data(), &size, command.data.data(),
                      command.data.size()) != 1) {
        return answer({}, kSwWrongData);
    }
    signature.resize(size);
    return answer(std::move(signature), kSwOk);
}

std::string describe(const CardAccess& access)
{
    std::string out;
    switch (access.kind) {
    case CardAccess::Kind::SelectAid:
        out = "select-aid " + hex(access.aid);
        break;
    case CardAccess::Kind::SelectEf:
        out = "select-ef " + fidHex(access.fid);
        break;
    case CardAccess::Kind::ReadBinary:
        out = "read " + fidHex(access.fid);
        break;
    case CardAccess::Kind::Verify:
        out = "verify " + fidHex(access.fid) + (access.withData ? " (pin)" : " (query)");
        break;
    case CardAccess::Kind::ChangeReference:
        out = "change-reference " + fidHex(access.fid);
        break;
    case CardAccess::Kind::Sign:
        out = "sign " + fidHex(access.fid);
        break;
    }
    if (access.kind != CardAccess::Kind::SelectAid) {
        out += " in " + (access.aid.empty() ? std::string("(no AP)") : hex(access.aid));
    }
    return out + " -> " + formatStatusWord(access.sw);
}

Result<std::shared_ptr<VirtualCard>> VirtualCard::create(VirtualCardConfig config)
{
    auto state = std::make_unique<State>();
    state->atr = std::move(config.atr);
    state->stateFile = std::move(config.stateFile);
    if (state->atr.empty() || state->atr.size() > 33) {
        return fail(Errc::ConfigInvalid, "ATR must have 1 to 33 bytes");
    }

    if (config.kind == VirtualCardConfig::Kind::Foreign) {
        if (config.foreignAid.empty() || config.foreignAid.size() > 16 ||
            config.foreignAid == Bytes(jpki::kJpkiAid.begin(), jpki::kJpkiAid.end())) {
            return fail(Errc::ConfigInvalid, "a foreign card needs a non-JPKI AID of 1-16 bytes");
        }
        App app;
        app.name = "foreign";
        app.aid = config.foreignAid;
        app.efs.emplace(0x0001, binaryEf(toBytes("not a My Number card")));
        state->apps.push_back(std::move(app));
        return std::shared_ptr<VirtualCard>(new VirtualCard(std::move(state)));
    }

    if (config.authCertificate.empty()) {
        return fail(Errc::ConfigInvalid, "the user-authentication certificate is missing");
    }
    if (!isDigits(config.authPin, 4)) {
        return fail(Errc::ConfigInvalid, "the user-authentication PIN must be 4 digits");
    }
    if (config.authPinTriesLeft < 0 || config.authPinTriesLeft > jpki::kAuthPinMaxTries) {
        return fail(Errc::ConfigInvalid, "PIN tries left must be 0 to 3");
    }
    if (config.signPassword.size() < 6 || config.signPassword.size() > 16 ||
        config.signPasswordTriesLeft < 0 ||
        config.signPasswordTriesLeft > jpki::kSignPinMaxTries) {
        return fail(Errc::ConfigInvalid, "signing password must be 6-16 characters, tries 0-5");
    }
    auto authKey = parsePrivateKey(config.authKeyPem, "user-authentication key");
    if (!authKey) {
        return fail(std::move(authKey).error());
    }
    if (auto match = checkKeyMatches(config.authCertificate, authKey->get(), "user-auth");
        !match) {
        return fail(std::move(match).error());
    }
    KeyPtr signKey;
    if (!config.signKeyPem.empty()) {
        auto parsed = parsePrivateKey(config.signKeyPem, "signing key");
        if (!parsed) {
            return fail(std::move(parsed).error());
        }
        signKey = std::move(*parsed);
        if (!config.signCertificate.empty()) {
            if (auto match = checkKeyMatches(config.signCertificate, signKey.get(), "signing");
                !match) {
                return fail(std::move(match).error());
            }
        }
    }

    const auto certEf = [&](const Bytes& der) {
        return der.empty() ? dummyCertificateEf() : paddedEf(der, config.certificateEfSize);
    };

    // 公的個人認証AP.
    App jpkiApp;
    jpkiApp.name = "jpki";
    jpkiApp.aid.assign(jpki::kJpkiAid.begin(), jpki::kJpkiAid.end());
    auto& efs = jpkiApp.efs;
    efs.emplace(jpki::kEfSignCertificate, binaryEf(certEf(config.signCertificate),
                                                   jpki::kEfSignPin));
    efs.emplace(jpki::kEfSignCaCertificate, binaryEf(certEf(config.signCaCertificate)));
    efs.emplace(jpki::kEfTokenInfo, binaryEf(tokenInfo(config.tokenLabel)));
    efs.emplace(jpki::kEfCertPresence, binaryEf(Bytes{0x8F, 0x8F, 0x00}));
    efs.emplace(jpki::kEfAuthCertificate, binaryEf(certEf(config.authCertificate)));
    efs.emplace(jpki::kEfAuthCaCertificate, binaryEf(certEf(config.authCaCertificate)));
    efs.emplace(jpki::kEfAuthKey, keyEf(std::move(*authKey), jpki::kEfAuthPin));
    efs.emplace(jpki::kEfAuthPin, pinEf(config.authPin, jpki::kAuthPinMaxTries,
                                        config.authPinTriesLeft, "jpki/0018"));
    efs.emplace(jpki::kEfSignKey, keyEf(std::move(signKey), jpki::kEfSignPin));
    efs.emplace(jpki::kEfSignPin, pinEf(config.signPassword, jpki::kSignPinMaxTries,
                                        config.signPasswordTriesLeft, "jpki/001B"));
    state->apps.push_back(std::move(jpkiApp));

    // 券面事項入力補助AP, dummy data behind its own PINs.
    App support;
    support.name = "support";
    support.aid.assign(jpki::kSupportAid.begin(), jpki::kSupportAid.end());
    Bytes myNumber{0xFF, 0x10, 0x0C};
    const Bytes digits = toBytes("000000000000");
    myNumber.insert(myNumber.end(), digits.begin(), digits.end());
    myNumber.insert(myNumber.end(), {0x00, 0x00});
    support.efs.emplace(0x0001, binaryEf(myNumber, 0x0011));
    support.efs.emplace(0x0002, binaryEf(dummyBasicInfo(), 0x0011));
    support.efs.emplace(0x0011, pinEf("9999", 3, 3, "support/0011"));
    support.efs.emplace(0x0014, pinEf("000000000000", 3, 3, "support/0014"));
    support.efs.emplace(0x0015, pinEf("00010120309999", 3, 3, "support/0015"));
    state->apps.push_back(std::move(support));

    // 券面AP: card-face data behind PIN A.
    App face;
    face.name = "face";
    face.aid.assign(jpki::kFaceAid.begin(), jpki::kFaceAid.end());
    face.efs.emplace(0x0002, binaryEf(Bytes{0xFF, 0x20, 0x03, 0xDF, 0x21, 0x00}, 0x0013));
    face.efs.emplace(0x0003, binaryEf(Bytes{0x00, 0x00, 0x00, 0x00}));
    face.efs.emplace(0x0012, pinEf("00010120309999", 3, 3, "face/0012"));
    face.efs.emplace(0x0013, pinEf("000000000000", 3, 3, "face/0013"));
    state->apps.push_back(std::move(face));

    App common;
    common.name = "common";
    common.aid.assign(jpki::kCommonAid.begin(), jpki::kCommonAid.end());
    state->apps.push_back(std::move(common));
    App juki;
    juki.name = "juki";
    juki.aid.assign(jpki::kJukiAid.begin(), jpki::kJukiAid.end());
    state->apps.push_back(std::move(juki));

    if (auto loaded = state->loadCounters(); !loaded) {
        return fail(std::move(loaded).error());
    }
    return std::shared_ptr<VirtualCard>(new VirtualCard(std::move(state)));
}

VirtualCard::VirtualCard(std::unique_ptr<State> state) : m_state(std::move(state)) {}

VirtualCard::~VirtualCard() = default;

std::shared_ptr<VirtualCard> VirtualCard::copy() const
{
    std::lock_guard lock(m_state->mutex);
    auto state = std::make_unique<State>();
    state->atr = m_state->atr;
    state->apps = m_state->apps;
    state->currentApp = m_state->currentApp;
    state->currentEf = m_state->currentEf;
    state->verified = m_state->verified;
    return std::shared_ptr<VirtualCard>(new VirtualCard(std::move(state)));
}

Bytes VirtualCard::process(std::span<const std::uint8_t> command)
{
    std::lock_guard lock(m_state->mutex);
    Bytes response = m_state->process(command);
    if (kLog.enabled(log::Level::Debug) && command.size() >= 2 && response.size() >= 2) {
        UKETSUKE_LOG(kLog, Debug) << "CLA " << hex(command.subspan(0, 1)) << " INS "
                                  << hex(command.subspan(1, 1)) << " -> "
                                  << hex(std::span(response).last(2));
    }
    return response;
}

void VirtualCard::powerOff()
{
    std::lock_guard lock(m_state->mutex);
    m_state->clearVolatile();
}

void VirtualCard::reset()
{
    std::lock_guard lock(m_state->mutex);
    m_state->clearVolatile();
}

const Bytes& VirtualCard::atr() const
{
    return m_state->atr; // immutable after create()
}

int VirtualCard::authPinTriesLeft() const
{
    std::lock_guard lock(m_state->mutex);
    for (const auto& app : m_state->apps) {
        if (app.name == "jpki") {
            return app.efs.at(jpki::kEfAuthPin).triesLeft;
        }
    }
    return 0;
}

int VirtualCard::signPasswordTriesLeft() const
{
    std::lock_guard lock(m_state->mutex);
    for (const auto& app : m_state->apps) {
        if (app.name == "jpki") {
            return app.efs.at(jpki::kEfSignPin).triesLeft;
        }
    }
    return 0;
}

std::vector<CardAccess> VirtualCard::accessLog() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->log;
}

void VirtualCard::clearAccessLog()
{
    std::lock_guard lock(m_state->mutex);
    m_state->log.clear();
    m_state->commands = 0;
}

std::size_t VirtualCard::commandCount() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->commands;
}

} // namespace uketsuke::hal::sim
