#include "storage/private_files.h"

#include "storage/codes/storage_codes.h"

#include <QDir>
#include <QFileDevice>
#include <QFileInfo>
#include <QSaveFile>

namespace odis::storage {

namespace {
constexpr QFileDevice::Permissions kOwnerFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions kOwnerFolder = kOwnerFile | QFileDevice::ExeOwner;
} // namespace

Status makePrivateFolder(const QString& folder)
{
    if (!QDir().mkpath(folder))
        return fail(codes::kPrivateFolderFailed, QStringLiteral("cannot create the folder %1").arg(folder));
    if (!QFile::setPermissions(folder, kOwnerFolder))
        return fail(codes::kPrivateFolderFailed,
                    QStringLiteral("cannot restrict the folder %1 to its owner").arg(folder));
    return ok();
}

Status writePrivateFile(const QString& path, const QByteArray& content)
{
    if (auto folder = makePrivateFolder(QFileInfo(path).absolutePath()); !folder)
        return std::unexpected(Error{codes::kPrivateFileFailed, folder.error().message});
    QSaveFile file(path);
    // QSaveFile gives the new file the old one's mode: set it after open(), before anything is written.
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(kOwnerFile) || file.write(content) < 0 ||
        !file.commit())
        return fail(codes::kPrivateFileFailed,
                    QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return ok();
}

} // namespace odis::storage
