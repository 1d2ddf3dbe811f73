#include "kiosk/card/doctor.hpp"

#include "base/hex.hpp"
#include "base/time.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "kiosk/card/certificate.hpp"
#include "kiosk/card/jpki.hpp"

#include <cstdio>
#include <ctime>

namespace uketsuke::kiosk::card {
namespace {

// The subject in the RFC 2253 one-line form, UTF-8 ("CN=UKTEST...,C=JP"). The user-auth
// certificate's subject is an opaque identifier (docs/doctor.md), not personal data.
std::string subjectOf(const hal::Bytes& der)
{
    auto x509 = crypto::parseDerCertificate(der);
    return x509 ? crypto::subjectOneLine(x509->get()) : std::string();
}

void addError(nlohmann::json& out, const char* step, const Error& error)
{
    out["ok"] = false;
    out["errors"].push_back({{"step", step},
                             {"code", std::string(errcName(error.code))},
                             {"message", error.message}});
}

} // namespace

nlohmann::json doctorCard(hal::CardReader& reader, const DoctorOptions& options)
{
    nlohmann::json out;
    out["ok"] = true;
    out["errors"] = nlohmann::json::array();
    out["readers"] = options.readers;
    if (options.readersError) {
        addError(out, "readers", *options.readersError);
    }
    out["card_present"] = false;

    auto change = reader.waitForChange(hal::CardPresence::Absent, options.waitForCard);
    out["reader"] = reader.name();
    if (!change) {
        if (change.error().code != Errc::Timeout) {
            addError(out, "reader", change.error());
        } else {
            addError(out, "reader", Error{Errc::NoCard, 0, "no card on the reader"});
        }
        return out;
    }
    out["reader"] = change->reader;
    out["card_present"] = change->presence == hal::CardPresence::Present;
    if (change->presence != hal::CardPresence::Present) {
        addError(out, "reader", Error{Errc::NoCard, 0, "no card on the reader"});
        return out;
    }

    auto channel = reader.connect();
    if (!channel) {
        addError(out, "connect", channel.error());
        return out;
    }
    out["atr"] = hex((*channel)->atr());
    out["secure_pin_entry"] = (*channel)->capabilities().securePinEntry;

    JpkiCard card(**channel);
    auto selected = card.selectJpki();
    out["my_number_card"] = selected.has_value();
    if (!selected) {
        addError(out, "select_jpki", selected.error());
        return out;
    }
    // EF 0006 costs two APDUs, which a check-in does not spend; a diagnosis may.
    if (auto label = card.readTokenLabel(); label) {
        out["token_label"] = *label;
    } else {
        addError(out, "token_label", label.error());
    }

    auto der = card.readAuthCertificate();
    if (!der) {
        addError(out, "certificate", der.error());
    } else {
        const std::string subject = subjectOf(*der);
        auto info = parseCertificate(std::move(*der));
        if (!info) {
            addError(out, "certificate", info.error());
        } else {
            out["certificate"] = {
                {"subject", subject},
                {"issuer", info->issuer},
                {"serial", info->serialHex},
                {"not_before", time::isoUtc(info->notBefore)},
                {"not_after", time::isoUtc(info->notAfter)},
                {"status",
                 std::string(certificateStatusName(certificateStatus(*info, options.now)))},
            };
        }
    }

    auto tries = card.pinTriesLeft();
    if (!tries) {
        addError(out, "pin_tries", tries.error());
    } else {
        out["pin_tries_left"] = *tries;
        out["pin_status"] = *tries == 0 ? "blocked" : (*tries == 1 ? "last_try" : "ok");
    }
    return out;
}

} // namespace uketsuke::kiosk::card
