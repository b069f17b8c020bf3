#include "tests/support/secret_tool.h"

#include <QProcess>
#include <QThread>

namespace odis::test {

namespace {
constexpr int kToolTimeoutMs = 20000;
}

QStringList secretToolKeys(const QString& service, const QString& prefix)
{
    QString out;
    for (int attempt = 1;; ++attempt) {
        QProcess tool;
        tool.start(QStringLiteral("secret-tool"),
                   {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("--unlock"),
                    QStringLiteral("server"), service});
        if (!tool.waitForFinished(kToolTimeoutMs) || tool.exitStatus() != QProcess::NormalExit)
            qFatal("secret-tool did not run: %s", qPrintable(tool.errorString()));
        // secret-tool prints the item and its secret on stdout but the attributes on stderr. Read
        // stderr alone: merged, a binary secret without a final newline swallows the next attribute line.
        out = QString::fromUtf8(tool.readAllStandardError());
        if (tool.exitCode() == 0)
            break;
        const bool raced = out.contains(QStringLiteral("No such secret item"));
        if (!raced || attempt == 20)
            qFatal("secret-tool search failed (exit %d, attempt %d): %s", tool.exitCode(), attempt,
                   qPrintable(out.section(u'\n', -2)));
        QThread::msleep(50);
    }
    QStringList keys;
    for (const QString& line : out.split(u'\n')) {
        const QString marker = QStringLiteral("attribute.user = ");
        if (line.startsWith(marker) && line.mid(marker.size()).startsWith(prefix))
            keys.append(line.mid(marker.size()));
    }
    keys.sort();
    return keys;
}

} // namespace odis::test
