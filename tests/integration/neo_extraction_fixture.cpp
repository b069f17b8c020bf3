#include "tests/integration/neo_extraction_fixture.h"

#include "sync/core/payloads.h"
#include "sync/neo/selector_profile_source.h"
#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/sim_test_client.h"

#include <QEventLoop>
#include <QTimer>

namespace odis::test {

QJsonObject NeoWorld::admin(const QByteArray& method, const QString& path, const QJsonObject& body) const
{
    sim::test::SimTestClient client(pki->clientConfiguration());
    QUrl url = sim->baseUrl();
    const qsizetype query = path.indexOf(QLatin1Char('?'));
    url.setPath(QStringLiteral("/__admin") + path.left(query));
    if (query >= 0) {
        url.setQuery(path.mid(query + 1));
    }
    const auto result = body.isEmpty() ? client.send(method, url) : client.sendJson(method, url, body);
    if (result.status < 200 || result.status > 299) {
        qWarning("admin %s %s answered %d: %s", method.constData(), qPrintable(path), result.status,
                 result.body.left(300).constData());
        return {};
    }
    return result.json();
}

bool NeoWorld::setFault(const QString& route, const QJsonObject& faults) const
{
    return !admin("PUT", QStringLiteral("/faults/") + route, faults).isEmpty();
}

void NeoWorld::clearFaults() const
{
    admin("DELETE", QStringLiteral("/faults"));
}

bool NeoWorld::advanceClock(qint64 seconds) const
{
    return !admin("POST", QStringLiteral("/clock/advance"), QJsonObject{{QStringLiteral("seconds"), seconds}})
                .isEmpty();
}

qint64 NeoWorld::requests(const QString& route) const
{
    return sim->requestLog().count(route);
}

qint64 NeoWorld::dataRequests() const
{
    qint64 total = 0;
    for (const QString& route : dataRoutes()) {
        total += requests(route);
    }
    return total;
}

QSet<QString> NeoWorld::requestedIds(const QString& route) const
{
    QSet<QString> ids;
    for (const auto& entry : sim->requestLog().entries()) {
        if (entry.route != route) {
            continue;
        }
        for (const QString& segment : entry.path.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
            bool number = false;
            segment.toLongLong(&number);
            if (number) {
                ids.insert(segment);
            }
        }
    }
    return ids;
}

void NeoWorld::clearRequests() const
{
    sim->requestLog().clear();
}

sync::NeoReadSettings NeoWorld::readSettings() const
{
    sync::NeoReadSettings settings = NeoExtractionFixture::settings();
    const QJsonObject profile = admin("GET", QStringLiteral("/clinic-profile"));
    const QJsonObject sync = profile.value(QStringLiteral("sync")).toObject();
    settings.clinicZone = QTimeZone(profile.value(QStringLiteral("timezone")).toString().toUtf8());
    settings.phoneCountry =
        sync::PhoneCountry::fromIsoCode(profile.value(QStringLiteral("country")).toString())
            .value_or(sync::PhoneCountry());
    settings.reconcileDays = sync.value(QStringLiteral("reconcile_days")).toInt(-1);
    settings.lookaheadDays = sync.value(QStringLiteral("lookahead_days")).toInt(-1);
    settings.lookbackHours = sync.value(QStringLiteral("lookback_hours")).toInt(-1);
    return settings;
}

bool NeoWorld::newRun()
{
    session->close();
    session = NeoSessionFixture::session(sessionConfig);
    return loginSucceeds(*session, NeoSessionFixture::credentials(*sim));
}

const QStringList& dataRoutes()
{
    static const QStringList routes{QStringLiteral("schedule"),
                                    QStringLiteral("consultation"),
                                    QStringLiteral("appointment"),
                                    QStringLiteral("schedule_configs"),
                                    QStringLiteral("appointment_view"),
                                    QStringLiteral("schedule_page"),
                                    QStringLiteral("consultation_details")};
    return routes;
}

std::optional<NeoWorld> NeoExtractionFixture::start(const ClinicSetup& setup) const
{
    sim::neo::ClinicOptions clinic;
    clinic.seed = setup.seed;
    clinic.providers = setup.providers;
    clinic.days = setup.days;
    sim::neo::NeoServerConfig config{sim::neo::ClinicModel::generate(clinic)};
    config.faultSeed = setup.seed;
    config.variants = setup.variants;
    config.startUtc =
        setup.nowUtc.isValid() ? setup.nowUtc : QDateTime(clinic.firstDay, QTime(17, 0), clinic.zone).toUTC();
    auto server = sim::neo::NeoServer::create(std::move(config));
    if (!server) {
        qWarning("simulator: %s", qPrintable(server.error().toString()));
        return std::nullopt;
    }
    (*server)->useTls(m_sessions.trustedPki());
    if (auto started = (*server)->start(); !started) {
        qWarning("simulator: %s", qPrintable(started.error().toString()));
        return std::nullopt;
    }
    NeoWorld world;
    world.sim = std::move(*server);
    world.pki = &m_sessions.trustedPki();
    world.clock.set(world.sim->state().now());
    world.sessionConfig = NeoSessionFixture::config(world.sim->baseUrl());
    if (setup.callTimeout) {
        world.sessionConfig.callTimeout = *setup.callTimeout;
    }
    world.session = NeoSessionFixture::session(world.sessionConfig);
    if (!loginSucceeds(*world.session, NeoSessionFixture::credentials(*world.sim))) {
        return std::nullopt;
    }
    return world;
}

sync::NeoReadSettings NeoExtractionFixture::settings()
{
    sync::NeoReadSettings settings;
    settings.clinicZone = QTimeZone("America/Los_Angeles");
    settings.phoneCountry = *sync::PhoneCountry::fromIsoCode(u"US");
    settings.pacing = sync::PacerSettings{4, 200, 20};
    settings.retry.serverErrors = sync::BackoffPolicy{
        std::chrono::milliseconds(20), std::chrono::milliseconds(200), 4, std::chrono::seconds(60)};
    settings.retry.maxRetryAfter = std::chrono::seconds(5);
    settings.domSettle = std::chrono::milliseconds(500);
    return settings;
}

std::optional<Result<sync::NeoRead>> runRead(NeoWorld& world, const sync::NeoReadSettings& settings,
                                             const sync::NeoReadInput& input,
                                             sync::LayoutDiagnostics* diagnostics, int timeoutMs)
{
    auto profile = sync::loadSelectorProfile();
    if (!profile) {
        qWarning("selector profile: %s", qPrintable(profile.error().toString()));
        return std::nullopt;
    }
    world.clock.set(world.sim->state().now());
    sync::NeoExtractor extractor(*world.session, world.clock, *profile, settings, diagnostics);
    std::optional<Result<sync::NeoRead>> answer;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    extractor.read(input, [&](Result<sync::NeoRead> read) {
        answer = std::move(read);
        loop.quit();
    });
    timer.start(timeoutMs);
    if (!answer) {
        loop.exec();
    }
    return answer;
}

QHash<QString, sync::NeoReadState> readStatesAfter(const sync::NeoRead& read,
                                                   const QHash<QString, sync::NeoReadState>& previous,
                                                   const QDateTime& nowUtc)
{
    QHash<QString, sync::NeoReadState> states = previous;
    for (const sync::VisitReadOutcome& visit : read.visits) {
        const auto found = previous.constFind(visit.planned.key);
        const sync::NeoReadState* last = found == previous.constEnd() ? nullptr : &found.value();
        const std::optional<QString> error =
            visit.failure ? std::optional<QString>(visit.failure->code) : std::nullopt;
        states.insert(visit.planned.key, sync::readStateAfter(visit.planned, last, error, nowUtc));
    }
    return states;
}

ReadPayloads payloadsOf(const sync::NeoRead& read, const sync::NeoReadSettings& settings,
                        const QHash<QString, QJsonObject>& previous)
{
    ReadPayloads out;
    for (const sync::NeoScheduleEvent& event : read.events) {
        const sync::NeoConsultation* consultation = nullptr;
        if (event.consultationId) {
            const auto it = read.consultations.constFind(*event.consultationId);
            consultation = it == read.consultations.constEnd() ? nullptr : &it.value();
        }
        const auto detail = read.appointmentDetails.constFind(event.appointmentId);
        const auto last = previous.constFind(event.appointmentId);
        const sync::AppointmentSources sources{
            event, consultation, detail == read.appointmentDetails.constEnd() ? nullptr : &detail.value(),
            last == previous.constEnd() ? nullptr : &last.value()};
        auto appointment = sync::appointmentPayload(sources, settings.clinicZone, settings.phoneCountry);
        if (!appointment) {
            out.errors << event.appointmentId + QStringLiteral(": ") + appointment.error().toString();
            continue;
        }
        out.appointments.insert(event.appointmentId, *appointment);
        if (consultation) {
            auto payload = sync::consultationPayload(*consultation, event);
            if (!payload) {
                out.errors << *event.consultationId + QStringLiteral(": ") + payload.error().toString();
                continue;
            }
            out.consultations.insert(*event.consultationId, *payload);
        }
    }
    return out;
}

QStringList UploadedState::apply(const sync::NeoRead& read, const sync::NeoReadSettings& settings)
{
    ReadPayloads payloads = payloadsOf(read, settings, appointments);
    const QString first = read.window.first.toString(Qt::ISODate);
    const QString last = read.window.last.toString(Qt::ISODate);
    for (auto it = appointments.begin(); it != appointments.end(); ++it) {
        const QString date = it->value(QStringLiteral("date")).toString();
        const bool inWindow = read.window.scheduleRead && date >= first && date <= last;
        if (inWindow && !payloads.appointments.contains(it.key()) &&
            !it->value(QStringLiteral("removed")).toBool()) {
            it.value() = sync::removedAppointmentPayload(it.value());
        }
    }
    appointments.insert(payloads.appointments);
    consultations.insert(payloads.consultations);
    return payloads.errors;
}

QJsonObject project(const QJsonObject& object, const QStringList& fields)
{
    QJsonObject out;
    for (const QString& field : fields) {
        const qsizetype dot = field.indexOf(QLatin1Char('.'));
        const QJsonValue value = dot < 0 ? object.value(field)
                                         : object.value(field.left(dot)).toObject().value(field.mid(dot + 1));
        out.insert(field, value);
    }
    return out;
}

QJsonObject projectOnto(const QJsonObject& object, const QJsonObject& shape)
{
    QJsonObject out;
    for (auto it = shape.begin(); it != shape.end(); ++it) {
        const QJsonValue value = object.value(it.key());
        out.insert(it.key(), it->isObject() && value.isObject()
                                 ? QJsonValue(projectOnto(value.toObject(), it->toObject()))
                                 : value);
    }
    return out;
}

QHash<QString, QJsonObject> byId(const QJsonArray& items, const QString& idField)
{
    QHash<QString, QJsonObject> out;
    for (const QJsonValue item : items) {
        out.insert(item.toObject().value(idField).toString(), item.toObject());
    }
    return out;
}

QByteArray idsDiff(const QSet<QString>& ours, const QSet<QString>& expected)
{
    const auto sorted = [](const QSet<QString>& set) {
        QStringList list(set.cbegin(), set.cend());
        list.sort();
        return list.join(QLatin1Char(','));
    };
    return QStringLiteral("extra: %1; missing: %2")
        .arg(sorted(ours - expected), sorted(expected - ours))
        .toUtf8();
}

QString describe(const std::optional<Result<sync::NeoRead>>& read)
{
    return !read   ? QStringLiteral("no answer in time")
           : *read ? QStringLiteral("ok")
                   : read->error().toString();
}

} // namespace odis::test
