#include "tests/support/nss_trust.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QProcess>
#include <QSslCertificate>
#include <QStandardPaths>

namespace odis::test {

namespace {

Status runCertutil(const QStringList& arguments)
{
    const QString certutil = QStandardPaths::findExecutable(QStringLiteral("certutil"));
    if (certutil.isEmpty()) {
        return fail(QStringLiteral("nss_certutil_missing"),
                    QStringLiteral("certutil not found (apt install libnss3-tools)"));
    }
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(certutil, arguments);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        return fail(QStringLiteral("nss_certutil_failed"),
                    QStringLiteral("certutil %1 failed: %2")
                        .arg(arguments.value(0), QString::fromLocal8Bit(process.readAll()).trimmed()));
    }
    return ok();
}

} // namespace

Status trustCaInNss(const QString& caPemPath, const QString& nicknamePrefix)
{
    if (qEnvironmentVariable("ODIS_IN_PRIVATE_SESSION") != QLatin1StringView("1")) {
        return fail(QStringLiteral("nss_not_private"),
                    QStringLiteral(
                        "run inside scripts/in-private-session.sh: the test CA goes into $HOME/.pki/nssdb"));
    }
    if (!QFileInfo::exists(caPemPath)) {
        return fail(QStringLiteral("nss_ca_missing"), QStringLiteral("no CA certificate at ") + caPemPath);
    }
    const QString dbDir = QDir::homePath() + QStringLiteral("/.pki/nssdb");
    const QString db = QStringLiteral("sql:") + dbDir;
    if (!QDir().mkpath(dbDir)) {
        return fail(QStringLiteral("nss_db_failed"), QStringLiteral("cannot create ") + dbDir);
    }
    // Test executables run in parallel (ctest --parallel) on one HOME: one certutil at a time.
    QLockFile lock(dbDir + QStringLiteral("/../odis-nssdb.lock"));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(60000)) {
        return fail(QStringLiteral("nss_db_busy"), QStringLiteral("the NSS database stayed locked"));
    }
    if (!QFileInfo::exists(dbDir + QStringLiteral("/cert9.db"))) {
        if (auto created = runCertutil(
                {QStringLiteral("-N"), QStringLiteral("-d"), db, QStringLiteral("--empty-password")});
            !created) {
            return created;
        }
    }
    // One nickname per certificate: NSS refuses a second certificate under a nickname in use, and
    // importing the same certificate again is harmless. "C,,": a trusted CA for TLS servers.
    QFile pem(caPemPath);
    if (!pem.open(QIODevice::ReadOnly)) {
        return fail(QStringLiteral("nss_ca_missing"), QStringLiteral("cannot read ") + caPemPath);
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem.readAll(), QSsl::Pem);
    if (certificates.size() != 1) {
        return fail(QStringLiteral("nss_ca_invalid"),
                    QStringLiteral("expected one PEM certificate in ") + caPemPath);
    }
    const QString unique =
        nicknamePrefix + QLatin1Char('-') +
        QString::fromLatin1(certificates.first().digest(QCryptographicHash::Sha256).toHex().left(16));
    return runCertutil({QStringLiteral("-A"), QStringLiteral("-d"), db, QStringLiteral("-n"), unique,
                        QStringLiteral("-t"), QStringLiteral("C,,"), QStringLiteral("-a"),
                        QStringLiteral("-i"), caPemPath});
}

} // namespace odis::test
