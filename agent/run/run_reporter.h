#pragma once

// Sends run reports to the backend (PUT /v1/sync/runs/{run_id}) and records in the runs table which ones
// the backend holds. Each report has a fixed body and Idempotency-Key (run_report.h), so a report whose
// answer was lost is simply sent again: the backend answers the repeat with its first answer.

#include "agent/run/run_log.h"
#include "agent/run/run_report.h"
#include "storage/result.h"

#include <QObject>

#include <functional>
#include <optional>

namespace odis::sync {
class BackendClient;
}

namespace odis::agent {

struct RunReportsSent
{
    int sent = 0;     // reports the backend stored (now marked in the runs table)
    int rejected = 0; // refused as invalid (a 400/422, or a run that cannot be reported): kept, skipped
    // Why sending stopped early (the backend unreachable, the token revoked, ...): the rest stay owed.
    std::optional<Error> error;
};

class RunReporter : public QObject
{
    Q_OBJECT

public:
    // `client` must carry the agent's identity; both outlive the reporter.
    RunReporter(sync::BackendClient& client, RunLog& log, QObject* parent = nullptr);

    // Sends one report and marks it in the log on a 2xx. `done` is called exactly once, later, unless the
    // reporter is destroyed first. Errors: run_report_* (the body), the client's backend_* codes, db_*.
    void send(const RunRecord& run, RunReportKind kind, std::function<void(Status)> done);

    // Sends every report still owed (RunLog::pendingReports), oldest first, one at a time. A report the
    // backend refuses as invalid is skipped (it would be refused again: a bug to look at, not a reason to
    // hold back the others); any other failure stops the round.
    void sendPending(std::function<void(RunReportsSent)> done);

private:
    void sendNextPending(QList<PendingRunReport> pending, RunReportsSent sent,
                         std::function<void(RunReportsSent)> done);

    sync::BackendClient& m_client;
    RunLog& m_log;
};

} // namespace odis::agent
