// The Neo parsers under the fuzzer: every answer Neo (or something in its place) could send.

#include "sync/core/dom_extraction.h"
#include "sync/core/neo_appointment_parser.h"
#include "sync/core/neo_config_parser.h"
#include "sync/core/neo_consultation_parser.h"
#include "sync/core/neo_schedule_parser.h"
#include "tests/fuzz/fuzz_checks.h"
#include "tests/fuzz/fuzz_entries.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace odis::fuzz {

namespace {

// The ids the fixtures' answers are about (tests/fixtures/neo), so that the seeds parse and mutations
// explore the parsers past the id check.
const QString kConsultationId = QStringLiteral("731204");
const QString kAppointmentId = QStringLiteral("482916");
const QDate kScheduleDay(2026, 3, 10);

// The same answer parses the same way twice: nothing in a parser depends on state left by a former call.
template <typename T>
bool sameTwice(const Result<sync::Parsed<T>>& first, const Result<sync::Parsed<T>>& second)
{
    if (first.has_value() != second.has_value())
        return false;
    if (!first)
        return first.error().code == second.error().code;
    return first->value == second->value && first->warnings == second->warnings;
}

QString checkSchedule(const sync::NeoResponse& response, const sync::NeoSchedule& schedule)
{
    QSet<QString> ids;
    for (const sync::NeoScheduleEvent& event : schedule.events) {
        if (event.appointmentId.isEmpty())
            return QStringLiteral("a schedule event without an appointment id");
        if (ids.contains(event.appointmentId))
            return QStringLiteral("appointment id %1 twice in one schedule")
                .arg(event.appointmentId.left(40));
        ids.insert(event.appointmentId);
        if (QString problem = checkNoReplacement(
                response, {event.appointmentId, event.patientName, event.clientFirstName,
                           event.clientLastName, event.email, event.phoneRaw, event.reason, event.title});
            !problem.isEmpty())
            return problem;
    }
    return {};
}

} // namespace

QString fuzzNeoSchedule(QByteArrayView input)
{
    const sync::NeoResponse response = neoJsonResponse(input);
    const auto parsed = sync::parseNeoSchedule(response);
    if (!sameTwice(parsed, sync::parseNeoSchedule(response)))
        return QStringLiteral("the schedule parsed differently twice");
    return checkParsed(parsed,
                       [&](const sync::NeoSchedule& schedule) { return checkSchedule(response, schedule); });
}

QString fuzzNeoConsultation(QByteArrayView input)
{
    const sync::NeoResponse response = neoJsonResponse(input);
    const auto parsed = sync::parseNeoConsultation(response, kConsultationId);
    if (!sameTwice(parsed, sync::parseNeoConsultation(response, kConsultationId)))
        return QStringLiteral("the consultation parsed differently twice");
    return checkParsed(parsed, [&](const sync::NeoConsultation& consultation) -> QString {
        if (consultation.id != kConsultationId)
            return QStringLiteral("a consultation about %1 taken for %2")
                .arg(consultation.id.left(40), kConsultationId);
        return checkNoReplacement(response, {consultation.notesHtml, consultation.dischargeSummaryHtml,
                                             consultation.reason, consultation.client.phone});
    });
}

QString fuzzNeoAppointment(QByteArrayView input)
{
    const sync::NeoResponse response = neoJsonResponse(input);
    const auto parsed = sync::parseNeoAppointment(response, kAppointmentId);
    if (!sameTwice(parsed, sync::parseNeoAppointment(response, kAppointmentId)))
        return QStringLiteral("the appointment parsed differently twice");
    return checkParsed(parsed, [&](const sync::NeoAppointmentDetail& detail) -> QString {
        if (detail.id != kAppointmentId)
            return QStringLiteral("an appointment about %1 taken for %2")
                .arg(detail.id.left(40), kAppointmentId);
        return checkNoReplacement(response, {detail.client.homePhone, detail.client.mobilePhone});
    });
}

QString fuzzNeoConfig(QByteArrayView input)
{
    const sync::NeoResponse response = neoJsonResponse(input);
    if (QString problem =
            checkParsed(sync::parseNeoScheduleConfigs(response), [](const auto&) { return QString(); });
        !problem.isEmpty())
        return problem;
    return checkParsed(sync::parseNeoAppointmentView(response), [](const auto&) { return QString(); });
}

QString fuzzDomExtraction(QByteArrayView input)
{
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(input.data(), input.size()));
    const QJsonValue answer = document.isObject()  ? QJsonValue(document.object())
                              : document.isArray() ? QJsonValue(document.array())
                                                   : QJsonValue();
    const auto rows = sync::scheduleFromDom(answer, kScheduleDay);
    if (QString problem =
            checkParsed(rows,
                        [](const QList<sync::NeoScheduleEvent>& events) -> QString {
                            for (const sync::NeoScheduleEvent& event : events) {
                                if (event.appointmentId.isEmpty())
                                    return QStringLiteral("a DOM row without an appointment id");
                            }
                            return {};
                        });
        !problem.isEmpty())
        return problem;
    return checkParsed(sync::consultationFromDom(answer, kConsultationId),
                       [](const sync::NeoConsultation& consultation) -> QString {
                           if (consultation.id != kConsultationId)
                               return QStringLiteral("a DOM consultation about another id taken");
                           return {};
                       });
}

} // namespace odis::fuzz
