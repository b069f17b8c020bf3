#include "storage/install_identity.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace odis::storage {

namespace {

// A UUID in text form is 36 characters; anything much longer is not ours.
constexpr qint64 kMaxFileSize = 256;

Result<QUuid> parse(const QByteArray& raw, const QString& path)
{
    const QByteArray text = raw.trimmed();
    const QUuid id = QUuid::fromString(QLatin1StringView(text));
    if (id.isNull() || text.size() != 36)
        return fail(QStringLiteral("install_id_invalid"),
                    QStringLiteral("%1 does not hold an install id (a UUID); restore it from a backup or "
                                   "remove it to start this install from scratch")
                        .arg(path));
    return id;
}

Result<QUuid> create(const QString& path)
{
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder))
        return fail(QStringLiteral("install_id_write_failed"),
                    QStringLiteral("cannot create the folder %1").arg(folder));

    const QUuid id = QUuid::createUuid();
    // QSaveFile: a crash mid-write leaves no half-written id behind.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(InstallIdentity::toText(id).toLatin1() + '\n') < 0 ||
        !file.commit())
        return fail(QStringLiteral("install_id_write_failed"),
                    QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return id;
}

} // namespace

QString InstallIdentity::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/install-id");
}

Result<QUuid> InstallIdentity::loadOrCreate(const QString& path)
{
    QFile file(path);
    if (!file.exists())
        return create(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("install_id_unreadable"),
                    QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return parse(file.read(kMaxFileSize), path);
}

QString InstallIdentity::toText(const QUuid& id)
{
    return id.toString(QUuid::WithoutBraces);
}

} // namespace odis::storage
