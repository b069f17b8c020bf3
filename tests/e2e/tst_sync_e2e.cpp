// The agent's real job, end to end (issue 5): `odis-agent sync --once --headless` as a process against
// the IDEXX Neo simulator and the backend double as processes, over HTTPS, with the real keychain and
// QtWebEngine. What the backend double holds after each sync must equal the simulator's ground truth
// (computed inside the simulator, independently of the agent's code): every appointment, consultation and
// discharge decision with its time. The week synced every 12 hours is tst_sync_e2e_week.

#include "tests/e2e/e2e_checks.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

using namespace odis::test;

namespace {

// Neo's data endpoints (tests/sim/README.md): what "one call" counts.
const QSet<QString> kDataRoutes{QStringLiteral("schedule"),
                                QStringLiteral("consultation"),
                                QStringLiteral("appointment"),
                                QStringLiteral("schedule_configs"),
                                QStringLiteral("appointment_view"),
                                QStringLiteral("schedule_page"),
                                QStringLiteral("consultation_details")};

} // namespace

class SyncEndToEndTest : public QObject
{
    Q_OBJECT

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
        QVERIFY2(unchanged.isEmpty(),
                 QByteArray("sent again without a change:\n" + listed(unchanged)).constData());
        QVERIFY2(later > 0 && later < observationsAfterFirst, QByteArray::number(later).constData());
    }
};

QTEST_GUILESS_MAIN(SyncEndToEndTest)
#include "tst_sync_e2e.moc"
