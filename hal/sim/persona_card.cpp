#include "hal/sim/persona_card.hpp"

#include "base/files.hpp"
#include "crypto/crypto.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

namespace uketsuke::hal::sim {
namespace {

namespace fs = std::filesystem;

Result<std::string> readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(Errc::ConfigMissing, "cannot read " + path.string());
    }
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Result<Bytes> pemCertificateToDer(const std::string& pem, const std::string& what)
{
    auto x509 = crypto::parsePemCertificate(pem, what);
    if (!x509) {
        return fail(Errc::ConfigInvalid, what + " is not a PEM certificate");
    }
    auto der = crypto::toDer(x509->get());
    if (!der) {
        return fail(Errc::ConfigInvalid, what + " cannot be encoded as DER");
    }
    return std::move(*der);
}

Result<Bytes> parseHex(const std::string& text)
{
    Bytes out;
    int high = -1;
    for (char c : text) {
        int value = -1;
        if (c >= '0' && c <= '9') {
            value = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            value = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            value = c - 'A' + 10;
        } else if (c == ' ' || c == ':') {
            continue;
        } else {
            return fail(Errc::ConfigInvalid, "\"atr\" is not hex");
        }
        if (high < 0) {
            high = value;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | value));
            high = -1;
        }
    }
    if (high >= 0) {
        return fail(Errc::ConfigInvalid, "\"atr\" has an odd number of hex digits");
    }
    return out;
}

} // namespace

Result<std::shared_ptr<VirtualCard>> loadPersonaCard(const std::string& pkiDir,
                                                     const std::string& personaId,
                                                     const std::string& stateFile)
{
    if (!files::isPlainName(personaId)) {
        return fail(Errc::InvalidArgument, "persona id must be a plain name");
    }
    const fs::path dir(pkiDir);
    auto text = readFile(dir / "personas.json");
    if (!text) {
        return fail(std::move(text).error());
    }
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("personas") ||
        !json["personas"].is_array()) {
        return fail(Errc::ConfigInvalid, "personas.json has no \"personas\" array");
    }
    const nlohmann::json* card = nullptr;
    for (const auto& persona : json["personas"]) {
        if (persona.is_object() && persona.value("id", std::string()) == personaId) {
            if (!persona.contains("card") || !persona["card"].is_object()) {
                return fail(Errc::ConfigInvalid, "persona " + personaId + " has no \"card\"");
            }
            card = &persona["card"];
            break;
        }
    }
    if (!card) {
        return fail(Errc::ConfigMissing, "no persona " + personaId + " in personas.json");
    }

    VirtualCardConfig config;
    config.stateFile = stateFile;
    try {
        const std::string kind = card->value("kind", std::string("my_number"));
        if (kind == "foreign") {
            config.kind = VirtualCardConfig::Kind::Foreign;
        } else if (kind != "my_number") {
            return fail(Errc::ConfigInvalid, "persona " + personaId + ": unknown card kind");
        }
        if (card->contains("atr")) {
            auto atr = parseHex(card->at("atr").get<std::string>());
            if (!atr) {
                return fail(std::move(atr).error());
            }
            config.atr = std::move(*atr);
        }
        if (card->contains("token_label")) {
            config.tokenLabel = card->at("token_label").get<std::string>();
        }
        if (config.kind == VirtualCardConfig::Kind::MyNumber) {
            config.authPin = card->at("pin").get<std::string>();
            config.authPinTriesLeft = card->value("pin_tries_left", jpki::kAuthPinMaxTries);
        }
    } catch (const nlohmann::json::exception&) {
        // The message names the field, never its value (a PIN).
        return fail(Errc::ConfigInvalid,
                    "persona " + personaId + ": \"card\" needs \"pin\" as a string, "
                    "\"pin_tries_left\" as a number and text \"atr\"/\"token_label\"");
    }

    if (config.kind == VirtualCardConfig::Kind::MyNumber) {
        const fs::path cards = dir / "jpki" / "cards";
        auto der = readFile(cards / (personaId + ".der"));
        if (!der) {
            return fail(std::move(der).error());
        }
        config.authCertificate.assign(der->begin(), der->end());
        auto key = readFile(cards / (personaId + ".key.pem"));
        if (!key) {
            return fail(std::move(key).error());
        }
        config.authKeyPem = std::move(*key);
        auto caPem = readFile(dir / "jpki" / "auth-ca.pem");
        if (!caPem) {
            return fail(std::move(caPem).error());
        }
        auto caDer = pemCertificateToDer(*caPem, "jpki/auth-ca.pem");
        if (!caDer) {
            return fail(std::move(caDer).error());
        }
        config.authCaCertificate = std::move(*caDer);
    }
    return VirtualCard::create(std::move(config));
}

} // namespace uketsuke::hal::sim
