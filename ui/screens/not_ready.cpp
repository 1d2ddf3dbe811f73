#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

namespace uketsuke::ui {
namespace {

bool endsWith(const std::string& text, std::string_view suffix)
{
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// One line per missing file, naming the config key so staff know what to put where.
std::string missingLine(const ScreenContext& ui, const std::string& key)
{
    if (endsWith(key, ".cert")) {
        return ui.format("screen.not_ready.missing.cert", {{"key", key}});
    }
    if (endsWith(key, ".key")) {
        return ui.format("screen.not_ready.missing.key", {{"key", key}});
    }
    return ui.format("screen.not_ready.missing.other", {{"key", key}});
}

} // namespace

void drawNotReady(const NotReadyModel& m, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Icon;
    msg.icon = Icon::Staff;
    msg.title = m.ui.tr("screen.not_ready.title");
    msg.lead = m.ui.tr("screen.not_ready.lead");
    std::string note = m.ui.tr("screen.not_ready.staff");
    bool enrol = false;
    bool pair = false;
    for (const auto& key : m.missingKeys) {
        note += "\n" + missingLine(m.ui, key);
        enrol = enrol || key.starts_with("gateway.");
        pair = pair || key.starts_with("desk.");
    }
    if (enrol) {
        // Enrolment brings the gateway's certificate and key (docs/enrolment.md).
        note += "\n" + m.ui.tr("screen.not_ready.enrol");
    }
    if (pair) {
        // Pairing brings the desk's certificate, key and CA (docs/pairing.md).
        note += "\n" + m.ui.tr("screen.not_ready.pair");
    }
    msg.note = std::move(note);
    msg.noteKind = PanelKind::Info;
    drawMessageScreen(m.ui, "not_ready", msg, out);
}

} // namespace uketsuke::ui
