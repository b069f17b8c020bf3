#pragma once

#include "storage/result.h"

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

namespace odis::sim {

// The simulators' test PKI: one CA and a server certificate for localhost, 127.0.0.1 and ::1, kept in a
// directory (ca.pem, ca.key, server.pem, server.key) so that several simulators and the agent's tests
// trust one CA, and a restarted simulator keeps its certificate. Files that are missing, do not match,
// or expire soon are replaced; a valid CA is never replaced just because the server certificate was.
class TestPki
{
public:
    static inline const QString kCaCertificateFile = QStringLiteral("ca.pem");
    static inline const QString kCaKeyFile = QStringLiteral("ca.key");
    static inline const QString kServerCertificateFile = QStringLiteral("server.pem");
    static inline const QString kServerKeyFile = QStringLiteral("server.key");

    // Creates the directory when absent. Safe when several processes start on one directory at once.
    static Result<TestPki> loadOrCreate(const QString& directory);

    [[nodiscard]] const QString& directory() const { return m_directory; }
    [[nodiscard]] QString caCertificatePath() const;
    [[nodiscard]] const QSslCertificate& caCertificate() const { return m_ca; }
    [[nodiscard]] const QSslCertificate& serverCertificate() const { return m_server; }
    [[nodiscard]] const QSslKey& serverKey() const { return m_serverKey; }

    // TLS 1.2 or newer with the server certificate; clients are not asked for one.
    [[nodiscard]] QSslConfiguration serverConfiguration() const;
    // Trusts exactly this CA (not the system store) and verifies the peer: what a test client uses.
    [[nodiscard]] QSslConfiguration clientConfiguration() const;

private:
    QString m_directory;
    QSslCertificate m_ca;
    QSslCertificate m_server;
    QSslKey m_serverKey;
};

} // namespace odis::sim
