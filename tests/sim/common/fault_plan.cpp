#include "tests/sim/common/fault_plan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QSet>

#include <cmath>

namespace odis::sim {

namespace {

const QSet<QString>& knownFields()
{
    static const QSet<QString> fields{
        QStringLiteral("latency_ms"),    QStringLiteral("jitter_ms"),     QStringLiteral("error_rate"),
        QStringLiteral("error_status"),  QStringLiteral("rate_limit"),    QStringLiteral("truncate"),
        QStringLiteral("invalid_json"),  QStringLiteral("html_instead"),  QStringLiteral("hang"),
        QStringLiteral("reset"),         QStringLiteral("rename_fields"), QStringLiteral("removed"),
        QStringLiteral("after_handler"), QStringLiteral("mutate"),        QStringLiteral("wrap")};
    return fields;
}

std::unexpected<Error> invalid(const QString& field, const QString& problem)
{
    return fail(QStringLiteral("invalid_fault"), field + QStringLiteral(": ") + problem);
}

Result<int> readInt(const QJsonObject& json, const QString& field, int min, int max, int fallback)
{
    const QJsonValue v = json.value(field);
    if (v.isUndefined())
        return fallback;
    const double d = v.toDouble(std::nan(""));
    if (!v.isDouble() || d != std::floor(d) || d < min || d > max)
        return invalid(field, QStringLiteral("an integer in [%1, %2]").arg(min).arg(max));
    return static_cast<int>(d);
}

Result<bool> readBool(const QJsonObject& json, const QString& field)
{
    const QJsonValue v = json.value(field);
    if (v.isUndefined())
        return false;
    if (!v.isBool())
        return invalid(field, QStringLiteral("a boolean"));
    return v.toBool();
}

Result<RouteFaults::RateLimit> readRateLimit(const QJsonValue& value)
{
    if (!value.isObject())
        return invalid(QStringLiteral("rate_limit"), QStringLiteral("an object"));
    const QJsonObject json = value.toObject();
    RouteFaults::RateLimit limit;
    auto requests = readInt(json, QStringLiteral("requests"), 0, 1'000'000, -1);
    if (!requests || *requests < 0)
        return invalid(QStringLiteral("rate_limit.requests"), QStringLiteral("a non-negative integer"));
    limit.requests = *requests;
    const QJsonValue per = json.value(QStringLiteral("per_seconds"));
    if (!per.isDouble() || per.toDouble() <= 0)
        return invalid(QStringLiteral("rate_limit.per_seconds"), QStringLiteral("a positive number"));
    limit.perSeconds = per.toDouble();
    if (json.contains(QStringLiteral("retry_after"))) {
        auto retry = readInt(json, QStringLiteral("retry_after"), 0, 86400, 0);
        if (!retry)
            return std::unexpected(retry.error());
        limit.retryAfterSeconds = *retry;
    }
    return limit;
}

QJsonValue renameKeys(const QJsonValue& value, const QList<QPair<QString, QString>>& renames)
{
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue element : value.toArray())
            out.append(renameKeys(element, renames));
        return out;
    }
    if (!value.isObject())
        return value;
    const QJsonObject in = value.toObject();
    QJsonObject out;
    for (auto it = in.constBegin(); it != in.constEnd(); ++it) {
        QString key = it.key();
        for (const auto& [from, to] : renames) {
            if (key == from) {
                key = to;
                break;
            }
        }
        out.insert(key, renameKeys(it.value(), renames));
    }
    return out;
}

} // namespace

Result<RouteFaults> RouteFaults::fromJson(const QJsonObject& json)
{
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        if (!knownFields().contains(it.key()))
            return invalid(it.key(), QStringLiteral("unknown fault"));
    }
    RouteFaults f;
    auto latency = readInt(json, QStringLiteral("latency_ms"), 0, 600'000, 0);
    auto jitter = readInt(json, QStringLiteral("jitter_ms"), 0, 600'000, 0);
    auto status = readInt(json, QStringLiteral("error_status"), 400, 599, 500);
    for (const auto* r : {&latency, &jitter, &status}) {
        if (!*r)
            return std::unexpected(r->error());
    }
    f.latencyMs = *latency;
    f.jitterMs = *jitter;
    f.errorStatus = *status;
    if (json.contains(QStringLiteral("error_rate"))) {
        const QJsonValue rate = json.value(QStringLiteral("error_rate"));
        if (!rate.isDouble() || rate.toDouble() < 0 || rate.toDouble() > 1)
            return invalid(QStringLiteral("error_rate"), QStringLiteral("a number in [0, 1]"));
        f.errorRate = rate.toDouble();
    }
    if (json.contains(QStringLiteral("rate_limit"))) {
        auto limit = readRateLimit(json.value(QStringLiteral("rate_limit")));
        if (!limit)
            return std::unexpected(limit.error());
        f.rateLimit = *limit;
    }
    const QList<QPair<QString, bool*>> flags{{QStringLiteral("truncate"), &f.truncate},
                                             {QStringLiteral("invalid_json"), &f.invalidJson},
                                             {QStringLiteral("html_instead"), &f.htmlInstead},
                                             {QStringLiteral("hang"), &f.hang},
                                             {QStringLiteral("reset"), &f.reset},
                                             {QStringLiteral("removed"), &f.removed},
                                             {QStringLiteral("after_handler"), &f.afterHandler}};
    for (const auto& [name, target] : flags) {
        auto flag = readBool(json, name);
        if (!flag)
            return std::unexpected(flag.error());
        *target = *flag;
    }
    if (json.contains(QStringLiteral("rename_fields"))) {
        const QJsonValue renames = json.value(QStringLiteral("rename_fields"));
        if (!renames.isObject())
            return invalid(QStringLiteral("rename_fields"), QStringLiteral("an object {old: new}"));
        const QJsonObject map = renames.toObject();
        for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
            if (!it.value().isString() || it.value().toString().isEmpty())
                return invalid(QStringLiteral("rename_fields.") + it.key(),
                               QStringLiteral("a new field name"));
            f.renameFields.append({it.key(), it.value().toString()});
        }
    }
    if (json.contains(QStringLiteral("mutate"))) {
        const QJsonValue list = json.value(QStringLiteral("mutate"));
        if (!list.isArray())
            return invalid(QStringLiteral("mutate"), QStringLiteral("an array of {op, path, ...}"));
        for (const QJsonValue entry : list.toArray()) {
            auto mutation = JsonMutation::fromJson(entry.toObject());
            if (!entry.isObject() || !mutation)
                return mutation ? invalid(QStringLiteral("mutate"), QStringLiteral("objects only"))
                                : std::unexpected(mutation.error());
            f.mutate.append(*mutation);
        }
    }
    if (json.contains(QStringLiteral("wrap"))) {
        const QJsonValue wrap = json.value(QStringLiteral("wrap"));
        if (!wrap.isString() || wrap.toString().isEmpty())
            return invalid(QStringLiteral("wrap"), QStringLiteral("a key"));
        f.wrap = wrap.toString();
    }
    return f;
}

QJsonObject RouteFaults::toJson() const
{
    QJsonObject json{{QStringLiteral("latency_ms"), latencyMs},
                     {QStringLiteral("jitter_ms"), jitterMs},
                     {QStringLiteral("error_rate"), errorRate},
                     {QStringLiteral("error_status"), errorStatus},
                     {QStringLiteral("truncate"), truncate},
                     {QStringLiteral("invalid_json"), invalidJson},
                     {QStringLiteral("html_instead"), htmlInstead},
                     {QStringLiteral("hang"), hang},
                     {QStringLiteral("reset"), reset},
                     {QStringLiteral("removed"), removed},
                     {QStringLiteral("after_handler"), afterHandler}};
    if (rateLimit) {
        QJsonObject limit{{QStringLiteral("requests"), rateLimit->requests},
                          {QStringLiteral("per_seconds"), rateLimit->perSeconds}};
        if (rateLimit->retryAfterSeconds)
            limit.insert(QStringLiteral("retry_after"), *rateLimit->retryAfterSeconds);
        json.insert(QStringLiteral("rate_limit"), limit);
    }
    QJsonObject renames;
    for (const auto& [from, to] : renameFields)
        renames.insert(from, to);
    json.insert(QStringLiteral("rename_fields"), renames);
    if (!mutate.isEmpty()) {
        QJsonArray list;
        for (const JsonMutation& m : mutate)
            list.append(m.toJson());
        json.insert(QStringLiteral("mutate"), list);
    }
    if (!wrap.isEmpty())
        json.insert(QStringLiteral("wrap"), wrap);
    return json;
}

bool FaultDecision::preventsHandler() const
{
    return removed || rateLimitedRetryAfter || (!afterHandler && (errorStatus || hang || reset));
}

QStringList FaultDecision::names() const
{
    QStringList out;
    if (delay.count() > 0)
        out << QStringLiteral("latency");
    if (removed)
        out << QStringLiteral("removed");
    if (rateLimitedRetryAfter)
        out << QStringLiteral("rate_limited");
    if (errorStatus)
        out << QStringLiteral("error_%1").arg(*errorStatus);
    if (hang)
        out << QStringLiteral("hang");
    if (reset)
        out << QStringLiteral("reset");
    if (afterHandler && (errorStatus || hang || reset))
        out << QStringLiteral("after_handler");
    if (truncate)
        out << QStringLiteral("truncate");
    if (invalidJson)
        out << QStringLiteral("invalid_json");
    if (htmlInstead)
        out << QStringLiteral("html_instead");
    if (!renames.isEmpty())
        out << QStringLiteral("rename_fields");
    if (!mutate.isEmpty())
        out << QStringLiteral("mutate");
    if (!wrap.isEmpty())
        out << QStringLiteral("wrap");
    return out;
}

FaultPlan::FaultPlan(quint64 seed)
    : m_random(seed)
{
    m_clock.start();
}

Status FaultPlan::replace(const QJsonObject& plan)
{
    QHash<QString, RouteFaults> routes;
    for (auto it = plan.constBegin(); it != plan.constEnd(); ++it) {
        if (!it.value().isObject())
            return invalid(it.key(), QStringLiteral("the faults of a route are an object"));
        auto faults = RouteFaults::fromJson(it.value().toObject());
        if (!faults)
            return fail(faults.error().code, it.key() + QStringLiteral(".") + faults.error().message);
        routes.insert(it.key(), *faults);
    }
    m_routes = std::move(routes);
    m_admittedAtMs.clear();
    m_answers.clear();
    return ok();
}

Status FaultPlan::setRoute(const QString& route, const QJsonObject& faults)
{
    auto parsed = RouteFaults::fromJson(faults);
    if (!parsed)
        return std::unexpected(parsed.error());
    m_routes.insert(route, *parsed);
    m_admittedAtMs.remove(route);
    m_answers.remove(route);
    return ok();
}

void FaultPlan::clearRoute(const QString& route)
{
    m_routes.remove(route);
    m_admittedAtMs.remove(route);
}

void FaultPlan::clear()
{
    m_routes.clear();
    m_admittedAtMs.clear();
}

void FaultPlan::reseed(quint64 seed)
{
    m_random.seed(seed);
}

QJsonObject FaultPlan::toJson() const
{
    QJsonObject json;
    for (auto it = m_routes.cbegin(); it != m_routes.cend(); ++it)
        json.insert(it.key(), it.value().toJson());
    return json;
}

std::optional<int> FaultPlan::spendRateBudget(const QString& route, const RouteFaults::RateLimit& limit)
{
    const qint64 now = m_clock.elapsed();
    const auto windowMs = static_cast<qint64>(std::ceil(limit.perSeconds * 1000.0));
    std::deque<qint64>& admitted = m_admittedAtMs[route];
    while (!admitted.empty() && admitted.front() <= now - windowMs)
        admitted.pop_front();
    if (admitted.size() < static_cast<size_t>(limit.requests)) {
        admitted.push_back(now);
        return std::nullopt;
    }
    if (limit.retryAfterSeconds)
        return *limit.retryAfterSeconds;
    const qint64 waitMs = admitted.empty() ? windowMs : admitted.front() + windowMs - now;
    return static_cast<int>(std::max<qint64>(1, (waitMs + 999) / 1000));
}

FaultDecision FaultPlan::decide(const QString& route)
{
    FaultDecision d;
    d.route = route;
    auto it = m_routes.constFind(route);
    if (it == m_routes.cend())
        it = m_routes.constFind(kAnyRoute);
    if (it == m_routes.cend())
        return d;
    const RouteFaults& f = it.value();
    const int jitter = f.jitterMs > 0 ? static_cast<int>(m_random.bounded(f.jitterMs + 1)) : 0;
    d.delay = std::chrono::milliseconds(f.latencyMs + jitter);
    d.removed = f.removed;
    if (!d.removed && f.rateLimit)
        d.rateLimitedRetryAfter = spendRateBudget(it.key(), *f.rateLimit);
    if (f.errorRate > 0 && m_random.generateDouble() < f.errorRate)
        d.errorStatus = f.errorStatus;
    d.hang = f.hang;
    d.reset = f.reset;
    d.afterHandler = f.afterHandler;
    d.truncate = f.truncate;
    d.invalidJson = f.invalidJson;
    d.htmlInstead = f.htmlInstead;
    d.renames = f.renameFields;
    d.mutate = f.mutate;
    d.wrap = f.wrap;
    d.answerIndex = m_answers[route]++;
    return d;
}

void FaultPlan::countMutations(const QString& route, int changed)
{
    if (changed > 0)
        m_mutated[route] += changed;
}

QJsonObject FaultPlan::mutationCounts() const
{
    QJsonObject counts;
    for (auto it = m_mutated.cbegin(); it != m_mutated.cend(); ++it)
        counts.insert(it.key(), it.value());
    return counts;
}

int FaultPlan::transformBody(SimResponse& response, const FaultDecision& decision)
{
    QJsonParseError parseError;
    const QJsonDocument doc = decision.renames.isEmpty() || !response.isJson()
                                  ? QJsonDocument()
                                  : QJsonDocument::fromJson(response.body, &parseError);
    if (!doc.isNull()) {
        const QJsonValue renamed =
            renameKeys(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()), decision.renames);
        response.body = renamed.isArray() ? QJsonDocument(renamed.toArray()).toJson(QJsonDocument::Compact)
                                          : QJsonDocument(renamed.toObject()).toJson(QJsonDocument::Compact);
    }
    // Last of the JSON changes: an invalid UTF-8 value cannot be parsed again.
    const int mutated = response.isJson() ? mutateJsonBody(response.body, decision.mutate, decision.wrap,
                                                           decision.answerIndex)
                                          : 0;
    if (decision.invalidJson && response.isJson()) {
        // Half of a JSON document never parses: its brackets are unbalanced.
        response.body =
            response.body.isEmpty() ? QByteArrayLiteral("{") : response.body.left(response.body.size() / 2);
    }
    if (decision.htmlInstead) {
        response.body = QByteArrayLiteral("<!DOCTYPE html>\n<html><head><title>Service notice</title></head>"
                                          "<body><h1>We'll be right back</h1><p>The service is temporarily "
                                          "unavailable.</p></body></html>\n");
        response.setHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/html; charset=utf-8"));
    }
    return mutated;
}

} // namespace odis::sim
