#include "sync/core/neo_schedule_parser.h"

#include "sync/core/neo_fields.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <array>
#include <utility>

namespace odis::sync {

namespace {

using L1 = QLatin1StringView;

constexpr std::array kCurrentFields{
    L1("id"),         L1("appointment_id"), L1("consultation_id"),  L1("start"),          L1("end"),
    L1("patient_id"), L1("patient_name"),   L1("client_id"),        L1("first_name"),     L1("last_name"),
    L1("email"),      L1("phone_number"),   L1("provider"),         L1("resourceId"),     L1("title"),
    L1("reason"),     L1("is_block"),       L1("type_description"), L1("current_status"), L1("status_label"),
    L1("is_roster")};

constexpr std::array kOlderFields{L1("id"),           L1("title"),           L1("start"),
                                  L1("end"),          L1("resourceId"),      L1("className"),
                                  L1("patientName"),  L1("clientName"),      L1("clientPhone"),
                                  L1("providerName"), L1("appointmentType"), L1("status")};

// Fields only the older set has; a row with more of these than of the current set's own is older.
constexpr std::array kOlderOnly{L1("className"),   L1("patientName"),  L1("clientName"),
                                L1("clientPhone"), L1("providerName"), L1("appointmentType"),
                                L1("status")};

constexpr std::array kStatusFields{L1("current_status"), L1("status_label")};
constexpr std::array kOlderStatusField{L1("status")};

// The row field that carries the drop warnings, so "N rows dropped" reads as one counted warning.
const QString kRowField = QStringLiteral("(row)");

NeoEventFields detectFields(const QJsonObject& row)
{
    int older = 0;
    for (L1 key : kOlderOnly)
        older += row.contains(key) ? 1 : 0;
    int current = 0;
    for (L1 key : kCurrentFields)
        current += row.contains(key) && std::ranges::find(kOlderFields, key) == kOlderFields.end() ? 1 : 0;
    return older > current ? NeoEventFields::Older : NeoEventFields::Current;
}

void checkTimes(NeoScheduleEvent& event, DriftLog& log)
{
    if (event.start.isValid() && event.end.isValid() && event.end.isBefore(event.start))
        log.warn(QStringLiteral("end"), QStringLiteral("before start"));
}

std::optional<NeoScheduleEvent> readCurrentRow(const QJsonObject& row, DriftLog& log)
{
    const NeoObjectReader r(row, QString(), log);
    r.reportUnknownKeys(kCurrentFields);

    NeoScheduleEvent event;
    event.fields = NeoEventFields::Current;
    event.isBlock = r.flag(L1("is_block"), Need::Required);
    event.isRoster = r.flag(L1("is_roster"), Need::Required);
    // Blocks and roster rows have no patient, client or visit: their absence there is not drift.
    const Need visit = event.isBlock || event.isRoster ? Need::Optional : Need::Required;

    const NeoId calendar = r.id(L1("id"), Need::Required);
    const NeoId appointment = r.id(L1("appointment_id"), visit);
    if (appointment.state == NeoId::State::Invalid) {
        // Falling back to `id` here would key the visit by another number than Neo's appointment id.
        log.warn(kRowField, QStringLiteral("dropped: invalid appointment_id"));
        return std::nullopt;
    }
    if (appointment.isValid()) {
        event.appointmentId = appointment.value;
    } else if (calendar.isValid()) {
        event.appointmentId = calendar.value;
    } else {
        log.warn(kRowField, QStringLiteral("dropped: no usable id"));
        return std::nullopt;
    }
    event.calendarEventId = calendar.value;
    if (const NeoId consultation = r.id(L1("consultation_id"), visit); consultation.isValid())
        event.consultationId = consultation.value;

    event.start = r.dateTime(L1("start"), Need::Required);
    event.end = r.dateTime(L1("end"), Need::Required);
    event.patientId = r.id(L1("patient_id"), visit).value;
    event.patientName = r.name(L1("patient_name"), visit);
    event.clientId = r.id(L1("client_id"), visit).value;
    event.clientFirstName = r.name(L1("first_name"), visit);
    event.clientLastName = r.name(L1("last_name"), visit);
    event.email = r.text(L1("email"), visit).trimmed();
    event.phoneRaw = r.text(L1("phone_number"), visit);
    event.providerName = r.name(L1("provider"), visit);
    event.resourceId = r.keyText(L1("resourceId"), Need::Required);
    event.title = r.text(L1("title"), Need::Required);
    event.appointmentType = r.text(L1("type_description"), visit);
    event.reason = r.text(L1("reason"), visit);
    const NeoStatusField status = readStatus(r, kStatusFields, visit);
    event.statusRaw = status.raw;
    event.status = status.status;
    checkTimes(event, log);
    return event;
}

// Older rows: `status` first, else the status CSS class among `className`'s classes.
NeoStatusField readOlderStatus(const NeoObjectReader& r, const QString& classes, Need need)
{
    NeoStatusField status = readStatus(r, kOlderStatusField, Need::Optional);
    if (status.status != NeoStatus::Unknown)
        return status;
    const QStringList tokens = classes.split(u' ', Qt::SkipEmptyParts);
    for (const QString& token : tokens) {
        if (const NeoStatus mapped = normaliseNeoStatus(token); mapped != NeoStatus::Unknown)
            return {token, mapped};
    }
    const bool onlyRowKind = std::ranges::all_of(tokens, [](const QString& token) {
        return token.compare(u"block", Qt::CaseInsensitive) == 0 ||
               token.compare(u"roster", Qt::CaseInsensitive) == 0;
    });
    if (status.raw.isEmpty() && !classes.isEmpty() && !onlyRowKind) {
        r.log().warn(r.fieldPath(L1("className")), unknownStatusDetail(classes));
        return {classes, NeoStatus::Unknown};
    }
    if (need == Need::Required && !r.has(L1("status")) && !r.has(L1("className")))
        r.log().missing(r.fieldPath(L1("status")));
    return status;
}

std::optional<NeoScheduleEvent> readOlderRow(const QJsonObject& row, DriftLog& log)
{
    const NeoObjectReader r(row, QString(), log);
    r.reportUnknownKeys(kOlderFields);

    NeoScheduleEvent event;
    event.fields = NeoEventFields::Older;
    const NeoId id = r.id(L1("id"), Need::Required);
    if (!id.isValid()) {
        log.warn(kRowField, QStringLiteral("dropped: no usable id"));
        return std::nullopt;
    }
    event.appointmentId = id.value;
    event.calendarEventId = id.value;
    // The older calendar has no is_block/is_roster: such rows carry the CSS class instead.
    const QString classes = r.text(L1("className"), Need::Optional).simplified();
    const QStringList tokens = classes.split(u' ', Qt::SkipEmptyParts);
    event.isBlock = tokens.contains(u"block", Qt::CaseInsensitive);
    event.isRoster = tokens.contains(u"roster", Qt::CaseInsensitive);
    const Need visit = event.isBlock || event.isRoster ? Need::Optional : Need::Required;
    event.start = r.dateTime(L1("start"), Need::Required);
    event.end = r.dateTime(L1("end"), Need::Required);
    event.title = r.text(L1("title"), Need::Required);
    event.resourceId = r.keyText(L1("resourceId"), Need::Required);
    event.patientName = r.name(L1("patientName"), visit);
    event.clientNameRaw = r.text(L1("clientName"), visit);
    const SplitName client = splitClientName(event.clientNameRaw);
    event.clientFirstName = client.first;
    event.clientLastName = client.last;
    event.phoneRaw = r.text(L1("clientPhone"), visit);
    event.providerName = r.name(L1("providerName"), visit);
    event.appointmentType = r.text(L1("appointmentType"), visit);
    const NeoStatusField status = readOlderStatus(r, classes, visit);
    event.statusRaw = status.raw;
    event.status = status.status;
    checkTimes(event, log);
    return event;
}

struct Wrapper
{
    L1 key;
    NeoScheduleShape shape;
};

constexpr std::array kWrappers{Wrapper{L1("events"), NeoScheduleShape::EventsObject},
                               Wrapper{L1("appointments"), NeoScheduleShape::AppointmentsObject},
                               Wrapper{L1("data"), NeoScheduleShape::DataObject}};

} // namespace

Result<Parsed<NeoSchedule>> parseNeoSchedule(const NeoResponse& response)
{
    const QString endpoint(neo_endpoint::kSchedule);
    Result<QJsonDocument> doc = decodeNeoJson(response, endpoint);
    if (!doc)
        return std::unexpected(doc.error());

    DriftLog log(endpoint);
    NeoSchedule schedule;
    QJsonArray rows;
    if (doc->isArray()) {
        schedule.shape = NeoScheduleShape::BareArray;
        rows = doc->array();
    } else {
        const QJsonObject root = doc->object();
        const auto wrapper =
            std::ranges::find_if(kWrappers, [&](const Wrapper& w) { return root.value(w.key).isArray(); });
        if (wrapper == kWrappers.end())
            return fail(QString(neo_error::kUnexpectedShape),
                        endpoint +
                            QStringLiteral(": an object without an events, appointments or data array"));
        schedule.shape = wrapper->shape;
        rows = root.value(wrapper->key).toArray();
        NeoObjectReader(root, QString(), log).reportUnknownKeys(std::array{wrapper->key});
    }

    QSet<QString> seen;
    schedule.events.reserve(rows.size());
    for (const QJsonValue row : std::as_const(rows)) {
        if (!row.isObject()) {
            log.warn(kRowField, QStringLiteral("dropped: %1 instead of an object").arg(jsonTypeName(row)));
            ++schedule.droppedRows;
            continue;
        }
        const QJsonObject object = row.toObject();
        std::optional<NeoScheduleEvent> event = detectFields(object) == NeoEventFields::Older
                                                    ? readOlderRow(object, log)
                                                    : readCurrentRow(object, log);
        if (!event) {
            ++schedule.droppedRows;
            continue;
        }
        if (seen.contains(event->appointmentId)) {
            // Keeping both would give one key two contents; the first row is Neo's.
            log.warn(kRowField, QStringLiteral("dropped: repeats an appointment id"));
            ++schedule.droppedRows;
            continue;
        }
        seen.insert(event->appointmentId);
        schedule.events.append(std::move(*event));
    }
    return Parsed<NeoSchedule>{std::move(schedule), log.take()};
}

} // namespace odis::sync
