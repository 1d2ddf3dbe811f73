#include "desk/staff_routes.hpp"

#include "desk/answers.hpp"
#include "desk/login_page.hpp"

#include <nlohmann/json.hpp>

#include <string.h> // explicit_bzero

namespace uketsuke::desk {
namespace {

constexpr const char* kHtmlType = "text/html; charset=utf-8";
// img-src 'self': Firefox asks for /favicon.ico (answered 204) under the page's policy.
constexpr const char* kLoginPolicy = "default-src 'none'; style-src 'unsafe-inline'; "
                                     "img-src 'self'; form-action 'self'; frame-ancestors 'none'";

bool isApiPath(const std::string& path)
{
    return path.rfind("/api/", 0) == 0;
}

net::Response html(int status, std::string body)
{
    net::Response response = net::Response::text(status, std::move(body));
    response.contentType = kHtmlType;
    response.headers.emplace_back("Content-Security-Policy", kLoginPolicy);
    return response;
}

net::Response loginPage(const kiosk::model::StringTable& strings, int status,
                        LoginMessage message, std::string_view name = {})
{
    return html(status, renderLoginPage(strings, message, name));
}

// The log-in form's fields; the password's copy is wiped when this goes.
struct LoginForm {
    std::multimap<std::string, std::string> fields;
    ~LoginForm()
    {
        for (auto& [name, value] : fields) {
            explicit_bzero(value.data(), value.size());
        }
    }
    std::string_view get(const std::string& name) const
    {
        const auto found = fields.find(name);
        return found == fields.end() ? std::string_view() : std::string_view(found->second);
    }
};

struct StaffRoutes {
    StaffAuth& auth;
    const kiosk::model::StringTable& strings;

    net::Response showLogin(const net::Request& req) const
    {
        if (auth.staffSession(req)) {
            return redirect("/");
        }
        return loginPage(strings, 200, LoginMessage::None);
    }

    net::Response postLogin(const net::Request& req) const
    {
        LoginForm form{net::parseQuery(req.body)};
        const std::string_view name = form.get("name");
        const std::string_view password = form.get("password");
        if (name.empty() || password.empty()) {
            return loginPage(strings, 401, LoginMessage::Refused, name);
        }
        auto result = auth.login(name, std::span<const char>(password.data(), password.size()),
                                 req.peerAddress);
        switch (result.status) {
        case LoginStatus::Ok: {
            net::Response response = redirect("/");
            response.headers.emplace_back("Set-Cookie", auth.sessionCookie(*result.session));
            return response;
        }
        case LoginStatus::Locked: {
            net::Response response = loginPage(strings, 429, LoginMessage::Locked, name);
            response.headers.emplace_back("Retry-After", std::to_string(result.retryAfter.count()));
            return response;
        }
        case LoginStatus::Error:
            return loginPage(strings, 500, LoginMessage::Error, name);
        case LoginStatus::Refused:
            break;
        }
        return loginPage(strings, 401, LoginMessage::Refused, name);
    }

    net::Response showLogout(const net::Request& req) const
    {
        auto admitted = admitStaff(auth, strings, req);
        if (auto* refusal = std::get_if<net::Response>(&admitted)) {
            return *refusal;
        }
        return html(200, renderLogoutPage(strings, std::get<StaffSession>(admitted)));
    }

    net::Response postLogout(const net::Request& req) const
    {
        auto admitted = admitStaff(auth, strings, req);
        if (auto* refusal = std::get_if<net::Response>(&admitted)) {
            return *refusal;
        }
        auth.logout(std::get<StaffSession>(admitted));
        net::Response response = redirect("/login");
        response.headers.emplace_back("Set-Cookie", StaffAuth::clearedCookie());
        return response;
    }

    net::Response session(const net::Request& req) const
    {
        auto admitted = admitStaff(auth, strings, req);
        if (auto* refusal = std::get_if<net::Response>(&admitted)) {
            return *refusal;
        }
        const auto& s = std::get<StaffSession>(admitted);
        nlohmann::json body{{"account", s.account},
                            {"role", std::string(roleName(s.role))},
                            {"csrf_token", s.csrfToken},
                            {"idle_timeout_s", std::chrono::seconds(auth.settings().sessionIdle)
                                                   .count()}};
        return net::Response::json(200, body.dump());
    }
};

} // namespace

std::variant<StaffSession, net::Response> admitStaff(StaffAuth& auth,
                                                     const kiosk::model::StringTable& strings,
                                                     const net::Request& request)
{
    auto session = auth.staffSession(request);
    const bool api = isApiPath(request.path);
    if (!session) {
        if (api) {
            return errorAnswer(401, "login_required", "log in at /login first");
        }
        return redirect("/login");
    }
    if (!auth.checkCsrf(request, *session)) {
        auth.audit(*session, "csrf_refused", request.method + " " + request.path, "refused");
        if (api) {
            return errorAnswer(403, "csrf_failed",
                            "a state change needs the session's X-CSRF-Token header");
        }
        net::Response response =
            net::Response::text(403, strings.tr("desk.login.csrf_failed") + "\n");
        return response;
    }
    return std::move(*session);
}

void addStaffRoutes(net::Router& router, StaffAuth& auth, const kiosk::model::StringTable& strings)
{
    auto routes = std::make_shared<const StaffRoutes>(StaffRoutes{auth, strings});
    const net::RouteOptions noCertificate{false};
    router.add(
        "GET", "/login", [routes](const net::Request& req) { return routes->showLogin(req); },
        noCertificate);
    router.add(
        "POST", "/login", [routes](const net::Request& req) { return routes->postLogin(req); },
        noCertificate);
    router.add(
        "GET", "/logout", [routes](const net::Request& req) { return routes->showLogout(req); },
        noCertificate);
    router.add(
        "POST", "/logout", [routes](const net::Request& req) { return routes->postLogout(req); },
        noCertificate);
    router.add(
        "GET", "/api/v1/session",
        [routes](const net::Request& req) { return routes->session(req); }, noCertificate);
}

} // namespace uketsuke::desk
