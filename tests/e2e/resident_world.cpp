#include "tests/e2e/resident_world.h"

#include "agent/control/control_endpoint.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QSaveFile>
#include <QTest>
#include <QThread>

namespace odis::test {

namespace {

const QString kAgentExe = QStringLiteral(ODIS_AGENT_EXE);

QByteArray readProcFile(qint64 pid, const char* name)
{
    QFile file(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1StringView(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

QDateTime statusInstant(const QJsonObject& status, const char* key)
{
    return QDateTime::fromString(status.value(QLatin1StringView(key)).toString(), Qt::ISODateWithMs);
}

ResidentWorld::ResidentWorld(SyncWorld& world)
    : m_world(world)
    , m_clockFile(world.path(QStringLiteral("test-clock.json")))
{}

ResidentWorld::~ResidentWorld()
{
    if (running())
        quit();
}

Status ResidentWorld::writeClock()
{
    QSaveFile file(m_clockFile); // written aside and renamed: the agent never reads half of it
    const QJsonObject clock{{QStringLiteral("now"), m_now.toUTC().toString(Qt::ISODateWithMs)},
                            {QStringLiteral("monotonic_ms"), m_monotonicMs}};
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(clock).toJson()) < 0 || !file.commit())
        return fail(QStringLiteral("e2e_clock"), file.errorString());
    return {};
}

Status ResidentWorld::startClock(const QDateTime& nowUtc)
{
    m_now = nowUtc.toUTC();
    m_monotonicMs = 0;
    const auto r = m_world.neoAdmin(
        "PUT", QStringLiteral("/clock"),
        QJsonObject{{QStringLiteral("now"), m_now.toString(Qt::ISODate)}, {QStringLiteral("speed"), 0}});
    if (r.status != 200)
        return fail(QStringLiteral("e2e_clock"), QString::fromUtf8(r.body));
    return writeClock();
}

Status ResidentWorld::setNow(const QDateTime& nowUtc, bool awake)
{
    const qint64 step = m_now.msecsTo(nowUtc);
    if (step < 0)
        return fail(QStringLiteral("e2e_clock"), QStringLiteral("the test clock never goes back"));
    // The simulator first: when the agent sees the new time and starts a run, Neo is there already.
    const auto r =
        m_world.neoAdmin("PUT", QStringLiteral("/clock"),
                         QJsonObject{{QStringLiteral("now"), nowUtc.toUTC().toString(Qt::ISODate)}});
    if (r.status != 200)
        return fail(QStringLiteral("e2e_clock"), QString::fromUtf8(r.body));
    m_now = nowUtc.toUTC();
    if (awake)
        m_monotonicMs += step;
    return writeClock();
}

Status ResidentWorld::start(int heartbeatMs, const QProcessEnvironment& extra)
{
    QProcessEnvironment env = extra;
    env.insert(QStringLiteral("ODIS_TEST_CLOCK_FILE"), m_clockFile);
    env.insert(QStringLiteral("ODIS_TEST_TICK_MS"), QStringLiteral("100"));
    env.insert(QStringLiteral("ODIS_TEST_SETTLE_MS"), QStringLiteral("200"));
    env.insert(QStringLiteral("ODIS_TEST_HEARTBEAT_MS"), QString::number(heartbeatMs));
    ++m_starts;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(m_world.agentEnvironment(env));
    m_process->setStandardOutputFile(m_world.path(QStringLiteral("resident-%1.out").arg(m_starts)));
    m_process->setStandardErrorFile(m_world.path(QStringLiteral("resident-%1.err").arg(m_starts)));
    m_process->start(kAgentExe, {QStringLiteral("--headless")});
    if (!m_process->waitForStarted(10'000))
        return fail(QStringLiteral("e2e_resident"), m_process->errorString());
    auto up =
        waitFor([](const QJsonObject& s) { return !s.isEmpty() && s.contains(QStringLiteral("state")); },
                QStringLiteral("the agent's control socket"), 60'000);
    if (!up)
        return std::unexpected(up.error());
    return {};
}

bool ResidentWorld::running() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 ResidentWorld::pid() const
{
    return m_process ? m_process->processId() : 0;
}

int ResidentWorld::quit()
{
    if (!running())
        return m_process ? m_process->exitCode() : -1;
    (void)m_world.agent({QStringLiteral("quit")}, {}, {}, 30'000);
    return waitForExit(60'000);
}

int ResidentWorld::waitForExit(int timeoutMs)
{
    if (!m_process)
        return -1;
    if (m_process->state() != QProcess::NotRunning && !m_process->waitForFinished(timeoutMs)) {
        m_process->kill();
        m_process->waitForFinished(5'000);
        return -1;
    }
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

QJsonObject ResidentWorld::status() const
{
    const agent::ControlEndpoint endpoint =
        agent::ControlEndpoint::forDataDirectory(m_world.path(QStringLiteral("data/Odis/odis-agent")));
    QLocalSocket socket;
    socket.connectToServer(endpoint.name);
    if (!socket.waitForConnected(5'000))
        return {};
    socket.write("{\"cmd\":\"status\"}\n");
    QByteArray answer;
    const QDeadlineTimer deadline(10'000);
    while (!answer.contains('\n') && !deadline.hasExpired()) {
        if (!socket.waitForReadyRead(int(std::max<qint64>(deadline.remainingTime(), 1))))
            break;
        answer += socket.readAll();
    }
    const QJsonObject object = QJsonDocument::fromJson(answer.left(answer.indexOf('\n'))).object();
    return object.value(QStringLiteral("status")).toObject();
}

Result<QJsonObject> ResidentWorld::waitFor(const std::function<bool(const QJsonObject&)>& predicate,
                                           const QString& what, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QJsonObject last;
    while (!deadline.hasExpired()) {
        if (m_process && m_process->state() == QProcess::NotRunning)
            return fail(QStringLiteral("e2e_resident_gone"),
                        QStringLiteral("the agent exited (%1) while waiting for %2")
                            .arg(m_process->exitCode())
                            .arg(what));
        last = status();
        if (predicate(last))
            return last;
        QThread::msleep(100);
    }
    return fail(QStringLiteral("e2e_agent_busy"),
                QStringLiteral("no %1 in time; last status: %2")
                    .arg(what, QString::fromUtf8(QJsonDocument(last).toJson(QJsonDocument::Compact))));
}

Result<QJsonObject> ResidentWorld::settle(int timeoutMs)
{
    const QDateTime expected = m_now;
    return waitFor(
        [expected](const QJsonObject& s) {
            const QString state = s.value(QStringLiteral("state")).toString();
            return statusInstant(s, "now") == expected && state != QLatin1String("running") &&
                   state != QLatin1String("starting") && state != QLatin1String("delivering") &&
                   s.value(QStringLiteral("run")).isNull() &&
                   !s.value(QStringLiteral("last_delivery"))
                        .toObject()
                        .value(QStringLiteral("running"))
                        .toBool();
        },
        QStringLiteral("idle agent at %1").arg(expected.toString(Qt::ISODate)), timeoutMs);
}

QList<qint64> ResidentWorld::webEngineProcesses() const
{
    const QByteArray marker = "XDG_DATA_HOME=" + m_world.path(QStringLiteral("data")).toLocal8Bit();
    QList<qint64> found;
    for (const QString& entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric)
            continue;
        if (!readProcFile(pid, "cmdline").contains("QtWebEngineProcess"))
            continue;
        const QList<QByteArray> environment = readProcFile(pid, "environ").split('\0');
        if (environment.contains(marker))
            found.append(pid);
    }
    return found;
}

} // namespace odis::test
