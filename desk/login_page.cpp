#include "desk/login_page.hpp"

#include "desk/page.hpp"

namespace uketsuke::desk {
namespace {

const char* const kKeys[] = {
    "desk.login.title",   "desk.login.heading",    "desk.login.name",
    "desk.login.password", "desk.login.submit",    "desk.login.refused",
    "desk.login.locked",  "desk.login.logged_out", "desk.login.error",
    "desk.login.logout",  "desk.login.signed_in",  "desk.login.csrf_failed",
};

const char* messageKey(LoginMessage message)
{
    switch (message) {
    case LoginMessage::None:
        return nullptr;
    case LoginMessage::Refused:
        return "desk.login.refused";
    case LoginMessage::Locked:
        return "desk.login.locked";
    case LoginMessage::LoggedOut:
        return "desk.login.logged_out";
    case LoginMessage::Error:
        return "desk.login.error";
    }
    return nullptr;
}

std::string head(const kiosk::model::StringTable& strings)
{
    return "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<title>" +
           escapeHtml(strings.tr("desk.login.title")) +
           "</title>\n<style>\n"
           "body{font-family:sans-serif;margin:2rem auto;max-width:24rem;}\n"
           "label{display:block;margin-top:1rem;}\n"
           "input{font-size:1.2rem;width:100%;box-sizing:border-box;padding:.4rem;}\n"
           "button{font-size:1.2rem;margin-top:1.5rem;padding:.5rem 1.5rem;}\n"
           "p.message{background:#fff3cd;padding:.6rem;}\n"
           "form.logout{display:inline;}\n"
           "</style>\n</head>\n<body>\n";
}

} // namespace

std::string renderLoginPage(const kiosk::model::StringTable& strings, LoginMessage message,
                            std::string_view name)
{
    auto e = [](std::string_view text) { return escapeHtml(text); };
    std::string html = head(strings);
    html += "<h1>" + e(strings.tr("desk.login.heading")) + "</h1>\n";
    if (const char* key = messageKey(message)) {
        html += "<p class=\"message\" role=\"alert\">" + e(strings.tr(key)) + "</p>\n";
    }
    html += "<form method=\"post\" action=\"/login\">\n"
            "<label for=\"name\">" +
            e(strings.tr("desk.login.name")) +
            "</label>\n"
            "<input id=\"name\" name=\"name\" autocomplete=\"username\" autocapitalize=\"none\" "
            "required value=\"" +
            e(name) +
            "\"" + (name.empty() ? " autofocus" : "") +
            ">\n"
            "<label for=\"password\">" +
            e(strings.tr("desk.login.password")) +
            "</label>\n"
            "<input id=\"password\" name=\"password\" type=\"password\" "
            "autocomplete=\"current-password\" required" +
            (name.empty() ? "" : " autofocus") +
            ">\n"
            "<button type=\"submit\">" +
            e(strings.tr("desk.login.submit")) + "</button>\n</form>\n</body>\n</html>\n";
    return html;
}

std::string logoutForm(const kiosk::model::StringTable& strings, const StaffSession& session)
{
    auto e = [](std::string_view text) { return escapeHtml(text); };
    return "<form class=\"logout\" method=\"post\" action=\"/logout\">" +
           e(strings.format("desk.login.signed_in", {{"name", session.account}})) +
           " <input type=\"hidden\" name=\"" + std::string(StaffAuth::kCsrfField) +
           "\" value=\"" + e(session.csrfToken) + "\"><button type=\"submit\">" +
           e(strings.tr("desk.login.logout")) + "</button></form>\n";
}

std::string renderLogoutPage(const kiosk::model::StringTable& strings,
                             const StaffSession& session)
{
    return head(strings) + logoutForm(strings, session) + "</body>\n</html>\n";
}

std::vector<std::string> loginStringKeys()
{
    return {std::begin(kKeys), std::end(kKeys)};
}

} // namespace uketsuke::desk
