#include "kiosk/app/staff_tests.hpp"

#include "base/log.hpp"
#include "base/time.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"

#include <string>

namespace uketsuke::kiosk::app {
namespace {

const log::Category kLog("staff.tests");

using runner::dataRow;
using runner::keyRow;
using runner::StaffRow;
using runner::StaffTestResult;

constexpr auto kExpiryWarning = std::chrono::days(30);

const char* yesNo(bool yes)
{
    return yes ? "staff.value.yes" : "staff.value.no";
}

// The first error's code ("NoCard"), for the detail line.
std::string firstErrorCode(const nlohmann::json& report)
{
    const auto errors = report.find("errors");
    if (errors == report.end() || !errors->is_array() || errors->empty()) {
        return {};
    }
    const auto& first = errors->front();
    return first.value("step", std::string()) + ": " + first.value("code", std::string());
}

// A certificate's last day as a row: "2027-12-05", a problem within 30 days of `now`.
StaffRow expiryRow(const char* label, const Result<crypto::X509Ptr>& certificate,
                   std::chrono::system_clock::time_point now)
{
    if (!certificate) {
        return keyRow(label, "staff.value.missing", true);
    }
    auto notAfter = crypto::notAfter(certificate->get());
    if (!notAfter) {
        return keyRow(label, "staff.value.missing", true);
    }
    return dataRow(label, time::isoUtc(*notAfter).substr(0, 10), *notAfter < now + kExpiryWarning);
}

// Whether the gateway and the desk see the same client certificate (or the gateway is unused).
bool oneClientCertificate(const config::KioskConfig& config)
{
    return !config::usesGateway(config.eligibility) ||
           config.gatewayTls.cert == config.deskTls.cert;
}

struct Peer {
    const char* latencyLabel;
    const char* serverCertLabel;
    const char* clientCertLabel; // null: the client certificate is shown once for both peers
    std::string url;
    config::TlsFiles tls;
    bool needs200 = false;
};

// One round trip; returns whether the peer answered as it should.
bool roundTrip(const Peer& peer, const net::Timeouts& timeouts,
               std::chrono::system_clock::time_point now, StaffTestResult& out)
{
    net::HttpsClient client({peer.tls.ca, peer.tls.cert, peer.tls.key}, timeouts);
    client.keepServerCertificate(true);
    const auto start = std::chrono::steady_clock::now();
    auto answer = client.get(peer.url);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    bool ok = false;
    if (!answer) {
        out.rows.push_back(dataRow(peer.latencyLabel, std::string(errcName(answer.error().code)),
                                   true));
    } else {
        ok = !peer.needs200 || answer->status == 200;
        std::string value = std::to_string(ms) + " ms";
        if (!ok) {
            value += " (HTTP " + std::to_string(answer->status) + ")";
        }
        out.rows.push_back(dataRow(peer.latencyLabel, value, !ok));
        if (!answer->serverCertificatePem.empty()) {
            out.rows.push_back(expiryRow(
                peer.serverCertLabel,
                crypto::parsePemCertificate(answer->serverCertificatePem, "server certificate"),
                now));
        }
    }
    if (peer.clientCertLabel != nullptr) {
        out.rows.push_back(
            expiryRow(peer.clientCertLabel, crypto::readPemCertificate(peer.tls.cert), now));
    }
    UKETSUKE_LOG(kLog, Info) << "network test " << peer.url << ": "
                             << (answer ? "HTTP " + std::to_string(answer->status)
                                        : std::string(errcName(answer.error().code)))
                             << " in " << ms << " ms";
    return ok;
}

} // namespace

StaffTestResult cardTestResult(const nlohmann::json& report)
{
    StaffTestResult r;
    r.test = staff::Intent::TestCard;
    r.ok = report.value("ok", false);
    const bool present = report.value("card_present", false);
    r.key = r.ok ? "staff.test.card_ok"
                 : (present ? "staff.test.card_failed" : "staff.test.card_none");
    r.detail = r.ok ? std::string() : firstErrorCode(report);
    r.rows.push_back(dataRow("staff.row.reader_name", report.value("reader", std::string("-"))));
    if (!present) {
        return r;
    }
    if (auto atr = report.find("atr"); atr != report.end() && atr->is_string()) {
        r.rows.push_back(dataRow("staff.row.atr", atr->get<std::string>()));
    }
    if (auto pad = report.find("secure_pin_entry"); pad != report.end() && pad->is_boolean()) {
        r.rows.push_back(keyRow("staff.row.pin_pad", yesNo(pad->get<bool>())));
    }
    const bool myNumber = report.value("my_number_card", false);
    r.rows.push_back(keyRow("staff.row.my_number_card", yesNo(myNumber), !myNumber));
    if (auto cert = report.find("certificate"); cert != report.end() && cert->is_object()) {
        // "valid", "expiring_soon", "expired_in_grace", "expired", "not_yet_valid", "unknown".
        std::string status = cert->value("status", std::string("unknown"));
        const std::string until = cert->value("not_after", std::string()).substr(0, 10);
        if (status.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
            status = "unknown";
        }
        StaffRow row = keyRow("staff.row.card_certificate", "staff.value.certificate." + status,
                              status != "valid" && status != "expiring_soon");
        row.args = {{"until", until.empty() ? "-" : until}};
        r.rows.push_back(std::move(row));
    }
    if (auto tries = report.find("pin_tries_left"); tries != report.end() && tries->is_number()) {
        const int left = tries->get<int>();
        r.rows.push_back(dataRow("staff.row.pin_tries", std::to_string(left), left <= 1));
    }
    return r;
}

StaffTestResult printerTest(hal::ReceiptPrinter& printer, const hal::Slip& slip)
{
    StaffTestResult r;
    r.test = staff::Intent::TestPrinter;
    auto printed = printer.print(slip);
    r.ok = printed.has_value();
    r.key = r.ok ? "staff.test.printer_ok" : "staff.test.printer_failed";
    if (!printed) {
        r.detail = errcName(printed.error().code);
    }
    if (auto identity = printer.identity(); identity) {
        r.rows.push_back(dataRow("staff.row.printer_model", identity->maker + " " +
                                                                identity->model));
    }
    auto status = printer.status();
    if (!status) {
        r.rows.push_back(dataRow("staff.row.printer_status",
                                 std::string(errcName(status.error().code)), true));
        return r;
    }
    r.rows.push_back(keyRow("staff.row.paper",
                            status->paperOut   ? "staff.value.paper_out"
                            : status->paperLow ? "staff.value.paper_near_end"
                                               : "staff.value.paper_ok",
                            status->paperOut || status->paperLow));
    r.rows.push_back(keyRow("staff.row.cover",
                            status->coverOpen ? "staff.value.cover_open"
                                              : "staff.value.cover_closed",
                            status->coverOpen));
    r.rows.push_back(keyRow("staff.row.printer_online", yesNo(status->online && !status->error),
                            !status->online || status->error));
    return r;
}

StaffTestResult networkTest(const config::KioskConfig& config,
                            std::chrono::system_clock::time_point now)
{
    StaffTestResult r;
    r.test = staff::Intent::TestNetwork;
    const net::Timeouts timeouts{std::chrono::milliseconds(config.connectTimeoutMs),
                                 std::chrono::milliseconds(config.totalTimeoutMs)};
    auto base = [](std::string url) {
        while (!url.empty() && url.back() == '/') {
            url.pop_back();
        }
        return url;
    };
    bool ok = true;
    const bool gatewayUsed = config::usesGateway(config.eligibility);
    // One client certificate for both peers (the usual case) is shown once, at the end.
    const bool oneClientCert = oneClientCertificate(config);
    if (gatewayUsed) {
        Peer gateway{"staff.row.gateway_latency", "staff.row.gateway_cert",
                     oneClientCert ? nullptr : "staff.row.gateway_client_cert",
                     base(config.gatewayUrl) + "/v1/health", config.gatewayTls, true};
        ok = roundTrip(gateway, timeouts, now, r) && ok;
    }
    Peer desk{"staff.row.desk_latency", "staff.row.desk_cert",
              oneClientCert ? "staff.row.client_cert" : "staff.row.desk_client_cert",
              base(config.deskUrl) + "/api/v1/display", config.deskTls, false};
    ok = roundTrip(desk, timeouts, now, r) && ok;
    r.ok = ok;
    r.key = ok ? "staff.test.network_ok" : "staff.test.network_failed";
    return r;
}

std::vector<StaffRow> clientCertificateRows(const config::KioskConfig& config,
                                           std::chrono::system_clock::time_point now)
{
    if (oneClientCertificate(config)) {
        return {expiryRow("staff.row.client_cert", crypto::readPemCertificate(config.deskTls.cert),
                          now)};
    }
    return {expiryRow("staff.row.gateway_client_cert",
                      crypto::readPemCertificate(config.gatewayTls.cert), now),
            expiryRow("staff.row.desk_client_cert", crypto::readPemCertificate(config.deskTls.cert),
                      now)};
}

namespace {

// The words for a failed enrolment or pairing: `keys` is the page's prefix ("staff.enrol."),
// `refusedCode` the protocol's code for a code that opens nothing.
runner::StaffEnrolResult codeRequestFailure(const Error& error, const std::string& keys,
                                            std::string_view refusedCode)
{
    runner::StaffEnrolResult result;
    result.detail = std::string(errcName(error.code));
    switch (error.code) {
    case Errc::ServerRejected:
        // "enrol: HTTP 403 activation_refused": the protocol's code follows the status.
        result.key = keys + "rejected";
        if (const auto http = error.message.find("HTTP "); http != std::string::npos) {
            const auto code = error.message.find(' ', http + 5);
            if (code != std::string::npos && code + 1 < error.message.size()) {
                result.detail = error.message.substr(code + 1);
            }
        }
        if (result.detail == refusedCode) {
            result.key = keys + "refused";
        }
        break;
    case Errc::Timeout:
    case Errc::NetworkUnreachable:
    case Errc::NetworkError:
    case Errc::ServerError:
        result.key = keys + "unreachable";
        break;
    case Errc::TlsFailure:
        result.key = keys + "tls";
        break;
    case Errc::BadReply:
        result.key = keys + "bad_reply";
        break;
    case Errc::InvalidArgument:
        result.key = keys + "incomplete";
        break;
    case Errc::StorageError:
        result.key = keys + "not_written";
        break;
    case Errc::ConfigMissing:
    case Errc::ConfigInvalid:
        result.key = keys + "config";
        break;
    default:
        result.key = keys + "failed";
        break;
    }
    return result;
}

} // namespace

runner::StaffEnrolResult enrolFailure(const Error& error)
{
    return codeRequestFailure(error, "staff.enrol.", "activation_refused");
}

runner::StaffEnrolResult pairFailure(const Error& error)
{
    return codeRequestFailure(error, "staff.pair.", "pairing_refused");
}

} // namespace uketsuke::kiosk::app
