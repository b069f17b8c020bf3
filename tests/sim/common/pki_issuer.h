#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace odis::sim::pki {

// A certificate and its private key, both PEM (the key as unencrypted PKCS#8: it only ever protects
// loopback test traffic).
struct PemPair
{
    QByteArray certificatePem;
    QByteArray privateKeyPem;
};

// EC P-256 keys and SHA-256 signatures, with OpenSSL 3. A negative `validDays`: expired that many days ago.
Result<PemPair> createCertificateAuthority(const QString& commonName, int validDays);
Result<PemPair> issueServerCertificate(const PemPair& ca, const QStringList& dnsNames,
                                       const QStringList& ipAddresses, int validDays);

// The certificate's signature verifies with the CA's key and its issuer is the CA's subject.
Status checkIssuedBy(const QByteArray& certificatePem, const QByteArray& caCertificatePem);
// The private key belongs to the certificate.
Status checkKeyMatches(const QByteArray& certificatePem, const QByteArray& privateKeyPem);

} // namespace odis::sim::pki
