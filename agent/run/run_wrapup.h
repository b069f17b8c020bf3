#pragma once

// What follows every finished run, whatever its outcome (docs/architecture.md, "One sync run": record the
// run, telemetry, alerts): the end event for telemetry, the seed's alert rules evaluated and remembered
// (so a restart does not notify again), the run reports still owed sent (this run's start and end, and any
// an earlier run could not send), and the telemetry queue flushed. Nothing here can fail the run: the
// reports and events that do not go out stay owed for the next run.

#include "agent/alerts/alert_rules.h"
#include "agent/run/run_record.h"
#include "agent/run/run_reporter.h"
#include "agent/telemetry/posthog_sender.h"
#include "storage/result.h"

#include <QObject>

#include <functional>
#include <optional>

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
class IdexxCredentials;
} // namespace odis::storage
namespace odis::sync {
class Outbox;
}

namespace odis::agent {

class RunLog;
class Telemetry;

struct WrapUpResult
{
    QList<Alert> alerts;  // active after this run
    AlertChanges changes; // raised and cleared by this run (the tray notifies the raised ones)
    std::optional<Error> alertsError;
    RunReportsSent reports;
    std::optional<TelemetryFlushResult> telemetry; // absent: telemetry off
};

// The active alerts after `run`: the runs table, the outbox, the credential state (a run that failed
// with neo_second_factor_required means a person must log in once), a Neo origin waiting for a person
// (storage/neo_origin_binding.h, in `db`).
[[nodiscard]] Result<QList<Alert>> evaluateAlertsAfter(const RunRecord& run, RunLog& log,
                                                       sync::Outbox& outbox,
                                                       storage::IdexxCredentials& credentials,
                                                       storage::Database& db, const Clock& clock);

// Finished runs the backend holds the end report of are kept this long, then purged (the alert rules
// look at the last 20 runs and the last 24 hours).
inline constexpr int kRunHistoryDays = 90;

class RunWrapUp : public QObject
{
    Q_OBJECT

public:
    // `reporter` and `telemetry` may be null: not enrolled (nothing can be reported), telemetry off.
    RunWrapUp(RunLog& log, storage::Database& db, storage::IdexxCredentials& credentials,
              RunReporter* reporter, Telemetry* telemetry, const Clock& clock, QObject* parent = nullptr);

    // `done` is called once, later, unless this object is destroyed first.
    void run(const RunRecord& finished, std::function<void(WrapUpResult)> done);

private:
    void settleOne();

    RunLog& m_log;
    storage::Database& m_db;
    storage::IdexxCredentials& m_credentials;
    RunReporter* m_reporter;
    Telemetry* m_telemetry;
    const Clock& m_clock;
    int m_waiting = 0;
    WrapUpResult m_result;
    std::function<void(WrapUpResult)> m_done;
};

} // namespace odis::agent
