// The agent's real job, end to end (issue 5): `odis-agent sync --once --headless` as a process against
// the IDEXX Neo simulator and the backend double as processes, over HTTPS, with the real keychain and
// QtWebEngine. What the backend double holds after each sync must equal the simulator's ground truth
// (computed inside the simulator, independently of the agent's code): every appointment, consultation and
// discharge decision with its time. The week synced every 12 hours is tst_sync_e2e_week.

#include "tests/e2e/e2e_checks.h"

#include <QJsonArray>
#include <QJsonDocument>
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
        for (const QJsonValue v : *observations) {
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

        // Each run reported at its start and its end, and finished completed.
        const QJsonArray reports = w.backendAdmin("GET", QStringLiteral("/run-reports"))
                                       .json()
                                       .value(QStringLiteral("run_reports"))
                                       .toArray();
        QHash<QString, QStringList> statuses;
        for (const QJsonValue v : reports) {
            const QJsonObject report = v.toObject().value(QStringLiteral("report")).toObject();
            statuses[report.value(QStringLiteral("run_id")).toString()]
                << report.value(QStringLiteral("status")).toString();
        }
        QCOMPARE(statuses.size(), 3);
        for (auto it = statuses.begin(); it != statuses.end(); ++it)
            QCOMPARE(it.value(), (QStringList{QStringLiteral("running"), QStringLiteral("completed")}));

        // Telemetry reached the PostHog endpoint: the run's events, none with anything personal.
        const QJsonArray events = w.backendAdmin("GET", QStringLiteral("/posthog-events"))
                                      .json()
                                      .value(QStringLiteral("posthog_events"))
                                      .toArray();
        QHash<QString, int> perEvent;
        for (const QJsonValue v : events) {
            const QJsonObject e = v.toObject();
            ++perEvent[e.value(QStringLiteral("event")).toString()];
            QVERIFY2(e.value(QStringLiteral("pii_suspect")).toInt() == 0,
                     QJsonDocument(e).toJson(QJsonDocument::Compact).constData());
        }
        QCOMPARE(perEvent.value(QStringLiteral("sync.started")), 3);
        QCOMPARE(perEvent.value(QStringLiteral("sync.completed")), 3);
        QVERIFY(perEvent.value(QStringLiteral("discharge.scheduled")) >= 1);
        QCOMPARE(perEvent.value(QStringLiteral("sync.failed")), 0);

        // Three processes torn down at exit: none connected an object to one already gone (Qt's network
        // objects outliving the application object warn so from their thread).
        const QString log = w.agentLog();
        QVERIFY(log.contains(QStringLiteral("completed")));
        QVERIFY2(!log.contains(QStringLiteral("qt.core.qobject.connect")), qPrintable(log.right(2000)));
    }

    // Clinics in Canada and the UK: phone numbers in their local formats (and invalid ones) are read in
    // the clinic's country, and what the backend holds equals the ground truth, which the simulator
    // takes from what it generated, not from a phone library.
    void clinicsInOtherCountries_data()
    {
        QTest::addColumn<QString>("country");
        QTest::addColumn<QString>("callingCode");
        QTest::newRow("Canada") << "CA"
                                << "+1";
        QTest::newRow("United Kingdom") << "GB"
                                        << "+44";
    }

    void clinicsInOtherCountries()
    {
        QFETCH(QString, country);
        QFETCH(QString, callingCode);
        WorldOptions options;
        options.days = 3;
        options.country = country;
        auto world = SyncWorld::create(options);
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        QVERIFY2((*world)->install(), "install failed");
        SyncWorld& w = **world;

        syncAndCompare(w, "first sync");
        if (QTest::currentTestFailed())
            return;
        QVERIFY(w.advanceNeo(12 * 3600));
        syncAndCompare(w, "12 hours later");
        if (QTest::currentTestFailed())
            return;

        // The clinic's numbers were dialled and invalid ones were not guessed.
        const auto truth = w.groundTruth();
        QVERIFY(truth);
        int domestic = 0;
        int withoutNumber = 0;
        for (const QJsonValue v : truth->value(QStringLiteral("appointments")).toArray()) {
            const QJsonObject client = v.toObject().value(QStringLiteral("client")).toObject();
            const QJsonValue e164 = client.value(QStringLiteral("phone_e164"));
            domestic += e164.toString().startsWith(callingCode);
            withoutNumber += e164.isNull() && client.value(QStringLiteral("phone_raw")).isString();
        }
        QVERIFY2(domestic > 10, QByteArray::number(domestic).constData());
        QVERIFY2(withoutNumber > 0, "no invalid number in the clinic's data");
        int planned = 0;
        for (const QJsonValue v : truth->value(QStringLiteral("discharge_calls")).toArray()) {
            const QJsonObject call = v.toObject();
            if (call.value(QStringLiteral("decision")).toString() == QLatin1String("planned"))
                planned += call.value(QStringLiteral("customer_phone")).toString().startsWith(callingCode);
        }
        QVERIFY2(planned > 0, "no call planned to a number of the clinic's country");
    }

    // Neo refuses the password: one login attempt, the credentials become suspended and no later run
    // tries them again (repeated failures would lock the clinic's shared account) until a person saves
    // new ones; nothing is uploaded from a run that could not read.
    void rejectedPasswordIsTriedOnce()
    {
        auto world = SyncWorld::create({7, 2, kMondayEvening});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        SyncWorld& w = **world;
        QVERIFY2(w.install(), "install failed");
        const auto wrong = w.saveNeoLogin(QStringLiteral("not-the-password"));
        QVERIFY2(wrong && wrong->exitCode == 0, wrong ? wrong->describe().constData() : "no login to save");
        (void)w.neoAdmin("DELETE", QStringLiteral("/login-attempts"));

        const AgentRun refused = w.sync();
        QVERIFY2(refused.finished && refused.exitCode != 0 && refused.exitCode != 4,
                 refused.describe().constData());
        QVERIFY2(refused.out.contains(QStringLiteral("neo_login_rejected")), refused.describe().constData());
        const AgentRun status = w.agent({QStringLiteral("credentials"), QStringLiteral("status")});
        QVERIFY2(status.out.contains(QStringLiteral("suspended")), status.describe().constData());

        const AgentRun again = w.sync();
        QVERIFY2(again.finished && again.exitCode != 0, again.describe().constData());
        QVERIFY2(again.out.contains(QStringLiteral("idexx_credentials_rejected")),
                 again.describe().constData());
        const QJsonObject attempts = w.neoAdmin("GET", QStringLiteral("/login-attempts")).json();
        QCOMPARE(attempts.value(QStringLiteral("attempts")).toInt(), 1);
        QCOMPARE(
            attempts.value(QStringLiteral("by_outcome")).toObject().value(QStringLiteral("rejected")).toInt(),
            1);
        QCOMPARE(counter(w.backendSummary(), "items"), 0);

        // The right password saved by a person: the next run reads and delivers the ground truth.
        const auto right = w.saveNeoLogin();
        QVERIFY2(right && right->exitCode == 0, right ? right->describe().constData() : "no login to save");
        syncAndCompare(w, "after new credentials");
    }

    // The backend is down for a run: it still reads Neo (the cached clinic profile), keeps everything in
    // its outbox and ends partial; once the backend is back, the next run delivers it, exactly once, with
    // the missed run's reports.
    void backendOutageIsCaughtUpByTheNextRun()
    {
        auto world = SyncWorld::create({7, 3, kMondayEvening});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        SyncWorld& w = **world;
        QVERIFY2(w.install(), "install failed");
        syncAndCompare(w, "before the outage");
        if (QTest::currentTestFailed())
            return;
        const qint64 itemsBefore = counter(w.backendSummary(), "items");

        QVERIFY(w.advanceNeo(24 * 3600));
        QVERIFY(w.stopBackend());
        const AgentRun offline = w.sync();
        QVERIFY2(offline.finished && offline.exitCode == 4, offline.describe().constData());
        QVERIFY2(offline.out.contains(QStringLiteral(": partial")), offline.describe().constData());
        QVERIFY2(!offline.out.contains(QStringLiteral(" 0 pending")), offline.describe().constData());

        QVERIFY(w.restartBackend());
        QCOMPARE(counter(w.backendSummary(), "items"), itemsBefore); // it kept what it had, got nothing new
        syncAndCompare(w, "after the outage");
        const QJsonArray reports = w.backendAdmin("GET", QStringLiteral("/run-reports"))
                                       .json()
                                       .value(QStringLiteral("run_reports"))
                                       .toArray();
        QStringList finals;
        for (const QJsonValue v : reports) {
            const QString status = v.toObject()
                                       .value(QStringLiteral("report"))
                                       .toObject()
                                       .value(QStringLiteral("status"))
                                       .toString();
            if (status != QLatin1String("running"))
                finals << status;
        }
        finals.sort();
        QCOMPARE(finals, (QStringList{QStringLiteral("completed"), QStringLiteral("completed"),
                                      QStringLiteral("partial")}));
    }

    // A second-factor page stops an unattended run: a person has to complete it, nothing is read.
    void secondFactorStopsTheRun()
    {
        auto world = SyncWorld::create({7, 2, kMondayEvening});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        SyncWorld& w = **world;
        QVERIFY2(w.install(), "install failed");
        QCOMPARE(
            w.neoAdmin("PUT", QStringLiteral("/variants"),
                       QJsonObject{{QStringLiteral("login"),
                                    QJsonObject{{QStringLiteral("second_factor"), QStringLiteral("code")}}}})
                .status,
            200);
        const AgentRun run = w.sync();
        QVERIFY2(run.finished && run.exitCode != 0 && run.exitCode != 4, run.describe().constData());
        QVERIFY2(run.out.contains(QStringLiteral("neo_second_factor_required")), run.describe().constData());
        const QJsonObject attempts = w.neoAdmin("GET", QStringLiteral("/login-attempts")).json();
        QCOMPARE(attempts.value(QStringLiteral("second_factor_attempts")).toInt(), 0);
        QCOMPARE(w.neoRequestCounts().value(QStringLiteral("schedule")), 0);
        QCOMPARE(counter(w.backendSummary(), "items"), 0);
    }
};

QTEST_GUILESS_MAIN(SyncEndToEndTest)
#include "tst_sync_e2e.moc"
