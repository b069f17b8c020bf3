#include "agent/resident/schedule_store.h"

#include "storage/codes/agent_codes.h"
#include "storage/database.h"
#include "sync/backend/utc_text.h"

#include <QHash>
#include <QStringList>

namespace odis::agent {

namespace {

const QStringList& allKeys()
{
    static const QStringList keys{schedule_kv::kLastSuccess,  schedule_kv::kLastRunStarted,
                                  schedule_kv::kNextDue,      schedule_kv::kConsecutiveFailures,
                                  schedule_kv::kPausedUntil,  schedule_kv::kJitter,
                                  schedule_kv::kNextDelivery, schedule_kv::kDeliveryFailures};
    return keys;
}

std::unexpected<Error> corrupt(const QString& key)
{
    return fail(codes::kScheduleStateCorrupt,
                QStringLiteral("the stored scheduler state %1 does not parse").arg(key));
}

} // namespace

ScheduleStore::ScheduleStore(storage::Database& db)
    : m_db(db)
{}

Result<ScheduleState> ScheduleStore::load()
{
    QStringList marks;
    for (qsizetype i = 0; i < allKeys().size(); ++i)
        marks << QStringLiteral("?");
    auto rows = m_db.query(
        QStringLiteral("SELECT key, value FROM kv WHERE key IN (%1)").arg(marks.join(QStringLiteral(", "))),
        QVariantList(allKeys().begin(), allKeys().end()));
    if (!rows)
        return propagate(rows);
    QHash<QString, QString> values;
    for (const QVariantList& row : std::as_const(*rows))
        values.insert(row.at(0).toString(), row.at(1).toString());

    ScheduleState state;
    for (const auto& [key, member] : {std::pair{schedule_kv::kLastSuccess, &state.lastSuccessUtc},
                                      std::pair{schedule_kv::kLastRunStarted, &state.lastRunStartedUtc},
                                      std::pair{schedule_kv::kNextDue, &state.nextDueUtc},
                                      std::pair{schedule_kv::kPausedUntil, &state.pausedUntilUtc},
                                      std::pair{schedule_kv::kNextDelivery, &state.nextDeliveryUtc}}) {
        if (!values.contains(key))
            continue;
        const QDateTime instant = sync::fromUtcText(values.value(key));
        if (!instant.isValid())
            return corrupt(key);
        *member = instant;
    }
    for (const auto& [key, member] :
         {std::pair{schedule_kv::kConsecutiveFailures, &state.consecutiveFailures},
          std::pair{schedule_kv::kDeliveryFailures, &state.deliveryFailures}}) {
        if (!values.contains(key))
            continue;
        bool ok = false;
        *member = values.value(key).toInt(&ok);
        if (!ok || *member < 0)
            return corrupt(key);
    }
    if (values.contains(schedule_kv::kJitter)) {
        bool ok = false;
        const double jitter = values.value(schedule_kv::kJitter).toDouble(&ok);
        if (!ok || !(jitter >= 0.0 && jitter < Scheduler::kMaxJitter))
            return corrupt(schedule_kv::kJitter);
        state.jitter = jitter;
    }
    return state;
}

Status ScheduleStore::save(const ScheduleState& state, const QDateTime& now)
{
    const QString stamp = sync::utcText(now);
    auto text = [](const std::optional<QDateTime>& instant) {
        return instant ? std::optional<QString>(sync::utcText(*instant)) : std::nullopt;
    };
    const QList<std::pair<QString, std::optional<QString>>> values{
        {schedule_kv::kLastSuccess, text(state.lastSuccessUtc)},
        {schedule_kv::kLastRunStarted, text(state.lastRunStartedUtc)},
        {schedule_kv::kNextDue, text(state.nextDueUtc)},
        {schedule_kv::kConsecutiveFailures, QString::number(state.consecutiveFailures)},
        {schedule_kv::kPausedUntil, text(state.pausedUntilUtc)},
        {schedule_kv::kJitter,
         state.jitter ? std::optional<QString>(QString::number(*state.jitter, 'f', 6)) : std::nullopt},
        {schedule_kv::kNextDelivery, text(state.nextDeliveryUtc)},
        {schedule_kv::kDeliveryFailures, QString::number(state.deliveryFailures)},
    };
    return m_db.transaction([&]() -> Status {
        for (const auto& [key, value] : values) {
            // SQLite 3.15 (SQLCipher 3.4) has no upsert.
            auto written = value ? m_db.execute(QStringLiteral("INSERT OR REPLACE INTO kv(key, value, "
                                                               "updated_at) VALUES(?, ?, ?)"),
                                                {key, *value, stamp})
                                 : m_db.execute(QStringLiteral("DELETE FROM kv WHERE key = ?"), {key});
            if (!written)
                return propagate(written);
        }
        return ok();
    });
}

} // namespace odis::agent
