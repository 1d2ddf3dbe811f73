#include "crypto/tls_files.hpp"

#include "tests/crypto/small_pki.hpp"

#include <catch2/catch.hpp>

#include <openssl/pem.h>

#include <chrono>

namespace {

using namespace uketsuke::crypto;
using namespace uketsuke::crypto::testing;
using namespace std::chrono;
using uketsuke::Errc;
namespace files = uketsuke::files;

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

// A terminal's TLS folder: ca.pem, terminal.pem (CN=KIOSK-0001) and terminal.key, plus
// spare material for the failure cases.
struct TlsFolder {
    TempDir dir;
    KeyAndCertificate ca = makeCa("Uketsuke Clinic CA");
    KeyAndCertificate terminal = makeLeaf(ca, "KIOSK-0001", system_clock::now() - hours(1),
                                          system_clock::now() + hours(24));
    TlsFilePaths paths{dir.path() / "ca.pem", dir.path() / "terminal.pem",
                       dir.path() / "terminal.key"};

    TlsFolder()
    {
        writeCertificate(paths.ca, ca.certificate.get());
        writeCertificate(paths.certificate, terminal.certificate.get());
        writeKey(paths.key, terminal.key.get());
    }
};

// checkTlsFiles fails with `code`, a message naming `path`, and diagnoseTlsFiles agrees on
// the file and the problem.
void expectFailure(const TlsFolder& tls, const TlsExpectations& expect, Errc code, TlsFile file,
                   TlsProblem problem, const std::filesystem::path& path)
{
    auto checked = checkTlsFiles(tls.paths, expect);
    REQUIRE_FALSE(checked);
    CHECK(checked.error().code == code);
    INFO(checked.error().message);
    CHECK(contains(checked.error().message, path.string()));
    CHECK(checked.error().message.find('\n') == std::string::npos);
    const TlsDiagnosis diagnosis = diagnoseTlsFiles(tls.paths, expect);
    CHECK_FALSE(diagnosis.ok());
    const TlsCheck* failed = diagnosis.failure();
    REQUIRE(failed != nullptr);
    CHECK(failed->file == file);
    REQUIRE(failed->problem);
    CHECK(*failed->problem == problem);
    CHECK(failed->message == checked.error().message);
}

TEST_CASE("checkTlsFiles: a good identity passes and says who it is")
{
    TlsFolder tls;
    auto identity = checkTlsFiles(tls.paths, {"KIOSK-0001", system_clock::now()});
    REQUIRE(identity);
    CHECK(identity->commonName == "KIOSK-0001");
    CHECK(identity->notBefore < identity->notAfter);
    CHECK(identity->serialHex == serialHex(tls.terminal.certificate.get()));

    const TlsDiagnosis diagnosis = diagnoseTlsFiles(tls.paths, {"KIOSK-0001", system_clock::now()});
    CHECK(diagnosis.ok());
    CHECK(diagnosis.failure() == nullptr);
    std::vector<std::string> names;
    for (const TlsCheck& check : diagnosis.checks) {
        names.push_back(check.name);
        CHECK_FALSE(check.problem);
    }
    CHECK(names == std::vector<std::string>{"ca_readable", "ca_pem", "cert_readable", "cert_pem",
                                            "key_readable", "key_pem", "key_matches_cert",
                                            "cert_issued_by_ca", "cert_valid_now",
                                            "cert_common_name"});
}

TEST_CASE("checkTlsFiles: a missing file is ConfigMissing naming the file")
{
    TlsFolder tls;
    SECTION("ca")
    {
        std::filesystem::remove(tls.paths.ca);
        expectFailure(tls, {}, Errc::ConfigMissing, TlsFile::Ca, TlsProblem::Missing,
                      tls.paths.ca);
    }
    SECTION("certificate")
    {
        std::filesystem::remove(tls.paths.certificate);
        expectFailure(tls, {}, Errc::ConfigMissing, TlsFile::Certificate, TlsProblem::Missing,
                      tls.paths.certificate);
    }
    SECTION("key")
    {
        std::filesystem::remove(tls.paths.key);
        expectFailure(tls, {}, Errc::ConfigMissing, TlsFile::Key, TlsProblem::Missing,
                      tls.paths.key);
    }
}

TEST_CASE("checkTlsFiles: a path that is not configured is ConfigMissing")
{
    TlsFolder tls;
    tls.paths.key.clear();
    auto checked = checkTlsFiles(tls.paths);
    REQUIRE_FALSE(checked);
    CHECK(checked.error().code == Errc::ConfigMissing);
    CHECK(contains(checked.error().message, "key"));
}

TEST_CASE("checkTlsFiles: an unreadable file (a folder in its place) is ConfigInvalid")
{
    // A folder, not chmod 000: the test may run as root, who reads any file.
    TlsFolder tls;
    std::filesystem::remove(tls.paths.certificate);
    std::filesystem::create_directory(tls.paths.certificate);
    expectFailure(tls, {}, Errc::ConfigInvalid, TlsFile::Certificate, TlsProblem::Unreadable,
                  tls.paths.certificate);
}

TEST_CASE("checkTlsFiles: a file that is not PEM is named")
{
    TlsFolder tls;
    SECTION("ca")
    {
        REQUIRE(files::writeFile(tls.paths.ca, "not a certificate\n"));
        expectFailure(tls, {}, Errc::ConfigInvalid, TlsFile::Ca, TlsProblem::NotPem,
                      tls.paths.ca);
    }
    SECTION("certificate holding a key")
    {
        REQUIRE(files::writeFile(tls.paths.certificate, *files::readFile(tls.paths.key)));
        expectFailure(tls, {}, Errc::ConfigInvalid, TlsFile::Certificate, TlsProblem::NotPem,
                      tls.paths.certificate);
    }
    SECTION("key holding a certificate")
    {
        REQUIRE(files::writeFile(tls.paths.key, *files::readFile(tls.paths.certificate)));
        expectFailure(tls, {}, Errc::ConfigInvalid, TlsFile::Key, TlsProblem::NotPem,
                      tls.paths.key);
    }
    SECTION("key encrypted with a passphrase: refused, never prompted for")
    {
        BioPtr bio(BIO_new(BIO_s_mem()));
        REQUIRE(PEM_write_bio_PrivateKey(bio.get(), tls.terminal.key.get(), EVP_aes_128_cbc(),
                                         nullptr, 0, nullptr,
                                         const_cast<char*>("passphrase")) == 1);
        char* data = nullptr;
        const long size = BIO_get_mem_data(bio.get(), &data);
        REQUIRE(files::writeFile(tls.paths.key,
                                 std::string(data, static_cast<std::size_t>(size))));
        expectFailure(tls, {}, Errc::ConfigInvalid, TlsFile::Key, TlsProblem::NotPem,
                      tls.paths.key);
    }
}

TEST_CASE("checkTlsFiles: a key that is not the certificate's is named with both files")
{
    TlsFolder tls;
    writeKey(tls.paths.key, tls.ca.key.get());
    expectFailure(tls, {}, Errc::ConfigInvalid, TlsFile::Key, TlsProblem::KeyMismatch,
                  tls.paths.key);
    auto checked = checkTlsFiles(tls.paths);
    CHECK(contains(checked.error().message, tls.paths.certificate.string()));
}

TEST_CASE("checkTlsFiles: a certificate from another CA is refused")
{
    TlsFolder tls;
    const auto other = makeCa("Some other CA");
    writeCertificate(tls.paths.ca, other.certificate.get());
    expectFailure(tls, {}, Errc::ConfigInvalid, TlsFile::Certificate, TlsProblem::NotIssuedByCa,
                  tls.paths.certificate);
    CHECK(contains(checkTlsFiles(tls.paths).error().message, tls.paths.ca.string()));
}

TEST_CASE("checkTlsFiles: the CN must be the terminal id when one is expected")
{
    TlsFolder tls;
    expectFailure(tls, {"KIOSK-0002", std::nullopt}, Errc::ConfigInvalid, TlsFile::Certificate,
                  TlsProblem::CommonNameMismatch, tls.paths.certificate);
    auto checked = checkTlsFiles(tls.paths, {"KIOSK-0002", std::nullopt});
    CHECK(contains(checked.error().message, "KIOSK-0001"));
    CHECK(contains(checked.error().message, "KIOSK-0002"));
}

TEST_CASE("checkTlsFiles: dates are checked only at a given time")
{
    TlsFolder tls;
    const auto now = system_clock::now();
    expectFailure(tls, {{}, now + hours(48)}, Errc::ConfigInvalid, TlsFile::Certificate,
                  TlsProblem::Expired, tls.paths.certificate);
    expectFailure(tls, {{}, now - hours(48)}, Errc::ConfigInvalid, TlsFile::Certificate,
                  TlsProblem::NotYetValid, tls.paths.certificate);
    // A device whose clock is not set yet: the files themselves are fine.
    CHECK(checkTlsFiles(tls.paths));
}

TEST_CASE("checkTlsFiles: the first failure is the cause, checks that need it do not run")
{
    TlsFolder tls;
    std::filesystem::remove(tls.paths.certificate);
    const TlsDiagnosis diagnosis = diagnoseTlsFiles(tls.paths, {"KIOSK-0001", std::nullopt});
    for (const TlsCheck& check : diagnosis.checks) {
        CHECK(check.name != "key_matches_cert");
        CHECK(check.name != "cert_issued_by_ca");
        CHECK(check.name != "cert_common_name");
    }
    CHECK(diagnosis.failure()->name == "cert_readable");
}

TEST_CASE("tlsProblemName, tlsFileName: stable snake_case names for doctor JSON")
{
    CHECK(tlsFileName(TlsFile::Key) == "key");
    CHECK(tlsProblemName(TlsProblem::KeyMismatch) == "key_mismatch");
    CHECK(tlsProblemName(TlsProblem::CommonNameMismatch) == "common_name_mismatch");
}

} // namespace
