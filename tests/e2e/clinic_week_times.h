#pragma once

// The instants of the simulated clinic week (seed 7, tests/sim/neo) that the end-to-end and in-process
// tests sync at: the simulator's clock and the agent's both stand at one of them.

#include <QDate>
#include <QDateTime>

namespace odis::test {

// Seed 7's week starts on Monday 2026-03-09 (America/Los_Angeles, UTC-7 after the 8 March change).
// Half past the minute (agent/run/clock_seam.h).
inline const QDateTime kMondayMorning =
    QDateTime::fromString(QStringLiteral("2026-03-09T17:00:30Z"), Qt::ISODate);
// 19:00:30 local on Monday: the first day's visits are over.
inline const QDateTime kMondayEvening =
    QDateTime::fromString(QStringLiteral("2026-03-10T02:00:30Z"), Qt::ISODate);
// 18:00:30 local on Thursday: four days of finished visits, two of them recent.
inline const QDateTime kThursdayEvening =
    QDateTime::fromString(QStringLiteral("2026-03-13T01:00:30Z"), Qt::ISODate);
// That Thursday, clinic-local: the day whose visits a run reads again within the hour.
inline const QDate kThursday{2026, 3, 12};

} // namespace odis::test
