#include "hal/pcsc/pcsc_errors.hpp"

#include <winscard.h>

#include <array>
#include <cstdio>
#include <string>

namespace uketsuke::hal::pcsc {
namespace {

#define UKETSUKE_PCSC_ROW(name, code) PcscCode{name, #name, code}

// Why each row maps where it does, where it is not obvious:
// - SCARD_E_INVALID_HANDLE: pcsc-lite answers it for a context or card handle that pcscd no
//   longer knows, which is what a restarted daemon looks like; the reader re-establishes.
// - SCARD_W_RESET_CARD: someone reset the card, so its security state (a verified PIN) is gone;
//   the flow starts over as after a removal.
// - SCARD_W_UNRESPONSIVE_CARD / SCARD_W_UNPOWERED_CARD: a mute card (often a card placed badly
//   on a contactless reader): a card error, the patient can place it again.
// - The SCARD_E_* codes from ICC_INSTALLATION to NO_KEY_CONTAINER belong to Windows' smart-card
//   service providers; pcsc-lite never returns them. They map to CardError for completeness.
const std::array kCodes{
    UKETSUKE_PCSC_ROW(SCARD_S_SUCCESS, Errc::Internal),
    UKETSUKE_PCSC_ROW(SCARD_F_INTERNAL_ERROR, Errc::ReaderError),
    UKETSUKE_PCSC_ROW(SCARD_E_CANCELLED, Errc::Cancelled),
    UKETSUKE_PCSC_ROW(SCARD_E_INVALID_HANDLE, Errc::ReaderServiceDown),
    UKETSUKE_PCSC_ROW(SCARD_E_INVALID_PARAMETER, Errc::InvalidArgument),
    UKETSUKE_PCSC_ROW(SCARD_E_INVALID_TARGET, Errc::InvalidArgument),
    UKETSUKE_PCSC_ROW(SCARD_E_NO_MEMORY, Errc::Internal),
    UKETSUKE_PCSC_ROW(SCARD_F_WAITED_TOO_LONG, Errc::Timeout),
    UKETSUKE_PCSC_ROW(SCARD_E_INSUFFICIENT_BUFFER, Errc::Internal),
    UKETSUKE_PCSC_ROW(SCARD_E_UNKNOWN_READER, Errc::ReaderNotFound),
    UKETSUKE_PCSC_ROW(SCARD_E_TIMEOUT, Errc::Timeout),
    UKETSUKE_PCSC_ROW(SCARD_E_SHARING_VIOLATION, Errc::ReaderBusy),
    UKETSUKE_PCSC_ROW(SCARD_E_NO_SMARTCARD, Errc::NoCard),
    UKETSUKE_PCSC_ROW(SCARD_E_UNKNOWN_CARD, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_CANT_DISPOSE, Errc::ReaderError),
    UKETSUKE_PCSC_ROW(SCARD_E_PROTO_MISMATCH, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_NOT_READY, Errc::ReaderError),
    UKETSUKE_PCSC_ROW(SCARD_E_INVALID_VALUE, Errc::InvalidArgument),
    UKETSUKE_PCSC_ROW(SCARD_E_SYSTEM_CANCELLED, Errc::Cancelled),
    UKETSUKE_PCSC_ROW(SCARD_F_COMM_ERROR, Errc::ReaderError),
    UKETSUKE_PCSC_ROW(SCARD_F_UNKNOWN_ERROR, Errc::ReaderError),
    UKETSUKE_PCSC_ROW(SCARD_E_INVALID_ATR, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_NOT_TRANSACTED, Errc::ReaderError),
    UKETSUKE_PCSC_ROW(SCARD_E_READER_UNAVAILABLE, Errc::ReaderRemoved),
    UKETSUKE_PCSC_ROW(SCARD_P_SHUTDOWN, Errc::ReaderServiceDown),
    UKETSUKE_PCSC_ROW(SCARD_E_PCI_TOO_SMALL, Errc::Internal),
    UKETSUKE_PCSC_ROW(SCARD_E_READER_UNSUPPORTED, Errc::ReaderError),
    UKETSUKE_PCSC_ROW(SCARD_E_DUPLICATE_READER, Errc::ReaderError),
    UKETSUKE_PCSC_ROW(SCARD_E_CARD_UNSUPPORTED, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_NO_SERVICE, Errc::ReaderServiceDown),
    UKETSUKE_PCSC_ROW(SCARD_E_SERVICE_STOPPED, Errc::ReaderServiceDown),
    // SCARD_E_UNEXPECTED has the same value in pcsc-lite.
    UKETSUKE_PCSC_ROW(SCARD_E_UNSUPPORTED_FEATURE, Errc::NotSupported),
    UKETSUKE_PCSC_ROW(SCARD_E_ICC_INSTALLATION, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_ICC_CREATEORDER, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_DIR_NOT_FOUND, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_FILE_NOT_FOUND, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_NO_DIR, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_NO_FILE, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_NO_ACCESS, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_WRITE_TOO_MANY, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_BAD_SEEK, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_INVALID_CHV, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_UNKNOWN_RES_MNG, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_NO_SUCH_CERTIFICATE, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_CERTIFICATE_UNAVAILABLE, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_NO_READERS_AVAILABLE, Errc::ReaderNotFound),
    UKETSUKE_PCSC_ROW(SCARD_E_COMM_DATA_LOST, Errc::ReaderError),
    UKETSUKE_PCSC_ROW(SCARD_E_NO_KEY_CONTAINER, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_E_SERVER_TOO_BUSY, Errc::ReaderBusy),
    UKETSUKE_PCSC_ROW(SCARD_W_UNSUPPORTED_CARD, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_W_UNRESPONSIVE_CARD, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_W_UNPOWERED_CARD, Errc::CardError),
    UKETSUKE_PCSC_ROW(SCARD_W_RESET_CARD, Errc::CardRemoved),
    UKETSUKE_PCSC_ROW(SCARD_W_REMOVED_CARD, Errc::CardRemoved),
    UKETSUKE_PCSC_ROW(SCARD_W_SECURITY_VIOLATION, Errc::CardSecurityStatus),
    UKETSUKE_PCSC_ROW(SCARD_W_WRONG_CHV, Errc::PinIncorrect),
    UKETSUKE_PCSC_ROW(SCARD_W_CHV_BLOCKED, Errc::PinBlocked),
    UKETSUKE_PCSC_ROW(SCARD_W_EOF, Errc::CardEndOfFile),
    UKETSUKE_PCSC_ROW(SCARD_W_CANCELLED_BY_USER, Errc::Cancelled),
    UKETSUKE_PCSC_ROW(SCARD_W_CARD_NOT_AUTHENTICATED, Errc::CardSecurityStatus),
};

#undef UKETSUKE_PCSC_ROW

const PcscCode kUnknown{-1, "unknown", Errc::ReaderError};

} // namespace

std::span<const PcscCode> pcscCodes()
{
    return kCodes;
}

const PcscCode& lookupPcscCode(std::int64_t rv)
{
    for (const auto& row : kCodes) {
        if (row.value == rv) {
            return row;
        }
    }
    return kUnknown;
}

Error pcscError(std::int64_t rv, std::string_view what)
{
    const PcscCode& row = lookupPcscCode(rv);
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08llX", static_cast<unsigned long long>(rv) & 0xFFFFFFFFull);
    std::string message(what);
    message += ": ";
    message += row.name;
    message += " (";
    message += hex;
    message += ")";
    return Error{row.code, rv, std::move(message)};
}

bool isServiceLost(std::int64_t rv)
{
    return rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED ||
           rv == SCARD_E_INVALID_HANDLE || rv == SCARD_P_SHUTDOWN;
}

} // namespace uketsuke::hal::pcsc
