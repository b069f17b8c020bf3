#include "tests/sim/neo/clinic_notes.h"

#include <QStringList>

namespace odis::sim::neo {

namespace {

QStringList list(std::initializer_list<const char*> items)
{
    QStringList out;
    for (const char* item : items)
        out.append(QString::fromUtf8(item));
    return out;
}

QString vitals(SimRandom& random)
{
    return QStringLiteral("T %1.%2 F, HR %3, RR %4, Wt %5.%6 kg, BCS %7/9")
        .arg(random.range(99, 103))
        .arg(random.range(0, 9))
        .arg(random.range(70, 180))
        .arg(random.range(16, 40))
        .arg(random.range(2, 45))
        .arg(random.range(0, 9))
        .arg(random.range(4, 7));
}

struct Soap
{
    QString subjective, objective, assessment, plan;
};

Soap soapFor(SimRandom& random, const VisitText& v)
{
    static const QStringList history =
        list({"eating and drinking normally", "vomiting twice since yesterday",
              "intermittent limping on the right hind leg", "scratching at both ears",
              "coughing at night for a week", "less active than usual"});
    static const QStringList exam =
        list({"Mucous membranes pink, CRT < 2 s.", "Mild dental tartar.", "Erythema in both ear canals.",
              "Pain on palpation of the right stifle.", "Heart and lungs auscultate normally.",
              "Abdomen soft, non-painful."});
    static const QStringList assessment =
        list({"Healthy adult.", "Acute gastroenteritis.", "Otitis externa.",
              "Suspect cranial cruciate ligament injury.", "Kennel cough.", "Stable, healing well."});
    static const QStringList plan =
        list({"Recheck in 2 weeks.", "Bland diet for 3 days & Cerenia SID.", "Otic drops BID for 10 days.",
              "Carprofen 75 mg BID with food; restrict exercise.", "Vaccines given; next due in 1 year.",
              "Call if not eating within 24 h."});
    return {v.reason + QStringLiteral(". Owner reports ") + random.pick(history) + QLatin1Char('.'),
            vitals(random) + QStringLiteral(". ") + random.pick(exam), random.pick(assessment),
            random.pick(plan)};
}

QString labTable(SimRandom& random)
{
    static const QStringList tests =
        list({"ALT", "ALKP", "BUN", "CREA", "GLU", "TP", "ALB", "WBC", "HCT", "PLT"});
    QString table = QStringLiteral(
        "<table class=\"lab-results\">\n<tr><th>Test</th> <th>Result</th> <th>Range</th></tr>\n");
    for (const QString& test : tests) {
        table += QStringLiteral("<tr><td>%1</td> <td>%2</td> <td>%3&#x2013;%4</td></tr>\n")
                     .arg(test)
                     .arg(random.range(5, 250))
                     .arg(random.range(1, 20))
                     .arg(random.range(60, 300));
    }
    return table + QStringLiteral("</table>\n");
}

QString longHistory(SimRandom& random, const VisitText& v)
{
    // Clinics paste whole histories and lab panels into the notes; tens of kilobytes happen.
    QString out;
    const int target = random.range(20'000, 45'000);
    int visit = 1;
    while (out.size() < target) {
        const Soap soap = soapFor(random, v);
        out += QStringLiteral(
                   "<h3>Previous visit #%1</h3>\n<p>%2</p>\n<p>%3</p>\n<ul><li>%4</li><li>%5</li></ul>\n")
                   .arg(QString::number(visit++), soap.subjective.toHtmlEscaped(),
                        soap.objective.toHtmlEscaped(), soap.assessment.toHtmlEscaped(),
                        soap.plan.toHtmlEscaped());
        out += labTable(random);
    }
    return out;
}

} // namespace

QString endOfLifePhrase(int index)
{
    static const QStringList phrases = list(
        {"Owner elected euthanasia after a long talk about quality of life.",
         "PTS with owner present, very peaceful.", "Patient passed away at home overnight.",
         "DOA - brought in by the owner after being hit by a car.",
         "Private cremation requested; ashes to be returned to the family.",
         "Humane ending discussed and performed under sedation.", "Put to sleep peacefully in exam room 2.",
         "Dead on arrival.", "Death during anesthetic recovery despite CPR.", "Patient deceased.",
         "Euthanized at the owner's request.", "Memorial paw print made for the family.",
         "Sadly passed overnight in the hospital.", "Owner requested a necropsy.",
         "Crossed the rainbow bridge this morning. RIP.",
         "Post-mortem declined; ashes to be returned in an urn.", "Euthanased with the family present.",
         "Communal cremation arranged."});
    return phrases.at(index % phrases.size());
}

QString lookAlikePhrase(int index)
{
    static const QStringList phrases =
        list({"Owner kept all receipts for the insurance claim.", "Two attempts at jugular venipuncture.",
              "History of PTSD-like noise anxiety; trazodone before visits.", "Plan is doable for the owner.",
              "Case discussed with Dr Leuthardt.", "Referred by Dr Doane.",
              "Concepts of weight management reviewed.", "Passed a normal stool this morning.",
              "Euthyroid on recheck; T4 within range.", "Crashes into furniture when excited.",
              "Returned for a trip to the dog park.", "Hospital stay of one night, comfortable."});
    return phrases.at(index % phrases.size());
}

QString composeNotes(SimRandom& random, const VisitText& visit, NotesStyle style, const QString& extra)
{
    const Soap soap = soapFor(random, visit);
    if (style == NotesStyle::Plain) {
        QString text = QStringLiteral("S: %1\nO: %2\nA: %3\nP: %4")
                           .arg(soap.subjective, soap.objective, soap.assessment, soap.plan);
        if (!extra.isEmpty())
            text += QStringLiteral("\n") + extra;
        return text + QStringLiteral("\n- ") + visit.vet;
    }
    QString html;
    if (random.chance(0.15))
        html += QStringLiteral("<style>.soap b{color:#333}</style>");
    if (random.chance(0.05))
        html += QStringLiteral("<script>window.neoTrack&&neoTrack('notes-open')</script>");
    html +=
        QStringLiteral("<div class=\"soap\"><p><b>Subjective:</b> %1</p>\n<p><b>Objective:</b>&nbsp;%2</p>\n")
            .arg(soap.subjective.toHtmlEscaped(), soap.objective.toHtmlEscaped());
    html += QStringLiteral("<p><b>Assessment:</b> %1 &#x2014; owner&#39;s concerns addressed &amp; questions "
                           "answered.</p>\n")
                .arg(soap.assessment.toHtmlEscaped());
    if (style == NotesStyle::HtmlTable || style == NotesStyle::Long)
        html += labTable(random);
    html += QStringLiteral(
                "<p><b>Plan:</b></p>\n<ul><li>%1</li><li>&quot;Call us&quot; if anything changes</li></ul>\n")
                .arg(soap.plan.toHtmlEscaped());
    if (!extra.isEmpty())
        html += QStringLiteral("<p>%1</p>\n").arg(extra.toHtmlEscaped());
    if (style == NotesStyle::Long)
        html += longHistory(random, visit);
    return html + QStringLiteral("<p>&#8212; %1</p></div>").arg(visit.vet.toHtmlEscaped());
}

QString composeAddendum(SimRandom& random, NotesStyle style, const QString& extra)
{
    static const QStringList updates =
        list({"Lab results back: within normal limits.", "Owner called: doing better today.",
              "Culture pending; will update the owner.", "Corrected dose: Carprofen 37.5 mg BID."});
    const QString text = QStringLiteral("Addendum: ") + random.pick(updates) +
                         (extra.isEmpty() ? QString() : QLatin1Char(' ') + extra);
    if (style == NotesStyle::Plain)
        return QStringLiteral("\n") + text;
    return QStringLiteral("<p><i>%1</i></p>").arg(text.toHtmlEscaped());
}

QString composeDischargeSummary(SimRandom& random, const VisitText& visit, bool html, const QString& extra)
{
    static const QStringList care = list({"Keep the incision clean and dry", "Give all medication with food",
                                          "Limit activity to short leash walks", "Offer small bland meals"});
    const QString first = random.pick(care);
    const QString recheck = QStringLiteral("Recheck in %1 days.").arg(random.range(3, 14));
    const QString tail = extra.isEmpty() ? QString() : QLatin1Char(' ') + extra;
    if (!html)
        return QStringLiteral("Go-home instructions for %1: %2. %3%4")
            .arg(visit.patientName, first, recheck, tail);
    return QStringLiteral("<p>Go-home instructions for %1:</p><ul><li>%2</li><li>%3</li></ul><p>%4</p>")
        .arg(visit.patientName.toHtmlEscaped(), first.toHtmlEscaped(), recheck,
             tail.trimmed().toHtmlEscaped());
}

QString reasonFor(SimRandom& random, const QString& type)
{
    if (type == QLatin1String("Exam"))
        return random.pick(
            list({"Annual wellness exam", "New puppy exam", "Senior wellness", "Pre-travel exam"}));
    if (type == QLatin1String("Vaccines"))
        return random.pick(list({"Rabies booster", "DHPP booster", "FVRCP", "Bordetella & Lepto"}));
    if (type == QLatin1String("Sick"))
        return random.pick(
            list({"Vomiting x2 days", "Limping right hind leg", "Ear infection", "Not eating", "Coughing"}));
    if (type == QLatin1String("Follow-up"))
        return random.pick(
            list({"Recheck ears", "Suture removal", "Bloodwork recheck", "Nail trim", "Weight check"}));
    if (type == QLatin1String("Surgery"))
        return random.pick(list({"Spay", "Neuter", "Mass removal", "Cystotomy"}));
    if (type == QLatin1String("Dental"))
        return random.pick(list({"Dental cleaning grade 2", "Dental cleaning + extractions"}));
    if (type == QLatin1String("Groomer"))
        return random.pick(list({"Full groom", "Bath & nails", "Lion cut"}));
    if (type == QLatin1String("Boarding"))
        return QStringLiteral("Boarding drop-off (%1 nights)").arg(random.range(2, 7));
    if (type == QLatin1String("Euthanasia"))
        return random.pick(list({"Quality of life", "Owner request - end of life", "Comfort visit"}));
    return {};
}

QList<SimProductLine> composeLines(SimRandom& random, const QString& type, qint64& nextLineId)
{
    QList<QPair<QString, double>> candidates;
    if (type == QLatin1String("Exam"))
        candidates = {{QStringLiteral("Exam - Wellness"), 1},
                      {QStringLiteral("Heartworm test (4Dx)"), 1},
                      {QStringLiteral("Fecal flotation"), 1},
                      {QStringLiteral("Senior bloodwork panel"), 1}};
    else if (type == QLatin1String("Vaccines"))
        candidates = {{QStringLiteral("Rabies vaccine 3yr"), 1},
                      {QStringLiteral("DHPP booster"), 1},
                      {QStringLiteral("Bordetella intranasal"), 1},
                      {QStringLiteral("FeLV vaccine"), 1}};
    else if (type == QLatin1String("Sick"))
        candidates = {
            {QStringLiteral("Exam - Sick patient"), 1},   {QStringLiteral("Cerenia 16mg tab"), 4},
            {QStringLiteral("Radiographs - 2 views"), 1}, {QStringLiteral("CBC + Chemistry"), 1},
            {QStringLiteral("Carprofen 75mg tab"), 14},   {QStringLiteral("Subcutaneous fluids"), 0.5}};
    else if (type == QLatin1String("Follow-up"))
        candidates = {{QStringLiteral("Recheck exam"), 1}, {QStringLiteral("Nail trim"), 1}};
    else if (type == QLatin1String("Surgery"))
        candidates = {{QStringLiteral("Anesthesia - Isoflurane"), 1},
                      {QStringLiteral("IV catheter"), 1},
                      {QStringLiteral("Pain management - Buprenorphine"), 1},
                      {QStringLiteral("E-collar"), 1}};
    else if (type == QLatin1String("Dental"))
        candidates = {{QStringLiteral("Dental prophylaxis"), 1},
                      {QStringLiteral("Dental radiographs"), 1},
                      {QStringLiteral("Extraction - simple"), 2}};
    else if (type == QLatin1String("Groomer"))
        candidates = {{QStringLiteral("Full groom - Medium dog"), 1}, {QStringLiteral("Nail trim"), 1}};
    else if (type == QLatin1String("Boarding"))
        candidates = {{QStringLiteral("Boarding - per night"), 3},
                      {QStringLiteral("Medication administration"), 3}};
    else if (type == QLatin1String("Euthanasia"))
        candidates = {{QStringLiteral("Euthanasia"), 1}, {QStringLiteral("Cremation - Communal"), 1}};
    QList<SimProductLine> lines;
    for (const auto& [name, quantity] : candidates) {
        if (!lines.isEmpty() && !random.chance(0.6))
            continue;
        SimProductLine line;
        line.id = nextLineId++;
        line.productService = name;
        line.quantity = quantity;
        // Owners decline extras, never the first line (the visit itself).
        line.isDeclined = !lines.isEmpty() && random.chance(0.15);
        lines.append(line);
    }
    return lines;
}

} // namespace odis::sim::neo
