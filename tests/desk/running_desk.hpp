#pragma once

// A desk server in the test process on a free loopback port, with a fresh test PKI and database,
// for the server tests and the robustness tests (test code only: failures are Catch2 REQUIREs).

#include "desk/server.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/net/tls_client.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>

namespace uketsuke::tests {

// A desk on a free loopback port, with a fresh test PKI and database.
struct RunningDesk {
    TempDir dir;
    std::unique_ptr<desk::DeskStore> store;
    std::unique_ptr<desk::DeskServer> server;
    int port = 0;

    // `adjust` may change the server's settings (export, metrics) before it starts.
    explicit RunningDesk(const std::function<void(desk::ServerSettings&)>& adjust = {})
    {
        writeTestPki(dir.path());
        auto opened = desk::DeskStore::open((dir.path() / "desk.sqlite3").string());
        REQUIRE(opened);
        store = std::move(*opened);
        auto strings = kiosk::model::StringTable::load(
            std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", "ja");
        REQUIRE(strings);
        auto settings = desk::settingsForPki(dir.path().string());
        if (adjust) {
            adjust(settings);
        }
        auto created = desk::DeskServer::create(std::move(settings), *store, std::move(*strings));
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

    std::int64_t count() const
    {
        auto n = store->count();
        REQUIRE(n);
        return *n;
    }
};

} // namespace uketsuke::tests
