#include "agent/resident/outbox_delivery.h"

#include "agent/run/run_log.h"
#include "agent/run/run_reporter.h"
#include "storage/codes/agent_codes.h"
#include "storage/codes/backend_codes.h"

#include <QLockFile>
#include <QPointer>

#include <spdlog/spdlog.h>

namespace odis::agent {

OutboxDelivery::OutboxDelivery(storage::Database& db, sync::BackendClient& client,
                               sync::DeprovisionHandler& deprovision, const Clock& clock, QString lockFile,
                               QObject* parent)
    : QObject(parent)
    , m_db(db)
    , m_client(client)
    , m_deprovision(deprovision)
    , m_clock(clock)
    , m_lockFile(std::move(lockFile))
{}

OutboxDelivery::~OutboxDelivery() = default;

sync::UploadSettings OutboxDelivery::settings()
{
    sync::UploadSettings s;
    s.backoff.base = std::chrono::milliseconds(1000);
    s.backoff.cap = std::chrono::milliseconds(5000);
    s.backoff.maxAttempts = 2;
    s.backoff.maxTotal = std::chrono::milliseconds(30'000);
    return s;
}

Status OutboxDelivery::start(const QString& runId, const QString& clinicId)
{
    if (m_running)
        return fail(codes::kUploadRunning, QStringLiteral("a delivery is already running"));
    m_lock = std::make_unique<QLockFile>(m_lockFile);
    m_lock->setStaleLockTime(0); // as a run takes it: never stale by age, taken over from a dead process
    if (!m_lock->tryLock(0)) {
        m_lock.reset();
        return fail(codes::kSyncAlreadyRunning,
                    QStringLiteral("another sync of this install is running (lock %1)").arg(m_lockFile));
    }
    // The previous attempt's uploader goes now, never from inside its own finished() signal.
    m_uploader =
        std::make_unique<sync::OutboxUploader>(m_client, m_db, m_deprovision, m_clock, m_random, settings());
    connect(m_uploader.get(), &sync::OutboxUploader::finished, this, &OutboxDelivery::onUploaded);
    if (auto started = m_uploader->start(runId, clinicId); !started) {
        m_lock.reset();
        return started;
    }
    m_running = true;
    return ok();
}

void OutboxDelivery::onUploaded(const sync::UploadReport& report)
{
    if (report.outcome != sync::UploadReport::Outcome::Drained) {
        finish(report, 0);
        return;
    }
    // Still under the lock: no run writes the runs table meanwhile.
    m_runLog = std::make_unique<RunLog>(m_db, m_clock);
    m_reporter = std::make_unique<RunReporter>(m_client, *m_runLog);
    QPointer<OutboxDelivery> self(this);
    m_reporter->sendPending([self, report](RunReportsSent sent) {
        if (!self || !self->m_running)
            return;
        if (sent.error)
            spdlog::warn("delivery: {} run report(s) sent, the rest stay owed ({})", sent.sent,
                         sent.error->code.toStdString());
        self->finish(report, sent.sent);
    });
}

void OutboxDelivery::finish(const sync::UploadReport& report, int reportsSent)
{
    m_running = false;
    m_lock.reset(); // unlocks
    Q_EMIT finished(report, reportsSent);
}

void OutboxDelivery::abort()
{
    if (!m_running)
        return;
    m_running = false;
    m_uploader.reset();
    m_reporter.reset();
    m_lock.reset();
}

} // namespace odis::agent
