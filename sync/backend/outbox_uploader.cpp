#include "sync/backend/outbox_uploader.h"

#include "storage/clock.h"
#include "storage/codes/backend_codes.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/install_wipe.h"

#include <QLoggingCategory>
#include <QPointer>

#include <limits>

namespace odis::sync {

namespace {

Q_LOGGING_CATEGORY(lcUpload, "odis.sync.upload")

using std::chrono::milliseconds;

} // namespace

QString uploadOutcomeName(UploadReport::Outcome outcome)
{
    switch (outcome) {
    case UploadReport::Outcome::Drained:
        return QStringLiteral("drained");
    case UploadReport::Outcome::Deferred:
        return QStringLiteral("deferred");
    case UploadReport::Outcome::Stopped:
        return QStringLiteral("stopped");
    case UploadReport::Outcome::Deprovisioned:
        break;
    }
    return QStringLiteral("deprovisioned");
}

OutboxUploader::OutboxUploader(BackendClient& client, storage::Database& db, DeprovisionHandler& deprovision,
                               const Clock& clock, RandomSource& random, UploadSettings settings,
                               QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_deprovision(deprovision)
    , m_clock(clock)
    , m_random(random)
    , m_settings(settings)
    , m_outbox(db, clock)
    , m_batches(db, clock, settings.limits)
{
    m_wait.setSingleShot(true);
    connect(&m_wait, &QTimer::timeout, this, &OutboxUploader::send);
}

OutboxUploader::~OutboxUploader() = default;

Status OutboxUploader::start(const QString& runId, const QString& clinicId)
{
    if (m_running)
        return fail(codes::kUploadRunning, QStringLiteral("an upload is already running"));
    if (!m_client.hasIdentity() || clinicId.isEmpty())
        return fail(backend_error::kNotEnrolled,
                    QStringLiteral("the agent is not enrolled: nothing can be uploaded"));
    m_running = true;
    m_runId = runId;
    m_clinicId = clinicId;
    m_startedAt = m_clock.nowUtc();
    m_batch.reset();
    m_failures = 0;
    m_skipped.clear();
    m_report = {};
    QTimer::singleShot(0, this, &OutboxUploader::next);
    return ok();
}

milliseconds OutboxUploader::elapsed() const
{
    return milliseconds(std::max<qint64>(0, m_startedAt.msecsTo(m_clock.nowUtc())));
}

void OutboxUploader::next()
{
    m_batch.reset();
    m_failures = 0;
    auto frozen = m_batches.nextFrozen(m_skipped);
    if (!frozen) {
        finish(UploadReport::Outcome::Stopped, frozen.error());
        return;
    }
    if (!*frozen) {
        auto formed = m_batches.formBatch(m_runId, m_clinicId);
        if (!formed) {
            finish(UploadReport::Outcome::Stopped, formed.error());
            return;
        }
        if (!*formed) {
            const bool conflicts = !m_skipped.isEmpty();
            finish(conflicts ? UploadReport::Outcome::Stopped : UploadReport::Outcome::Drained,
                   conflicts ? std::optional<Error>(
                                   Error{backend_error::kConflict,
                                         QStringLiteral("%1 batch(es) kept after 409").arg(m_skipped.size())})
                             : std::nullopt);
            return;
        }
        frozen = std::move(formed);
    }
    m_batch = **frozen;
    // A batch that an earlier run was told to hold back (Retry-After, backoff) waits for its time.
    const QDateTime now = m_clock.nowUtc();
    if (m_batch->notBefore.isValid() && m_batch->notBefore > now) {
        const milliseconds wait(now.msecsTo(m_batch->notBefore));
        if (!withinRetryBudget(m_settings.backoff, 0, elapsed(), wait)) {
            m_report.nextAttemptAt = m_batch->notBefore;
            finish(UploadReport::Outcome::Deferred,
                   Error{codes::kOutboxWaiting, QStringLiteral("the next batch is due at ") +
                                                    m_batch->notBefore.toString(Qt::ISODate)});
            return;
        }
        waitThenSend(wait);
        return;
    }
    send();
}

void OutboxUploader::waitThenSend(milliseconds wait)
{
    m_wait.start(static_cast<int>(std::min<qint64>(wait.count(), std::numeric_limits<int>::max())));
}

void OutboxUploader::send()
{
    auto body = m_batches.body(m_batch->batchId);
    if (!body) {
        finish(UploadReport::Outcome::Stopped, body.error());
        return;
    }
    BackendRequest request;
    request.method = QByteArrayLiteral("POST");
    request.path = QStringLiteral("/v1/sync/batches");
    request.body = std::move(*body);
    request.idempotencyKey = m_batch->batchId;
    ++m_report.batchesSent;
    QPointer<OutboxUploader> self(this);
    m_client.send(request, [self](const BackendReply& reply) {
        if (self)
            self->onReply(reply);
    });
}

void OutboxUploader::onReply(const BackendReply& reply)
{
    const QString& batchId = m_batch->batchId;
    switch (reply.outcome) {
    case BackendOutcome::Ok:
        onApplied(reply);
        return;
    case BackendOutcome::TooLarge: {
        auto halves = m_batches.splitTooLarge(batchId, m_runId);
        if (!halves) {
            finish(UploadReport::Outcome::Stopped, halves.error());
            return;
        }
        if (*halves) {
            qCInfo(lcUpload).noquote() << "batch" << batchId << "too large: split in two";
        } else {
            qCWarning(lcUpload).noquote()
                << "batch" << batchId << "of one item too large: item moved to the failed queue";
            ++m_report.rejected;
        }
        next();
        return;
    }
    case BackendOutcome::RateLimited:
        retryLater(reply, reply.retryAfter ? milliseconds(*reply.retryAfter)
                                           : backoffDelay(m_settings.backoff, m_failures + 1, m_random));
        return;
    case BackendOutcome::Transient:
        // A 503 may say when to come back; otherwise the backoff decides.
        retryLater(reply, reply.retryAfter ? milliseconds(*reply.retryAfter)
                                           : backoffDelay(m_settings.backoff, m_failures + 1, m_random));
        return;
    case BackendOutcome::Invalid: {
        const QString code = reply.serverError.isEmpty() ? reply.error.code : reply.serverError;
        qCWarning(lcUpload).noquote() << "batch" << batchId << "refused as a whole (" << code
                                      << "):" << m_batch->itemCount << "item(s) to the failed queue";
        if (auto failed = m_batches.failBatch(batchId, code, m_runId); !failed) {
            finish(UploadReport::Outcome::Stopped, failed.error());
            return;
        }
        m_report.rejected += m_batch->itemCount;
        next();
        return;
    }
    case BackendOutcome::Conflict:
        qCCritical(lcUpload).noquote()
            << "batch" << batchId << "answered 409: another body was sent under its key; kept";
        if (!m_report.alerts.contains(backend_error::kConflict))
            m_report.alerts.append(backend_error::kConflict);
        m_skipped.insert(batchId);
        next();
        return;
    case BackendOutcome::AuthRevoked:
        m_report.alerts.append(backend_error::kAuthRevoked);
        finish(UploadReport::Outcome::Stopped, reply.error);
        return;
    case BackendOutcome::Deprovisioned: {
        qCWarning(lcUpload).noquote() << "the backend says this install was removed: wiping it";
        m_report.alerts.append(backend_error::kDeprovisioned);
        m_client.clearIdentity(); // the token is about to leave the keychain: it must not be used again
        QPointer<OutboxUploader> self(this);
        m_deprovision.deprovision([self, error = reply.error](Status wiped) {
            if (!self)
                return;
            if (!wiped)
                qCCritical(lcUpload).noquote() << "deprovisioning incomplete:" << wiped.error().code;
            self->finish(UploadReport::Outcome::Deprovisioned, wiped ? error : wiped.error());
        });
        return;
    }
    case BackendOutcome::Unexpected:
        break;
    }
    finish(UploadReport::Outcome::Stopped, reply.error);
}

void OutboxUploader::onApplied(const BackendReply& reply)
{
    auto applied = m_batches.applyResults(m_batch->batchId, reply.object(), m_runId);
    if (!applied && applied.error().code == backend_error::kBadResponse) {
        // A 200 whose body is not this batch's results (mangled on the way): the resend is answered
        // with the stored first answer.
        BackendReply mangled = reply;
        mangled.error = applied.error();
        retryLater(mangled, backoffDelay(m_settings.backoff, m_failures + 1, m_random));
        return;
    }
    if (!applied) {
        finish(UploadReport::Outcome::Stopped, applied.error());
        return;
    }
    m_report.uploaded += applied->acknowledged;
    m_report.rejected += applied->rejected;
    qCInfo(lcUpload).noquote() << "batch" << m_batch->batchId << (reply.replayed ? "(replayed answer)" : "")
                               << ":" << applied->acknowledged << "acknowledged," << applied->rejected
                               << "rejected," << applied->missing << "not answered";
    if (applied->acknowledged + applied->rejected == 0) {
        // Nothing moved: forming the same items into a new batch would loop for ever.
        finish(UploadReport::Outcome::Stopped,
               Error{backend_error::kBadResponse,
                     QStringLiteral("the backend answered none of the batch's items")});
        return;
    }
    next();
}

void OutboxUploader::retryLater(const BackendReply& reply, milliseconds wait)
{
    ++m_failures;
    const QDateTime nextAttempt = m_clock.nowUtc().addMSecs(wait.count());
    if (auto recorded = m_batches.recordAttempt(m_batch->batchId, reply.error.code, nextAttempt); !recorded) {
        finish(UploadReport::Outcome::Stopped, recorded.error());
        return;
    }
    if (!withinRetryBudget(m_settings.backoff, m_failures, elapsed(), wait)) {
        qCWarning(lcUpload).noquote() << "batch" << m_batch->batchId << "still failing after" << m_failures
                                      << "attempt(s) (" << reply.error.code << "): left for a later run";
        m_report.nextAttemptAt = nextAttempt;
        finish(UploadReport::Outcome::Deferred, reply.error);
        return;
    }
    qCInfo(lcUpload).noquote() << "batch" << m_batch->batchId << "failed (" << reply.error.code
                               << "): retrying in" << wait.count() << "ms";
    waitThenSend(wait);
}

void OutboxUploader::finish(UploadReport::Outcome outcome, std::optional<Error> error)
{
    m_wait.stop();
    m_batch.reset();
    m_running = false;
    m_report.outcome = outcome;
    m_report.error = std::move(error);
    if (auto depth = m_outbox.depth())
        m_report.pending = *depth;
    if (auto failed = m_outbox.failedCount())
        m_report.failed = *failed;
    if (auto stale = m_outbox.isStale(); stale && *stale)
        m_report.alerts.append(Outbox::kStaleAlert);
    qCInfo(lcUpload).noquote() << "upload" << uploadOutcomeName(outcome) << ":" << m_report.uploaded
                               << "uploaded," << m_report.rejected << "rejected," << m_report.pending
                               << "pending," << m_report.failed << "failed"
                               << (m_report.error ? m_report.error->code : QString());
    Q_EMIT finished(m_report);
}

} // namespace odis::sync
