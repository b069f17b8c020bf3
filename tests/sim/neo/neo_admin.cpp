#include "tests/sim/neo/neo_admin.h"

#include "tests/sim/common/sim_http_server.h"
#include "tests/sim/neo/clinic_time.h"
#include "tests/sim/neo/ground_truth.h"
#include "tests/sim/neo/neo_state.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <functional>

namespace odis::sim::neo {

namespace {

SimResponse badRequest(const QString& message)
{
    return SimResponse::error(400, QStringLiteral("bad_request"),
                              QJsonObject{{QStringLiteral("message"), message}});
}

SimResponse okJson(const QJsonObject& body)
{
    return SimResponse::json(200, body);
}

// An empty body is an empty object; anything else must be a JSON object.
odis::Result<QJsonObject> bodyObject(const SimRequest& request)
{
    if (request.body.trimmed().isEmpty()) {
        return QJsonObject{};
    }
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        return odis::fail(QStringLiteral("bad_request"), QStringLiteral("the body must be a JSON object"));
    }
    return doc.object();
}

// A whole number >= minimum under `key`, when present.
odis::Result<std::optional<qint64>> wholeNumber(const QJsonObject& obj, const QString& key, qint64 minimum)
{
    if (!obj.contains(key)) {
        return std::optional<qint64>();
    }
    const QJsonValue v = obj.value(key);
    const double d = v.toDouble(-1.0);
    if (!v.isDouble() || d != double(qint64(d)) || qint64(d) < minimum) {
        return odis::fail(QStringLiteral("bad_request"),
                          key + QStringLiteral(" must be a whole number >= ") + QString::number(minimum));
    }
    return std::optional<qint64>(qint64(d));
}

QJsonObject clockJson(const NeoState& s)
{
    return {{QStringLiteral("now"), isoUtc(s.now())},
            {QStringLiteral("now_local"), s.nowLocal().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))},
            {QStringLiteral("timezone"), QString::fromLatin1(s.zone().id())},
            {QStringLiteral("speed"), s.clock.speed()}};
}

QJsonObject sessionJson(const NeoState& s)
{
    return {{QStringLiteral("idle_seconds"), s.sessions.timeouts().idleSeconds},
            {QStringLiteral("absolute_seconds"), s.sessions.timeouts().absoluteSeconds},
            {QStringLiteral("active"), s.sessions.count()}};
}

QJsonObject lockoutJson(const NeoState& s)
{
    return {{QStringLiteral("threshold"), s.login.policy().threshold},
            {QStringLiteral("lock_seconds"), s.login.policy().lockSeconds}};
}

QJsonObject credentialsJson(const NeoState& s)
{
    const NeoAccount& a = s.login.account();
    return {{QStringLiteral("company_id"), a.companyId.isEmpty() ? QJsonValue() : QJsonValue(a.companyId)},
            {QStringLiteral("company_id_shown"), s.companyIdShown()},
            {QStringLiteral("username"), a.username},
            {QStringLiteral("password"), a.password},
            {QStringLiteral("second_factor"), s.secondFactorOn()},
            {QStringLiteral("second_factor_code"), a.secondFactorCode}};
}

QJsonObject syncTimesJson(const NeoState& s)
{
    QJsonArray times;
    for (const QDateTime& t : s.scheduleCallTimes) {
        times.append(isoUtc(t));
    }
    return {{QStringLiteral("sync_times"), times}};
}

SimResponse putClock(NeoState& s, const QJsonObject& body)
{
    QDateTime now;
    if (body.contains(QStringLiteral("now"))) {
        // A zone is required: a bare local time would be read in the machine's zone.
        now = QDateTime::fromString(body.value(QStringLiteral("now")).toString(), Qt::ISODate);
        if (!now.isValid() || now.timeSpec() == Qt::LocalTime) {
            return badRequest(QStringLiteral("now must be an ISO 8601 instant with Z or an offset"));
        }
    }
    const QJsonValue speed = body.value(QStringLiteral("speed"));
    if (!speed.isUndefined() && (!speed.isDouble() || speed.toDouble() < 0)) {
        return badRequest(QStringLiteral("speed must be a number >= 0"));
    }
    if (now.isValid()) {
        s.clock.set(now);
    }
    if (speed.isDouble()) {
        s.clock.setSpeed(speed.toDouble());
    }
    return okJson(clockJson(s));
}

SimResponse advanceClock(NeoState& s, const QJsonObject& body)
{
    const auto seconds = wholeNumber(body, QStringLiteral("seconds"), 0);
    if (!seconds || !*seconds) {
        return badRequest(QStringLiteral("seconds must be a whole number >= 0"));
    }
    s.clock.advance(**seconds);
    return okJson(clockJson(s));
}

SimResponse putVariants(NeoState& s, const QJsonObject& body)
{
    auto next = s.variants.merged(body);
    if (!next) {
        return badRequest(next.error().message);
    }
    s.variants = *next;
    useEmailUsernameWhenAsked(s);
    return okJson(s.variants.toJson());
}

SimResponse putScheduleDays(NeoState& s, const QJsonObject& body)
{
    auto faults = ScheduleDayFaults::fromJson(body);
    if (!faults) {
        return badRequest(faults.error().message);
    }
    s.scheduleDays = *faults;
    return okJson(s.scheduleDays.toJson());
}

SimResponse putSession(NeoState& s, const QJsonObject& body)
{
    const auto idle = wholeNumber(body, QStringLiteral("idle_seconds"), 1);
    const auto absolute = wholeNumber(body, QStringLiteral("absolute_seconds"), 1);
    if (!idle || !absolute) {
        return badRequest((!idle ? idle.error() : absolute.error()).message);
    }
    SessionTimeouts t = s.sessions.timeouts();
    t.idleSeconds = idle->value_or(t.idleSeconds);
    t.absoluteSeconds = absolute->value_or(t.absoluteSeconds);
    s.sessions.setTimeouts(t);
    return okJson(sessionJson(s));
}

SimResponse putLockout(NeoState& s, const QJsonObject& body)
{
    const auto threshold = wholeNumber(body, QStringLiteral("threshold"), 0);
    const auto lockSeconds = wholeNumber(body, QStringLiteral("lock_seconds"), 0);
    if (!threshold || !lockSeconds) {
        return badRequest((!threshold ? threshold.error() : lockSeconds.error()).message);
    }
    LockoutPolicy p = s.login.policy();
    p.threshold = int(threshold->value_or(p.threshold));
    p.lockSeconds = lockSeconds->value_or(p.lockSeconds);
    s.login.setPolicy(p);
    return okJson(lockoutJson(s));
}

SimResponse putClinicProfile(NeoState& s, const QJsonObject& body)
{
    auto parsed = parseClinicProfile(body);
    if (!parsed) {
        return badRequest(parsed.error().message);
    }
    s.clinicProfileJson = body;
    s.clinicProfile = *parsed;
    return okJson(s.clinicProfileJson);
}

odis::Result<QDateTime> instant(const QString& text)
{
    const QDateTime t = QDateTime::fromString(text, Qt::ISODate);
    if (!t.isValid() || t.timeSpec() == Qt::LocalTime) {
        return odis::fail(QStringLiteral("bad_request"),
                          QStringLiteral("not a UTC ISO 8601 instant: ") + text);
    }
    return t.toUTC();
}

// What a perfect agent would have uploaded by `at` (default: now) had it synced at `sync_times`
// (default: the schedule calls this server answered up to `at`).
SimResponse groundTruth(const NeoState& s, const SimRequest& request)
{
    const QString atText = request.query.queryItemValue(QStringLiteral("at"), QUrl::FullyDecoded);
    auto at = atText.isEmpty() ? odis::Result<QDateTime>(s.now()) : instant(atText);
    if (!at) {
        return badRequest(at.error().message);
    }
    QList<QDateTime> syncTimes;
    if (request.query.hasQueryItem(QStringLiteral("sync_times"))) {
        const QStringList given =
            request.query.queryItemValue(QStringLiteral("sync_times"), QUrl::FullyDecoded)
                .split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString& text : given) {
            auto t = instant(text.trimmed().replace(QLatin1Char(' '), QLatin1Char('+')));
            if (!t) {
                return badRequest(t.error().message);
            }
            if (*t <= *at) {
                syncTimes.append(*t);
            }
        }
    } else {
        for (const QDateTime& t : s.scheduleCallTimes) {
            if (t <= *at) {
                syncTimes.append(t);
            }
        }
    }
    auto truth = computeGroundTruth(s.model, s.clinicProfileJson, syncTimes);
    if (!truth) {
        return SimResponse::error(409, truth.error().code,
                                  QJsonObject{{QStringLiteral("message"), truth.error().message}});
    }
    return okJson(*truth);
}

// When each consultation's notes first appeared in Neo: the model's timeline, read by no agent code. A
// reliability test measures from here to the item's acknowledgement (the simulated clock, so exact).
QJsonObject noteTimesJson(const NeoState& s)
{
    QJsonArray notes;
    for (const qint64 id : s.model.appointmentIds()) {
        const auto initial = s.model.initialState(id);
        if (!initial)
            continue;
        std::optional<qint64> consultation = initial->consultationId;
        QDateTime written;
        if (!initial->notesHtml.isEmpty())
            written = initial->bookedUtc;
        for (const SimChange& change : s.model.changesOf(id)) {
            if (change.consultationId)
                consultation = change.consultationId;
            if (!written.isValid() && change.notesHtml && !change.notesHtml->isEmpty())
                written = change.atUtc;
        }
        if (!written.isValid() || !consultation)
            continue;
        notes.append(QJsonObject{{QStringLiteral("neo_appointment_id"), QString::number(id)},
                                 {QStringLiteral("neo_consultation_id"), QString::number(*consultation)},
                                 {QStringLiteral("written_at"), isoUtc(written)}});
    }
    return {{QStringLiteral("notes"), notes}};
}

QJsonObject stateJson(const NeoState& s)
{
    return {{QStringLiteral("clock"), clockJson(s)},
            {QStringLiteral("variants"), s.variants.toJson()},
            {QStringLiteral("session"), sessionJson(s)},
            {QStringLiteral("lockout"), lockoutJson(s)},
            {QStringLiteral("login_attempts"), s.login.countsJson(s.now())},
            {QStringLiteral("json_headers"), s.headerStatsJson()},
            {QStringLiteral("sync_times"), syncTimesJson(s).value(QStringLiteral("sync_times"))}};
}

} // namespace

odis::Status addNeoAdminRoutes(SimHttpServer& server, NeoState& state)
{
    using Handler = std::function<SimResponse(NeoState&, const QJsonObject&)>;
    const auto get = [](std::function<QJsonObject(const NeoState&)> render) -> Handler {
        return [render = std::move(render)](NeoState& s, const QJsonObject&) { return okJson(render(s)); };
    };
    const auto action = [](std::function<void(NeoState&)> act,
                           std::function<QJsonObject(const NeoState&)> render) {
        return Handler([act = std::move(act), render = std::move(render)](NeoState& s, const QJsonObject&) {
            act(s);
            return okJson(render(s));
        });
    };
    const QList<std::tuple<QByteArray, QString, Handler>> routes = {
        {"GET", QStringLiteral("/state"), get(stateJson)},
        {"GET", QStringLiteral("/clock"), get(clockJson)},
        {"PUT", QStringLiteral("/clock"), putClock},
        {"POST", QStringLiteral("/clock/advance"), advanceClock},
        {"GET", QStringLiteral("/variants"), get([](const NeoState& s) { return s.variants.toJson(); })},
        {"PUT", QStringLiteral("/variants"), putVariants},
        {"GET", QStringLiteral("/session"), get(sessionJson)},
        {"PUT", QStringLiteral("/session"), putSession},
        {"POST", QStringLiteral("/session/expire"),
         action([](NeoState& s) { s.sessions.expireAll(); }, sessionJson)},
        {"GET", QStringLiteral("/lockout"), get(lockoutJson)},
        {"PUT", QStringLiteral("/lockout"), putLockout},
        {"POST", QStringLiteral("/unlock"),
         action([](NeoState& s) { s.login.unlock(); },
                [](const NeoState& s) { return s.login.countsJson(s.now()); })},
        {"GET", QStringLiteral("/login-attempts"),
         get([](const NeoState& s) { return s.login.countsJson(s.now()); })},
        {"DELETE", QStringLiteral("/login-attempts"),
         action([](NeoState& s) { s.login.resetCounts(); },
                [](const NeoState& s) { return s.login.countsJson(s.now()); })},
        {"GET", QStringLiteral("/json-headers"), get([](const NeoState& s) { return s.headerStatsJson(); })},
        {"GET", QStringLiteral("/credentials"), get(credentialsJson)},
        {"GET", QStringLiteral("/clinic-profile"),
         get([](const NeoState& s) { return s.clinicProfileJson; })},
        {"PUT", QStringLiteral("/clinic-profile"), putClinicProfile},
        {"GET", QStringLiteral("/schedule-days"),
         get([](const NeoState& s) { return s.scheduleDays.toJson(); })},
        {"PUT", QStringLiteral("/schedule-days"), putScheduleDays},
        {"DELETE", QStringLiteral("/schedule-days"),
         action([](NeoState& s) { s.scheduleDays = {}; },
                [](const NeoState& s) { return s.scheduleDays.toJson(); })},
        {"GET", QStringLiteral("/sync-times"), get(syncTimesJson)},
        {"GET", QStringLiteral("/note-times"), get(noteTimesJson)},
        {"DELETE", QStringLiteral("/sync-times"),
         action([](NeoState& s) { s.scheduleCallTimes.clear(); }, syncTimesJson)},
    };
    auto added = server.addAdminRoute(
        "GET", QStringLiteral("/ground-truth"),
        [&state](const SimRequest& request) -> SimReply { return groundTruth(state, request); });
    if (!added) {
        return added;
    }
    for (const auto& [method, pattern, handler] : routes) {
        added =
            server.addAdminRoute(method, pattern, [&state, handler](const SimRequest& request) -> SimReply {
                auto body = bodyObject(request);
                if (!body) {
                    return badRequest(body.error().message);
                }
                return handler(state, *body);
            });
        if (!added) {
            return added;
        }
    }
    return odis::ok();
}

} // namespace odis::sim::neo
