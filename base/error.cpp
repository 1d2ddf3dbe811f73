#include "base/result.hpp"

namespace uketsuke {

std::string_view errcName(Errc code)
{
    switch (code) {
    case Errc::Timeout:
        return "timeout";
    case Errc::Cancelled:
        return "cancelled";
    case Errc::NotSupported:
        return "not_supported";
    case Errc::InvalidArgument:
        return "invalid_argument";
    case Errc::Internal:
        return "internal";
    case Errc::ReaderNotFound:
        return "reader_not_found";
    case Errc::ReaderRemoved:
        return "reader_removed";
    case Errc::NoCard:
        return "no_card";
    case Errc::CardRemoved:
        return "card_removed";
    case Errc::ReaderBusy:
        return "reader_busy";
    case Errc::ReaderServiceDown:
        return "reader_service_down";
    case Errc::ReaderError:
        return "reader_error";
    case Errc::NotMyNumberCard:
        return "not_my_number_card";
    case Errc::CardFileNotFound:
        return "card_file_not_found";
    case Errc::CardSecurityStatus:
        return "card_security_status";
    case Errc::CardWrongLength:
        return "card_wrong_length";
    case Errc::CardBadParameters:
        return "card_bad_parameters";
    case Errc::CardNotAllowed:
        return "card_not_allowed";
    case Errc::CardUnsupportedCommand:
        return "card_unsupported_command";
    case Errc::CardMalformedReply:
        return "card_malformed_reply";
    case Errc::CardEndOfFile:
        return "card_end_of_file";
    case Errc::CardError:
        return "card_error";
    case Errc::CertificateInvalid:
        return "certificate_invalid";
    case Errc::PinIncorrect:
        return "pin_incorrect";
    case Errc::PinBlocked:
        return "pin_blocked";
    case Errc::PinFormat:
        return "pin_format";
    case Errc::PrinterOffline:
        return "printer_offline";
    case Errc::PrinterPaperOut:
        return "printer_paper_out";
    case Errc::PrinterCoverOpen:
        return "printer_cover_open";
    case Errc::PrinterError:
        return "printer_error";
    case Errc::NetworkUnreachable:
        return "network_unreachable";
    case Errc::TlsFailure:
        return "tls_failure";
    case Errc::NetworkError:
        return "network_error";
    case Errc::ServerError:
        return "server_error";
    case Errc::ServerRejected:
        return "server_rejected";
    case Errc::BadReply:
        return "bad_reply";
    case Errc::ChallengeExpired:
        return "challenge_expired";
    case Errc::CertificateRejected:
        return "certificate_rejected";
    case Errc::ClockSkew:
        return "clock_skew";
    case Errc::ConfigMissing:
        return "config_missing";
    case Errc::ConfigInvalid:
        return "config_invalid";
    case Errc::StorageError:
        return "storage_error";
    case Errc::StorageCorrupt:
        return "storage_corrupt";
    }
    return "unknown";
}

} // namespace uketsuke
