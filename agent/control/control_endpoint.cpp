#include "agent/control/control_endpoint.h"

#include "agent/agent_context.h"
#include "storage/codes/agent_codes.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#ifndef Q_OS_WIN
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace odis::agent {

ControlEndpoint ControlEndpoint::forDataDirectory(const QString& dataDirectory)
{
    const QByteArray hash =
        QCryptographicHash::hash(QDir::cleanPath(QFileInfo(dataDirectory).absoluteFilePath()).toUtf8(),
                                 QCryptographicHash::Sha256)
            .toHex()
            .left(12);
    const QString base = QStringLiteral("odis-agent-") + QString::fromLatin1(hash);
    ControlEndpoint endpoint;
#ifdef Q_OS_WIN
    endpoint.name = base;
#else
    // The runtime folder is short (socket paths are limited to about 100 bytes) and private to the user.
    QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (runtime.isEmpty())
        runtime = QDir::tempPath();
    endpoint.directory = runtime + QLatin1Char('/') + base;
    endpoint.name = endpoint.directory + QStringLiteral("/control");
#endif
    return endpoint;
}

ControlEndpoint ControlEndpoint::defaults()
{
    return forDataDirectory(QFileInfo(AgentPaths::defaults().databaseFile).absolutePath());
}

Status ControlEndpoint::preparePrivateDirectory() const
{
#ifdef Q_OS_WIN
    return ok();
#else
    if (!QDir().mkpath(directory))
        return fail(codes::kControlDirUnsafe, QStringLiteral("cannot create %1").arg(directory));
    struct stat info
    {};
    if (::lstat(QFile::encodeName(directory).constData(), &info) != 0 || !S_ISDIR(info.st_mode) ||
        info.st_uid != ::geteuid())
        return fail(codes::kControlDirUnsafe,
                    QStringLiteral("%1 is not a directory owned by this user").arg(directory));
    if ((info.st_mode & 0777) != 0700 && ::chmod(QFile::encodeName(directory).constData(), 0700) != 0)
        return fail(codes::kControlDirUnsafe, QStringLiteral("cannot make %1 private (0700)").arg(directory));
    return ok();
#endif
}

} // namespace odis::agent
