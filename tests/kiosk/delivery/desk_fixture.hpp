#pragma once

// A real desk server for delivery tests: fresh test PKI, database and a loopback port.

#include "desk/accounts.hpp"
#include "desk/auth.hpp"
#include "desk/server.hpp"
#include "desk/store.hpp"
#include "net/https_client.hpp"
#include "tests/desk/pki_fixture.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

namespace uketsuke::tests {

class LocalDesk {
public:
    // Writes the PKI into `pkiDir` unless it is there already; the database lives beside it.
    explicit LocalDesk(const std::filesystem::path& dir) : m_dir(dir)
    {
        if (!std::filesystem::exists(dir / "tls" / "ca.pem")) {
            writeTestPki(dir);
        }
        auto store = desk::DeskStore::open((dir / "desk.sqlite3").string());
        REQUIRE(store);
        m_store = std::move(*store);
        auto accounts = desk::AccountStore::open(dir / "accounts.sqlite3");
        REQUIRE(accounts);
        m_accounts = std::move(*accounts);
        m_auth = std::make_unique<desk::StaffAuth>(*m_accounts, desk::StaffSettings{});
    }

    // Serves on `port` (0: a free one) and returns the port.
    int start(int port = 0)
    {
        auto strings = kiosk::model::StringTable::load(
            std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", "ja");
        REQUIRE(strings);
        auto server = desk::DeskServer::create(desk::settingsForPki(m_dir.string()), *m_store,
                                               *m_auth, std::move(*strings));
        REQUIRE(server);
        m_server = std::move(*server);
        auto bound = m_server->start("127.0.0.1", port);
        REQUIRE(bound);
        m_port = *bound;
        return m_port;
    }

    void stop()
    {
        if (m_server) {
            m_server->stop();
            m_server.reset();
        }
    }

    std::string url() const { return "https://127.0.0.1:" + std::to_string(m_port); }

    net::TlsFiles terminalTls(const std::string& name = "terminal") const
    {
        const auto tls = m_dir / "tls";
        return {(tls / "ca.pem").string(), (tls / (name + ".pem")).string(),
                (tls / (name + ".key")).string()};
    }

    std::int64_t count() const
    {
        auto n = m_store->count();
        REQUIRE(n);
        return *n;
    }

    desk::DeskStore& store() { return *m_store; }
    desk::AccountStore& accounts() { return *m_accounts; }

private:
    std::filesystem::path m_dir;
    std::unique_ptr<desk::DeskStore> m_store;
    std::unique_ptr<desk::AccountStore> m_accounts;
    std::unique_ptr<desk::StaffAuth> m_auth;
    std::unique_ptr<desk::DeskServer> m_server;
    int m_port = 0;
};

} // namespace uketsuke::tests
