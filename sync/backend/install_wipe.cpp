#include "sync/backend/install_wipe.h"

#include "storage/codes/backend_codes.h"
#include "storage/credential_store.h"
#include "storage/database.h"
#include "storage/logging.h"
#include "storage/private_files.h"
#include "storage/store_bootstrap.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

namespace odis::sync {

namespace {
Q_LOGGING_CATEGORY(lcWipe, "odis.sync.deprovision")
}

const QStringList& installDataTables()
{
    static const QStringList tables{
        QStringLiteral("outbox"),
        QStringLiteral("outbox_batches"),
        QStringLiteral("observations"),
        QStringLiteral("neo_reads"),
        QStringLiteral("discharge_decisions"),
        QStringLiteral("patient_findings"),
        QStringLiteral("neo_field_presence"),
        QStringLiteral("held_changes"),
        QStringLiteral("runs"),
        QStringLiteral("clinic_profile"),
        QStringLiteral("telemetry_queue"),
        QStringLiteral("diagnostics"),
        QStringLiteral("schedule_volume"),
        QStringLiteral("upload_tallies"),
        QStringLiteral("credential_state"),
        QStringLiteral("kv"),
    };
    return tables;
}

namespace {

// The store's damaged copies (storage::Database moves a file that fails its check aside as
// "<database>.corrupt-<stamp>", with its -wal and -shm) and the install id: files of this install only.
[[nodiscard]] Status removeFootprintFiles(const QString& databasePath, const InstallFootprint& footprint)
{
    QStringList stayed;
    const QFileInfo database(databasePath);
    const QDir folder = database.absoluteDir();
    for (const QFileInfo& copy : folder.entryInfoList({database.fileName() + QStringLiteral(".corrupt-*")},
                                                      QDir::Files | QDir::Hidden)) {
        if (!QFile::remove(copy.absoluteFilePath()))
            stayed << copy.fileName();
    }
    if (!footprint.installIdFile.isEmpty() && QFile::exists(footprint.installIdFile) &&
        !QFile::remove(footprint.installIdFile))
        stayed << QFileInfo(footprint.installIdFile).fileName();
    if (!stayed.isEmpty())
        return fail(
            codes::kDeprovisionFilesLeft,
            QStringLiteral("these files could not be removed: %1").arg(stayed.join(QStringLiteral(", "))));
    return ok();
}

} // namespace

void wipeInstallData(storage::Database& db, storage::CredentialStore& credentials,
                     std::function<void(Status)> done, const InstallFootprint& footprint)
{
    const Status emptied = db.transaction([&db]() -> Status {
        for (const QString& table : installDataTables()) {
            if (auto removed = db.execute(QStringLiteral("DELETE FROM ") + table); !removed)
                return propagate(removed);
        }
        return ok();
    });
    if (!emptied)
        qCCritical(lcWipe).noquote() << "deprovisioning: emptying the store failed:" << emptied.error().code;
    else
        qCInfo(lcWipe).noquote() << "deprovisioning: clinic data removed from the store";
    credentials.wipeAll(
        [emptied, databasePath = db.path(), footprint, done = std::move(done)](Status wiped) mutable {
            if (!wiped)
                qCCritical(lcWipe).noquote()
                    << "deprovisioning: removing the keychain entries failed:" << wiped.error().code;
            else
                qCInfo(lcWipe).noquote() << "deprovisioning: keychain entries removed";
            // Only a store that is both emptied and keyless is marked: it is deleted once closed and the next
            // start begins afresh (storage/store_bootstrap.h). Without the marker it would refuse to touch
            // it.
            if (emptied && wiped) {
                if (auto marked = storage::writePrivateFile(
                        storage::deprovisionedMarkerPath(databasePath),
                        QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toLatin1());
                    !marked)
                    qCWarning(lcWipe).noquote()
                        << "deprovisioning: the marker was not written:" << marked.error().code;
            }
            auto rest = [emptied, wiped, databasePath, footprint, done = std::move(done)](Status earlier) {
                if (!earlier)
                    qCCritical(lcWipe).noquote()
                        << "deprovisioning: entries of earlier installs stay:" << earlier.error().code;
                const Status files = removeFootprintFiles(databasePath, footprint);
                if (!files)
                    qCCritical(lcWipe).noquote() << "deprovisioning:" << files.error().message;
                qCInfo(lcWipe).noquote() << "deprovisioning: done; the log files go now";
                Status logs = ok();
                if (footprint.logging)
                    logs = footprint.logging->removeLogFiles();
                for (const Status& step : {emptied, wiped, earlier, files, logs}) {
                    if (!step)
                        return done(step);
                }
                done(ok());
            };
            if (footprint.wipeEarlierInstalls)
                footprint.wipeEarlierInstalls(std::move(rest));
            else
                rest(ok());
        });
}

InstallWipe::InstallWipe(storage::Database& db, storage::CredentialStore& credentials,
                         InstallFootprint footprint)
    : m_db(db)
    , m_credentials(credentials)
    , m_footprint(std::move(footprint))
{}

void InstallWipe::deprovision(std::function<void(Status)> done)
{
    wipeInstallData(m_db, m_credentials, std::move(done), m_footprint);
}

} // namespace odis::sync
