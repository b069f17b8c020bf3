#include "tests/e2e/sim_process.h"

#include <QDeadlineTimer>

#include <algorithm>

namespace odis::test {

Result<std::unique_ptr<SimProcess>> SimProcess::start(const QString& program, const QStringList& arguments,
                                                      const QString& logFile)
{
    std::unique_ptr<SimProcess> sim(new SimProcess);
    sim->m_process.setStandardErrorFile(logFile);
    sim->m_process.setProgram(program);
    sim->m_process.setArguments(arguments);
    sim->m_process.start();
    if (!sim->m_process.waitForStarted(10'000))
        return fail(QStringLiteral("sim_not_ready"),
                    QStringLiteral("%1 did not start: %2").arg(program, sim->m_process.errorString()));
    const QDeadlineTimer deadline(30'000);
    while (!sim->m_process.canReadLine() && !deadline.hasExpired() &&
           sim->m_process.state() == QProcess::Running) {
        sim->m_process.waitForReadyRead(static_cast<int>(std::max<qint64>(deadline.remainingTime(), 1)));
    }
    const QByteArray line = sim->m_process.readLine().trimmed();
    if (!line.startsWith("READY ")) {
        sim->m_process.kill();
        sim->m_process.waitForFinished(5'000);
        return fail(QStringLiteral("sim_not_ready"),
                    QStringLiteral("%1 did not say READY; its log is %2").arg(program, logFile));
    }
    sim->m_url = QUrl(QString::fromLatin1(line.mid(6)));
    return sim;
}

SimProcess::~SimProcess()
{
    stop();
}

bool SimProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    m_process.terminate();
    if (m_process.waitForFinished(10'000))
        return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    m_process.kill();
    m_process.waitForFinished(5'000);
    return false;
}

void SimProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(10'000);
}

} // namespace odis::test
