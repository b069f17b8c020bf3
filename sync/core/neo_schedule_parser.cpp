#include "sync/core/neo_schedule_parser.h"

#include "sync/core/neo_contract.h"
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

// The keys that tell the two field sets apart (the contract, neo_contract.h, has the rest).
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

// The contract has checked the row: every field read here is there (or may be left out: blocks), of a
// type and form the table allows. What is left for the readers is turning it into values.
NeoScheduleEvent readCurrentRow(const QJsonObject& row, DriftLog& log)
{
    const NeoObjectReader r(row, QString(), log);
    NeoScheduleEvent event;
    event.fields = NeoEventFields::Current;
    event.isBlock = r.flag(L1("is_block"), Need::Optional);
    event.isRoster = r.flag(L1("is_roster"), Need::Optional);
    const NeoId calendar = r.id(L1("id"), Need::Optional);
    const NeoId appointment = r.id(L1("appointment_id"), Need::Optional);
    event.appointmentId = appointment.isValid() ? appointment.value : calendar.value;
    event.calendarEventId = calendar.value;
    if (const NeoId consultation = r.id(L1("consultation_id"), Need::Optional); consultation.isValid())
        event.consultationId = consultation.value;
    event.start = r.dateTime(L1("start"), Need::Optional);
    event.end = r.dateTime(L1("end"), Need::Optional);
    event.patientId = r.id(L1("patient_id"), Need::Optional).value;
    event.patientName = r.name(L1("patient_name"), Need::Optional);
    event.clientId = r.id(L1("client_id"), Need::Optional).value;
    event.clientFirstName = r.name(L1("first_name"), Need::Optional);
    event.clientLastName = r.name(L1("last_name"), Need::Optional);
    event.email = r.text(L1("email"), Need::Optional).trimmed();
    event.phoneRaw = r.text(L1("phone_number"), Need::Optional);
    event.providerName = r.name(L1("provider"), Need::Optional);
    event.resourceId = r.keyText(L1("resourceId"), Need::Optional);
    event.title = r.text(L1("title"), Need::Optional);
    event.appointmentType = r.text(L1("type_description"), Need::Optional);
    event.reason = r.text(L1("reason"), Need::Optional);
    const Need visit = event.isBlock || event.isRoster ? Need::Optional : Need::Required;
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

NeoScheduleEvent readOlderRow(const QJsonObject& row, DriftLog& log)
{
    const NeoObjectReader r(row, QString(), log);
    NeoScheduleEvent event;
    event.fields = NeoEventFields::Older;
    const NeoId id = r.id(L1("id"), Need::Optional);
    event.appointmentId = id.value;
    event.calendarEventId = id.value;
    // The older calendar has no is_block/is_roster: such rows carry the CSS class instead.
    const QString classes = r.text(L1("className"), Need::Optional).simplified();
    const QStringList tokens = classes.split(u' ', Qt::SkipEmptyParts);
    event.isBlock = tokens.contains(u"block", Qt::CaseInsensitive);
    event.isRoster = tokens.contains(u"roster", Qt::CaseInsensitive);
    const Need visit = event.isBlock || event.isRoster ? Need::Optional : Need::Required;
    event.start = r.dateTime(L1("start"), Need::Optional);
    event.end = r.dateTime(L1("end"), Need::Optional);
    event.title = r.text(L1("title"), Need::Optional);
    event.resourceId = r.keyText(L1("resourceId"), Need::Optional);
    event.patientName = r.name(L1("patientName"), Need::Optional);
    event.clientNameRaw = r.text(L1("clientName"), Need::Optional);
    const SplitName client = splitClientName(event.clientNameRaw);
    event.clientFirstName = client.first;
    event.clientLastName = client.last;
    event.phoneRaw = r.text(L1("clientPhone"), Need::Optional);
    event.providerName = r.name(L1("providerName"), Need::Optional);
    event.appointmentType = r.text(L1("appointmentType"), Need::Optional);
    event.statusGiven = r.has(L1("status"));
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

Result<Parsed<NeoSchedule>> parseNeoSchedule(const NeoResponse& response, NeoAnswerCheck* check)
{
    const QString endpoint(neo_endpoint::kSchedule);
    Result<QJsonDocument> doc = decodeNeoJson(response, endpoint);
    if (!doc && doc.error().code == neo_error::kUnexpectedShape) // a JSON scalar
        return std::unexpected(unknownShapeError(neo_endpoint::kSchedule, QStringLiteral("a JSON scalar")));
    if (!doc)
        return propagate(doc);

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
        // An unknown wrapper is not an empty schedule, and not a reason to read the pages instead: Neo
        // changed its answer, a person has to look (docs/idexx-neo.md, "An unknown shape is never data").
        if (wrapper == kWrappers.end())
            return std::unexpected(unknownShapeError(neo_endpoint::kSchedule, keysText(root)));
        schedule.shape = wrapper->shape;
        rows = root.value(wrapper->key).toArray();
        NeoObjectReader(root, QString(), log).reportUnknownKeys(std::array{wrapper->key});
    }

    // One field set per answer: the one most rows have (a row of the other set then breaks the contract).
    qsizetype older = 0;
    for (const QJsonValue row : std::as_const(rows))
        older += row.isObject() && detectFields(row.toObject()) == NeoEventFields::Older ? 1 : 0;
    const bool olderShape = older * 2 > rows.size();
    const NeoShapeContract& contract =
        neoShapeContract(olderShape ? NeoShapeId::ScheduleOlder : NeoShapeId::ScheduleCurrent);
    NeoContractCheck checker(contract, response.invalidUtf8);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (rows.at(i).isObject())
            checker.check(rows.at(i).toObject(), int(i));
        else
            checker.notAnObject(kRowField, rows.at(i));
    }
    if (check)
        *check = checker.result();
    if (!checker.valid())
        return std::unexpected(checker.error());
    for (const DriftWarning& w : checker.unknownFields())
        for (int n = 0; n < w.occurrences; ++n)
            log.unknownField(w.field);

    const QSet<int> refused = checker.refusedRows();
    QSet<QString> seen;
    schedule.events.reserve(rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QJsonObject object = rows.at(i).toObject();
        NeoScheduleEvent event = olderShape ? readOlderRow(object, log) : readCurrentRow(object, log);
        if (refused.contains(int(i))) {
            schedule.refusedIds.append(event.appointmentId);
            continue;
        }
        if (seen.contains(event.appointmentId)) {
            // Keeping both would give one key two contents; the first row is Neo's.
            log.warn(kRowField, QStringLiteral("dropped: repeats an appointment id"));
            ++schedule.droppedRows;
            continue;
        }
        seen.insert(event.appointmentId);
        schedule.events.append(std::move(event));
    }
    return Parsed<NeoSchedule>{std::move(schedule), log.take()};
}

} // namespace odis::sync
