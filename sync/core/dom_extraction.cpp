#include "sync/core/dom_extraction.h"

#include "sync/core/html_text.h"
#include "sync/core/neo_extraction_errors.h"
#include "sync/core/neo_json.h"
#include "sync/core/neo_values.h"
#include "sync/core/selector_profile.h"

#include <QJsonArray>
#include <QSet>

namespace odis::sync {

namespace {

using namespace dom_field;

// One page's answer, checked for the shape dom_extract.js produces.
struct DomPage
{
    bool rootFound = false;
    QJsonObject fields;
    QJsonArray rows;
    QJsonObject lists;
    QJsonObject usage;
    QJsonArray invalidQueries;
};

[[nodiscard]] Result<DomPage> readAnswer(const QJsonValue& answer, QLatin1StringView page)
{
    const QJsonObject object = answer.toObject();
    const auto bad = [&] {
        return fail(QString(kDomAnswerInvalid),
                    QString(page) + QStringLiteral(": malformed DOM script answer"));
    };
    if (!answer.isObject() || !object.value(QLatin1StringView("root")).isBool()) {
        return bad();
    }
    DomPage out;
    out.rootFound = object.value(QLatin1StringView("root")).toBool();
    for (const auto& [key, isArray] :
         {std::pair{"fields", false}, std::pair{"rows", true}, std::pair{"lists", false},
          std::pair{"usage", false}, std::pair{"invalidQueries", true}}) {
        const QJsonValue value = object.value(QLatin1StringView(key));
        if (!value.isUndefined() && (isArray ? !value.isArray() : !value.isObject())) {
            return bad();
        }
    }
    out.fields = object.value(QLatin1StringView("fields")).toObject();
    out.rows = object.value(QLatin1StringView("rows")).toArray();
    out.lists = object.value(QLatin1StringView("lists")).toObject();
    out.usage = object.value(QLatin1StringView("usage")).toObject();
    out.invalidQueries = object.value(QLatin1StringView("invalidQueries")).toArray();
    return out;
}

Error layoutChanged(QLatin1StringView page, const QString& what)
{
    return Error{QString(neo_extraction_error::kLayoutChanged), QString(page) + QStringLiteral(": ") + what};
}

// Drift a field team needs to hear about before it becomes a failure: a field found only through a
// later selector of its list (the first one no longer matches), a field missing on some rows, a
// selector the browser could not parse.
void usageDrift(const DomPage& page, DriftLog& log)
{
    for (auto it = page.usage.begin(); it != page.usage.end(); ++it) {
        const QJsonArray counts = it.value().toArray();
        for (qsizetype i = 1; i + 1 < counts.size(); ++i) {
            if (counts.at(i).toInt() > 0) {
                log.warn(
                    it.key(),
                    QStringLiteral("found by fallback selector %1 of %2").arg(i + 1).arg(counts.size() - 1));
            }
        }
        if (!counts.isEmpty() && counts.last().toInt() > 0) {
            log.missing(it.key());
        }
    }
    for (const QJsonValue field : page.invalidQueries) {
        log.warn(driftSafe(field.toString()), QStringLiteral("selector refused by the browser"));
    }
}

// A field's value: the trimmed string, empty when the page had no such element.
QString text(const QJsonObject& values, QLatin1StringView field)
{
    return values.value(field).toString().trimmed();
}

bool present(const QJsonObject& values, QLatin1StringView field)
{
    return values.value(field).isString();
}

std::optional<QString> idValue(const QString& text)
{
    const auto id = normaliseNeoId(QJsonValue(text));
    return id ? std::optional<QString>(*id) : std::nullopt;
}

[[nodiscard]] Result<NeoScheduleEvent> scheduleRow(const QJsonObject& row, QDate day, qsizetype index,
                                                   DriftLog& log)
{
    const auto rowError = [&](const QString& what) {
        return std::unexpected(layoutChanged(
            dom_endpoint::kSchedulePage,
            QStringLiteral("%1, row %2: %3").arg(day.toString(Qt::ISODate)).arg(index + 1).arg(what)));
    };
    NeoScheduleEvent event;
    const auto id = idValue(text(row, kAppointmentId));
    if (!id) {
        return rowError(QStringLiteral("no valid appointment id"));
    }
    event.appointmentId = *id;
    event.calendarEventId = *id;
    if (const QString consultation = text(row, kConsultationId); !consultation.isEmpty()) {
        const auto consultationId = idValue(consultation);
        if (!consultationId) {
            return rowError(QStringLiteral("a malformed consultation id"));
        }
        event.consultationId = *consultationId;
    }
    const auto start = parseLocalDateTime(text(row, kStart));
    if (!start || start->date != day) {
        return rowError(QStringLiteral("no valid start on the page's day"));
    }
    event.start = *start;
    if (present(row, kEnd)) {
        if (const auto end = parseLocalDateTime(text(row, kEnd))) {
            event.end = *end;
        } else {
            log.warn(QString(kEnd), QStringLiteral("not a date and time"));
        }
    }
    event.statusRaw = text(row, kStatus);
    if (event.statusRaw.isEmpty()) {
        return rowError(QStringLiteral("no status"));
    }
    event.status = normaliseNeoStatus(event.statusRaw);
    if (event.status == NeoStatus::Unknown) {
        log.warn(QString(kStatus), QStringLiteral("unknown status \"%1\"").arg(driftSafe(event.statusRaw)));
    }
    const QString kind = text(row, kRowKind).toLower();
    event.isBlock = kind == QLatin1StringView("block");
    event.isRoster = kind == QLatin1StringView("roster");
    if (!kind.isEmpty() && !event.isBlock && !event.isRoster && kind != QLatin1StringView("visit")) {
        log.warn(QString(kRowKind), QStringLiteral("unknown row kind \"%1\"").arg(driftSafe(kind)));
    }
    const QString patientCell = normaliseName(text(row, kPatientName));
    if (event.isBlock || event.isRoster) {
        event.title = patientCell; // a block's text stands where a visit shows its patient
    } else {
        event.patientName = patientCell;
        event.clientFirstName = normaliseName(text(row, kClientFirstName));
        event.clientLastName = normaliseName(text(row, kClientLastName));
        event.phoneRaw = text(row, kClientPhone);
    }
    event.providerName = normaliseName(text(row, kProviderName));
    event.appointmentType = text(row, kAppointmentType);
    event.resourceId = text(row, kRoom);
    // The page shows no patient or client id, e-mail or reason: those keep their stored values, as does
    // any cell this row does not have (docs/idexx-neo.md, "What the HTML does not carry").
    namespace ef = event_field;
    event.notCarried = ef::kPatientId | ef::kClientId | ef::kEmail | ef::kReason;
    const std::pair<QLatin1StringView, quint32> cells[] = {{kClientPhone, ef::kPhone},
                                                           {kProviderName, ef::kProvider},
                                                           {kAppointmentType, ef::kAppointmentType},
                                                           {kRoom, ef::kRoom},
                                                           {kEnd, ef::kEnd},
                                                           {kPatientName, ef::kPatientName},
                                                           {kClientFirstName, ef::kClientName},
                                                           {kClientLastName, ef::kClientName}};
    for (const auto& [cell, bit] : cells) {
        if (!present(row, cell))
            event.notCarried |= bit;
    }
    return event;
}

std::optional<double> quantityOf(const QString& text)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

[[nodiscard]] Result<QList<NeoProductLine>> productLines(const DomPage& page, DriftLog& log)
{
    QList<NeoProductLine> lines;
    const QJsonArray rows = page.lists.value(kProductLines).toArray();
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QJsonObject row = rows.at(i).toObject();
        NeoProductLine line;
        line.name = text(row, kLineName);
        if (line.name.isEmpty()) {
            return std::unexpected(layoutChanged(dom_endpoint::kConsultationPage,
                                                 QStringLiteral("product line %1 has no name").arg(i + 1)));
        }
        if (present(row, kLineQuantity)) {
            const auto quantity = quantityOf(text(row, kLineQuantity));
            if (!quantity) {
                log.warn(QStringLiteral("product_lines.quantity"), QStringLiteral("not a number"));
            }
            line.quantity = quantity.value_or(1);
        }
        const QString declined = text(row, kLineDeclined).toLower();
        line.declined = declined == QLatin1StringView("true") || declined == QLatin1StringView("1") ||
                        declined == QLatin1StringView("yes") || declined == QLatin1StringView("declined");
        if (!line.declined && !declined.isEmpty() && declined != QLatin1StringView("false") &&
            declined != QLatin1StringView("0") && declined != QLatin1StringView("no")) {
            log.warn(QStringLiteral("product_lines.declined"), QStringLiteral("not a yes or no"));
        }
        lines.append(line);
    }
    return lines;
}

} // namespace

Result<Parsed<QList<NeoScheduleEvent>>> scheduleFromDom(const QJsonValue& answer, QDate day)
{
    auto page = readAnswer(answer, dom_endpoint::kSchedulePage);
    if (!page) {
        return propagate(page);
    }
    if (!page->rootFound) {
        return std::unexpected(
            layoutChanged(dom_endpoint::kSchedulePage,
                          day.toString(Qt::ISODate) + QStringLiteral(": the schedule table was not found")));
    }
    DriftLog log{QString(dom_endpoint::kSchedulePage)};
    usageDrift(*page, log);
    Parsed<QList<NeoScheduleEvent>> parsed;
    QSet<QString> seen;
    for (qsizetype i = 0; i < page->rows.size(); ++i) {
        auto event = scheduleRow(page->rows.at(i).toObject(), day, i, log);
        if (!event) {
            return propagate(event);
        }
        if (seen.contains(event->appointmentId)) {
            log.warn(QString(kAppointmentId), QStringLiteral("repeated on one page; kept once"));
            continue;
        }
        seen.insert(event->appointmentId);
        parsed.value.append(std::move(*event));
    }
    parsed.warnings = log.take();
    return parsed;
}

Result<Parsed<NeoConsultation>> consultationFromDom(const QJsonValue& answer, QStringView requestedId)
{
    auto page = readAnswer(answer, dom_endpoint::kConsultationPage);
    if (!page) {
        return propagate(page);
    }
    const auto missing = [](const QString& what) {
        return std::unexpected(layoutChanged(dom_endpoint::kConsultationPage, what));
    };
    if (!page->rootFound) {
        return missing(QStringLiteral("the consultation section was not found"));
    }
    const QJsonObject& f = page->fields;
    const auto id = idValue(text(f, kConsultationId));
    if (!id) {
        return missing(QStringLiteral("no valid consultation id"));
    }
    if (*id != requestedId) {
        return fail(QString(neo_error::kIdMismatch),
                    QStringLiteral("%1: the page is about another consultation")
                        .arg(dom_endpoint::kConsultationPage));
    }
    const auto date = parseLocalDateTime(text(f, kVisitDate), /*allowDateOnly=*/true);
    if (!date) {
        return missing(QStringLiteral("no valid visit date"));
    }
    if (!present(f, kNotes)) {
        return missing(QStringLiteral("the clinical notes were not found"));
    }
    DriftLog log{QString(dom_endpoint::kConsultationPage)};
    usageDrift(*page, log);
    NeoConsultation c;
    c.id = *id;
    c.dateRaw = text(f, kVisitDate);
    c.date = *date;
    c.notesHtml = f.value(kNotes).toString();
    c.dischargeSummaryHtml = f.value(kDischargeSummary).toString();
    c.summarySource = htmlToText(c.dischargeSummaryHtml).isEmpty() ? NeoSummarySource::None
                                                                   : NeoSummarySource::DischargeSummary;
    c.summaryGiven = present(f, kDischargeSummary);
    c.reason = text(f, kReason);
    c.statusRaw = text(f, kStatus);
    c.status = normaliseNeoStatus(c.statusRaw);
    if (!c.statusRaw.isEmpty() && c.status == NeoStatus::Unknown) {
        log.warn(QString(kStatus), QStringLiteral("unknown status \"%1\"").arg(driftSafe(c.statusRaw)));
    }
    c.patient.species = text(f, kPatientSpecies);
    c.client.phone = text(f, kClientPhone);
    c.client.phoneGiven = present(f, kClientPhone);
    // The page names the vet but gives neither an id nor a role: the stored ones of that name are kept.
    c.providersNamesOnly = true;
    if (const QString provider = normaliseName(text(f, kProviderName)); !provider.isEmpty()) {
        c.providers.append(NeoProvider{QString(), provider, QString()});
    }
    auto lines = productLines(*page, log);
    if (!lines) {
        return propagate(lines);
    }
    c.lines = std::move(*lines);
    return Parsed<NeoConsultation>{std::move(c), log.take()};
}

} // namespace odis::sync
