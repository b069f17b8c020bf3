#include "tests/sim/neo/neo_html_clinic.h"

#include "tests/sim/neo/neo_html_pages.h"
#include "tests/sim/neo/neo_schedule_json.h"

namespace odis::sim::neo {

namespace {

// The names one layout gives its hooks.
struct Hooks
{
    QString testIdAttr;  // data-testid | data-qa
    QString rowIdAttr;   // data-appointment-id | data-booking-ref
    QString consultAttr; // data-consultation-id | data-visit-ref
    QString prefix;      // test ids, ids and classes of fields: "" | "bk-"
    QString tableId;
    QString tableClass;
    QString rowClass;
    QString detailsId;
    QString notesClass;
    QString summaryClass;
    QString lineClass;
};

Hooks hooksFor(PageLayout layout)
{
    if (layout == PageLayout::Standard) {
        return {QStringLiteral("data-testid"),          QStringLiteral("data-appointment-id"),
                QStringLiteral("data-consultation-id"), QString(),
                QStringLiteral("schedule_table"),       QStringLiteral("schedule-table"),
                QStringLiteral("appointment-row"),      QStringLiteral("consultation_details"),
                QStringLiteral("clinical-notes"),       QStringLiteral("discharge-summary"),
                QStringLiteral("product-line")};
    }
    return {
        QStringLiteral("data-qa"),       QStringLiteral("data-booking-ref"), QStringLiteral("data-visit-ref"),
        QStringLiteral("bk-"),           QStringLiteral("bookings_grid"),    QStringLiteral("bk-grid"),
        QStringLiteral("bk-item"),       QStringLiteral("visit_record"),     QStringLiteral("bk-soap-text"),
        QStringLiteral("bk-going-home"), QStringLiteral("bk-charge")};
}

QString esc(const QString& text)
{
    return text.toHtmlEscaped();
}

// An element carrying all three hooks of one field: test id, id, class.
QString field(const Hooks& h, const QString& tag, const QString& name, const QString& idScope,
              const QString& innerHtml)
{
    const QString n = h.prefix + name;
    return QStringLiteral("<%1 %2=\"%3\" id=\"%4%3\" class=\"%3\">%5</%1>")
        .arg(tag, h.testIdAttr, n, idScope, innerHtml);
}

QString phoneHtml(const QString& raw)
{
    return raw.isEmpty() ? QString()
                         : QStringLiteral("<a href=\"tel:%1\">%2</a>").arg(esc(telHref(raw)), esc(raw));
}

QString clientHtml(const Hooks& h, const SimAppointment& a)
{
    return QStringLiteral(
               "<span class=\"%1client-last-name\">%2</span>, <span class=\"%1client-first-name\">%3</span>")
        .arg(h.prefix, esc(a.client.lastName), esc(a.client.firstName));
}

QString rowKind(const SimAppointment& a)
{
    return a.isRoster  ? QStringLiteral("roster")
           : a.isBlock ? QStringLiteral("block")
                       : QStringLiteral("visit");
}

QString scheduleRow(const Hooks& h, const SimAppointment& a)
{
    const QString id = QString::number(a.appointmentId);
    const QString scope = h.prefix + QStringLiteral("appointment-") + id + QLatin1Char('-');
    const bool visit = !a.isBlock && !a.isRoster;
    const QString time =
        QStringLiteral("<time datetime=\"%1T%2\">%3</time> - <time datetime=\"%1T%4\">%5</time>")
            .arg(a.date.toString(Qt::ISODate), a.start.toString(QStringLiteral("HH:mm:ss")),
                 a.start.toString(QStringLiteral("HH:mm")), a.end.toString(QStringLiteral("HH:mm:ss")),
                 a.end.toString(QStringLiteral("HH:mm")));
    const QString consultationLink =
        a.consultationId
            ? QStringLiteral("<a class=\"%1consultation-link\" href=\"/consultations/%2/details\">"
                             "Consultation</a>")
                  .arg(h.prefix, QString::number(*a.consultationId))
            : QString();
    QString cells;
    cells += field(h, QStringLiteral("td"), QStringLiteral("appointment-time"), scope, time);
    cells += field(h, QStringLiteral("td"), QStringLiteral("patient-name"), scope,
                   visit ? esc(a.patient.name) : esc(a.blockText));
    cells += field(h, QStringLiteral("td"), QStringLiteral("client-name"), scope,
                   visit ? clientHtml(h, a) : QString());
    cells += field(h, QStringLiteral("td"), QStringLiteral("client-phone"), scope,
                   phoneHtml(a.schedulePhone().raw));
    cells += field(h, QStringLiteral("td"), QStringLiteral("provider-name"), scope, esc(a.provider.name));
    cells +=
        field(h, QStringLiteral("td"), QStringLiteral("appointment-type"), scope, esc(a.typeDescription));
    cells += field(h, QStringLiteral("td"), QStringLiteral("appointment-status"), scope, esc(a.status));
    cells += QStringLiteral("<td>") + consultationLink + QStringLiteral("</td>");
    const QString consultationAttr =
        a.consultationId ? QStringLiteral(" %1=\"%2\"").arg(h.consultAttr, QString::number(*a.consultationId))
                         : QString();
    return QStringLiteral(
               "<tr class=\"%1\" %2=\"%1\" %3=\"%4\"%5 data-row-kind=\"%6\" data-room=\"%7\">%8</tr>")
        .arg(h.rowClass, h.testIdAttr, h.rowIdAttr, id, consultationAttr, rowKind(a), esc(a.resourceId),
             cells);
}

} // namespace

QString telHref(const QString& rawPhone)
{
    QString digits;
    for (const QChar c : rawPhone) {
        if (c.isDigit() || (c == QLatin1Char('+') && digits.isEmpty())) {
            digits += c;
        }
    }
    return digits;
}

QByteArray schedulePage(const QDate& date, const QList<SimAppointment>& rows, PageLayout layout)
{
    const Hooks h = hooksFor(layout);
    QString body;
    for (const SimAppointment& a : rows) {
        body += scheduleRow(h, a);
    }
    const QString headings =
        QStringLiteral("<thead><tr><th>Time</th><th>Patient</th><th>Client</th><th>Phone</th>"
                       "<th>Provider</th><th>Type</th><th>Status</th><th></th></tr></thead>");
    const QString nav =
        QStringLiteral("<p class=\"day-nav\"><a href=\"/schedule?date=%1\">&larr; Previous day</a> "
                       "<a href=\"/schedule?date=%2\">Next day &rarr;</a></p>")
            .arg(date.addDays(-1).toString(Qt::ISODate), date.addDays(1).toString(Qt::ISODate));
    const QString html =
        QStringLiteral("<h1>Schedule %1</h1>%2<table id=\"%3\" class=\"%4\" %5=\"%4\" "
                       "data-date=\"%1\">%6<tbody>%7</tbody></table>")
            .arg(date.toString(Qt::ISODate), nav, h.tableId, h.tableClass, h.testIdAttr, headings, body);
    return htmlDocument(QStringLiteral("Schedule"), html, true);
}

QByteArray consultationDetailsPage(const SimAppointment& a, PageLayout layout)
{
    const Hooks h = hooksFor(layout);
    const QString scope = h.prefix + QStringLiteral("consultation-");
    const auto item = [&](const QString& label, const QString& name, const QString& innerHtml) -> QString {
        return QStringLiteral("<dt>%1</dt>").arg(label) +
               field(h, QStringLiteral("dd"), name, scope, innerHtml);
    };
    QString facts;
    facts += item(QStringLiteral("Patient"), QStringLiteral("patient-name"), esc(a.patient.name));
    facts += item(QStringLiteral("Species"), QStringLiteral("patient-species"), esc(a.patient.species));
    facts += item(QStringLiteral("Breed"), QStringLiteral("patient-breed"), esc(a.patient.breed));
    facts += item(QStringLiteral("Client"), QStringLiteral("client-name"), clientHtml(h, a));
    facts += item(QStringLiteral("Phone"), QStringLiteral("client-phone"), phoneHtml(a.schedulePhone().raw));
    facts += item(QStringLiteral("E-mail"), QStringLiteral("client-email"), esc(a.client.email));
    facts += item(QStringLiteral("Provider"), QStringLiteral("provider-name"), esc(a.provider.name));
    facts +=
        item(QStringLiteral("Date"), QStringLiteral("visit-date"),
             a.date.toString(Qt::ISODate) + QLatin1Char(' ') + a.start.toString(QStringLiteral("HH:mm")));
    facts += item(QStringLiteral("Type"), QStringLiteral("appointment-type"), esc(a.typeDescription));
    facts += item(QStringLiteral("Status"), QStringLiteral("appointment-status"), esc(a.status));
    facts += item(QStringLiteral("Reason"), QStringLiteral("visit-reason"), esc(a.reason));

    QString lines;
    for (const SimProductLine& line : a.lines) {
        lines += QStringLiteral("<tr class=\"%1%2\" %3=\"%1\" data-line-id=\"%4\" data-declined=\"%5\">"
                                "<td class=\"%6product-name\">%7</td><td class=\"%6product-quantity\">%8</td>"
                                "<td class=\"%6product-declined\">%9</td></tr>")
                     .arg(h.lineClass, line.isDeclined ? QStringLiteral(" declined") : QString(),
                          h.testIdAttr, QString::number(line.id),
                          line.isDeclined ? QStringLiteral("true") : QStringLiteral("false"), h.prefix,
                          esc(line.productService), QString::number(line.quantity),
                          line.isDeclined ? QStringLiteral("Declined") : QString());
    }
    // Notes and the discharge summary are Neo's rich text: shown as the HTML they are stored as.
    const QString html =
        QStringLiteral("<section id=\"%1\" class=\"%1\" %2=\"%1\" %3=\"%4\" %5=\"%6\"><h1>Consultation</h1>"
                       "<dl>%7</dl><h2>Clinical notes</h2><div class=\"%8\" %2=\"%8\" id=\"%8\">%9</div>")
            .arg(h.detailsId, h.testIdAttr, h.consultAttr, QString::number(a.consultationId.value_or(0)),
                 h.rowIdAttr, QString::number(a.appointmentId), facts, h.notesClass, a.notesHtml) +
        QStringLiteral(
            "<h2>Discharge summary</h2><div class=\"%1\" %2=\"%1\" id=\"%1\">%3</div>"
            "<h2>Products and services</h2><table class=\"%4s\" %2=\"%4s\"><tbody>%5</tbody></table>"
            "</section>")
            .arg(h.summaryClass, h.testIdAttr, a.dischargeSummary, h.lineClass, lines);
    return htmlDocument(QStringLiteral("Consultation"), html, true);
}

} // namespace odis::sim::neo
