// The pre-provisioned enrollment code (agent/provisioning/provisioned_enrollment.h), end to end: the real
// `odis-agent` against both simulators. A code in the configuration (here the user's file; the deb test
// does the same with /etc/odis-agent/config.json from the installed program) enrolls the install at its
// first start, whatever the verb, is removed from the file, is never printed or logged, and is not used
// again; a refused code is not tried again at the next start; a code the backend could not be asked about
// is tried again.

#include "tests/e2e/e2e_checks.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace odis::test;

namespace {

QJsonObject readJson(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

bool writeJson(const QString& path, const QJsonObject& object)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(object).toJson()) > 0;
}

bool provision(const SyncWorld& world, const QString& code)
{
    QJsonObject config = readJson(world.userConfigFile());
    config.insert(QStringLiteral("enrollment"), QJsonObject{{QStringLiteral("code"), code}});
    return writeJson(world.userConfigFile(), config);
}

bool fileHasCode(const SyncWorld& world)
{
    return readJson(world.userConfigFile()).contains(QStringLiteral("enrollment"));
}

QString newCode(const SyncWorld& world)
{
    return world.backendAdmin("POST", QStringLiteral("/enrollment-codes"))
        .json()
        .value(QStringLiteral("code"))
        .toString();
}

qint64 enrollRequests(const SyncWorld& world)
{
    const QJsonObject counts = world.backendAdmin("GET", QStringLiteral("/requests"))
                                   .json()
                                   .value(QStringLiteral("counts"))
                                   .toObject();
    qint64 total = 0;
    for (auto it = counts.begin(); it != counts.end(); ++it)
        total += it.key().contains(QLatin1String("enroll")) ? it.value().toInteger() : 0;
    return total;
}

} // namespace

class ProvisionedEnrollmentTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void usedOnceAtTheFirstStartThenGone()
    {
        auto world = SyncWorld::create({7, 7, kThursdayEvening});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        SyncWorld& w = **world;
        QVERIFY(w.configure());
        const QString code = newCode(w);
        QVERIFY(!code.isEmpty());
        QVERIFY(provision(w, code));

        // The first start is `credentials set`: the install enrolls before the verb runs.
        const auto saved = w.saveNeoLogin();
        QVERIFY(saved);
        QVERIFY2(saved->exitCode == 0, saved->describe().constData());
        QVERIFY2(
            saved->err.contains(QStringLiteral("enrolled with the pre-provisioned enrollment code from ") +
                                w.userConfigFile()),
            saved->describe().constData());
        QCOMPARE(counter(w.backendSummary(), "agents"), 1);
        QCOMPARE(enrollRequests(w), 1);
        // Gone from the file it came from; the file's other settings kept.
        QVERIFY(!fileHasCode(w));
        QVERIFY(readJson(w.userConfigFile())
                    .value(QStringLiteral("backend"))
                    .toObject()
                    .contains(QStringLiteral("url")));

        syncAndCompare(w, "first sync of a pre-provisioned install");
        if (QTest::currentTestFailed())
            return;

        // The same code put back (a provisioning script run twice): an enrolled install does not use it,
        // and removes it again.
        QVERIFY(provision(w, code));
        const AgentRun again = w.agent({QStringLiteral("credentials"), QStringLiteral("status")});
        QVERIFY2(again.exitCode == 0, again.describe().constData());
        QCOMPARE(enrollRequests(w), 1);
        QCOMPARE(counter(w.backendSummary(), "agents"), 1);
        QVERIFY(!fileHasCode(w));

        // Never printed, never logged.
        for (const QString& text : {saved->out, saved->err, again.out, again.err, w.agentLog()})
            QVERIFY2(!text.contains(code), "the enrollment code was printed or logged");
        QVERIFY(
            w.agentLog().contains(QStringLiteral("enrolling with the pre-provisioned enrollment code from")));
    }

    void aRefusedCodeIsNotTriedAgain()
    {
        auto world = SyncWorld::create({7, 7, kThursdayEvening});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        SyncWorld& w = **world;
        QVERIFY(w.configure());
        const QString unknown = QStringLiteral("NOPE-0000-0000");
        QVERIFY(provision(w, unknown));

        const AgentRun first = w.agent({QStringLiteral("credentials"), QStringLiteral("status")});
        // The verb itself still runs and answers.
        QVERIFY2(first.exitCode == 0, first.describe().constData());
        QVERIFY2(first.err.contains(QStringLiteral("refused the pre-provisioned enrollment code")) &&
                     first.err.contains(QStringLiteral("enrollment_code_invalid")),
                 first.describe().constData());
        QCOMPARE(enrollRequests(w), 1);
        QVERIFY(!fileHasCode(w)); // a dead code is removed too

        // Left in a place the agent cannot clean (here: put back), it is not sent again.
        QVERIFY(provision(w, unknown));
        const AgentRun second = w.agent({QStringLiteral("credentials"), QStringLiteral("status")});
        QVERIFY2(second.exitCode == 0, second.describe().constData());
        QVERIFY2(second.err.contains(QStringLiteral("refused by the backend at an earlier start")),
                 second.describe().constData());
        QCOMPARE(enrollRequests(w), 1);
        QCOMPARE(counter(w.backendSummary(), "agents"), 0);

        // A new code (IT fixed it) is used.
        QVERIFY(provision(w, newCode(w)));
        const AgentRun third = w.agent({QStringLiteral("credentials"), QStringLiteral("status")});
        QVERIFY2(third.err.contains(QStringLiteral("enrolled with the pre-provisioned enrollment code")),
                 third.describe().constData());
        QCOMPARE(counter(w.backendSummary(), "agents"), 1);
        for (const QString& text : {first.err, second.err, first.out, w.agentLog()})
            QVERIFY2(!text.contains(unknown), "the enrollment code was printed or logged");
    }

    // The backend cannot be reached: the code stays where it is and the next start tries it.
    void anUnreachableBackendKeepsTheCodeForTheNextStart()
    {
        auto world = SyncWorld::create({7, 7, kThursdayEvening});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        SyncWorld& w = **world;
        QVERIFY(w.configure());
        const QString code = newCode(w);
        QVERIFY(provision(w, code));
        QVERIFY(w.stopBackend());

        const AgentRun offline = w.agent({QStringLiteral("credentials"), QStringLiteral("status")});
        QVERIFY2(offline.exitCode == 0, offline.describe().constData());
        QVERIFY2(offline.err.contains(QStringLiteral("tried again at the next start")),
                 offline.describe().constData());
        QVERIFY(fileHasCode(w));

        QVERIFY(w.restartBackend());
        const AgentRun online = w.agent({QStringLiteral("credentials"), QStringLiteral("status")});
        QVERIFY2(online.err.contains(QStringLiteral("enrolled with the pre-provisioned enrollment code")),
                 online.describe().constData());
        QVERIFY(!fileHasCode(w));
        QCOMPARE(counter(w.backendSummary(), "agents"), 1);
        for (const QString& text : {offline.err, online.err, online.out, w.agentLog()})
            QVERIFY2(!text.contains(code), "the enrollment code was printed or logged");
    }
};

QTEST_GUILESS_MAIN(ProvisionedEnrollmentTest)
#include "tst_provisioned_enrollment.moc"
