#include "kiosk/card/jpki.hpp"

#include "base/log.hpp"
#include "crypto/crypto.hpp"
#include "hal/apdu.hpp"
#include "hal/status_words.hpp"

#include <algorithm>
#include <cstdio>

namespace uketsuke::kiosk::card {
namespace {

const log::Category kLog("kiosk.card");

constexpr std::uint16_t kSwEndOfFile = 0x6282;
constexpr std::uint16_t kSwBeyondEof = 0x6B00;
constexpr std::size_t kMaxSignatureBytes = 512;
constexpr std::size_t kTokenLabelRead = 32;

Unexpected<Error> swFailure(std::uint16_t sw, std::string_view what)
{
    Error error = hal::statusWordError(sw);
    error.message = std::string(what) + ": " + error.message;
    return fail(std::move(error));
}

} // namespace

Result<std::optional<std::size_t>> derTotalLength(std::span<const std::uint8_t> bytes)
{
    if (bytes.empty()) {
        return std::optional<std::size_t>();
    }
    if (bytes[0] != 0x30) {
        char tag[3];
        std::snprintf(tag, sizeof tag, "%02X", bytes[0]);
        return fail(Errc::CertificateInvalid,
                    std::string("certificate EF starts with tag ") + tag + ", not 30 (SEQUENCE)");
    }
    if (bytes.size() < 2) {
        return std::optional<std::size_t>();
    }
    const std::uint8_t first = bytes[1];
    if (first < 0x80) {
        return std::optional<std::size_t>(2 + std::size_t{first}); // short form
    }
    const std::size_t count = first & 0x7F;
    if (count == 0) {
        return fail(Errc::CertificateInvalid, "certificate has an indefinite length (30 80)");
    }
    if (count > 4) {
        return fail(Errc::CertificateInvalid,
                    "certificate length field of " + std::to_string(count) +
                        " bytes, above the bound of " + std::to_string(kMaxCertificateBytes));
    }
    if (bytes.size() < 2 + count) {
        return std::optional<std::size_t>();
    }
    std::size_t length = 0;
    for (std::size_t i = 0; i < count; ++i) {
        length = (length << 8) | bytes[2 + i];
    }
    if (bytes[2] == 0 || length < 0x80) {
        return fail(Errc::CertificateInvalid, "certificate length not in minimal DER form");
    }
    const std::size_t total = 2 + count + length;
    if (total > kMaxCertificateBytes) {
        return fail(Errc::CertificateInvalid,
                    "certificate length " + std::to_string(total) + " above the bound of " +
                        std::to_string(kMaxCertificateBytes));
    }
    return std::optional<std::size_t>(total);
}

hal::Bytes sha256DigestInfo(std::span<const std::uint8_t> message)
{
    hal::Bytes out(hal::jpki::kSha256DigestInfoPrefix.begin(),
                   hal::jpki::kSha256DigestInfoPrefix.end());
    auto hash = crypto::sha256(message);
    if (!hash) {
        // SHA-256 in OpenSSL's default provider does not fail; an all-zero hash would make the
        // signature fail to verify at the gateway rather than pass.
        UKETSUKE_LOG(kLog, Error) << "SHA-256 failed";
        hash = crypto::Bytes(32, 0);
    }
    out.insert(out.end(), hash->begin(), hash->end());
    return out;
}

JpkiCard::JpkiCard(hal::CardChannel& channel) : m_channel(channel) {}

Result<hal::ApduResponse> JpkiCard::transmit(hal::Apdu apdu)
{
    auto response = m_channel.transmit(std::move(apdu));
    if (!response) {
        m_currentEf.reset();
    }
    return response;
}

Result<void> JpkiCard::selectEf(std::uint16_t fid)
{
    m_currentEf.reset();
    auto response = transmit(hal::selectEf(fid));
    if (!response) {
        return fail(std::move(response).error());
    }
    if (response->sw != hal::kSwOk) {
        return swFailure(response->sw, "SELECT EF");
    }
    m_currentEf = fid;
    return ok();
}

Result<void> JpkiCard::selectJpki()
{
    m_currentEf.reset();
    auto response = transmit(hal::selectAid(hal::jpki::kJpkiAid));
    if (!response) {
        return fail(std::move(response).error());
    }
    if (response->sw != hal::kSwOk) {
        UKETSUKE_LOG(kLog, Info) << "no JPKI application: SW "
                                 << hal::formatStatusWord(response->sw);
        return fail(Errc::NotMyNumberCard,
                    "SELECT JPKI AID answered " + hal::formatStatusWord(response->sw),
                    response->sw);
    }
    return ok();
}

Result<hal::Bytes> JpkiCard::readAuthCertificate()
{
    if (auto selected = selectEf(hal::jpki::kEfAuthCertificate); !selected) {
        return fail(std::move(selected).error());
    }
    // The first READ BINARY asks for 256 bytes at offset 0: they hold the DER header and the
    // start of the certificate, so no separate header read is needed. Later reads go on at the
    // offset reached (normally 256, 512, ...), the last one asking for the exact remainder.
    hal::Bytes der;
    std::optional<std::size_t> total; // header + contents, once the header has been read
    while (!total || der.size() < *total) {
        const std::size_t want =
            total ? std::min(*total - der.size(), hal::kMaxShortLe) : hal::kMaxShortLe;
        auto chunk = transmit(hal::readBinary(static_cast<std::uint16_t>(der.size()), want));
        if (!chunk) {
            return fail(std::move(chunk).error());
        }
        const std::uint16_t sw = chunk->sw;
        if (sw == kSwBeyondEof) {
            break; // nothing more in the EF; checked below
        }
        if (sw != hal::kSwOk && sw != kSwEndOfFile) {
            return swFailure(sw, "READ BINARY");
        }
        if (chunk->data.size() > want) {
            return fail(Errc::CardMalformedReply, "READ BINARY returned more than Le");
        }
        if (chunk->data.empty() && sw == hal::kSwOk) {
            return fail(Errc::CardMalformedReply, "READ BINARY returned no data with 90 00");
        }
        der.insert(der.end(), chunk->data.begin(), chunk->data.end());
        if (!total) {
            auto length = derTotalLength(der);
            if (!length) {
                return fail(std::move(length).error());
            }
            total = *length; // stays empty while the bytes so far end inside the header
        }
        if (sw == kSwEndOfFile) {
            break; // partial data at the end of the EF; checked below
        }
    }
    if (!total) {
        return fail(Errc::CardEndOfFile, "certificate EF ends inside the DER header, after " +
                                             std::to_string(der.size()) + " bytes");
    }
    if (der.size() < *total) {
        return fail(Errc::CardEndOfFile, "certificate EF ends after " +
                                             std::to_string(der.size()) + " of " +
                                             std::to_string(*total) + " bytes");
    }
    der.resize(*total); // drops the EF's padding read with the first chunk
    UKETSUKE_LOG(kLog, Debug) << "read certificate, " << der.size() << " bytes";
    return der;
}

Result<int> JpkiCard::pinTriesLeft()
{
    if (auto selected = selectEf(hal::jpki::kEfAuthPin); !selected) {
        return fail(std::move(selected).error());
    }
    auto response = transmit(hal::verifyQuery());
    if (!response) {
        return fail(std::move(response).error());
    }
    if (response->sw == hal::kSwOk) {
        return hal::jpki::kAuthPinMaxTries; // already verified: the counter is at its maximum
    }
    const hal::StatusWordInfo info = hal::mapStatusWord(response->sw);
    if (info.triesLeft >= 0) {
        return std::min(info.triesLeft, hal::jpki::kAuthPinMaxTries);
    }
    if (info.code == Errc::PinBlocked) {
        return 0; // 69 84 / 69 83
    }
    return swFailure(response->sw, "tries query");
}

Result<SignOutcome> JpkiCard::verifyAndSign(const Pin& pin, std::span<const std::uint8_t> message)
{
    if (!pin.complete()) {
        return fail(Errc::PinFormat, "the PIN must have exactly 4 digits");
    }
    if (m_currentEf != hal::jpki::kEfAuthPin) {
        if (auto selected = selectEf(hal::jpki::kEfAuthPin); !selected) {
            return fail(std::move(selected).error());
        }
    }
    auto verified = transmit(hal::verify(pin));
    if (!verified) {
        return fail(std::move(verified).error());
    }
    return signAfterVerify(verified->sw, message);
}

bool JpkiCard::readerHasPinPad() const
{
    return m_channel.capabilities().securePinEntry;
}

Result<SignOutcome> JpkiCard::verifyOnReaderAndSign(std::span<const std::uint8_t> message,
                                                   std::chrono::seconds timeout)
{
    if (!readerHasPinPad()) {
        return fail(Errc::NotSupported, "the reader has no PIN pad");
    }
    if (m_currentEf != hal::jpki::kEfAuthPin) {
        if (auto selected = selectEf(hal::jpki::kEfAuthPin); !selected) {
            return fail(std::move(selected).error());
        }
    }
    hal::PinPadVerify request; // 00 20 00 80, exactly 4 digits (docs/card.md)
    request.minDigits = static_cast<std::uint8_t>(Pin::kLength);
    request.maxDigits = static_cast<std::uint8_t>(Pin::kLength);
    request.timeout = timeout;
    auto sw = m_channel.verifyPinOnReader(request);
    if (!sw) {
        const Errc code = sw.error().code;
        if (code != Errc::Timeout && code != Errc::Cancelled && code != Errc::PinFormat) {
            m_currentEf.reset(); // a transport error: the card's state is unknown
        }
        return fail(std::move(sw).error());
    }
    return signAfterVerify(*sw, message);
}

Result<SignOutcome> JpkiCard::signAfterVerify(std::uint16_t sw,
                                              std::span<const std::uint8_t> message)
{
    if (sw != hal::kSwOk) {
        const hal::StatusWordInfo info = hal::mapStatusWord(sw);
        UKETSUKE_LOG(kLog, Info) << "VERIFY failed: SW " << hal::formatStatusWord(sw);
        if (info.code == Errc::PinIncorrect) {
            return SignOutcome{PinRefused{std::clamp(info.triesLeft, 0, hal::jpki::kAuthPinMaxTries)}};
        }
        if (info.code == Errc::PinBlocked) {
            return SignOutcome{PinRefused{0}};
        }
        m_currentEf.reset();
        return swFailure(sw, "VERIFY");
    }
    if (auto selected = selectEf(hal::jpki::kEfAuthKey); !selected) {
        return fail(std::move(selected).error());
    }
    const hal::Bytes digestInfo = sha256DigestInfo(message);
    auto signature = transmit(hal::computeSignature(digestInfo));
    if (!signature) {
        return fail(std::move(signature).error());
    }
    if (signature->sw != hal::kSwOk) {
        return swFailure(signature->sw, "COMPUTE DIGITAL SIGNATURE");
    }
    if (signature->data.empty() || signature->data.size() > kMaxSignatureBytes) {
        return fail(Errc::CardMalformedReply,
                    "signature of " + std::to_string(signature->data.size()) + " bytes");
    }
    UKETSUKE_LOG(kLog, Debug) << "signed, " << signature->data.size() << " bytes";
    return SignOutcome{std::move(signature->data)};
}

Result<std::string> JpkiCard::readTokenLabel()
{
    if (auto selected = selectEf(hal::jpki::kEfTokenInfo); !selected) {
        return fail(std::move(selected).error());
    }
    auto response = transmit(hal::readBinary(0, kTokenLabelRead));
    if (!response) {
        return fail(std::move(response).error());
    }
    if (response->sw != hal::kSwOk && response->sw != kSwEndOfFile) {
        return swFailure(response->sw, "READ BINARY token info");
    }
    if (response->data.size() > kTokenLabelRead) {
        return fail(Errc::CardMalformedReply, "token info read returned more than Le");
    }
    std::string label;
    for (auto byte : response->data) {
        if (byte < 0x20 || byte > 0x7E) {
            break;
        }
        label.push_back(static_cast<char>(byte));
    }
    while (!label.empty() && label.back() == ' ') {
        label.pop_back();
    }
    return label;
}

} // namespace uketsuke::kiosk::card
