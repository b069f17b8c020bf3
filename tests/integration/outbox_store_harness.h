#pragma once

// What the outbox store tests share: a fresh SQLCipher store per test (reopenable, as after a restart),
// a ManualClock, items the backend double would accept, and a 200 answer for a batch.

#include "storage/database.h"
#include "storage/schema.h"
#include "sync/backend/outbox.h"
#include "sync/backend/outbox_batches.h"
#include "tests/integration/backend_fixture.h"
#include "tests/support/manual_clock.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QUuid>

#include <tuple>

namespace odis::test {

// {batch_id, results: [{key, version, status}]}; rejected ones with an error naming payload.date.
inline QJsonObject answer(const QString& batchId, const QList<std::tuple<QString, QString, QString>>& results)
{
    QJsonArray list;
    for (const auto& [key, version, status] : results) {
        QJsonObject r{{QStringLiteral("key"), key},
                      {QStringLiteral("version"), version},
                      {QStringLiteral("status"), status}};
        if (status == QStringLiteral("rejected")) {
            r.insert(QStringLiteral("error"), QStringLiteral("invalid_payload"));
            r.insert(QStringLiteral("details"),
                     QJsonObject{{QStringLiteral("field"), QStringLiteral("payload.date")},
                                 {QStringLiteral("problem"), QStringLiteral("not a date")}});
        }
        list.append(r);
    }
    return QJsonObject{{QStringLiteral("batch_id"), batchId}, {QStringLiteral("results"), list}};
}

class OutboxStoreHarness
{
protected:
    using Outbox = sync::Outbox;
    using OutboxBatches = sync::OutboxBatches;
    using OutboxItem = sync::OutboxItem;

    QTemporaryDir m_dir; // one per test object; one store file per test
    QByteArray m_key;
    QString m_path;
    std::unique_ptr<odis::storage::Database> m_db;
    odis::test::ManualClock m_clock;

    void reopen()
    {
        m_db.reset();
        auto db = odis::storage::Database::open(m_path, m_key, odis::storage::agentMigrations());
        if (!db)
            qFatal("%s", qPrintable(db.error().toString()));
        m_db = std::move(*db);
    }
    qint64 count(const QString& sql)
    {
        auto n = m_db->scalar(sql);
        if (!n)
            qFatal("%s", qPrintable(n.error().toString()));
        return n->toLongLong();
    }
    QList<OutboxItem> items(int first, int n)
    {
        QList<OutboxItem> out;
        for (int i = 0; i < n; ++i)
            out.append(appointmentItem(first + i, m_clock.nowUtc()));
        return out;
    }
    void enqueue(Outbox& outbox, const QList<OutboxItem>& list)
    {
        const auto queued = odis::test::enqueueAll(*m_db, outbox, list);
        if (!queued)
            qFatal("%s", qPrintable(queued.error().toString()));
    }
    std::optional<odis::sync::FrozenBatch> form(OutboxBatches& batches)
    {
        auto formed = batches.formBatch(QStringLiteral("run-1"), QStringLiteral("clinic-1"));
        if (!formed)
            qFatal("%s", qPrintable(formed.error().toString()));
        return *formed;
    }

    // Call from init(): a fresh store file, the clock at a fixed instant.
    void openFreshStore()
    {
        m_key = QByteArray(odis::storage::Database::kKeySize, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(m_key.data()), m_key.size() / 4);
        m_path = m_dir.filePath(QUuid::createUuid().toString(QUuid::WithoutBraces) + QStringLiteral(".db"));
        m_clock.set(QDateTime(QDate(2026, 3, 10), QTime(12, 0), Qt::UTC));
        reopen();
    }
    void closeStore() { m_db.reset(); }
};

} // namespace odis::test
