#include "tests/sim/common/bad_certificates.h"

#include "tests/sim/common/pki_issuer.h"

#include <QFile>

namespace odis::sim {

namespace {

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

Result<QSslConfiguration> badServerConfiguration(const TestPki& pki, BadCertificate kind)
{
    const pki::PemPair ca{readFile(pki.caCertificatePath()),
                          readFile(pki.directory() + u'/' + TestPki::kCaKeyFile)};
    const QStringList rightNames{QStringLiteral("localhost")};
    const QStringList rightAddresses{QStringLiteral("127.0.0.1"), QStringLiteral("::1")};
    Result<pki::PemPair> issued =
        kind == BadCertificate::WrongHost
            ? pki::issueServerCertificate(ca, {QStringLiteral("wrong.example")}, {}, 30)
        : kind == BadCertificate::Expired ? pki::issueServerCertificate(ca, rightNames, rightAddresses, -1)
                                          : pki::createCertificateAuthority(QStringLiteral("127.0.0.1"), 30);
    if (!issued)
        return std::unexpected(issued.error());
    const QSslCertificate certificate(issued->certificatePem, QSsl::Pem);
    const QSslKey key(issued->privateKeyPem, QSsl::Ec, QSsl::Pem);
    if (certificate.isNull() || key.isNull())
        return fail(QStringLiteral("pki_unreadable"),
                    QStringLiteral("Qt cannot load the issued certificate"));
    QSslConfiguration config = pki.serverConfiguration();
    config.setLocalCertificateChain(kind == BadCertificate::SelfSigned
                                        ? QList<QSslCertificate>{certificate}
                                        : QList<QSslCertificate>{certificate, pki.caCertificate()});
    config.setPrivateKey(key);
    return config;
}

} // namespace odis::sim
