#pragma once

// Checks shared by the end-to-end tests: a sync as the clinic runs it, then what the backend double holds
// against the Neo simulator's ground truth.

#include "tests/e2e/clinic_week_times.h"
#include "tests/e2e/sync_world.h"

#include <QByteArray>
#include <QJsonArray>
#include <QSet>
#include <QStringList>
#include <QTest>

namespace odis::test {

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
