#include "desk/queue_page.hpp"

#include "desk/login_page.hpp"

#include "desk/page.hpp"

namespace uketsuke::desk {
namespace {

const char* const kKeys[] = {
    "desk.queue.title", "desk.queue.heading", "desk.queue.finished", "desk.queue.empty",
    "desk.queue.finished_empty", "desk.queue.live", "desk.queue.offline", "desk.queue.lang_switch",
    "desk.queue.count", "desk.queue.attention_count", "desk.column.receipt", "desk.column.time",
    "desk.column.wait", "desk.column.name", "desk.column.method", "desk.column.terminal",
    "desk.column.outcome", "desk.column.status", "desk.column.actions", "desk.wait.minutes",
    "desk.method.pin", "desk.method.insurance_card", "desk.method.visual", "desk.outcome.valid",
    "desk.outcome.pending", "desk.outcome.lost", "desk.outcome.not_found",
    "desk.outcome.ambiguous", "desk.outcome.error", "desk.outcome.unconfirmed",
    "desk.problem.pin_locked", "desk.problem.certificate_expired",
    "desk.problem.certificate_revoked", "desk.problem.service_unreachable", "desk.status.waiting",
    "desk.status.called", "desk.status.done", "desk.status.no_show", "desk.action.call",
    "desk.action.done", "desk.action.no_show", "desk.action.back", "desk.action.detail",
    "desk.action.close", "desk.action.failed", "desk.detail.heading", "desk.detail.loading",
    "desk.detail.failed", "desk.detail.insurer_number", "desk.detail.insurer_name",
    "desk.detail.symbol_number", "desk.detail.copay", "desk.detail.copay_value",
    "desk.detail.copay_unknown", "desk.detail.birthdate", "desk.detail.qualification_date",
    "desk.detail.disqualification_date", "desk.detail.card_valid", "desk.detail.limit",
    "desk.detail.consents", "desk.detail.consent_answers", "desk.detail.staff_id",
    "desk.detail.typed",
    "desk.detail.typed_symbol", "desk.detail.typed_number", "desk.detail.typed_branch",
    "desk.detail.notice", "desk.detail.problem", "desk.detail.error_code",
    "desk.detail.checked_at", "desk.detail.reason_of_loss", "desk.detail.no_person",
    "desk.consent.limit", "desk.consent.specific_diseases",
    "desk.consent.specific_health_checkups", "desk.consent.pharmacists", "desk.consent.diagnosis",
    "desk.consent.operation", "desk.consent.diagnosis_pharmacists",
    "desk.consent.limit_application", "desk.consent_answer.agreed", "desk.consent_answer.declined",
    "desk.terminals.heading", "desk.terminals.column.terminal",
    "desk.terminals.column.printer", "desk.terminals.column.reader",
    "desk.terminals.column.outbox", "desk.terminals.column.heard", "desk.terminals.silent",
    "desk.terminals.empty", "desk.terminals.printer.ok", "desk.terminals.printer.paper_out",
    "desk.terminals.printer.near_end", "desk.terminals.printer.cover_open",
    "desk.terminals.printer.error", "desk.terminals.printer.offline",
    "desk.terminals.printer.unreachable", "desk.terminals.reader.ok",
    "desk.terminals.reader.unavailable", "desk.terminals.column.card",
    "desk.terminals.card.absent", "desk.terminals.card.present", "desk.terminals.card.unreadable",
    "desk.terminals.card.not_my_number_card", "desk.terminals.card.left", "desk.display.title", "desk.display.heading",
    "desk.display.empty", "desk.call.text", "desk.call.screen", "desk.call.ack",
    "desk.call.ack_failed", "desk.queue.duplicate_receipt", "desk.recheck.heading",
    "desk.recheck.hint", "desk.recheck.birthdate_hint", "desk.recheck.submit",
    "desk.recheck.pending", "desk.recheck.row_done", "desk.recheck.row_failed",
    "desk.recheck.result", "desk.recheck.when", "desk.recheck.when_value", "desk.recheck.busy",
    "desk.recheck.error.timeout", "desk.recheck.error.interrupted", "desk.recheck.error.cancelled",
    "desk.recheck.error.bad_reply", "desk.recheck.error.other",
    "desk.recheck.invalid.insurer_number", "desk.recheck.invalid.insured_card_symbol",
    "desk.recheck.invalid.insured_identification_number",
    "desk.recheck.invalid.insured_branch_number", "desk.recheck.invalid.birthdate",
    "desk.audit.link",
};

std::string head(const kiosk::model::StringTable& strings, const char* titleKey,
                 const nlohmann::json& config, const std::string& script)
{
    std::string html = "<!DOCTYPE html>\n<html lang=\"" + escapeHtml(strings.lang()) +
                       "\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    html += "<title data-i18n=\"" + std::string(titleKey) + "\">" +
            escapeHtml(strings.tr(titleKey)) + "</title>\n";
    html += "<link rel=\"stylesheet\" href=\"/desk/desk.css\">\n";
    html += "<script type=\"application/json\" id=\"desk-config\">" + jsonForHtml(config) +
            "</script>\n";
    html += "<script src=\"/desk/" + script + "\" defer></script>\n";
    return html;
}

// <tag data-i18n="key">text</tag>
std::string word(const kiosk::model::StringTable& strings, const char* tag, const char* key,
                 const std::string& attributes = "")
{
    return "<" + std::string(tag) + attributes + " data-i18n=\"" + key + "\">" +
           escapeHtml(strings.tr(key)) + "</" + tag + ">";
}

} // namespace

nlohmann::json deskStrings(const kiosk::model::StringCatalog& catalog)
{
    nlohmann::json out = nlohmann::json::object();
    for (const auto& lang : catalog.languages()) {
        const auto& table = catalog.table(lang);
        nlohmann::json words = nlohmann::json::object();
        for (const auto& key : table.keys()) {
            if (key.rfind("desk.", 0) == 0) {
                words[key] = table.tr(key);
            }
        }
        out[lang] = std::move(words);
    }
    return out;
}

std::string jsonForHtml(const nlohmann::json& data)
{
    const std::string text = data.dump();
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '<') {
            out += "\\u003c"; // only inside strings: JSON's own syntax has no '<'
        } else {
            out += c;
        }
    }
    return out;
}

const char* pageContentSecurityPolicy()
{
    return "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
           "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

std::string renderQueuePage(const kiosk::model::StringTable& strings, const nlohmann::json& config,
                            const StaffSession& session)
{
    std::string html = head(strings, "desk.queue.title", config, "queue.js");
    html += "<meta name=\"csrf-token\" content=\"" + escapeHtml(session.csrfToken) + "\">\n";
    html += "</head>\n<body class=\"queue\">\n<header>\n";
    html += word(strings, "h1", "desk.queue.heading");
    html += "<span id=\"counts\"></span><span id=\"clock\"></span>";
    html += word(strings, "span", "desk.queue.offline", " id=\"live\" class=\"live off\"");
    html += word(strings, "button", "desk.queue.lang_switch", " id=\"lang\" type=\"button\"");
    if (session.role == Role::Admin) {
        html += word(strings, "a", "desk.audit.link", " id=\"audit-link\" href=\"/audit\"");
        html += word(strings, "a", "desk.pairing.link",
                     " id=\"terminals-link\" href=\"/terminals\"");
    }
    html += logoutForm(strings, session);
    html += "</header>\n<section id=\"calls\" role=\"alert\" hidden></section>\n<main>\n<div class=\"lists\">\n";
    std::string columns = "<thead><tr>";
    for (const char* key : {"desk.column.receipt", "desk.column.time", "desk.column.wait",
                            "desk.column.name", "desk.column.method", "desk.column.terminal",
                            "desk.column.outcome", "desk.column.status", "desk.column.actions"}) {
        columns += word(strings, "th", key);
    }
    columns += "</tr></thead>";
    html += "<section id=\"waiting-section\">\n<table id=\"waiting\">" + columns +
            "<tbody></tbody></table>\n";
    html += word(strings, "p", "desk.queue.empty", " id=\"waiting-empty\" class=\"empty\"");
    html += "\n</section>\n<section id=\"finished-section\">\n";
    html += word(strings, "h2", "desk.queue.finished");
    html += "\n<table id=\"finished\">" + columns + "<tbody></tbody></table>\n";
    html += word(strings, "p", "desk.queue.finished_empty", " id=\"finished-empty\" class=\"empty\"");
    html += "\n</section>\n</div>\n<aside id=\"side\">\n";
    html += "<section id=\"detail\" hidden>\n<header><h2 id=\"detail-heading\"></h2>";
    html += word(strings, "button", "desk.action.close", " id=\"detail-close\" type=\"button\"");
    html += "</header>\n<dl id=\"detail-list\"></dl>\n<form id=\"recheck\" hidden></form>\n"
            "</section>\n";
    html += "<section id=\"terminals-section\">\n";
    html += word(strings, "h2", "desk.terminals.heading");
    html += "\n<table id=\"terminals\"><thead><tr>";
    for (const char* key : {"desk.terminals.column.terminal", "desk.terminals.column.printer",
                            "desk.terminals.column.reader", "desk.terminals.column.card",
                            "desk.terminals.column.outbox", "desk.terminals.column.heard"}) {
        html += word(strings, "th", key);
    }
    html += "</tr></thead><tbody></tbody></table>\n";
    html += word(strings, "p", "desk.terminals.empty", " id=\"terminals-empty\" class=\"empty\"");
    html += "\n</section>\n</aside>\n</main>\n";
    html += "<p id=\"error\" role=\"alert\" hidden></p>\n</body>\n</html>\n";
    return html;
}

std::string renderDisplayPage(const kiosk::model::StringTable& strings,
                              const nlohmann::json& config)
{
    std::string html = head(strings, "desk.display.title", config, "display.js");
    html += "</head>\n<body class=\"display\">\n";
    html += word(strings, "h1", "desk.display.heading");
    html += "\n<ol id=\"called\"></ol>\n";
    html += word(strings, "p", "desk.display.empty", " id=\"called-empty\" class=\"empty\"");
    html += "\n</body>\n</html>\n";
    return html;
}

std::vector<std::string> queuePageStringKeys()
{
    return {std::begin(kKeys), std::end(kKeys)};
}

} // namespace uketsuke::desk
