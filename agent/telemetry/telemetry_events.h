#pragma once

// The five product-analytics events, built from what the agent already knows (a run, a count, a login
// verdict) and checked against the allow-list (telemetry_allow_list.h) before they exist: a builder
// returns an error rather than an event that could carry clinic data.

#include "agent/run/run_record.h"
#include "storage/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QUuid>

namespace odis::agent {

struct TelemetryEvent
{
    QString name;        // telemetry_event::k*
    QUuid uuid;          // PostHog deduplicates resends by it
    QDateTime timestamp; // UTC
    QJsonObject properties;
};

// Any of the five, checked. The uuid is new.
[[nodiscard]] Result<TelemetryEvent> makeTelemetryEvent(const QString& name, QJsonObject properties,
                                                        const QDateTime& at);

// sync.started {run_id, trigger}, at the run's start.
[[nodiscard]] Result<TelemetryEvent> syncStartedEvent(const RunRecord& run);
// sync.completed {run_id, trigger, status, the eight counts, duration_ms, peak_rss_mb?, drift_warnings},
// for a completed or partial run, at its end.
[[nodiscard]] Result<TelemetryEvent> syncCompletedEvent(const RunRecord& run);
// sync.failed {run_id, trigger, status, error_code, step?, duration_ms?}, for a failed or interrupted
// run, at its end. The error's message is never sent: it is for the backend's run report only.
[[nodiscard]] Result<TelemetryEvent> syncFailedEvent(const RunRecord& run);
// sync.completed or sync.failed, whichever fits the finished run; telemetry_run_not_finished otherwise.
[[nodiscard]] Result<TelemetryEvent> syncEndedEvent(const RunRecord& run);
// discharge.scheduled {run_id?, count}: how many calls a run planned, nothing about them.
[[nodiscard]] Result<TelemetryEvent> dischargeScheduledEvent(const QString& runId, qint64 count,
                                                             const QDateTime& at);
// credential.validated {valid, reason?}: a login with the saved IDEXX credentials worked or not; `reason`
// is an error code (neo_login_rejected), empty for none.
[[nodiscard]] Result<TelemetryEvent> credentialValidatedEvent(bool valid, const QString& reason,
                                                              const QDateTime& at);

} // namespace odis::agent
