#include "tests/e2e/backend_fault_probe.h"

#include "storage/keychain_store.h"
#include "tests/e2e/e2e_checks.h"
#include "tests/support/secret_tool.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTest>

namespace odis::test {

namespace {

constexpr int kWaitMs = 180'000;

} // namespace

ItemCounts itemCounts(const QString& summary)
{
    static const QRegularExpression line(
        QStringLiteral(R"(items\s+(\d+) queued, (\d+) uploaded, (\d+) pending, (\d+) failed)"));
    const QRegularExpressionMatch m = line.match(summary);
    if (!m.hasMatch())
        return {};
    return {true, m.captured(1).toLongLong(), m.captured(2).toLongLong(), m.captured(3).toLongLong(),
            m.captured(4).toLongLong()};
}

QList<QJsonObject> requestsOf(const SyncWorld& w, const QString& route)
{
    QList<QJsonObject> out;
    const QJsonArray entries =
        w.backendAdmin("GET", QStringLiteral("/requests")).json().value(QStringLiteral("entries")).toArray();
    for (const QJsonValue v : entries) {
        if (v.toObject().value(QStringLiteral("route")).toString() == route)
            out.append(v.toObject());
    }
    return out;
}

qint64 answeredWith(const SyncWorld& w, const QString& route, int status)
{
    return w.backendAdmin("GET", QStringLiteral("/requests"))
        .json()
        .value(QStringLiteral("statuses"))
        .toObject()
        .value(route)
        .toObject()
        .value(QString::number(status))
        .toInteger();
}

QJsonArray batches(const SyncWorld& w)
{
    return w.backendAdmin("GET", QStringLiteral("/batches"))
        .json()
        .value(QStringLiteral("batches"))
        .toArray();
}

qint64 sumOf(const QJsonArray& rows, const char* field)
{
    qint64 total = 0;
    for (const QJsonValue v : rows)
        total += counter(v.toObject(), field);
    return total;
}

QString readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QDateTime receivedAt(const QJsonObject& request)
{
    return QDateTime::fromString(request.value(QStringLiteral("received_at")).toString(), Qt::ISODateWithMs);
}

QStringList keychainKeys(const QString& installId)
{
    return odis::test::secretToolKeys(odis::storage::KeychainStore::kService, installId + QLatin1Char('/'));
}

qint64 backendRequestTotal(const SyncWorld& w)
{
    return w.backendAdmin("GET", QStringLiteral("/requests"))
        .json()
        .value(QStringLiteral("total"))
        .toInteger();
}

void BackendFaultWorld::install(int transferTimeoutS)
{
    m_world.reset();
    auto world = SyncWorld::create({7, 2, kMondayEvening, transferTimeoutS});
    QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
    m_world = std::move(*world);
    const auto installed = m_world->install();
    QVERIFY2(installed, qPrintable(installed ? QString() : installed.error().toString()));
}

void BackendFaultWorld::setFault(const QString& route, const QJsonObject& fault) const
{
    const auto r = m_world->backendAdmin("PUT", QStringLiteral("/faults/") + route, fault);
    QVERIFY2(r.status == 200, r.body.constData());
}

void BackendFaultWorld::clearFaults() const
{
    const auto r = m_world->backendAdmin("DELETE", QStringLiteral("/faults"));
    QVERIFY2(r.status == 200 || r.status == 204, r.body.constData());
}

void expectExit(const AgentRun& run, int exitCode, ItemCounts& counts)
{
    QVERIFY2(run.finished && !run.crashed && run.exitCode == exitCode, run.describe().constData());
    counts = itemCounts(run.out);
    QVERIFY2(counts.found, run.describe().constData());
}

AgentRun BackendFaultWorld::finishStarted(QProcess& process, const std::function<bool()>& until) const
{
    AgentRun run;
    bool reached = false;
    if (!process.waitForStarted(10'000))
        run.err = process.errorString();
    for (QDeadlineTimer deadline(kWaitMs); !deadline.hasExpired() && process.state() == QProcess::Running;) {
        reached = until();
        if (reached)
            break;
        QTest::qWait(100);
    }
    clearFaults();
    run.finished = process.waitForFinished(kWaitMs);
    if (!run.finished) {
        process.kill();
        process.waitForFinished(5'000);
    }
    run.crashed = process.exitStatus() == QProcess::CrashExit;
    run.exitCode = run.finished && !run.crashed ? process.exitCode() : -1;
    run.out = readFile(m_world->path(QStringLiteral("sync.out")));
    run.err = readFile(m_world->path(QStringLiteral("sync.err")));
    if (!reached)
        run.err.prepend(QStringLiteral("[the fault was never observed]\n"));
    return run;
}

void BackendFaultWorld::expectNothingDuplicated() const
{
    const QJsonObject summary = m_world->backendSummary();
    QVERIFY2(counter(summary, "duplicates") == 0,
             m_world->backendAdmin("GET", QStringLiteral("/duplicates")).body.left(3000).constData());
    QCOMPARE(counter(summary, "rejected_items"), 0);
}

void BackendFaultWorld::expectDeliveredOnce() const
{
    expectNothingDuplicated();
    const auto truth = m_world->groundTruth();
    QVERIFY2(truth, qPrintable(truth ? QString() : truth.error().toString()));
    const auto items = m_world->backendItems();
    QVERIFY2(items, qPrintable(items ? QString() : items.error().toString()));
    QVERIFY2(!items->isEmpty(), "nothing was delivered");
    const QStringList differences = truthDifferences(*truth, *items);
    QVERIFY2(differences.isEmpty(),
             QByteArray(QByteArray::number(differences.size()) + " difference(s)\n" + listed(differences))
                 .constData());
    const QJsonObject summary = m_world->backendSummary();
    QCOMPARE(counter(summary, "observations"), counter(summary, "items"));
    const QJsonArray received = batches(*m_world);
    QCOMPARE(sumOf(received, "stored") + sumOf(received, "unchanged"), counter(summary, "observations"));
    QCOMPARE(sumOf(received, "item_count"), counter(summary, "observations"));
}

void BackendFaultWorld::syncUntilUpload() const
{
    QProcessEnvironment hold;
    hold.insert(QStringLiteral("ODIS_TEST_HOLD_AT_STEP"), QStringLiteral("upload"));
    auto process = m_world->startSync(hold);
    QVERIFY2(process->waitForStarted(10'000), qPrintable(process->errorString()));
    const QString err = m_world->path(QStringLiteral("sync.err"));
    QTRY_VERIFY_WITH_TIMEOUT(readFile(err).contains(QStringLiteral("holding at step upload")) ||
                                 process->state() != QProcess::Running,
                             kWaitMs);
    QVERIFY2(process->state() == QProcess::Running, qPrintable(readFile(err).right(3000)));
    process->kill();
    QVERIFY(process->waitForFinished(10'000));
    QCOMPARE(counter(m_world->backendSummary(), "items"), 0);
}

QString BackendFaultWorld::agentId() const
{
    const QJsonArray agents = m_world->backendAdmin("GET", QStringLiteral("/agents"))
                                  .json()
                                  .value(QStringLiteral("agents"))
                                  .toArray();
    return agents.size() == 1 ? agents.first().toObject().value(QStringLiteral("agent_id")).toString()
                              : QString();
}

} // namespace odis::test
