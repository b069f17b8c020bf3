#pragma once

#include "storage/result.h"
#include "tests/sim/common/json_mutation.h"
#include "tests/sim/common/sim_message.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

#include <chrono>
#include <deque>
#include <optional>

namespace odis::sim {

// The faults of one route, as set through the admin API:
// {latency_ms, jitter_ms, error_rate, error_status, rate_limit: {requests, per_seconds, retry_after},
//  truncate, invalid_json, html_instead, hang, reset, rename_fields: {old: new}, removed, after_handler,
//  mutate: [{op, path, to, length, rows}] (json_mutation.h), wrap: "<key>"}
struct RouteFaults
{
    struct RateLimit
    {
        int requests = 1;
        double perSeconds = 1;
        std::optional<int> retryAfterSeconds; // computed from the window when absent
    };

    int latencyMs = 0;
    int jitterMs = 0;     // uniform in [0, jitter_ms], added to latency_ms
    double errorRate = 0; // 0..1, drawn per request from the plan's seeded generator
    int errorStatus = 500;
    std::optional<RateLimit> rateLimit;
    bool truncate = false;    // announce the full Content-Length, send half the body, close
    bool invalidJson = false; // send the first half of a JSON body with a matching length
    bool htmlInstead = false; // an HTML page with the same status instead of the JSON
    bool hang = false;        // never answer
    bool reset = false;       // TCP reset instead of an answer
    bool removed = false;     // 404 as if the endpoint did not exist
    // error/hang/reset only after the handler ran: the server changed its state, the client never learns.
    bool afterHandler = false;
    QList<QPair<QString, QString>> renameFields; // JSON object keys renamed at every depth
    QList<JsonMutation> mutate;                  // changes at paths (json_mutation.h)
    QString wrap;                                // the JSON answer put under this key of a new object

    static Result<RouteFaults> fromJson(const QJsonObject& json);
    [[nodiscard]] QJsonObject toJson() const;
};

// What the plan decided for one request.
struct FaultDecision
{
    std::chrono::milliseconds delay{0};
    bool removed = false;
    std::optional<int> rateLimitedRetryAfter; // answer 429 with this Retry-After
    std::optional<int> errorStatus;
    bool hang = false;
    bool reset = false;
    bool afterHandler = false;
    bool truncate = false;
    bool invalidJson = false;
    bool htmlInstead = false;
    QList<QPair<QString, QString>> renames;
    QList<JsonMutation> mutate;
    QString wrap;
    QString route;          // the route this decision is for
    qint64 answerIndex = 0; // how many answers of the route the plan decided before this one

    // The handler must not run: the request is answered (or dropped) by the fault alone.
    [[nodiscard]] bool preventsHandler() const;
    [[nodiscard]] QStringList names() const;
};

// Per-route faults, switchable at run time. A "*" entry applies to routes that have no entry of their own.
// Random draws come from one generator seeded explicitly, so a test run is reproducible.
class FaultPlan
{
public:
    static inline const QString kAnyRoute = QStringLiteral("*");

    explicit FaultPlan(quint64 seed = 1);

    // Replaces the whole plan with {route: {...}}; on error the plan is left as it was.
    Status replace(const QJsonObject& plan);
    Status setRoute(const QString& route, const QJsonObject& faults);
    void clearRoute(const QString& route);
    void clear();
    void reseed(quint64 seed);
    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] bool isEmpty() const { return m_routes.isEmpty(); }

    // Draws the random parts and spends rate budget: call once per request.
    FaultDecision decide(const QString& route);

    // Applies the body faults (mutations, a wrapper, renamed fields, invalid JSON, HTML) to a response
    // about to be written; returns how many JSON values the mutations and the wrapper changed.
    static int transformBody(SimResponse& response, const FaultDecision& decision);

    // Values changed by mutations and wrappers, per route, since the plan started or was last cleared of
    // them: how a test knows that a fault did reach an answer.
    void countMutations(const QString& route, int changed);
    [[nodiscard]] QJsonObject mutationCounts() const;
    void clearMutationCounts() { m_mutated.clear(); }

private:
    std::optional<int> spendRateBudget(const QString& route, const RouteFaults::RateLimit& limit);

    QHash<QString, RouteFaults> m_routes;
    QHash<QString, std::deque<qint64>> m_admittedAtMs;
    QHash<QString, qint64> m_answers; // decisions per route (answerIndex)
    QHash<QString, qint64> m_mutated;
    QRandomGenerator m_random;
    QElapsedTimer m_clock;
};

} // namespace odis::sim
