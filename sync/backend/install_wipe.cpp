#include "sync/backend/install_wipe.h"

#include "storage/credential_store.h"
#include "storage/database.h"
#include "storage/store_bootstrap.h"

#include <QDateTime>
#include <QFile>
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
        QStringLiteral("runs"),
        QStringLiteral("clinic_profile"),
        QStringLiteral("telemetry_queue"),
        QStringLiteral("diagnostics"),
        QStringLiteral("schedule_volume"),
        QStringLiteral("credential_state"),
        QStringLiteral("kv"),
    };
    return tables;
}

void wipeInstallData(storage::Database& db, storage::CredentialStore& credentials,
                     std::function<void(Status)> done)
{
    const Status emptied = db.transaction([&db]() -> Status {
        for (const QString& table : installDataTables()) {
            if (auto removed = db.execute(QStringLiteral("DELETE FROM ") + table); !removed)
                return std::unexpected(removed.error());
        }
        return ok();
    });
    if (!emptied)
        qCCritical(lcWipe).noquote() << "deprovisioning: emptying the store failed:" << emptied.error().code;
    else
        qCInfo(lcWipe).noquote() << "deprovisioning: clinic data removed from the store";
    credentials.wipeAll([emptied, marker = storage::deprovisionedMarkerPath(db.path()),
                         done = std::move(done)](Status wiped) {
        if (!wiped)
            qCCritical(lcWipe).noquote()
                << "deprovisioning: removing the keychain entries failed:" << wiped.error().code;
        else
            qCInfo(lcWipe).noquote() << "deprovisioning: keychain entries removed";
        // Only a store that is both emptied and keyless is marked: the next start deletes it and begins
        // afresh (storage/store_bootstrap.h). Without the marker it would refuse to touch it.
        if (emptied && wiped) {
            QFile file(marker);
            if (!file.open(QIODevice::WriteOnly) ||
                file.write(QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toLatin1()) < 0)
                qCWarning(lcWipe).noquote()
                    << "deprovisioning: the marker was not written:" << file.errorString();
        }
        done(!emptied ? emptied : wiped);
    });
}

InstallWipe::InstallWipe(storage::Database& db, storage::CredentialStore& credentials)
    : m_db(db)
    , m_credentials(credentials)
{}

void InstallWipe::deprovision(std::function<void(Status)> done)
{
    wipeInstallData(m_db, m_credentials, std::move(done));
}

} // namespace odis::sync
