#pragma once

// How a sync run in a child process (`odis-agent sync --once --progress-lines`, started by the resident
// agent: run_supervisor.h) tells the agent how far it is and how it ended: one line per event on its
// standard output,
//     @odis-run {"event":"step","run_id":"...","step":"consultations"}
//     @odis-run {"event":"progress","step":"consultations","done":34,"total":120}
//     @odis-run {"event":"result","run_id":"...","trigger":"schedule","status":"completed","exit_code":0,
//                "error_code":null,"error_message":null,"summary":"<what sync --once prints>"}
// Ids, codes and counts only, like everything the agent logs.

#include "storage/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace odis::agent {

inline constexpr QLatin1StringView kRunLinePrefix{"@odis-run "};

// Where a run is: its step and, for the consultations, how many of how many visits were read.
struct RunProgress
{
    QString runId;
    QString step;
    int done = 0;
    int total = 0; // 0: no count for this step

    // "consultations 34/120", "schedule".
    [[nodiscard]] QString text() const;
};

// How a child run ended, from its result line and its exit.
struct RunResultLine
{
    QString runId;
    QString trigger;
    QString status; // completed, partial, failed; empty when no run could start
    int exitCode = -1;
    QString errorCode;
    QString errorMessage;
    QString summary;

    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static RunResultLine fromJson(const QJsonObject& object);
};

[[nodiscard]] QByteArray stepLine(const QString& runId, const QString& step);
[[nodiscard]] QByteArray progressLine(const QString& step, int done, int total);
[[nodiscard]] QByteArray resultLine(const RunResultLine& result);

// One line of the child's output: an event object, or nullopt for anything else (not ours).
[[nodiscard]] std::optional<QJsonObject> parseRunLine(const QByteArray& line);

} // namespace odis::agent
