#include "sync/neo/neo_request_runner.h"

#include "sync/core/retry_after.h"
#include "sync/neo/neo_session.h"
#include "sync/neo/neo_session_errors.h"

#include <QLoggingCategory>
#include <QPointer>

#include <algorithm>

namespace odis::sync {

namespace {
Q_LOGGING_CATEGORY(lcRunner, "odis.sync.neo.requests")

// Failures that may well pass: Neo or the network was slow or briefly away. Everything else the
// session reports (a lost session, a crashed renderer, TLS) stops the read.
bool isTransient(const Error& error)
{
    return error.code == neo_session_error::kCallTimeout || error.code == neo_session_error::kNetworkError ||
           error.code == neo_session_error::kPageLoadFailed;
}
} // namespace

NeoRequestRunner::NeoRequestRunner(NeoSession& session, const Clock& clock, PacerSettings pacing,
                                   NeoRetrySettings retry, RandomSource& random, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_clock(clock)
    , m_pacer(pacing, Ms(0))
    , m_retry(retry)
    , m_random(random)
{
    m_elapsed.start();
    m_wake.setSingleShot(true);
    connect(&m_wake, &QTimer::timeout, this, &NeoRequestRunner::pump);
}

NeoRequestRunner::~NeoRequestRunner() = default;

void NeoRequestRunner::get(const QString& path, JsonCallback done)
{
    Job job;
    job.path = path;
    job.jsonDone = std::move(done);
    enqueue(std::move(job));
}

void NeoRequestRunner::visit(PageVisitRequest request, PageCallback done)
{
    Job job;
    job.isPage = true;
    job.path = request.path;
    job.page = std::move(request);
    job.pageDone = std::move(done);
    enqueue(std::move(job));
}

void NeoRequestRunner::cancelAll()
{
    ++m_generation;
    m_waiting.clear();
    for (qsizetype i = 0; i < m_inFlight.size(); ++i) {
        m_pacer.finish();
    }
    m_inFlight.clear();
    m_pagesInFlight = 0;
    m_wake.stop();
}

void NeoRequestRunner::enqueue(Job job)
{
    job.id = m_nextId++;
    m_waiting.append(std::move(job));
    QMetaObject::invokeMethod(this, &NeoRequestRunner::pump, Qt::QueuedConnection);
}

void NeoRequestRunner::pump()
{
    for (;;) {
        const Ms current = now();
        // The session loads pages one after another: a second page job would only wait in the session,
        // where cancelAll() could no longer take it back.
        const auto sendable = [this](const Job& j) { return !j.isPage || m_pagesInFlight == 0; };
        const auto eligible = std::find_if(m_waiting.begin(), m_waiting.end(), [&](const Job& j) {
            return sendable(j) && j.notBefore <= current;
        });
        if (eligible == m_waiting.end()) {
            const auto later =
                std::min_element(m_waiting.cbegin(), m_waiting.cend(), [&](const Job& a, const Job& b) {
                    return sendable(a) && (!sendable(b) || a.notBefore < b.notBefore);
                });
            if (later != m_waiting.cend() && sendable(*later)) {
                m_wake.start(later->notBefore - current);
            }
            return; // otherwise an answer pumps again
        }
        const std::optional<Ms> wait = m_pacer.waitBeforeNext(current);
        if (!wait) {
            return; // every slot is busy: the next answer pumps again
        }
        if (*wait > Ms(0)) {
            m_wake.start(*wait);
            return;
        }
        Job job = std::move(*eligible);
        m_waiting.erase(eligible);
        m_pacer.start(current);
        ++m_stats.requests;
        m_stats.peakInFlight = m_pacer.peakInFlight();
        dispatch(std::move(job));
    }
}

void NeoRequestRunner::dispatch(Job job)
{
    const quint64 id = job.id;
    const bool isPage = job.isPage;
    const QString path = job.path;
    const PageVisitRequest page = job.page;
    m_inFlight.emplace(id, std::move(job));
    m_pagesInFlight += isPage ? 1 : 0;
    const auto guard = QPointer(this);
    const quint64 generation = m_generation;
    const auto current = [guard, generation] { return guard && guard->m_generation == generation; };
    if (isPage) {
        m_session.visit(page, [this, current, id](Result<PageVisitResult> result) {
            if (!current()) {
                return;
            }
            const int status = result ? result->httpStatus : 0;
            const auto deliver = [result](Job& j) { j.pageDone(result); };
            settle(id, deliver, status, {}, result ? nullptr : &result.error());
        });
        return;
    }
    m_session.get(path, [this, current, id](Result<NeoResponse> result) {
        if (!current()) {
            return;
        }
        const int status = result ? result->httpStatus : 0;
        const QByteArray retryAfter = result ? result->retryAfter : QByteArray();
        const auto deliver = [result](Job& j) { j.jsonDone(result); };
        settle(id, deliver, status, retryAfter, result ? nullptr : &result.error());
    });
}

void NeoRequestRunner::settle(quint64 jobId, const std::function<void(Job&)>& deliver, int httpStatus,
                              const QByteArray& retryAfter, const Error* error)
{
    auto it = m_inFlight.find(jobId);
    if (it == m_inFlight.end()) {
        return;
    }
    Job job = std::move(it.value());
    m_inFlight.erase(it);
    m_pacer.finish();
    m_pagesInFlight -= job.isPage ? 1 : 0;
    if (retry(job, httpStatus, retryAfter, error)) {
        m_waiting.prepend(std::move(job)); // retries go first: they were asked for earlier
    } else {
        deliver(job);
    }
    pump();
}

bool NeoRequestRunner::retry(Job& job, int httpStatus, const QByteArray& retryAfter, const Error* error)
{
    const Ms current = now();
    const BackoffPolicy& policy = m_retry.serverErrors;
    if (error) {
        if (!isTransient(*error)) {
            return false;
        }
        ++m_stats.transportErrors;
    } else if (httpStatus == 429) {
        ++m_stats.rateLimited;
        const auto asked = parseRetryAfter(retryAfter, m_clock.nowUtc());
        const Ms wait = asked ? std::chrono::duration_cast<Ms>(*asked)
                              : backoffDelay(policy, job.rateLimitWaits + 1, m_random);
        if (job.rateLimitWaits >= m_retry.maxRateLimitWaits || wait > m_retry.maxRetryAfter ||
            current + wait > policy.maxTotal) {
            qCInfo(lcRunner) << "rate limited; giving up a request after" << job.rateLimitWaits << "waits";
            return false;
        }
        ++job.rateLimitWaits;
        // Neo's limit is for the whole account: nobody asks again before it says so.
        m_pacer.holdUntil(current + wait);
        job.notBefore = current + wait;
        return true;
    } else if (httpStatus >= 500 && httpStatus <= 599) {
        ++m_stats.serverErrors;
    } else {
        return false;
    }
    const int failures = job.failures + 1;
    Ms wait = backoffDelay(policy, failures, m_random);
    if (const auto asked = parseRetryAfter(retryAfter, m_clock.nowUtc()); asked && !error) {
        wait = std::max(wait, std::chrono::duration_cast<Ms>(*asked));
    }
    if (!withinRetryBudget(policy, failures, current, wait) || wait > m_retry.maxRetryAfter) {
        qCInfo(lcRunner) << "giving up a request after" << failures << "failures";
        return false;
    }
    job.failures = failures;
    job.notBefore = current + wait;
    return true;
}

} // namespace odis::sync
