#pragma once

// A desk server in the test process on a free loopback port, with a fresh test PKI and database,
// for the server tests and the robustness tests (test code only: failures are Catch2 REQUIREs).
// Its staff log-in runs on a clock the test moves (advance()), and loggedIn() gives a request
// the cookie and CSRF token of a real log-in through POST /login.

#include "crypto/password.hpp"
#include "desk/accounts.hpp"
#include "desk/auth.hpp"
#include "desk/pairing.hpp"
#include "desk/server.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/net/tls_client.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace uketsuke::tests {

// A desk on a free loopback port, with a fresh test PKI and database.
// A staff member's log-in as a client holds it.
struct StaffLogin {
    std::string cookie;    // "__Host-uketsuke-desk=..."
    std::string csrfToken; // from GET /api/v1/session

    // The request header lines that carry the session (and the CSRF token when `csrf`).
    std::string headers(bool csrf = false) const
    {
        return "Cookie: " + cookie + "\r\n" +
               (csrf ? "X-CSRF-Token: " + csrfToken + "\r\n" : std::string());
    }
};

struct RunningDesk {
    TempDir dir;
    std::unique_ptr<desk::DeskStore> store;
    std::unique_ptr<desk::AccountStore> accounts;
    std::unique_ptr<desk::StaffAuth> auth;
    // Pairing is on, as in uketsuke-desk: the server trusts the clinic CA and the pairing CA.
    std::unique_ptr<desk::PairingService> pairing;
    std::unique_ptr<desk::DeskServer> server;
    std::atomic<std::int64_t> clockOffsetS{0};
    int port = 0;

    // `adjust` may change the server's settings (export, metrics) before it starts.
    explicit RunningDesk(const std::function<void(desk::ServerSettings&)>& adjust = {},
                         desk::StaffSettings staff = {})
    {
        writeTestPki(dir.path());
        auto opened = desk::DeskStore::open((dir.path() / "desk.sqlite3").string());
        REQUIRE(opened);
        store = std::move(*opened);
        auto openedAccounts = desk::AccountStore::open(dir.path() / "accounts.sqlite3");
        REQUIRE(openedAccounts);
        accounts = std::move(*openedAccounts);
        staff.now = [this] {
            return std::chrono::system_clock::now() + std::chrono::seconds(clockOffsetS.load());
        };
        auth = std::make_unique<desk::StaffAuth>(*accounts, std::move(staff));
        auto strings = kiosk::model::StringTable::load(
            std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", "ja");
        REQUIRE(strings);
        auto settings = desk::settingsForPki(dir.path().string());
        auto openedPairing =
            desk::PairingService::open(dir.path() / "data", settings.caFile, settings.caFile);
        REQUIRE(openedPairing);
        pairing = std::move(*openedPairing);
        settings.caFile = pairing->clientCaFile().string();
        settings.pairing = pairing.get();
        if (adjust) {
            adjust(settings);
        }
        auto created =
            desk::DeskServer::create(std::move(settings), *store, *auth, std::move(*strings));
        REQUIRE(created);
        server = std::move(*created);
        auto bound = server->start("127.0.0.1", 0);
        REQUIRE(bound);
        port = *bound;
    }

    std::string tls(const std::string& file) const { return (dir.path() / "tls" / file).string(); }

    // The clinic CA, and the client certificate `certName`.pem/.key (none when empty).
    ClientTls clientTls(const std::string& certName = "terminal") const
    {
        ClientTls files;
        files.caFile = tls("ca.pem");
        if (!certName.empty()) {
            files.certFile = tls(certName + ".pem");
            files.keyFile = tls(certName + ".key");
        }
        return files;
    }

    // A client that trusts the clinic CA and presents `certName`.pem/.key (none when empty).
    std::unique_ptr<HttpsTestClient> client(const std::string& certName = "terminal") const
    {
        return std::make_unique<HttpsTestClient>("127.0.0.1", port, clientTls(certName));
    }

    // Moves the staff log-in's clock on.
    void advance(std::chrono::seconds by) { clockOffsetS += by.count(); }

    void addUser(const std::string& name, const std::string& password,
                 desk::Role role = desk::Role::Staff) const
    {
        auto hash = crypto::hashSecret(std::span<const char>(password.data(), password.size()));
        REQUIRE(hash);
        REQUIRE(accounts->add(name, *hash, role));
    }

    // One request on a new connection with `headers` ("Name: value\r\n" each), from a client
    // with certificate `certName` (none when empty).
    std::optional<HttpAnswer> request(const std::string& method, const std::string& path,
                                      const std::string& headers = {},
                                      const std::string& body = {},
                                      const std::string& contentType = "application/json",
                                      const std::string& certName = "") const
    {
        auto connection = TlsClient::connect("127.0.0.1", port, clientTls(certName));
        if (!connection) {
            return std::nullopt;
        }
        return connection->request(method, path, body, headers, contentType);
    }

    // POST /login with the form; the answer as it came.
    std::optional<HttpAnswer> postLogin(const std::string& name, const std::string& password) const
    {
        return request("POST", "/login", {}, "name=" + name + "&password=" + password,
                       "application/x-www-form-urlencoded");
    }

    // A successful log-in of `name` (REQUIREs it), with the session's CSRF token.
    StaffLogin loggedIn(const std::string& name, const std::string& password) const
    {
        auto answer = postLogin(name, password);
        REQUIRE(answer);
        REQUIRE(answer->status == 303);
        const std::string setCookie = answer->header("Set-Cookie");
        StaffLogin login;
        login.cookie = setCookie.substr(0, setCookie.find(';'));
        REQUIRE(login.cookie.rfind("__Host-uketsuke-desk=", 0) == 0);
        auto session = request("GET", "/api/v1/session", login.headers());
        REQUIRE(session);
        REQUIRE(session->status == 200);
        const std::string body = session->body;
        const auto at = body.find("\"csrf_token\":\"");
        REQUIRE(at != std::string::npos);
        login.csrfToken = body.substr(at + 14, 64);
        return login;
    }

    std::int64_t count() const
    {
        auto n = store->count();
        REQUIRE(n);
        return *n;
    }
};

} // namespace uketsuke::tests
