#include "tests/sim/neo/neo_data_routes.h"

#include "tests/sim/common/sim_http_server.h"
#include "tests/sim/neo/neo_config_json.h"
#include "tests/sim/neo/neo_consultation_json.h"
#include "tests/sim/neo/neo_html_clinic.h"
#include "tests/sim/neo/neo_html_pages.h"
#include "tests/sim/neo/neo_http.h"
#include "tests/sim/neo/neo_schedule_json.h"
#include "tests/sim/neo/neo_state.h"

#include <QJsonDocument>

#include <functional>
#include <optional>

namespace odis::sim::neo {

namespace {

using JsonHandler = std::function<SimResponse(NeoState&, const SimRequest&)>;

SimResponse badRequest(const QString& message)
{
    return SimResponse::error(400, QStringLiteral("bad_request"),
                              QJsonObject{{QStringLiteral("message"), message}});
}

SimResponse notFound()
{
    return SimResponse::error(404, QStringLiteral("not_found"));
}

std::optional<qint64> positiveId(const QString& text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    return ok && id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

// Every JSON endpoint: count the headers, then require a live session.
SimReply guardedJson(NeoState& state, const SimRequest& request, const JsonHandler& handler)
{
    recordJsonHeaders(state, request);
    const SessionState session = touchSession(state, request);
    if (session != SessionState::Valid) {
        return sessionRequiredForJson(state, request, session);
    }
    return handler(state, request);
}

NeoCalendarSetup calendarSetup(const NeoState& state)
{
    return NeoCalendarSetup{state.model.providers(), state.model.columns(), state.clinicProfile};
}

SimResponse schedule(NeoState& state, const SimRequest& request)
{
    const auto window = parseScheduleWindow(request.query);
    if (!window) {
        return badRequest(window.error().message);
    }
    const QDateTime now = state.now();
    const QList<SimAppointment> events =
        state.scheduleDays.apply(appointmentsInWindow(state.model.snapshotAt(now), *window));
    state.scheduleCallTimes.append(now);
    return jsonBodyResponse(200, renderSchedule(events, state.variants.schedule));
}

SimResponse consultation(NeoState& state, const SimRequest& request)
{
    const auto id = positiveId(request.param(QStringLiteral("id")));
    const auto found = id ? state.model.consultationAt(*id, state.now()) : std::nullopt;
    if (!found) {
        return notFound();
    }
    return jsonBodyResponse(200, renderConsultation(*found, state.variants.consultation,
                                                    state.variants.summary, state.clinicInfo()));
}

SimResponse configs(NeoState& state, const SimRequest&)
{
    return SimResponse::json(200, scheduleConfigs(calendarSetup(state)));
}

SimResponse view(NeoState& state, const SimRequest&)
{
    return SimResponse::json(200, appointmentView(calendarSetup(state), state.model.snapshotAt(state.now())));
}

SimResponse appointment(NeoState& state, const SimRequest& request)
{
    const auto id = positiveId(request.query.queryItemValue(QStringLiteral("id"), QUrl::FullyDecoded));
    if (!id) {
        return badRequest(QStringLiteral("id must be a positive integer"));
    }
    const auto found = state.model.appointmentAt(*id, state.now());
    if (!found) {
        return notFound();
    }
    return SimResponse::json(200, appointmentDetail(*found, state.model.columns()));
}

SimReply schedulePageRoute(NeoState& state, const SimRequest& request)
{
    if (touchSession(state, request) != SessionState::Valid) {
        return sessionRequiredForPage();
    }
    const QString dateText = request.query.queryItemValue(QStringLiteral("date"), QUrl::FullyDecoded);
    const QDate date =
        dateText.isEmpty() ? state.nowLocal().date() : QDate::fromString(dateText, Qt::ISODate);
    if (!date.isValid()) {
        return htmlResponse(
            400, messagePage(QStringLiteral("Bad request"), QStringLiteral("date must be YYYY-MM-DD")));
    }
    const ScheduleWindow day{QDateTime(date, QTime(0, 0), Qt::UTC),
                             QDateTime(date, QTime(23, 59, 59), Qt::UTC)};
    const QDateTime now = state.now();
    const QList<SimAppointment> rows =
        state.scheduleDays.apply(appointmentsInWindow(state.model.snapshotAt(now), day));
    // A DOM-fallback sync reads the schedule through these pages: they are sync times as much as the JSON.
    state.scheduleCallTimes.append(now);
    return htmlResponse(200, schedulePage(date, rows, state.variants.layout));
}

SimReply consultationDetailsRoute(NeoState& state, const SimRequest& request)
{
    if (touchSession(state, request) != SessionState::Valid) {
        return sessionRequiredForPage();
    }
    const auto id = positiveId(request.param(QStringLiteral("id")));
    const auto found = id ? state.model.consultationAt(*id, state.now()) : std::nullopt;
    if (!found) {
        return htmlResponse(
            404, messagePage(QStringLiteral("Not found"), QStringLiteral("No such consultation.")));
    }
    return htmlResponse(200, consultationDetailsPage(*found, state.variants.layout));
}

} // namespace

odis::Status addDataRoutes(SimHttpServer& server, NeoState& state)
{
    const QList<std::pair<NeoEndpoint, std::pair<const char*, JsonHandler>>> json = {
        {NeoEndpoint::Schedule, {"/appointments/getCalendarEventData", schedule}},
        {NeoEndpoint::Consultation, {"/consultations/{id}/page-data", consultation}},
        {NeoEndpoint::ScheduleConfigs, {"/schedule/getScheduleConfigs", configs}},
        {NeoEndpoint::AppointmentView, {"/appointments/getAppointmentView", view}},
        {NeoEndpoint::Appointment, {"/appointments/getAppointment", appointment}},
    };
    for (const auto& [endpoint, route] : json) {
        const JsonHandler handler = route.second;
        auto added = server.addRoute(
            endpointName(endpoint), QByteArrayLiteral("GET"), QString::fromLatin1(route.first),
            [&state, handler](const SimRequest& r) { return guardedJson(state, r, handler); });
        if (!added) {
            return added;
        }
    }
    auto added = server.addRoute(QStringLiteral("schedule_page"), QByteArrayLiteral("GET"),
                                 QStringLiteral("/schedule"),
                                 [&state](const SimRequest& r) { return schedulePageRoute(state, r); });
    if (!added) {
        return added;
    }
    return server.addRoute(QStringLiteral("consultation_details"), QByteArrayLiteral("GET"),
                           QStringLiteral("/consultations/{id}/details"),
                           [&state](const SimRequest& r) { return consultationDetailsRoute(state, r); });
}

} // namespace odis::sim::neo
