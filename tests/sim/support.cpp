#include "tests/sim/support.hpp"

#include "base/files.hpp"
#include "base/options.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "sim/personas.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace uketsuke::sim::testing {
namespace {

std::string check(Result<std::string> result, const std::string& what)
{
    if (!result) {
        throw std::runtime_error(what + ": " + result.error().message);
    }
    return std::move(*result);
}

// Holds an exclusive flock() on a file for its lifetime. flock blocks in the kernel until the
// holder releases it: no polling, no sleeping.
class FileLock {
public:
    explicit FileLock(const std::filesystem::path& file)
        : m_fd(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644))
    {
        if (m_fd < 0 || ::flock(m_fd, LOCK_EX) != 0) {
            throw std::runtime_error("cannot lock " + file.string());
        }
    }
    ~FileLock()
    {
        ::flock(m_fd, LOCK_UN);
        ::close(m_fd);
    }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int m_fd;
};

bool isFresh(const PkiLayout& layout, const std::filesystem::path& stamp)
{
    std::error_code error;
    if (!std::filesystem::exists(stamp, error)) {
        return false;
    }
    auto age = std::filesystem::file_time_type::clock::now() -
               std::filesystem::last_write_time(stamp, error);
    if (error || age > std::chrono::hours(24)) {
        return false;
    }
    auto copy = files::readFile(layout.personas());
    auto source = files::readFile(defaultPersonasFile());
    return copy && source && *copy == *source;
}

} // namespace

ScratchDir::ScratchDir()
{
    std::string pattern =
        (std::filesystem::temp_directory_path() / "uketsuke-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    m_path = pattern;
}

ScratchDir::~ScratchDir()
{
    std::error_code error;
    std::filesystem::remove_all(m_path, error);
}

PkiLayout sharedTestPki()
{
    const std::filesystem::path base =
        std::filesystem::path(UKETSUKE_SIM_TEST_BINARY_DIR) / "tests" / "sim";
    std::filesystem::create_directories(base);
    const PkiLayout layout(base / "shared-pki");
    const auto stamp = base / "shared-pki.stamp";
    FileLock lock(base / "shared-pki.lock");
    if (!isFresh(layout, stamp)) {
        std::filesystem::remove(stamp);
        std::filesystem::remove_all(layout.root());
        PkiOptions options;
        options.outDir = layout.root();
        options.personasFile = defaultPersonasFile();
        if (auto made = generatePki(options); !made) {
            throw std::runtime_error("shared test PKI: " + made.error().message);
        }
        if (auto written = files::writeFile(stamp, "ok\n"); !written) {
            throw std::runtime_error(written.error().message);
        }
    }
    return layout;
}

PkiLayout copyOfSharedPki(const std::filesystem::path& dir)
{
    const PkiLayout shared = sharedTestPki();
    std::filesystem::create_directories(dir);
    std::filesystem::copy(shared.root(), dir, std::filesystem::copy_options::recursive);
    return PkiLayout(dir);
}

std::string csrPemFor(EVP_PKEY* key, const std::string& commonName)
{
    auto csr = crypto::createCsr(key, commonName);
    if (!csr) {
        throw std::runtime_error("CSR: " + csr.error().message);
    }
    return check(crypto::csrToPem(csr->get()), "CSR PEM");
}

std::string onePersonaJson(const std::string& id, const std::string& cn)
{
    return R"({"format": 1, "personas": [{"id": ")" + id + R"(", "card": {"cn": ")" + cn +
           R"(", "pin": "1234", "pin_tries_left": 3, "not_before_days": -10,
           "not_after_days": 1000},
           "qualification": {"MessageHeader": {"SegmentOfResult": "1"},
             "MessageBody": {"ProcessingResultStatus": "1", "QualificationValidity": "1",
               "ResultList": [{"InsurerNumber": "39999999", "Name": "他所 次郎"}]}}}]})";
}

PkiLayout writeOtherPki(const std::filesystem::path& dir, const std::string& id,
                        const std::string& cn)
{
    std::filesystem::create_directories(dir);
    const auto personas = dir / "other-personas.json";
    if (auto written = files::writeFile(personas, onePersonaJson(id, cn)); !written) {
        throw std::runtime_error(written.error().message);
    }
    PkiOptions options;
    options.outDir = dir / "pki";
    options.personasFile = personas;
    if (auto made = generatePki(options); !made) {
        throw std::runtime_error("other PKI: " + made.error().message);
    }
    return PkiLayout(options.outDir);
}

hal::Bytes readBytes(const std::filesystem::path& file)
{
    auto text = check(files::readFile(file), "read");
    return hal::Bytes(text.begin(), text.end());
}

hal::Bytes signAsCard(const std::filesystem::path& keyPem, std::span<const std::uint8_t> message)
{
    auto key = crypto::readPemPrivateKey(keyPem);
    if (!key) {
        throw std::runtime_error(key.error().message);
    }
    crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
    std::size_t size = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &size, message.data(), message.size()) != 1) {
        throw std::runtime_error("sign: " + crypto::opensslError());
    }
    hal::Bytes signature(size);
    if (EVP_DigestSign(ctx.get(), signature.data(), &size, message.data(), message.size()) != 1) {
        throw std::runtime_error("sign: " + crypto::opensslError());
    }
    signature.resize(size);
    return signature;
}

std::chrono::steady_clock::time_point ManualClock::now() const
{
    std::lock_guard lock(m_mutex);
    return m_now;
}

void ManualClock::advance(std::chrono::milliseconds by)
{
    std::lock_guard lock(m_mutex);
    m_now += by;
}

std::function<std::chrono::steady_clock::time_point()> ManualClock::function()
{
    return [this] { return now(); };
}

RunningGateway::RunningGateway(GatewayOptions options, const std::string& host)
{
    auto server = GatewayServer::create(std::move(options));
    if (!server) {
        throw std::runtime_error("gateway: " + server.error().message);
    }
    m_server = std::move(*server);
    auto port = m_server->bind(host, 0);
    if (!port) {
        throw std::runtime_error("gateway bind: " + port.error().message);
    }
    m_port = *port;
    m_url = options::httpsUrl(host, m_port);
    // Connections queue on the bound socket until run() accepts them: no need to wait.
    m_thread = std::thread([this] { (void)m_server->run(); });
}

RunningGateway::~RunningGateway()
{
    m_server->stop();
    m_thread.join();
}

TestHttpsServer::TestHttpsServer(const PkiLayout& pki)
{
    m_tls.certFile = pki.gatewayCert().string();
    m_tls.keyFile = pki.gatewayKey().string();
    m_tls.caFile = pki.tlsCa().string();
    m_tls.clientAuth = net::ClientAuth::Required;
    m_tls.sessionContext = "uketsuke-test";
}

TestHttpsServer::~TestHttpsServer()
{
    if (m_server) {
        m_server->stop();
    }
}

net::Router& TestHttpsServer::routes()
{
    return m_router;
}

void TestHttpsServer::start()
{
    net::ServerSettings settings;
    settings.handlerThreads = 4;
    m_server = std::make_unique<net::Server>(settings);
    auto port = m_server->listen("127.0.0.1", 0, m_tls, std::move(m_router));
    if (!port) {
        throw std::runtime_error("test HTTPS server: " + port.error().message);
    }
    m_url = options::httpsUrl("127.0.0.1", *port);
    m_server->start();
}

} // namespace uketsuke::sim::testing
