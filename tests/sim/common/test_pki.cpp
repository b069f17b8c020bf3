#include "tests/sim/common/test_pki.h"

#include "tests/sim/common/pki_issuer.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QLockFile>
#include <QRandomGenerator>
#include <QSaveFile>

#include <algorithm>
#include <tuple>

namespace odis::sim {

namespace {

constexpr int kCaValidDays = 3650;
constexpr int kServerValidDays = 397; // the longest validity browsers and macOS accept for a leaf
constexpr int kCaRenewDays = 30;
constexpr int kServerRenewDays = 7;

const QStringList& serverDnsNames()
{
    static const QStringList names{QStringLiteral("localhost")};
    return names;
}

const QStringList& serverIpAddresses()
{
    static const QStringList ips{QStringLiteral("127.0.0.1"), QStringLiteral("::1")};
    return ips;
}

QByteArray readIfPresent(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

Status writeAtomically(const QString& path, const QByteArray& data, bool secret)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("pki_write_failed"), QStringLiteral("cannot write ") + path);
    if (secret)
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(data);
    if (!file.commit())
        return fail(QStringLiteral("pki_write_failed"), QStringLiteral("cannot commit ") + path);
    return ok();
}

bool validFor(const QByteArray& pem, int days)
{
    const QSslCertificate cert(pem, QSsl::Pem);
    return !cert.isNull() && cert.effectiveDate() <= QDateTime::currentDateTimeUtc() &&
           cert.expiryDate() > QDateTime::currentDateTimeUtc().addDays(days);
}

bool coversServerNames(const QByteArray& pem)
{
    const auto names = QSslCertificate(pem, QSsl::Pem).subjectAlternativeNames();
    const QStringList dns = names.values(QSsl::DnsEntry);
    const QStringList ips = names.values(QSsl::IpAddressEntry);
    return std::all_of(serverDnsNames().cbegin(), serverDnsNames().cend(),
                       [&](const auto& n) { return dns.contains(n); }) &&
           std::all_of(serverIpAddresses().cbegin(), serverIpAddresses().cend(), [&](const auto& ip) {
               return std::any_of(ips.cbegin(), ips.cend(), [&](const QString& have) {
                   return QHostAddress(have) == QHostAddress(ip);
               });
           });
}

bool usableCa(const pki::PemPair& ca)
{
    return validFor(ca.certificatePem, kCaRenewDays) &&
           pki::checkKeyMatches(ca.certificatePem, ca.privateKeyPem);
}

bool usableServer(const pki::PemPair& server, const pki::PemPair& ca)
{
    return validFor(server.certificatePem, kServerRenewDays) &&
           pki::checkKeyMatches(server.certificatePem, server.privateKeyPem) &&
           pki::checkIssuedBy(server.certificatePem, ca.certificatePem) &&
           coversServerNames(server.certificatePem);
}

} // namespace

Result<TestPki> TestPki::loadOrCreate(const QString& directory)
{
    const QString dir = QDir(directory).absolutePath();
    if (!QDir().mkpath(dir))
        return fail(QStringLiteral("pki_directory_unusable"), QStringLiteral("cannot create ") + dir);
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // Two simulators started together on one directory must not issue two different CAs.
    QLockFile lock(dir + QStringLiteral("/.pki.lock"));
    lock.setStaleLockTime(30'000);
    if (!lock.tryLock(30'000))
        return fail(QStringLiteral("pki_locked"),
                    QStringLiteral("another process holds the PKI lock in ") + dir);

    const auto path = [&dir](const QString& name) -> QString { return dir + u'/' + name; };
    pki::PemPair ca{readIfPresent(path(kCaCertificateFile)), readIfPresent(path(kCaKeyFile))};
    pki::PemPair server{readIfPresent(path(kServerCertificateFile)), readIfPresent(path(kServerKeyFile))};
    bool caChanged = false;
    if (!usableCa(ca)) {
        const QString cn = QStringLiteral("Odis Simulator Test CA %1")
                               .arg(QRandomGenerator::system()->generate(), 8, 16, QChar(u'0'));
        auto created = pki::createCertificateAuthority(cn, kCaValidDays);
        if (!created)
            return std::unexpected(created.error());
        ca = *created;
        caChanged = true;
    }
    const bool serverChanged = caChanged || !usableServer(server, ca);
    if (serverChanged) {
        auto issued =
            pki::issueServerCertificate(ca, serverDnsNames(), serverIpAddresses(), kServerValidDays);
        if (!issued)
            return std::unexpected(issued.error());
        server = *issued;
    }
    if (caChanged) {
        for (const auto& [name, data, secret] : {std::tuple{kCaKeyFile, ca.privateKeyPem, true},
                                                 std::tuple{kCaCertificateFile, ca.certificatePem, false}}) {
            if (auto written = writeAtomically(path(name), data, secret); !written)
                return std::unexpected(written.error());
        }
    }
    if (serverChanged) {
        for (const auto& [name, data, secret] :
             {std::tuple{kServerKeyFile, server.privateKeyPem, true},
              std::tuple{kServerCertificateFile, server.certificatePem, false}}) {
            if (auto written = writeAtomically(path(name), data, secret); !written)
                return std::unexpected(written.error());
        }
    }

    TestPki result;
    result.m_directory = dir;
    result.m_ca = QSslCertificate(ca.certificatePem, QSsl::Pem);
    result.m_server = QSslCertificate(server.certificatePem, QSsl::Pem);
    result.m_serverKey = QSslKey(server.privateKeyPem, QSsl::Ec, QSsl::Pem);
    if (result.m_ca.isNull() || result.m_server.isNull() || result.m_serverKey.isNull())
        return fail(QStringLiteral("pki_unreadable"), QStringLiteral("Qt cannot load the PKI in ") + dir);
    return result;
}

QString TestPki::caCertificatePath() const
{
    return m_directory + u'/' + kCaCertificateFile;
}

QSslConfiguration TestPki::serverConfiguration() const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain({m_server, m_ca});
    config.setPrivateKey(m_serverKey);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    return config;
}

QSslConfiguration TestPki::clientConfiguration() const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates({m_ca});
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return config;
}

} // namespace odis::sim
