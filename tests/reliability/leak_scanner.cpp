#include "tests/reliability/leak_scanner.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QUrl>

namespace odis::test {

namespace {

// The output of a decompressing tool; empty when it fails (then the raw bytes were scanned anyway).
QByteArray unpacked(const QString& program, const QStringList& arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(60'000))
        return {};
    return process.readAllStandardOutput();
}

} // namespace

bool LeakScanner::addCanary(const QString& kind, const QString& value)
{
    const QString trimmed = value.trimmed();
    if (trimmed.size() < kMinCanaryLength)
        return false;
    Canary canary{kind, {}};
    const QByteArray plain = trimmed.toUtf8().toLower();
    canary.needles << plain;
    const QByteArray encoded = QUrl::toPercentEncoding(trimmed).toLower();
    if (encoded != plain)
        canary.needles << encoded;
    // JSON writers may escape a slash or a non-ASCII character; a name with either is rare enough here.
    m_canaries.append(canary);
    return true;
}

bool LeakScanner::addPhoneCanary(const QString& e164, const QString& asTyped)
{
    bool added = addCanary(QStringLiteral("phone"), e164);
    added = addCanary(QStringLiteral("phone"), asTyped) || added;
    QString digits;
    for (const QChar c : asTyped)
        if (c.isDigit())
            digits.append(c);
    if (digits.size() >= 10)
        added = addCanary(QStringLiteral("phone"), digits) || added;
    return added;
}

QList<LeakFinding> LeakScanner::scanBytes(const QString& where, const QByteArray& data) const
{
    QList<LeakFinding> found;
    if (data.isEmpty())
        return found;
    const QByteArray lower = data.toLower();
    for (const Canary& canary : m_canaries) {
        for (const QByteArray& needle : canary.needles) {
            if (lower.contains(needle)) {
                found.append({canary.kind, where});
                break;
            }
        }
    }
    return found;
}

QList<LeakFinding> LeakScanner::scanFile(const QString& path) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {{QStringLiteral("unreadable file"), path}}; // a scan that cannot look must not pass
    QList<LeakFinding> found = scanBytes(path, file.readAll());
    if (path.endsWith(QLatin1String(".zip")))
        found += scanBytes(path + QStringLiteral(" (unzipped)"),
                           unpacked(QStringLiteral("unzip"), {QStringLiteral("-p"), path}));
    else if (path.endsWith(QLatin1String(".gz")))
        found += scanBytes(path + QStringLiteral(" (gunzipped)"),
                           unpacked(QStringLiteral("gzip"), {QStringLiteral("-dc"), path}));
    return found;
}

QList<LeakFinding> LeakScanner::scanTree(const QString& root, const std::function<bool(const QString&)>& skip,
                                         int* scanned) const
{
    QList<LeakFinding> found;
    int files = 0;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoSymLinks,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (skip && skip(path))
            continue;
        if (QFileInfo(path).isFile()) {
            ++files;
            found += scanFile(path);
        }
    }
    if (scanned)
        *scanned = files;
    return found;
}

QStringList webEngineLeftovers(const QString& root)
{
    static const QStringList kNames{QStringLiteral("Cookies"),
                                    QStringLiteral("Cookies-journal"),
                                    QStringLiteral("Cache"),
                                    QStringLiteral("Code Cache"),
                                    QStringLiteral("GPUCache"),
                                    QStringLiteral("Local Storage"),
                                    QStringLiteral("Session Storage"),
                                    QStringLiteral("IndexedDB"),
                                    QStringLiteral("QtWebEngine"),
                                    QStringLiteral("Visited Links"),
                                    QStringLiteral("Network Persistent State"),
                                    QStringLiteral("TransportSecurity")};
    QStringList found;
    QDirIterator it(root,
                    QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot | QDir::NoSymLinks,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (kNames.contains(it.fileName()))
            found << path;
    }
    return found;
}

} // namespace odis::test
