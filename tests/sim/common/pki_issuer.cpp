#include "tests/sim/common/pki_issuer.h"

#include <memory>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace odis::sim::pki {

namespace {

template <auto Free> struct Deleter
{
    template <typename T> void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

std::unexpected<Error> opensslFailed(const char* step)
{
    return fail(QStringLiteral("pki_openssl_failed"),
                QStringLiteral("OpenSSL failed at ") + QLatin1StringView(step));
}

BioPtr readBio(const QByteArray& pem)
{
    return BioPtr(BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size())));
}

CertPtr parseCertificate(const QByteArray& pem)
{
    BioPtr bio = readBio(pem);
    return CertPtr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

KeyPtr parseKey(const QByteArray& pem)
{
    BioPtr bio = readBio(pem);
    return KeyPtr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

template <typename Writer> QByteArray toPem(Writer write)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get()) != 1)
        return {};
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, static_cast<qsizetype>(size));
}

bool addExtension(X509* cert, X509* issuer, int nid, const QByteArray& value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData()));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// A certificate with a fresh key, random serial, validity from an hour ago (clock skew) and the subject CN.
// A negative `validDays` makes one that expired that many days ago (valid for 30 days before).
Result<std::pair<CertPtr, KeyPtr>> newCertificate(const QString& commonName, int validDays)
{
    const long notBeforeSeconds = validDays < 0 ? long(validDays - 30) * 86400 : -3600;
    KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    CertPtr cert(X509_new());
    BnPtr serial(BN_new());
    if (!key || !cert || !serial)
        return opensslFailed("allocation");
    if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
        BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) ||
        !X509_gmtime_adj(X509_getm_notBefore(cert.get()), notBeforeSeconds) ||
        !X509_time_adj_ex(X509_getm_notAfter(cert.get()), validDays, 0, nullptr) ||
        X509_set_pubkey(cert.get(), key.get()) != 1)
        return opensslFailed("certificate fields");
    X509_NAME* name = X509_get_subject_name(cert.get());
    const QByteArray cn = commonName.toUtf8();
    if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>("Odis test PKI"), -1, -1, 0) != 1 ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(cn.constData()), -1, -1, 0) != 1)
        return opensslFailed("subject name");
    return std::pair{std::move(cert), std::move(key)};
}

Result<PemPair> signAndExport(X509* cert, EVP_PKEY* signingKey, EVP_PKEY* subjectKey)
{
    if (X509_sign(cert, signingKey, EVP_sha256()) <= 0)
        return opensslFailed("signing");
    PemPair out;
    out.certificatePem = toPem([cert](BIO* bio) { return PEM_write_bio_X509(bio, cert); });
    out.privateKeyPem = toPem([subjectKey](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, subjectKey, nullptr, nullptr, 0, nullptr, nullptr);
    });
    if (out.certificatePem.isEmpty() || out.privateKeyPem.isEmpty())
        return opensslFailed("PEM export");
    return out;
}

} // namespace

Result<PemPair> createCertificateAuthority(const QString& commonName, int validDays)
{
    auto fresh = newCertificate(commonName, validDays);
    if (!fresh)
        return std::unexpected(fresh.error());
    auto& [cert, key] = *fresh;
    if (X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1 ||
        !addExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
        !addExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
        !addExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash") ||
        !addExtension(cert.get(), cert.get(), NID_authority_key_identifier, "keyid:always"))
        return opensslFailed("CA extensions");
    return signAndExport(cert.get(), key.get(), key.get());
}

Result<PemPair> issueServerCertificate(const PemPair& ca, const QStringList& dnsNames,
                                       const QStringList& ipAddresses, int validDays)
{
    CertPtr caCert = parseCertificate(ca.certificatePem);
    KeyPtr caKey = parseKey(ca.privateKeyPem);
    if (!caCert || !caKey)
        return fail(QStringLiteral("pki_invalid_ca"),
                    QStringLiteral("the CA certificate or key does not parse"));
    auto fresh = newCertificate(dnsNames.value(0, QStringLiteral("localhost")), validDays);
    if (!fresh)
        return std::unexpected(fresh.error());
    auto& [cert, key] = *fresh;
    QStringList altNames;
    for (const QString& dns : dnsNames)
        altNames << QStringLiteral("DNS:") + dns;
    for (const QString& ip : ipAddresses)
        altNames << QStringLiteral("IP:") + ip;
    if (X509_set_issuer_name(cert.get(), X509_get_subject_name(caCert.get())) != 1 ||
        !addExtension(cert.get(), caCert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !addExtension(cert.get(), caCert.get(), NID_key_usage, "critical,digitalSignature") ||
        !addExtension(cert.get(), caCert.get(), NID_ext_key_usage, "serverAuth") ||
        !addExtension(cert.get(), caCert.get(), NID_subject_key_identifier, "hash") ||
        !addExtension(cert.get(), caCert.get(), NID_authority_key_identifier, "keyid:always") ||
        !addExtension(cert.get(), caCert.get(), NID_subject_alt_name, altNames.join(u',').toUtf8()))
        return opensslFailed("server extensions");
    return signAndExport(cert.get(), caKey.get(), key.get());
}

Status checkIssuedBy(const QByteArray& certificatePem, const QByteArray& caCertificatePem)
{
    // A failed check leaves entries in OpenSSL's per-thread error queue; later TLS code must not see them.
    struct ClearErrors
    {
        ~ClearErrors() { ERR_clear_error(); }
    } clearErrors;
    CertPtr cert = parseCertificate(certificatePem);
    CertPtr ca = parseCertificate(caCertificatePem);
    if (!cert || !ca)
        return fail(QStringLiteral("pki_invalid_certificate"),
                    QStringLiteral("a certificate does not parse"));
    if (X509_check_issued(ca.get(), cert.get()) != X509_V_OK ||
        X509_verify(cert.get(), X509_get0_pubkey(ca.get())) != 1)
        return fail(QStringLiteral("pki_wrong_issuer"),
                    QStringLiteral("the certificate was not issued by this CA"));
    return ok();
}

Status checkKeyMatches(const QByteArray& certificatePem, const QByteArray& privateKeyPem)
{
    struct ClearErrors
    {
        ~ClearErrors() { ERR_clear_error(); }
    } clearErrors;
    CertPtr cert = parseCertificate(certificatePem);
    KeyPtr key = parseKey(privateKeyPem);
    if (!cert || !key)
        return fail(QStringLiteral("pki_invalid_certificate"),
                    QStringLiteral("a certificate or key does not parse"));
    if (X509_check_private_key(cert.get(), key.get()) != 1)
        return fail(QStringLiteral("pki_key_mismatch"),
                    QStringLiteral("the key does not belong to the certificate"));
    return ok();
}

} // namespace odis::sim::pki
