// Fuzz target: arbitrary requests to the desk's routes (desk/routes.hpp) as the HTTPS server
// hands them over after TLS and HTTP parsing (Boost.Beast's, not ours): any method, path,
// query, headers and body, from a terminal with a client certificate or from a browser
// without one, on loopback or not. Each answer must be a real HTTP status with a body type,
// never a crash; the database (a real SQLite file in a scratch folder) stays usable.
//
// Input: byte 0: bit 0 a client certificate "KIOSK-0001", bit 1 a loopback peer, bit 2 the
// cookie of a logged-in staff session, bit 3 that session's CSRF token; then text:
// "METHOD TARGET\n", header lines "Name: value\n" up to an empty line, then the body.
// The account "fuzz" (an administrator) has the password "fuzz-password" (POST /login costs an
// argon2id hash until the peer address is locked out, and then nothing). Pairing is on, as in
// uketsuke-desk: POST /api/v1/pair (desk/pairing.hpp) and the administrators' pairing routes.

#include "base/log.hpp"
#include "desk/accounts.hpp"
#include "desk/auth.hpp"
#include "crypto/password.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "desk/pairing.hpp"
#include "desk/routes.hpp"
#include "base/files.hpp"
#include "desk/store.hpp"
#include "kiosk/model/strings.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <unistd.h>

using namespace uketsuke;

namespace {

struct Desk {
    std::filesystem::path dir;
    std::unique_ptr<desk::DeskStore> store;
    std::unique_ptr<desk::AccountStore> accounts;
    std::unique_ptr<desk::StaffAuth> auth;
    std::unique_ptr<desk::PairingService> pairing;
    desk::StaffSession session;
    std::optional<kiosk::model::StringTable> strings;
    std::optional<net::Router> router;
};

Desk& theDesk()
{
    static Desk* d = [] {
        auto* made = new Desk();
        char scratch[] = "/tmp/fuzz_desk_request.XXXXXX";
        if (::mkdtemp(scratch) == nullptr) {
            std::abort();
        }
        made->dir = scratch;
        auto store = desk::DeskStore::open((made->dir / "desk.sqlite3").string());
        auto strings =
            kiosk::model::StringTable::load(std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", "ja");
        if (!store || !strings) {
            std::abort();
        }
        made->store = std::move(*store);
        made->strings.emplace(std::move(*strings));
        auto accounts = desk::AccountStore::open(made->dir / "accounts.sqlite3");
        const std::string password = "fuzz-password";
        const std::span<const char> typed(password.data(), password.size());
        auto hash = crypto::hashSecret(typed);
        if (!accounts || !hash || !(*accounts)->add("fuzz", *hash, desk::Role::Admin)) {
            std::abort();
        }
        made->accounts = std::move(*accounts);
        made->auth = std::make_unique<desk::StaffAuth>(*made->accounts, desk::StaffSettings{});
        auto login = made->auth->login("fuzz", typed, "127.0.0.1");
        if (login.status != desk::LoginStatus::Ok) {
            std::abort();
        }
        made->session = *login.session;
        // A clinic CA of the scratch folder's own for the pairing service.
        auto caKey = crypto::generateEcKey();
        if (!caKey) {
            std::abort();
        }
        crypto::IssueSpec spec;
        spec.commonName = "fuzz clinic CA";
        spec.subjectKey = caKey->get();
        spec.issuerKey = caKey->get();
        spec.isCa = true;
        spec.notBefore = std::chrono::system_clock::now();
        spec.notAfter = spec.notBefore + std::chrono::hours(24);
        auto ca = crypto::issueCertificate(spec);
        auto caPem = ca ? crypto::certificateToPem(ca->get()) : Result<std::string>(fail(ca.error()));
        if (!caPem || !files::writeFile(made->dir / "ca.pem", *caPem)) {
            std::abort();
        }
        auto pairing = desk::PairingService::open(made->dir, made->dir / "ca.pem",
                                                  made->dir / "ca.pem");
        if (!pairing || !(*pairing)->makeCode("KIOSK-0002", std::chrono::system_clock::now())) {
            std::abort();
        }
        made->pairing = std::move(*pairing);
        desk::RouteSettings settings;
        settings.today = [] { return std::string("2026-12-05"); };
        settings.pairing = made->pairing.get();
        made->router.emplace(
            desk::deskRoutes(*made->store, *made->auth, *made->strings, settings));
        std::atexit([] { std::filesystem::remove_all(theDesk().dir); });
        return made;
    }();
    return *d;
}

std::string_view takeLine(std::string_view& text)
{
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    log::configure("*:off");
    (void)theDesk();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) {
        return 0;
    }
    Desk& d = theDesk();
    const std::uint8_t flags = data[0];
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

    net::Request request;
    std::string_view first = takeLine(text);
    const auto space = first.find(' ');
    request.method = std::string(first.substr(0, space));
    std::string_view target = space == std::string_view::npos ? "/" : first.substr(space + 1);
    const auto question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) {
        std::string_view query = target.substr(question + 1);
        while (!query.empty()) {
            const auto amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            const auto eq = pair.find('=');
            request.query.emplace(std::string(pair.substr(0, eq)),
                                  eq == std::string_view::npos ? std::string()
                                                               : std::string(pair.substr(eq + 1)));
            query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        }
    }
    for (std::string_view line = takeLine(text); !line.empty(); line = takeLine(text)) {
        const auto colon = line.find(':');
        std::string_view value =
            colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') {
            value.remove_prefix(1);
        }
        request.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    if ((flags & 4) != 0) {
        request.headers.emplace_back("Cookie", std::string(desk::StaffAuth::kCookieName) + "=" +
                                                   d.session.id);
    }
    if ((flags & 8) != 0) {
        request.headers.emplace_back(std::string(desk::StaffAuth::kCsrfHeader),
                                     d.session.csrfToken);
    }
    request.body = std::string(text);
    request.peerAddress = (flags & 2) != 0 ? "127.0.0.1" : "192.0.2.7";
    request.peerPort = 40000;
    if ((flags & 1) != 0) {
        request.clientName = "KIOSK-0001";
        request.clientSerial = "0A1B";
    }

    int status = 0;
    const net::Router::Route* route = d.router->find(request.method, request.path, status);
    net::Response response;
    if (route == nullptr) {
        response = d.router->error(status, "not_found", request);
    } else if (route->options.clientCertificate && !request.clientName) {
        response = d.router->error(403, "client_certificate_required", request);
    } else {
        response = route->handler(request);
    }
    if (response.status < 100 || response.status > 599 || response.contentType.empty()) {
        std::abort();
    }
    return 0;
}
