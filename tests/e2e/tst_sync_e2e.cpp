// The agent's real job, end to end (issue 5): `odis-agent sync --once --headless` as a process against
// the IDEXX Neo simulator and the backend double as processes, over HTTPS, with the real keychain and
// QtWebEngine. What the backend double holds after each sync must equal the simulator's ground truth
// (computed inside the simulator, independently of the agent's code): every appointment, consultation and
// discharge decision with its time.

#include "tests/e2e/sync_world.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

using namespace odis::test;

namespace {

// Monday 2026-03-09 is the first day of seed 7's week (America/Los_Angeles, UTC-7 after the 8 March
// change); 18:00:30 local on Thursday is 01:00:30Z on Friday.
const QDateTime kThursdayEvening = QDateTime::fromString(QStringLiteral("2026-03-13T01:00:30Z"), Qt::ISODate);
const QDateTime kMondayMorning = QDateTime::fromString(QStringLiteral("2026-03-09T17:00:30Z"), Qt::ISODate);

const QSet<QString> kDataRoutes{QStringLiteral("schedule"),         QStringLiteral("consultation"),
                                QStringLiteral("appointment"),      QStringLiteral("schedule_configs"),
                                QStringLiteral("appointment_view"), QStringLiteral("schedule_page"),
                                QStringLiteral("consultation_details")};

QByteArray listed(const QStringList& lines)
{
    return lines.mid(0, 30).join(QLatin1Char('\n')).toUtf8() +
           (lines.size() > 30 ? QByteArray("\n...") : QByteArray());
}

qint64 counter(const QJsonObject& summary, const char* name)
{
    return summary.value(QLatin1StringView(name)).toInteger();
}

} // namespace

class SyncEndToEndTest : public QObject
{
    Q_OBJECT

private:
    // Syncs and checks the backend double against the ground truth.
    static void syncAndCompare(SyncWorld& world, const char* when)
    {
        const AgentRun run = world.sync();
        QVERIFY2(run.finished && run.exitCode == 0, run.describe().constData());
        QVERIFY2(run.out.contains(QStringLiteral(": completed")), run.describe().constData());
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

private Q_SLOTS:
    // A clinic week read on Thursday evening, then again unchanged, then a day later.
    void aClinicWeekSyncedThreeTimes()
    {
        auto world = SyncWorld::create({7, 7, kThursdayEvening});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        QVERIFY2((*world)->install(), "install failed");
        SyncWorld& w = **world;

        syncAndCompare(w, "first sync");
        if (QTest::currentTestFailed())
            return;
        const auto truth = w.groundTruth();
        QVERIFY(truth);
        QVERIFY(truth->value(QStringLiteral("consultations")).toArray().size() > 50);
        const qint64 observationsAfterFirst = counter(w.backendSummary(), "observations");
        QCOMPARE(observationsAfterFirst, counter(w.backendSummary(), "items"));

        // Unchanged: nothing goes up, and Neo is read with the login plus one data call.
        w.clearNeoRequests();
        syncAndCompare(w, "unchanged sync");
        QCOMPARE(counter(w.backendSummary(), "observations"), observationsAfterFirst);
        const QHash<QString, qint64> requests = w.neoRequestCounts();
        qint64 dataCalls = 0;
        for (auto it = requests.begin(); it != requests.end(); ++it)
            dataCalls += kDataRoutes.contains(it.key()) ? it.value() : 0;
        QCOMPARE(dataCalls, 1);
        QCOMPARE(requests.value(QStringLiteral("schedule")), 1);
        QCOMPARE(requests.value(QStringLiteral("login_submit")), 1);

        // A day later only what changed goes up: every new observation stores a new version.
        QVERIFY(w.advanceNeo(24 * 3600));
        syncAndCompare(w, "a day later");
        const auto observations = w.backendObservations();
        QVERIFY(observations);
        QStringList unchanged;
        qint64 later = 0;
        for (const QJsonValue& v : *observations) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("id")).toInteger() <= observationsAfterFirst)
                continue;
            ++later;
            if (o.value(QStringLiteral("outcome")).toString() != QLatin1String("stored"))
                unchanged << o.value(QStringLiteral("key")).toString() + QLatin1Char(' ') +
                                 o.value(QStringLiteral("outcome")).toString();
        }
        QVERIFY2(unchanged.isEmpty(), QByteArray("sent again without a change:\n" + listed(unchanged)).constData());
        QVERIFY2(later > 0 && later < observationsAfterFirst, QByteArray::number(later).constData());
    }

    // The whole week synced every 12 hours: visits removed from Neo and a late end-of-life note cancel
    // calls that were planned, and after every sync the backend holds exactly the ground truth.
    void aWeekOfSyncsEveryTwelveHours()
    {
        auto world = SyncWorld::create({7, 7, kMondayMorning});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        QVERIFY2((*world)->install(), "install failed");
        SyncWorld& w = **world;
        for (int step = 0; step < 14; ++step) {
            if (step > 0)
                QVERIFY(w.advanceNeo(12 * 3600));
            syncAndCompare(w, qPrintable(QStringLiteral("sync %1 at %2").arg(step).arg(w.neoNow().toString(Qt::ISODate))));
            if (QTest::currentTestFailed())
                return;
        }
        const auto items = w.backendItems();
        QVERIFY(items);
        QSet<QString> cancelled;
        for (const QJsonValue& v : *items) {
            const QJsonObject payload = v.toObject().value(QStringLiteral("payload")).toObject();
            if (payload.value(QStringLiteral("decision")).toString() == QLatin1String("cancelled"))
                cancelled.insert(payload.value(QStringLiteral("reason")).toString());
        }
        // Seed 7's week has one of each; the comparison above checked which calls and why.
        QVERIFY2(cancelled.contains(QStringLiteral("cancelled:removed")), qPrintable(QStringList(cancelled.values()).join(u',')));
        QVERIFY2(cancelled.contains(QStringLiteral("cancelled:end_of_life")), qPrintable(QStringList(cancelled.values()).join(u',')));
    }
};

QTEST_GUILESS_MAIN(SyncEndToEndTest)
#include "tst_sync_e2e.moc"
