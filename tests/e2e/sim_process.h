#pragma once

// A simulator (odis-neo-sim or odis-backend-sim) run as its own process, as the README starts them: it
// prints `READY <url>` on stdout when it listens. Stopped with SIGTERM when the object goes, or killed.

#include "storage/result.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace odis::test {

class SimProcess
{
public:
    // Starts `program` with `arguments`, its standard error (the request log) going to `logFile` (a pipe
    // nobody reads would block it while a test waits for the agent), and waits up to 30 s for its ready
    // line. Error sim_not_ready names the log.
    static Result<std::unique_ptr<SimProcess>> start(const QString& program, const QStringList& arguments,
                                                     const QString& logFile);
    ~SimProcess();
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    [[nodiscard]] const QUrl& url() const { return m_url; }
    // SIGTERM, then waits for a clean exit; false when it did not stop in time (it is then killed).
    bool stop();
    // SIGKILL, as a crash or the OOM killer ends it: no clean shutdown, nothing flushed.
    void kill();

private:
    SimProcess() = default;
    QProcess m_process;
    QUrl m_url;
};

} // namespace odis::test
