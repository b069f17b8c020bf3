#pragma once

#include "storage/clock.h"
#include "storage/result.h"
#include "sync/core/backoff.h"
#include "sync/core/neo_json.h"
#include "sync/core/request_pacer.h"
#include "sync/neo/page_visit.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>

namespace odis::sync {

class NeoSession;

// How a read retries what Neo could not answer now. Both kinds of wait are bounded: by attempts and by
// the read's total time budget (serverErrors.maxTotal, counted from the runner's creation).
struct NeoRetrySettings
{
    // 5xx answers, time-outs and network errors: capped exponential backoff with full jitter.
    BackoffPolicy serverErrors{std::chrono::milliseconds(1000), std::chrono::milliseconds(30'000), 4,
                               std::chrono::milliseconds(5 * 60'000)};
    // 429: Neo's Retry-After (else the backoff above) holds every request; at most this many per request.
    int maxRateLimitWaits = 6;
    // A Retry-After longer than this is not waited out in this run: the request gives up.
    std::chrono::milliseconds maxRetryAfter{120'000};
};

struct NeoRunnerStats
{
    int requests = 0;        // requests sent to Neo (each retry counts)
    int rateLimited = 0;     // 429 answers
    int serverErrors = 0;    // 5xx answers
    int transportErrors = 0; // time-outs and network errors
    int peakInFlight = 0;
};

// Sends a read's requests to Neo through the session: at most PacerSettings::maxInFlight at a time (one
// page visit among them: the session loads pages one after another anyway) and no faster than its rate,
// waiting out 429 (Retry-After, for every request) and retrying 5xx and transport failures with backoff, each
// within NeoRetrySettings. What it cannot get is delivered as the last answer (the caller sees the 429 or
// 5xx) or the session's error. Callbacks run later from the event loop, once each, unless cancelAll() dropped
// them.
class NeoRequestRunner final : public QObject
{
    Q_OBJECT

public:
    using JsonCallback = std::function<void(Result<NeoResponse>)>;
    using PageCallback = std::function<void(Result<PageVisitResult>)>;

    NeoRequestRunner(NeoSession& session, const Clock& clock, PacerSettings pacing, NeoRetrySettings retry,
                     RandomSource& random, QObject* parent = nullptr);
    ~NeoRequestRunner() override;

    void get(const QString& path, JsonCallback done);
    void visit(PageVisitRequest request, PageCallback done);

    // Drops every waiting request and ignores the answers of those in flight; no callback runs.
    void cancelAll();

    [[nodiscard]] const NeoRunnerStats& stats() const { return m_stats; }

private:
    using Ms = std::chrono::milliseconds;

    struct Job
    {
        quint64 id = 0;
        bool isPage = false;
        QString path;
        PageVisitRequest page;
        JsonCallback jsonDone;
        PageCallback pageDone;
        int failures = 0;       // 5xx and transport failures so far
        int rateLimitWaits = 0; // 429s waited out so far
        Ms notBefore{0};
    };

    [[nodiscard]] Ms now() const { return Ms(m_elapsed.elapsed()); }
    void enqueue(Job job);
    void pump();
    void dispatch(Job job);
    // Whether the answer is waited out and the job sent again; false: deliver it.
    bool retry(Job& job, int httpStatus, const QByteArray& retryAfter, const Error* error);
    void settle(quint64 jobId, const std::function<void(Job&)>& deliver, int httpStatus,
                const QByteArray& retryAfter, const Error* error);

    NeoSession& m_session;
    const Clock& m_clock;
    RequestPacer m_pacer;
    NeoRetrySettings m_retry;
    RandomSource& m_random;
    NeoRunnerStats m_stats;
    QElapsedTimer m_elapsed;
    QTimer m_wake;
    QList<Job> m_waiting;
    QHash<quint64, Job> m_inFlight;
    int m_pagesInFlight = 0; // page visits: one at a time
    quint64 m_nextId = 1;
    quint64 m_generation = 0; // raised by cancelAll(): answers of an older generation are ignored
};

} // namespace odis::sync
