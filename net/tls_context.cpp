#include "net/tls_context.hpp"

#include "base/log.hpp"
#include "crypto/crypto.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <filesystem>
#include <vector>

namespace uketsuke::net {
namespace {

const log::Category kLog("net.tls");

using crypto::opensslError;

// Refuses a client certificate whose keyUsage does not allow digitalSignature: the client signs
// the handshake (CertificateVerify) with its key, but OpenSSL's sslclient purpose also lets
// keyAgreement alone through. Logs why a client certificate was refused (the handshake then
// fails without an answer).
int logClientVerification(int preverifyOk, X509_STORE_CTX* ctx)
{
    if (preverifyOk == 1 && X509_STORE_CTX_get_error_depth(ctx) == 0) {
        X509* leaf = X509_STORE_CTX_get_current_cert(ctx);
        if (leaf != nullptr && (X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) != 0 &&
            (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0) {
            X509_STORE_CTX_set_error(ctx, X509_V_ERR_INVALID_PURPOSE);
            preverifyOk = 0;
        }
    }
    if (preverifyOk != 1) {
        UKETSUKE_LOG(kLog, Info) << "client certificate refused: "
                                 << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
    }
    return preverifyOk;
}

} // namespace

Result<std::shared_ptr<boost::asio::ssl::context>> makeServerContext(const TlsSettings& tls)
{
    std::vector<const std::string*> files = {&tls.certFile, &tls.keyFile};
    if (tls.clientAuth != ClientAuth::None) {
        files.push_back(&tls.caFile);
    }
    for (const std::string* file : files) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(*file, ec)) {
            return fail(Errc::ConfigMissing, "TLS file " + *file + " is missing");
        }
    }
    auto context =
        std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    SSL_CTX* ctx = context->native_handle();
    ERR_clear_error();
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                 SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) {
        return fail(Errc::ConfigInvalid, "TLS 1.2 ciphers: " + opensslError());
    }
    if (SSL_CTX_use_certificate_chain_file(ctx, tls.certFile.c_str()) != 1) {
        return fail(Errc::ConfigInvalid, "cannot load " + tls.certFile + ": " + opensslError());
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, tls.keyFile.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
        return fail(Errc::ConfigInvalid, "cannot load " + tls.keyFile + ": " + opensslError());
    }
    if (tls.clientAuth != ClientAuth::None) {
        STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(tls.caFile.c_str());
        if (names == nullptr || SSL_CTX_load_verify_locations(ctx, tls.caFile.c_str(), nullptr) != 1) {
            if (names != nullptr) {
                sk_X509_NAME_pop_free(names, X509_NAME_free);
            }
            return fail(Errc::ConfigInvalid, "cannot load " + tls.caFile + ": " + opensslError());
        }
        SSL_CTX_set_client_CA_list(ctx, names);
        int mode = SSL_VERIFY_PEER;
        if (tls.clientAuth == ClientAuth::Required) {
            mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
        }
        SSL_CTX_set_verify(ctx, mode, &logClientVerification);
        if (tls.requireClientAuthPurpose) {
            SSL_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
        }
    } else {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    }
    // With client certificates, a resumed session needs a session id context, or OpenSSL fails
    // the handshake; clients resume whenever a kept connection was closed.
    const std::string& sessionContext = tls.sessionContext.empty() ? tls.logName
                                                                   : tls.sessionContext;
    if (SSL_CTX_set_session_id_context(
            ctx, reinterpret_cast<const unsigned char*>(sessionContext.data()),
            static_cast<unsigned>(std::min<std::size_t>(sessionContext.size(),
                                                        SSL_MAX_SID_CTX_LENGTH))) != 1) {
        return fail(Errc::ConfigInvalid, "session id context: " + opensslError());
    }
    return context;
}

std::optional<VerifiedClient> verifiedClient(ssl_st* ssl)
{
    if (ssl == nullptr) {
        return std::nullopt;
    }
    crypto::X509Ptr cert(SSL_get1_peer_certificate(ssl));
    // A certificate that does not verify already failed the handshake (SSL_VERIFY_PEER); the
    // result is checked again so this never trusts more than the handshake did.
    if (!cert || SSL_get_verify_result(ssl) != X509_V_OK) {
        return std::nullopt;
    }
    std::string name = crypto::commonName(X509_get_subject_name(cert.get()));
    if (name.empty()) {
        return std::nullopt;
    }
    return VerifiedClient{std::move(name), crypto::serialHex(cert.get())};
}

} // namespace uketsuke::net
