#include "storage/install_identity.h"

#include "storage/codes/storage_codes.h"
#include "storage/private_files.h"

#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace odis::storage {

namespace {

// A UUID in text form is 36 characters; anything much longer is not ours.
constexpr qint64 kMaxFileSize = 256;

[[nodiscard]] Result<QUuid> parse(const QByteArray& raw, const QString& path)
{
    const QByteArray text = raw.trimmed();
    const QUuid id = QUuid::fromString(QLatin1StringView(text));
    if (id.isNull() || text.size() != 36)
        return fail(codes::kInstallIdInvalid,
                    QStringLiteral("%1 does not hold an install id (a UUID); restore it from a backup or "
                                   "remove it to start this install from scratch")
                        .arg(path));
    return id;
}

[[nodiscard]] Result<QUuid> create(const QString& path)
{
    const QUuid id = QUuid::createUuid();
    // Atomic (a crash mid-write leaves no half-written id behind) and owner-only, in an owner-only folder.
    if (auto written = writePrivateFile(path, InstallIdentity::toText(id).toLatin1() + '\n'); !written)
        return fail(codes::kInstallIdWriteFailed, written.error().message);
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
        return fail(codes::kInstallIdUnreadable,
                    QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    auto id = parse(file.read(kMaxFileSize), path);
    if (id) {
        // An id written by an older version with the default mode is narrowed now: best effort, the id
        // is not secret, only private.
        (void)makePrivateFolder(QFileInfo(path).absolutePath());
        (void)QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    return id;
}

QString InstallIdentity::toText(const QUuid& id)
{
    return id.toString(QUuid::WithoutBraces);
}

} // namespace odis::storage
