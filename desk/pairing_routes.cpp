#include "desk/pairing_routes.hpp"

#include "base/log.hpp"
#include "desk/answers.hpp"
#include "desk/page.hpp"
#include "desk/queue_page.hpp"
#include "desk/staff_routes.hpp"
#include "kiosk/model/pairing.hpp"

#include <nlohmann/json.hpp>

#include <variant>

namespace uketsuke::desk {
namespace {

using nlohmann::json;

const log::Category kLog("desk.pairing");

const char* const kKeys[] = {
    "desk.pairing.title",        "desk.pairing.heading",     "desk.pairing.back",
    "desk.pairing.add",          "desk.pairing.add_hint",    "desk.pairing.terminal_id",
    "desk.pairing.make_code",    "desk.pairing.code_for",    "desk.pairing.code_until",
    "desk.pairing.code_hint",    "desk.pairing.empty",       "desk.pairing.column.id",
    "desk.pairing.column.paired", "desk.pairing.column.until", "desk.pairing.column.state",
    "desk.pairing.state.active", "desk.pairing.state.revoked", "desk.pairing.revoke",
    "desk.pairing.revoke_confirm", "desk.pairing.bad_id",     "desk.pairing.admin_only",
    "desk.pairing.link",           "desk.pairing.revoke_question", "desk.pairing.keep",
};

std::string e(std::string_view text)
{
    return escapeHtml(text);
}

// "2026-12-05 09:41" in the clinic's zone; the text as stored when it does not read.
std::string localMinutes(const std::string& at, const time::Zone& zone)
{
    auto parsed = time::parseIsoUtc(at);
    return parsed ? zone.local(*parsed).minutes() : at;
}

net::Response htmlAnswer(int status, std::string html)
{
    net::Response response = net::Response::text(status, std::move(html));
    response.contentType = "text/html; charset=utf-8";
    response.headers.emplace_back("Content-Security-Policy", pageContentSecurityPolicy());
    return response;
}

// The terminal_id of a form or a JSON body; empty when there is none.
std::string terminalIdOf(const net::Request& req, bool form)
{
    if (form) {
        auto fields = net::parseQuery(req.body);
        auto it = fields.find("terminal_id");
        return it == fields.end() ? std::string() : it->second;
    }
    const json body = json::parse(req.body, nullptr, false);
    if (!body.is_object()) {
        return {};
    }
    auto it = body.find("terminal_id");
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct PairingRoutes {
    PairingService& pairing;
    StaffAuth& auth;
    const kiosk::model::StringTable& strings;
    const time::Zone& zone;

    net::Response pair(const net::Request& req) const
    {
        auto outcome = pairing.pair(req.body, time::Clock::now());
        if (!outcome) {
            UKETSUKE_LOG(kLog, Error) << "pairing failed: " << outcome.error().message;
            return errorAnswer(500, "storage_error", "the desk cannot pair now");
        }
        switch (outcome->refusal) {
        case PairRefusal::BadRequest:
            return errorAnswer(400, "bad_request", outcome->message);
        case PairRefusal::BadCsr:
            return errorAnswer(400, "csr_invalid", outcome->message);
        case PairRefusal::Refused:
            auth.audit("", req.peerAddress, "terminal_pair", "refused");
            return errorAnswer(403, "pairing_refused", outcome->message);
        case PairRefusal::None:
            break;
        }
        auth.audit("", req.peerAddress, "terminal_pair", "ok",
                   "terminal=" + outcome->reply.terminalId);
        return jsonAnswer(200, json::parse(kiosk::model::pairReplyToJson(outcome->reply)));
    }

    // The session of an administrator, or the answer to give instead.
    std::variant<StaffSession, net::Response> admitAdmin(const net::Request& req, bool html) const
    {
        auto admitted = admitStaff(auth, strings, req);
        if (std::holds_alternative<net::Response>(admitted)) {
            return admitted;
        }
        if (std::get<StaffSession>(admitted).role != Role::Admin) {
            if (html) {
                return net::Response::text(403, strings.tr("desk.pairing.admin_only") + "\n");
            }
            return errorAnswer(403, "admin_only", "pairing is for administrators");
        }
        return admitted;
    }

    // An administrator's request about one terminal (the form's or the JSON body's
    // terminal_id), or the answer to give instead: the refusal of admitAdmin(), or 400 for an id
    // that is not a terminal id (the page again, saying so).
    struct AdminRequest {
        StaffSession session;
        std::string terminalId;
    };
    std::variant<AdminRequest, net::Response> admitForTerminal(const net::Request& req,
                                                               bool html) const
    {
        auto admitted = admitAdmin(req, html);
        if (auto* refusal = std::get_if<net::Response>(&admitted)) {
            return *refusal;
        }
        AdminRequest out{std::get<StaffSession>(admitted), terminalIdOf(req, html)};
        if (!isTerminalId(out.terminalId)) {
            return html ? page(out.session, nullptr, 400, "desk.pairing.bad_id")
                        : errorAnswer(400, "bad_request",
                                      "terminal_id must be 1-32 of A-Z a-z 0-9 . _ -");
        }
        return out;
    }

    net::Response page(const StaffSession& session, const PairingCode* code, int status,
                       const char* problemKey = nullptr, std::string_view confirmRevoke = {}) const
    {
        auto terminals = pairing.list();
        if (!terminals) {
            UKETSUKE_LOG(kLog, Error) << "cannot list terminals: " << terminals.error().message;
            return net::Response::text(500, strings.tr("desk.page.storage_error") + "\n");
        }
        return htmlAnswer(status,
                          renderTerminalsPage(strings, *terminals, session, code, zone, problemKey,
                                              confirmRevoke));
    }

    net::Response list(const net::Request& req, bool html) const
    {
        auto admitted = admitAdmin(req, html);
        if (auto* refusal = std::get_if<net::Response>(&admitted)) {
            return *refusal;
        }
        const StaffSession& session = std::get<StaffSession>(admitted);
        if (html) {
            return page(session, nullptr, 200);
        }
        auto terminals = pairing.list();
        if (!terminals) {
            return errorAnswer(500, "storage_error", "the desk cannot read its terminals");
        }
        json out = json::array();
        for (const auto& t : *terminals) {
            out.push_back({{"terminal_id", t.terminalId},
                           {"serial", t.serial},
                           {"paired_at", t.pairedAt},
                           {"not_after", t.notAfter},
                           {"revoked_at", t.revokedAt}});
        }
        return jsonAnswer(200, {{"terminals", std::move(out)}});
    }

    net::Response makeCode(const net::Request& req, bool html) const
    {
        auto admitted = admitForTerminal(req, html);
        if (auto* refusal = std::get_if<net::Response>(&admitted)) {
            return *refusal;
        }
        const auto& [session, terminalId] = std::get<AdminRequest>(admitted);
        auto code = pairing.makeCode(terminalId, time::Clock::now());
        if (!code) {
            UKETSUKE_LOG(kLog, Error) << "cannot make a pairing code: " << code.error().message;
            auth.audit(session, "pairing_code", "terminal=" + terminalId, "error");
            return html ? net::Response::text(500, strings.tr("desk.page.storage_error") + "\n")
                        : errorAnswer(500, "storage_error", "the desk cannot make a code now");
        }
        auth.audit(session, "pairing_code", "terminal=" + terminalId);
        if (html) {
            return page(session, &*code, 200);
        }
        return jsonAnswer(200, {{"code", code->code},
                                {"terminal_id", code->terminalId},
                                {"expires_at", time::isoUtc(code->expiresAt)}});
    }

    net::Response revoke(const net::Request& req, bool html) const
    {
        auto admitted = admitForTerminal(req, html);
        if (auto* refusal = std::get_if<net::Response>(&admitted)) {
            return *refusal;
        }
        const auto& [session, terminalId] = std::get<AdminRequest>(admitted);
        if (html) {
            // The page's button asks first; its answer carries confirm=1.
            auto fields = net::parseQuery(req.body);
            auto confirm = fields.find("confirm");
            if (confirm == fields.end() || confirm->second != "1") {
                return page(session, nullptr, 200, nullptr, terminalId);
            }
        }
        if (auto revoked = pairing.revoke(terminalId, session.account, time::Clock::now());
            !revoked) {
            UKETSUKE_LOG(kLog, Error) << "cannot revoke: " << revoked.error().message;
            auth.audit(session, "terminal_revoke", "terminal=" + terminalId, "error");
            return html ? net::Response::text(500, strings.tr("desk.page.storage_error") + "\n")
                        : errorAnswer(500, "storage_error", "the desk cannot revoke now");
        }
        auth.audit(session, "terminal_revoke", "terminal=" + terminalId);
        if (html) {
            return redirect("/terminals");
        }
        return jsonAnswer(200, {{"status", "revoked"}, {"terminal_id", terminalId}});
    }
};

} // namespace

void addPairingRoutes(net::Router& router, PairingService& pairing, StaffAuth& auth,
                      const kiosk::model::StringTable& strings, const time::Zone& zone)
{
    auto routes = std::make_shared<const PairingRoutes>(PairingRoutes{pairing, auth, strings, zone});
    const net::RouteOptions noCertificate{false};
    router.add(
        "POST", "/api/v1/pair", [routes](const net::Request& req) { return routes->pair(req); },
        noCertificate);
    router.add(
        "GET", "/terminals", [routes](const net::Request& req) { return routes->list(req, true); },
        noCertificate);
    router.add(
        "GET", "/api/v1/pairing/terminals",
        [routes](const net::Request& req) { return routes->list(req, false); }, noCertificate);
    router.add(
        "POST", "/terminals/code",
        [routes](const net::Request& req) { return routes->makeCode(req, true); }, noCertificate);
    router.add(
        "POST", "/api/v1/pairing/codes",
        [routes](const net::Request& req) { return routes->makeCode(req, false); }, noCertificate);
    router.add(
        "POST", "/terminals/revoke",
        [routes](const net::Request& req) { return routes->revoke(req, true); }, noCertificate);
    router.add(
        "POST", "/api/v1/pairing/revoke",
        [routes](const net::Request& req) { return routes->revoke(req, false); }, noCertificate);
}

std::string renderTerminalsPage(const kiosk::model::StringTable& strings,
                                const std::vector<PairedTerminal>& terminals,
                                const StaffSession& session, const PairingCode* code,
                                const time::Zone& zone, const char* problemKey,
                                std::string_view confirmRevoke)
{
    const std::string csrf = "<input type=\"hidden\" name=\"" + std::string(StaffAuth::kCsrfField) +
                             "\" value=\"" + e(session.csrfToken) + "\">";
    std::string html = "<!DOCTYPE html>\n<html lang=\"" + e(strings.lang()) +
                       "\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<title>" + e(strings.tr("desk.pairing.title")) +
                       "</title>\n<link rel=\"stylesheet\" href=\"/desk/desk.css\">\n"
                       "</head>\n<body class=\"terminals\">\n<header>\n<h1>" +
                       e(strings.tr("desk.pairing.heading")) + "</h1>\n<a href=\"/\">" +
                       e(strings.tr("desk.pairing.back")) + "</a>\n</header>\n<main>\n";
    if (code != nullptr) {
        html += "<section id=\"code\" class=\"pairing-code\" role=\"status\">\n<p>" +
                e(strings.format("desk.pairing.code_for", {{"id", code->terminalId}})) +
                "</p>\n<p class=\"code\" id=\"code-digits\">" + e(kiosk::model::groupCodeDigits(code->code)) +
                "</p>\n<p>" +
                e(strings.format("desk.pairing.code_until",
                                 {{"time", localMinutes(time::isoUtc(code->expiresAt), zone)}})) +
                "</p>\n<p>" + e(strings.tr("desk.pairing.code_hint")) + "</p>\n</section>\n";
    }
    if (problemKey != nullptr) {
        html += "<p id=\"problem\" class=\"problem\" role=\"alert\">" + e(strings.tr(problemKey)) +
                "</p>\n";
    }
    if (!confirmRevoke.empty()) {
        html += "<section id=\"confirm\" class=\"confirm\" role=\"alertdialog\">\n<p><strong>" +
                e(strings.format("desk.pairing.revoke_question", {{"id", std::string(confirmRevoke)}})) +
                "</strong></p>\n<p>" + e(strings.tr("desk.pairing.revoke_confirm")) +
                "</p>\n<form method=\"post\" action=\"/terminals/revoke\">" + csrf +
                "<input type=\"hidden\" name=\"terminal_id\" value=\"" + e(confirmRevoke) +
                "\"><input type=\"hidden\" name=\"confirm\" value=\"1\">"
                "<button type=\"submit\" id=\"confirm-revoke\" class=\"danger\">" +
                e(strings.tr("desk.pairing.revoke")) + "</button> <a href=\"/terminals\">" +
                e(strings.tr("desk.pairing.keep")) + "</a></form>\n</section>\n";
    }
    html += "<section id=\"add\">\n<h2>" + e(strings.tr("desk.pairing.add")) + "</h2>\n<p>" +
            e(strings.tr("desk.pairing.add_hint")) +
            "</p>\n<form method=\"post\" action=\"/terminals/code\">" + csrf + "<label>" +
            e(strings.tr("desk.pairing.terminal_id")) +
            " <input name=\"terminal_id\" id=\"terminal-id\" required maxlength=\"32\" "
            "pattern=\"[A-Za-z0-9_\\-][A-Za-z0-9._\\-]*\" autocomplete=\"off\"></label> "
            "<button type=\"submit\" id=\"make-code\">" +
            e(strings.tr("desk.pairing.make_code")) + "</button></form>\n</section>\n";
    html += "<section id=\"list\">\n";
    if (terminals.empty()) {
        html += "<p class=\"empty\">" + e(strings.tr("desk.pairing.empty")) + "</p>\n";
    } else {
        html += "<table id=\"terminals\"><thead><tr>";
        for (const char* key : {"desk.pairing.column.id", "desk.pairing.column.paired",
                                "desk.pairing.column.until", "desk.pairing.column.state"}) {
            html += "<th>" + e(strings.tr(key)) + "</th>";
        }
        html += "<th></th></tr></thead>\n<tbody>\n";
        for (const auto& t : terminals) {
            const bool revoked = !t.revokedAt.empty();
            html += std::string("<tr") + (revoked ? " class=\"revoked\"" : "") + " data-id=\"" +
                    e(t.terminalId) + "\"><td>" + e(t.terminalId) + "</td><td>" +
                    e(t.pairedAt.empty() ? "" : localMinutes(t.pairedAt, zone)) + "</td><td>" +
                    e(t.notAfter.empty() ? "" : localMinutes(t.notAfter, zone)) + "</td><td>" +
                    e(revoked ? strings.tr("desk.pairing.state.revoked") + " " +
                                    localMinutes(t.revokedAt, zone)
                              : strings.tr("desk.pairing.state.active")) +
                    "</td><td>";
            if (!revoked) {
                html += "<form method=\"post\" action=\"/terminals/revoke\">" + csrf +
                        "<input type=\"hidden\" name=\"terminal_id\" value=\"" + e(t.terminalId) +
                        "\"><button type=\"submit\" class=\"danger\">" +
                        e(strings.tr("desk.pairing.revoke")) + "</button></form>";
            }
            html += "</td></tr>\n";
        }
        html += "</tbody></table>\n";
    }
    html += "</section>\n</main>\n</body>\n</html>\n";
    return html;
}

std::vector<std::string> terminalsPageStringKeys()
{
    return {std::begin(kKeys), std::end(kKeys)};
}

} // namespace uketsuke::desk
