#include "desk/audit_page.hpp"

#include "desk/page.hpp"

namespace uketsuke::desk {
namespace {

const char* const kKeys[] = {
    "desk.audit.title",         "desk.audit.heading",        "desk.audit.back",
    "desk.audit.empty",         "desk.audit.column.time",    "desk.audit.column.where",
    "desk.audit.column.who",    "desk.audit.column.action",  "desk.audit.column.result",
    "desk.audit.column.detail", "desk.audit.where.terminal", "desk.audit.where.desk",
    "desk.audit.nobody",
};

std::string cell(std::string_view text)
{
    return "<td>" + escapeHtml(text) + "</td>";
}

// "2026-12-05 09:41:07" in the clinic's zone; the text as stored when it does not read.
std::string localTime(const std::string& at, const time::Zone& zone)
{
    auto parsed = time::parseIsoUtc(at);
    if (!parsed) {
        return at;
    }
    const time::LocalTime local = zone.local(*parsed);
    char seconds[4];
    std::snprintf(seconds, sizeof seconds, ":%02d",
                  static_cast<int>(local.time.seconds().count()));
    return local.minutes() + seconds;
}

} // namespace

std::string renderAuditPage(const kiosk::model::StringTable& strings,
                            const std::vector<AuditEntry>& entries, const time::Zone& zone)
{
    std::string html = "<!DOCTYPE html>\n<html lang=\"" + escapeHtml(strings.lang()) +
                       "\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<title>" +
                       escapeHtml(strings.tr("desk.audit.title")) +
                       "</title>\n<link rel=\"stylesheet\" href=\"/desk/desk.css\">\n"
                       "</head>\n<body class=\"audit\">\n<header>\n<h1>" +
                       escapeHtml(strings.tr("desk.audit.heading")) + "</h1>\n<a href=\"/\">" +
                       escapeHtml(strings.tr("desk.audit.back")) + "</a>\n</header>\n<main>\n";
    if (entries.empty()) {
        html += "<p class=\"empty\">" + escapeHtml(strings.tr("desk.audit.empty")) + "</p>\n";
        return html + "</main>\n</body>\n</html>\n";
    }
    html += "<table id=\"audit\"><thead><tr>";
    for (const char* key : {"desk.audit.column.time", "desk.audit.column.where",
                            "desk.audit.column.who", "desk.audit.column.action",
                            "desk.audit.column.result", "desk.audit.column.detail"}) {
        html += "<th>" + escapeHtml(strings.tr(key)) + "</th>";
    }
    html += "</tr></thead>\n<tbody>\n";
    for (const auto& e : entries) {
        const bool fromTerminal = !e.terminal.empty();
        const std::string where =
            fromTerminal ? strings.tr("desk.audit.where.terminal") + " " + e.terminal
                         : strings.tr("desk.audit.where.desk") + " " + e.address;
        html += std::string("<tr") + (fromTerminal ? " class=\"terminal\"" : "") + ">";
        html += cell(localTime(e.at, zone)) + cell(where) +
                cell(e.account.empty() ? strings.tr("desk.audit.nobody") : e.account) +
                cell(e.action) + cell(e.result) + cell(e.detail);
        html += "</tr>\n";
    }
    html += "</tbody></table>\n</main>\n</body>\n</html>\n";
    return html;
}

std::vector<std::string> auditPageStringKeys()
{
    return {std::begin(kKeys), std::end(kKeys)};
}

} // namespace uketsuke::desk
