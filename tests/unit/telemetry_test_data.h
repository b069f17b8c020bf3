#pragma once

// Values the telemetry unit tests share: a run id, a time, and the canaries (clinic data that must never
// leave the agent, pushed where a developer might wrongly pass it on).

#include <QDateTime>
#include <QString>

namespace odis::test {

inline const QString kTelemetryRunId = QStringLiteral("5f0c8a4e-2b1d-4c3e-9f6a-7d8e9f0a1b2c");
inline const QDateTime kTelemetryTime(QDate(2026, 3, 10), QTime(12, 0), Qt::UTC);

inline const QString kCanaryName = QStringLiteral("Philippa Canaryweather");
inline const QString kCanaryPhone = QStringLiteral("+1 415 555 0142");
inline const QString kCanaryEmail = QStringLiteral("philippa.canary@example.com");

} // namespace odis::test
