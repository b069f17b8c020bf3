#pragma once

// A fresh encrypted store (real SQLCipher file, random key, the agent's migrations) with a RunLog on a
// manual clock, for the run record, run report and alert memory tests. Header-only: it is small.

#include "agent/run/run_log.h"
#include "storage/database.h"
#include "storage/schema.h"
#include "tests/support/manual_clock.h"

#include <QRandomGenerator>
#include <QTemporaryDir>

#include <memory>

namespace odis::test {

// The error of a failed Result, for QVERIFY2; empty for a success.
template <typename R> QByteArray failure(const R& result)
{
    return result ? QByteArray() : result.error().toString().toUtf8();
}

inline const QDateTime kRunStoreStart(QDate(2026, 3, 10), QTime(16, 0, 0, 250), Qt::UTC);

class RunStoreFixture
{
public:
    RunStoreFixture()
        : m_key(storage::Database::kKeySize, Qt::Uninitialized)
    {
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(m_key.data()), m_key.size() / 4);
    }

    // Opens (or reopens, as after a restart) the store from its file.
    Status open()
    {
        log.reset();
        db.reset();
        if (!m_dir.isValid())
            return fail(QStringLiteral("test_setup"), QStringLiteral("no temporary directory"));
        auto opened = storage::Database::open(m_dir.filePath(QStringLiteral("agent.db")), m_key,
                                              storage::agentMigrations());
        if (!opened)
            return std::unexpected(opened.error());
        db = std::move(*opened);
        log = std::make_unique<agent::RunLog>(*db, clock);
        return ok();
    }

    agent::RunRecord started(agent::RunTrigger trigger = agent::RunTrigger::Schedule)
    {
        auto run = log->start(trigger);
        if (!run)
            qFatal("%s", qPrintable(run.error().toString()));
        return *run;
    }

    // A run that took `afterSecs` and ended as `status`; the clock then moves on to 4 hours after its start.
    agent::RunRecord finished(agent::RunStatus status, qint64 afterSecs = 60)
    {
        const agent::RunRecord run = started();
        clock.advanceSecs(afterSecs);
        agent::RunOutcome outcome;
        outcome.status = status;
        if (status == agent::RunStatus::Failed)
            outcome.error =
                agent::RunError{QStringLiteral("backend_server_error"), QStringLiteral("HTTP 503")};
        if (status == agent::RunStatus::Interrupted)
            outcome.error = agent::RunError{QStringLiteral("run_interrupted"), QStringLiteral("stopped")};
        auto done = log->finish(run.runId, outcome);
        if (!done)
            qFatal("%s", qPrintable(done.error().toString()));
        clock.advanceSecs(qint64{4} * 3600 - afterSecs);
        return *done;
    }

    ManualClock clock{kRunStoreStart};
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<agent::RunLog> log;

private:
    QTemporaryDir m_dir;
    QByteArray m_key;
};

} // namespace odis::test
