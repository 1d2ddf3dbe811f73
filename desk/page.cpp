#include "desk/page.hpp"

#include "kiosk/model/qualification.hpp"

#include <algorithm>

namespace uketsuke::desk {
namespace {

const char* const kKeys[] = {
    "desk.page.title",        "desk.page.heading",      "desk.page.empty",
    "desk.column.receipt",    "desk.column.time",       "desk.column.outcome",
    "desk.column.name",       "desk.column.insurer",    "desk.page.count",
    "desk.outcome.valid",     "desk.outcome.pending",   "desk.outcome.lost",
    "desk.outcome.not_found", "desk.outcome.ambiguous", "desk.outcome.error",
    "desk.terminals.heading", "desk.terminals.column.terminal", "desk.terminals.column.printer",
    "desk.terminals.column.reader", "desk.terminals.column.outbox",
    "desk.terminals.column.heard", "desk.terminals.printer.ok",
    "desk.terminals.printer.paper_out", "desk.terminals.printer.near_end",
    "desk.terminals.printer.cover_open", "desk.terminals.printer.error",
    "desk.terminals.printer.offline", "desk.terminals.printer.unreachable",
    "desk.terminals.reader.ok", "desk.terminals.reader.unavailable",
    "desk.terminals.column.card", "desk.terminals.card.absent", "desk.terminals.card.present",
    "desk.terminals.card.unreadable", "desk.terminals.card.not_my_number_card",
    "desk.terminals.card.left",
};

// Every outcome has its own words; a name this desk does not know (a newer terminal's) is shown
// as it came.
std::string outcomeText(const kiosk::model::StringTable& strings,
                        const kiosk::model::WireEnum<kiosk::model::Outcome>& outcome)
{
    if (!outcome.known()) {
        return std::string(outcome.name());
    }
    return strings.tr("desk.outcome." + std::string(outcome.name()));
}

// The "端末の状態" table.
std::string terminalsSection(const kiosk::model::StringTable& strings,
                             const std::vector<StoredHealth>& terminals,
                             time::Clock::time_point now, std::chrono::seconds cardLeftAfter)
{
    auto e = [](const std::string& text) { return escapeHtml(text); };
    std::string html = "<section class=\"terminals\">\n<h2>" +
                       e(strings.tr("desk.terminals.heading")) + "</h2>\n<table>\n<thead><tr>";
    for (const char* key : {"desk.terminals.column.terminal", "desk.terminals.column.printer",
                            "desk.terminals.column.reader", "desk.terminals.column.card",
                            "desk.terminals.column.outbox", "desk.terminals.column.heard"}) {
        html += "<th>" + e(strings.tr(key)) + "</th>";
    }
    html += "</tr></thead>\n<tbody>\n";
    for (const auto& row : terminals) {
        const auto& h = row.health;
        std::string card = cardText(strings, h);
        if (cardLeft(row, now, cardLeftAfter)) {
            const auto minutes = cardIdleFor(row, now)->count() / 60;
            card += "、" + strings.format("desk.terminals.card.left",
                                         {{"min", std::to_string(minutes)}});
        }
        html += std::string("<tr") +
                (terminalNeedsAttention(row, now, cardLeftAfter) ? " class=\"attention\"" : "") +
                "><td>" + e(h.terminalId) + "</td><td>" + e(printerText(strings, h.printer)) +
                "</td><td>" +
                e(strings.tr(h.readerAvailable ? "desk.terminals.reader.ok"
                                               : "desk.terminals.reader.unavailable")) +
                "</td><td>" + e(card) + "</td><td>" +
                (h.outboxDepth < 0 ? "?" : std::to_string(h.outboxDepth)) + "</td><td>" +
                e(row.localTime) + "</td></tr>\n";
    }
    html += "</tbody>\n</table>\n</section>\n";
    return html;
}

} // namespace

std::optional<std::chrono::seconds> cardIdleFor(const StoredHealth& terminal,
                                                time::Clock::time_point now)
{
    const auto& card = terminal.health.card;
    if (!card || card->idleSince.empty()) {
        return std::nullopt;
    }
    const auto since = time::parseIsoUtc(card->idleSince);
    const auto reported = time::parseIsoUtc(terminal.health.reportedAt);
    const auto received = time::parseIsoUtc(terminal.receivedAt);
    if (!since || !reported || !received) {
        return std::nullopt;
    }
    const auto idle = std::max(*reported - *since, std::chrono::seconds(0)) +
                      std::max(std::chrono::floor<std::chrono::seconds>(now) - *received,
                               std::chrono::seconds(0));
    return std::chrono::duration_cast<std::chrono::seconds>(idle);
}

bool cardLeft(const StoredHealth& terminal, time::Clock::time_point now,
              std::chrono::seconds after)
{
    const auto idle = cardIdleFor(terminal, now);
    return idle && *idle >= after;
}

std::string cardText(const kiosk::model::StringTable& strings,
                     const kiosk::model::TerminalHealth& health)
{
    if (!health.card) {
        return "?";
    }
    if (!health.card->state.known()) {
        return std::string(health.card->state.name());
    }
    return strings.tr("desk.terminals.card." + std::string(health.card->state.name()));
}

bool terminalNeedsAttention(const StoredHealth& terminal, time::Clock::time_point now,
                            std::chrono::seconds cardLeftAfter)
{
    using kiosk::model::CardState;
    const auto& h = terminal.health;
    const auto& p = h.printer;
    const bool printerOk = p.reachable && p.online && !p.paperNearEnd;
    const bool cardFails = h.card && (h.card->state == CardState::Unreadable ||
                                      h.card->state == CardState::NotMyNumberCard);
    return !printerOk || !h.readerAvailable || h.outboxDepth > 0 || cardFails ||
           cardLeft(terminal, now, cardLeftAfter);
}

std::vector<std::string> printerKeys(const kiosk::model::PrinterHealth& printer)
{
    if (!printer.reachable) {
        return {"desk.terminals.printer.unreachable"};
    }
    std::vector<std::string> keys;
    if (printer.paperOut) {
        keys.emplace_back("desk.terminals.printer.paper_out");
    } else if (printer.paperNearEnd) {
        keys.emplace_back("desk.terminals.printer.near_end");
    }
    if (printer.coverOpen) {
        keys.emplace_back("desk.terminals.printer.cover_open");
    }
    if (printer.error) {
        keys.emplace_back("desk.terminals.printer.error");
    }
    if (keys.empty() && !printer.online) {
        keys.emplace_back("desk.terminals.printer.offline");
    }
    if (keys.empty()) {
        keys.emplace_back("desk.terminals.printer.ok");
    }
    return keys;
}

std::string printerText(const kiosk::model::StringTable& strings,
                        const kiosk::model::PrinterHealth& printer)
{
    std::string text;
    for (const auto& key : printerKeys(printer)) {
        text += (text.empty() ? "" : "、") + strings.tr(key);
    }
    return text;
}

std::string escapeHtml(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::vector<std::string> pageStringKeys()
{
    return {std::begin(kKeys), std::end(kKeys)};
}

std::string renderCheckInPage(const kiosk::model::StringTable& strings,
                              const std::string& localDate,
                              const std::vector<StoredCheckIn>& checkIns,
                              std::chrono::seconds refresh,
                              const std::vector<StoredHealth>& terminals,
                              time::Clock::time_point now, std::chrono::seconds cardLeftAfter)
{
    auto e = [](const std::string& text) { return escapeHtml(text); };
    std::string html;
    html += "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n";
    html += "<meta http-equiv=\"refresh\" content=\"" + std::to_string(refresh.count()) + "\">\n";
    html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    html += "<title>" + e(strings.tr("desk.page.title")) + "</title>\n";
    html += "<style>\n"
            "body{font-family:sans-serif;margin:1.5rem;}\n"
            "table{border-collapse:collapse;}\n"
            "th,td{border-bottom:1px solid #ccc;padding:.4rem .8rem;text-align:left;}\n"
            "td.receipt{font-size:1.4rem;font-weight:bold;}\n"
            "tr.attention td{background:#fff3cd;font-weight:bold;}\n"
            "section.terminals{margin-bottom:1.5rem;}\n"
            "</style>\n</head>\n<body>\n";
    if (!terminals.empty()) {
        html += terminalsSection(strings, terminals, now, cardLeftAfter);
    }
    html += "<h1>" + e(strings.format("desk.page.heading", {{"date", localDate}})) + "</h1>\n";
    if (checkIns.empty()) {
        html += "<p class=\"empty\">" + e(strings.tr("desk.page.empty")) + "</p>\n";
    } else {
        html += "<p class=\"count\">" +
                e(strings.format("desk.page.count", {{"count", std::to_string(checkIns.size())}})) +
                "</p>\n";
        html += "<table>\n<thead><tr>";
        for (const char* key : {"desk.column.receipt", "desk.column.time", "desk.column.outcome",
                                "desk.column.name", "desk.column.insurer"}) {
            html += "<th>" + e(strings.tr(key)) + "</th>";
        }
        html += "</tr></thead>\n<tbody>\n";
        for (const auto& row : checkIns) {
            PatientName name;
            std::string insurer;
            if (row.checkIn.qualification) {
                if (const auto* person = kiosk::model::person(*row.checkIn.qualification)) {
                    name = person->name;
                    insurer = person->insurerNumber;
                }
            }
            html += "<tr><td class=\"receipt\">" + e(row.checkIn.receiptNumber) + "</td><td>" +
                    e(row.localTime) + "</td><td>" + e(outcomeText(strings, row.checkIn.outcome)) +
                    "</td><td>" + e(name.reveal()) + "</td><td>" + e(insurer) + "</td></tr>\n";
        }
        html += "</tbody>\n</table>\n";
    }
    html += "</body>\n</html>\n";
    return html;
}

} // namespace uketsuke::desk
