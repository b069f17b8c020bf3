#pragma once

// Checks shared by the end-to-end tests: a sync as the clinic runs it, then what the backend double holds
// against the Neo simulator's ground truth.

#include "tests/e2e/sync_world.h"

#include <QByteArray>
#include <QJsonArray>
#include <QSet>
#include <QStringList>
#include <QTest>

namespace odis::test {

// Seed 7's week starts on Monday 2026-03-09 (America/Los_Angeles, UTC-7 after the 8 March change).
// Half past the minute (agent/run/clock_seam.h).
inline const QDateTime kMondayMorning =
    QDateTime::fromString(QStringLiteral("2026-03-09T17:00:30Z"), Qt::ISODate);
// 19:00:30 local on Monday: the first day's visits are over.
inline const QDateTime kMondayEvening =
    QDateTime::fromString(QStringLiteral("2026-03-10T02:00:30Z"), Qt::ISODate);
// 18:00:30 local on Thursday.
inline const QDateTime kThursdayEvening =
    QDateTime::fromString(QStringLiteral("2026-03-13T01:00:30Z"), Qt::ISODate);

inline QByteArray listed(const QStringList& lines)
{
    return lines.mid(0, 30).join(QLatin1Char('\n')).toUtf8() +
           (lines.size() > 30 ? QByteArray("\n...") : QByteArray());
}

inline qint64 counter(const QJsonObject& summary, const char* name)
{
    return summary.value(QLatin1StringView(name)).toInteger();
}

// What the backend double holds against the ground truth: nothing missing, nothing extra, nothing
// different, no duplicate, no rejected item. Fails the current test.
inline void expectGroundTruth(const SyncWorld& world, const char* when)
{
    const auto truth = world.groundTruth();
    QVERIFY2(truth, qPrintable(truth ? QString() : truth.error().toString()));
    const auto items = world.backendItems();
    QVERIFY2(items, qPrintable(items ? QString() : items.error().toString()));
    const QStringList differences = truthDifferences(*truth, *items);
    QVERIFY2(differences.isEmpty(),
             QByteArray(QByteArray(when) + ": " + QByteArray::number(differences.size()) +
                        " difference(s)\n" + listed(differences))
                 .constData());
    const QJsonObject summary = world.backendSummary();
    QCOMPARE(counter(summary, "duplicates"), 0);
    QCOMPARE(counter(summary, "rejected_items"), 0);
}

// Syncs (expecting a completed run) and checks the backend double against the ground truth.
inline void syncAndCompare(SyncWorld& world, const char* when)
{
    const AgentRun run = world.sync();
    QVERIFY2(run.finished && run.exitCode == 0, run.describe().constData());
    QVERIFY2(run.out.contains(QStringLiteral(": completed")), run.describe().constData());
    expectGroundTruth(world, when);
}

} // namespace odis::test
