#pragma once

// What the tray shows, worked out from the resident agent's status object (ResidentAgent::status(), the
// same JSON `odis-agent status --json` prints): one of five states, and the tooltip's lines. Pure (Qt
// Core), so every state is tested without a tray. Times are shown in the clinic's zone (its IANA id in
// the status), UTC when no clinic profile is known yet.

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace odis::ui {

enum class TrayState
{
    Ok,             // set up, the last run went well, waiting for the next
    Syncing,        // a run is in progress
    NeedsAttention, // a person must act: setup not finished, login rejected, a second factor, an alert
    Error,          // runs fail: the last one failed, 3 in a row, no success for 24 h, no keychain
    Paused,         // automatic syncs paused until a time
};

[[nodiscard]] QString trayStateName(TrayState state); // "ok", "syncing", "attention", "error", "paused"
[[nodiscard]] TrayState trayStateFor(const QJsonObject& status);

// The state in a few words ("Up to date", "Paused until Tue 10 Mar, 00:00").
[[nodiscard]] QString trayStateText(const QJsonObject& status);
// What the run in progress is doing ("Reading consultations 34/120"); empty when none runs.
[[nodiscard]] QString runProgressText(const QJsonObject& status);
// The tooltip: the state, the progress during a run, the last good sync, the next sync, the first alert.
[[nodiscard]] QStringList trayTooltipLines(const QJsonObject& status);
// An instant of the status ("last_success_at") as a person reads it, in the clinic's zone.
[[nodiscard]] QString clinicTimeText(const QJsonObject& status, const QString& utcText);
// A step of the sync run (agent/run/sync_run.h) in words.
[[nodiscard]] QString stepText(const QString& step, int done, int total);

} // namespace odis::ui
