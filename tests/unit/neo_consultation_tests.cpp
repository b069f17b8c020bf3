// GET /consultations/{id}/page-data: both shapes field by field, the summary rule, the id check, hostile
// values.

#include "sync/core/html_text.h"
#include "sync/core/neo_consultation_parser.h"
#include "sync/core/neo_fields.h"
#include "tests/unit/neo_parser_tests.h"
#include "tests/unit/neo_test_support.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace odis::sync;
using odis::test::findWarning;
using odis::test::jsonResponse;
using odis::test::neoFixture;

namespace {

Parsed<NeoConsultation> parsedFixture(const QString& name, const QString& id)
{
    odis::Result<Parsed<NeoConsultation>> parsed = parseNeoConsultation(neoFixture(name), id);
    if (!parsed)
        qFatal("%s does not parse: %s", qPrintable(name), qPrintable(parsed.error().toString()));
    return std::move(*parsed);
}

} // namespace

void NeoConsultationParserTest::currentShape()
{
    const Parsed<NeoConsultation> parsed =
        parsedFixture(QStringLiteral("consultation_current.json"), "731204");
    QVERIFY_NO_WARNINGS(parsed.warnings);
    const NeoConsultation& c = parsed.value;
    QCOMPARE(c.shape, NeoConsultationShape::Current);
    QCOMPARE(c.id, QStringLiteral("731204"));
    QCOMPARE(c.reason, QStringLiteral("Annual wellness exam"));
    QVERIFY(c.notesHtml.startsWith(u"<h3>Subjective</h3><p>Owner reports BISCUIT"));
    QVERIFY(c.notesHtml.contains(u"&amp; drinking")); // unchanged: decoding is notes_text's job
    QCOMPARE(c.dischargeSummaryHtml,
             QStringLiteral(
                 "<p>BISCUIT is healthy. Next vaccines due 03/2027.</p><p>Call us with any questions.</p>"));
    QCOMPARE(c.summarySource, NeoSummarySource::DischargeSummary);
    QCOMPARE(c.dateRaw, QStringLiteral("2026-03-10 09:15:00"));
    QCOMPARE(c.date.toString(), QStringLiteral("2026-03-10 09:15:00"));
    QCOMPARE(c.statusRaw, QStringLiteral("Finalized"));
    QCOMPARE(c.status, NeoStatus::Completed);

    QCOMPARE(c.patient.id, QStringLiteral("41207"));
    QCOMPARE(c.patient.name, QStringLiteral("BISCUIT"));
    QCOMPARE(c.patient.species, QStringLiteral("Canine"));
    QCOMPARE(c.patient.breed, QStringLiteral("Labrador Retriever"));

    QCOMPARE(c.client.id, QStringLiteral("30518"));
    QCOMPARE(c.client.firstName, QStringLiteral("Jane"));
    QCOMPARE(c.client.lastName, QStringLiteral("Doe"));
    QCOMPARE(c.client.nameRaw, QString());
    QCOMPARE(c.client.phone, QStringLiteral("415-201-3344"));
    QCOMPARE(c.client.email, QStringLiteral("jane.doe@example.com"));

    QCOMPARE(c.providers.size(), 2);
    QCOMPARE(c.providers[0].id, QStringLiteral("5101"));
    QCOMPARE(c.providers[0].name, QStringLiteral("Dr. Amelia Chen"));
    QCOMPARE(c.providers[0].email, QStringLiteral("achen@clinic.example"));
    QCOMPARE(c.providers[0].licenseNumber, QStringLiteral("CA-VET-20931"));
    QCOMPARE(c.providers[0].userType, QStringLiteral("Vet"));
    QCOMPARE(c.providers[1].id, QStringLiteral("5107"));
    QCOMPARE(c.providers[1].name, QStringLiteral("Kim Lee")); // normalised
    QCOMPARE(c.providers[1].email, QString());
    QCOMPARE(c.providers[1].licenseNumber, QString());
    QCOMPARE(c.providers[1].userType, QStringLiteral("Tech"));

    QVERIFY(c.branch.has_value());
    QCOMPARE(c.branch->id, QStringLiteral("12"));
    QCOMPARE(c.branch->name, QStringLiteral("Riverside Animal Hospital"));

    QCOMPARE(c.lines.size(), 5);
    const QList<std::tuple<QString, QString, double, bool>> lines{
        {"880101", "Exam - Comprehensive", 1, false},
        {"880102", "DHPP vaccine 1yr", 1, false},
        {"880103", "Senior bloodwork panel", 1, true},
        {"880104", "Carprofen 75mg tablet", 14, false},
        {"880105", "Nail trim", 0.5, false}};
    for (int i = 0; i < lines.size(); ++i) {
        QCOMPARE(c.lines[i].id, std::get<0>(lines[i]));
        QCOMPARE(c.lines[i].name, std::get<1>(lines[i]));
        QCOMPARE(c.lines[i].quantity, std::get<2>(lines[i]));
        QCOMPARE(c.lines[i].declined, std::get<3>(lines[i]));
    }
}

void NeoConsultationParserTest::currentShapeSummaryFallback()
{
    const Parsed<NeoConsultation> parsed =
        parsedFixture(QStringLiteral("consultation_current_notes_fallback.json"), "731205");
    QVERIFY_NO_WARNINGS(parsed.warnings);
    const NeoConsultation& c = parsed.value;
    QCOMPARE(c.summarySource, NeoSummarySource::ConsultationNotes);
    QCOMPARE(c.dischargeSummaryHtml,
             QStringLiteral("<div>Keep ZOÉ indoors for 24 h.</div><div>Mild lethargy is normal.</div>"));
    QCOMPARE(c.notesHtml, QStringLiteral("Vaccine given SC right shoulder.\nNo reaction observed."));
    QCOMPARE(c.date.date, QDate(2026, 3, 10));
    QVERIFY(c.date.time.isNull()); // Neo gave a date only
    QCOMPARE(c.status, NeoStatus::Completed);
    QCOMPARE(c.statusRaw, QStringLiteral("Ready to Pay"));
    QCOMPARE(c.patient.id, QStringLiteral("41388"));
    QCOMPARE(c.patient.name, QStringLiteral("ZO\u00C9")); // NFC of "ZOE" + combining acute
    QCOMPARE(c.client.firstName, QStringLiteral("María José"));
    QCOMPARE(c.client.lastName, QStringLiteral("García López"));
    QCOMPARE(c.client.phone, QString()); // optional fields left out: no drift
    QCOMPARE(c.client.email, QString());
    QCOMPARE(c.branch, std::optional<NeoBranch>());
    QVERIFY(c.lines.isEmpty());
}

void NeoConsultationParserTest::olderShape()
{
    // The older shape's consultation.id is the visit's; consultationId is the one asked for.
    for (const char* requested : {"731206", "482916"}) {
        const Parsed<NeoConsultation> parsed =
            parsedFixture(QStringLiteral("consultation_older.json"), QString::fromUtf8(requested));
        QVERIFY_NO_WARNINGS(parsed.warnings);
        const NeoConsultation& c = parsed.value;
        QCOMPARE(c.shape, NeoConsultationShape::Older);
        QCOMPARE(c.id, QString::fromUtf8(requested));
        QCOMPARE(c.reason, QStringLiteral("Vomiting since yesterday"));
        QCOMPARE(
            c.notesHtml,
            QStringLiteral(
                "<p>Vomited x3 overnight. Bright, alert.</p><p>Plan: bland diet 3 days, maropitant.</p>"));
        QCOMPARE(c.summarySource, NeoSummarySource::None); // dischargeSummary null, no consultationNotes
        QCOMPARE(c.dischargeSummaryHtml, QString());
        QCOMPARE(c.date.toString(), QStringLiteral("2026-03-10 10:15:00"));
        QCOMPARE(c.statusRaw, QStringLiteral("completed"));
        QCOMPARE(c.status, NeoStatus::Completed);
        QCOMPARE(c.patient.id, QStringLiteral("41519"));
        QCOMPARE(c.patient.name, QStringLiteral("MAX"));
        QCOMPARE(c.patient.species, QStringLiteral("Canine"));
        QCOMPARE(c.patient.breed, QStringLiteral("Beagle"));
        QCOMPARE(c.client.id, QStringLiteral("30790"));
        QCOMPARE(c.client.nameRaw, QStringLiteral("Tom O'Brien"));
        QCOMPARE(c.client.firstName, QStringLiteral("Tom"));
        QCOMPARE(c.client.lastName, QStringLiteral("O'Brien"));
        QCOMPARE(c.client.phone, QStringLiteral("4152013344"));
        QCOMPARE(c.client.email, QString());
        QCOMPARE(c.providers.size(), 1);
        QCOMPARE(c.providers[0].id, QStringLiteral("5102"));
        QCOMPARE(c.providers[0].userType, QStringLiteral("Vet"));
        QVERIFY(c.branch.has_value());
        QCOMPARE(c.branch->name, QStringLiteral("Riverside Animal Hospital"));
        QVERIFY(c.lines.isEmpty());
    }
}

void NeoConsultationParserTest::requestedIdMustMatch_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("requested");
    QTest::addColumn<QString>("code"); // "" when accepted
    QTest::newRow("current, same") << "consultation_current.json"
                                   << "731204"
                                   << "";
    QTest::newRow("current, zero padded request") << "consultation_current.json"
                                                  << "0731204"
                                                  << "";
    QTest::newRow("current, other") << "consultation_current.json"
                                    << "731299"
                                    << "neo_id_mismatch";
    QTest::newRow("current, string id in answer") << "consultation_current_notes_fallback.json"
                                                  << "731205"
                                                  << "";
    QTest::newRow("older, neither id") << "consultation_older.json"
                                       << "731204"
                                       << "neo_id_mismatch";
    QTest::newRow("request not an id") << "consultation_current.json"
                                       << "abc"
                                       << "neo_id_mismatch";
    QTest::newRow("request empty") << "consultation_current.json"
                                   << ""
                                   << "neo_id_mismatch";
}

void NeoConsultationParserTest::requestedIdMustMatch()
{
    QFETCH(QString, fixture);
    QFETCH(QString, requested);
    QFETCH(QString, code);
    const auto parsed = parseNeoConsultation(neoFixture(fixture), requested);
    QCOMPARE(parsed ? QString() : parsed.error().code, code);
}

void NeoConsultationParserTest::summarySource_data()
{
    QTest::addColumn<QByteArray>("consultationExtra"); // JSON members added to "consultation"
    QTest::addColumn<QByteArray>("rootExtra");         // JSON members added to the root
    QTest::addColumn<int>("source");
    QTest::addColumn<QString>("summary");
    QTest::newRow("none") << QByteArray() << QByteArray() << int(NeoSummarySource::None) << "";
    QTest::newRow("dischargeSummary") << QByteArray(R"(,"dischargeSummary":"<p>Rest</p>")") << QByteArray()
                                      << int(NeoSummarySource::DischargeSummary) << "<p>Rest</p>";
    QTest::newRow("dischargeSummary wins")
        << QByteArray(R"(,"dischargeSummary":"A")") << QByteArray(R"(,"consultationNotes":{"notes":"B"})")
        << int(NeoSummarySource::DischargeSummary) << "A";
    QTest::newRow("empty dischargeSummary is present")
        << QByteArray(R"(,"dischargeSummary":"")") << QByteArray(R"(,"consultationNotes":{"notes":"B"})")
        << int(NeoSummarySource::DischargeSummary) << "";
    QTest::newRow("null dischargeSummary is absent")
        << QByteArray(R"(,"dischargeSummary":null)") << QByteArray(R"(,"consultationNotes":{"notes":"B"})")
        << int(NeoSummarySource::ConsultationNotes) << "B";
    QTest::newRow("consultationNotes") << QByteArray() << QByteArray(R"(,"consultationNotes":{"notes":"B"})")
                                       << int(NeoSummarySource::ConsultationNotes) << "B";
    QTest::newRow("consultationNotes without notes")
        << QByteArray() << QByteArray(R"(,"consultationNotes":{"notes":null})") << int(NeoSummarySource::None)
        << "";
}

void NeoConsultationParserTest::summarySource()
{
    QFETCH(QByteArray, consultationExtra);
    QFETCH(QByteArray, rootExtra);
    QFETCH(int, source);
    QFETCH(QString, summary);
    const QByteArray body =
        R"({"consultation":{"id":731204,"reason":"","notes":"","date":"2026-03-10","status":"Finalized")" +
        consultationExtra + R"(},"patient":{"id":1,"name":"A","species":"Canine","breed":""},)" +
        R"("client":{"id":2,"firstName":"B","lastName":"C"},"pageData":{"providers":[]},"consultationLines":[])" +
        rootExtra + "}";
    const auto parsed = parseNeoConsultation(jsonResponse(body), u"731204");
    QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().toString()));
    QVERIFY_NO_WARNINGS(parsed->warnings);
    QCOMPARE(int(parsed->value.summarySource), source);
    QCOMPARE(parsed->value.dischargeSummaryHtml, summary);
}

void NeoConsultationParserTest::hostileValues()
{
    const Parsed<NeoConsultation> parsed =
        parsedFixture(QStringLiteral("consultation_hostile.json"), "731210");
    const NeoConsultation& c = parsed.value;
    const QList<DriftWarning>& w = parsed.warnings;

    QCOMPARE(c.reason, QString());
    QVERIFY_WARNING(w, "consultation.reason", "object instead of string");
    QVERIFY(c.notesHtml.size() > 60'000); // tens of KB pass whole
    const QString text = htmlToText(c.notesHtml);
    QVERIFY(text.startsWith(u"Ate well\nClinical note line"));
    QVERIFY(!text.contains(u"document.cookie"));
    QVERIFY(!text.contains(u"p{}"));
    QVERIFY(!c.date.isValid());
    QCOMPARE(c.dateRaw, QStringLiteral("2026-03-10T17:15:00+01:00"));
    QVERIFY_WARNING(w, "consultation.date", "has a time zone");
    QCOMPARE(c.status, NeoStatus::Unknown);
    QCOMPARE(c.statusRaw, QStringLiteral("Awaiting Lab Results"));
    QVERIFY_WARNING(w, "consultation.status", "unknown status \"Awaiting Lab Results\"");
    QVERIFY_WARNING(w, "consultation.internalFlag", "unknown field");

    QCOMPARE(c.patient.id, QStringLiteral("41999"));
    QCOMPARE(c.patient.name, QStringLiteral("\U0001F436 \u202EKCUD\u202C Máx"));
    QCOMPARE(c.patient.species, QStringLiteral("3"));
    QVERIFY_WARNING(w, "patient.species", "number instead of string");
    QCOMPARE(c.patient.breed, QString());
    QCOMPARE(c.client.firstName, QString());
    QCOMPARE(c.client.lastName, QString());
    QVERIFY_WARNING(w, "client.lastName", "array instead of string");
    QCOMPARE(c.client.phone, QString());
    QVERIFY_WARNING(w, "client.phone", "object instead of string");
    QCOMPARE(c.client.email, QStringLiteral("x@example.com"));

    QCOMPARE(c.providers.size(), 1);
    QCOMPARE(c.providers[0].name, QStringLiteral("No Id"));
    QCOMPARE(c.providers[0].id, QString());
    QVERIFY_WARNING(w, "pageData.providers[].id", "missing");
    QVERIFY_WARNING(w, "pageData.providers[]", "null instead of an object, skipped");
    QVERIFY_WARNING(w, "pageData.providers[]", "string instead of an object, skipped");
    QVERIFY_WARNING(w, "pageData.extra", "unknown field");

    QCOMPARE(c.summarySource, NeoSummarySource::ConsultationNotes);
    QCOMPARE(c.dischargeSummaryHtml, QStringLiteral("Keep him warm and quiet tonight."));

    // Every line with a name is kept, whatever else is wrong with it: end-of-life lines must reach the rules.
    QCOMPARE(c.lines.size(), 4);
    QCOMPARE(c.lines[0].quantity, -1.0);
    QVERIFY_WARNING(w, "consultationLines[].quantity", "negative");
    QCOMPARE(c.lines[1].name, QStringLiteral("Cremation - private"));
    QCOMPARE(c.lines[1].quantity, 2.0);
    QVERIFY_WARNING(w, "consultationLines[].quantity", "string instead of number");
    QCOMPARE(c.lines[1].declined, false);
    QVERIFY_WARNING(w, "consultationLines[].isDeclined", "not a boolean");
    QCOMPARE(c.lines[2].name, QString());
    QVERIFY_WARNING(w, "consultationLines[].productService", "object instead of string");
    QCOMPARE(c.lines[2].quantity, 1.0);
    QCOMPARE(c.lines[2].id, QString());
    QVERIFY_WARNING(w, "consultationLines[].id", "missing");
    QCOMPARE(c.lines[3].quantity, 1.0);
    QVERIFY_WARNING(w, "consultationLines[].quantity", "not a finite number");
    QCOMPARE(c.lines[3].declined, true);
    QVERIFY_WARNING(w, "consultationLines[]", "number instead of an object, skipped");

    for (const DriftWarning& warning : w) {
        for (const char* data : {"KCUD", "Nested", "Cremation", "evil.example", "warm", "x@example"})
            QVERIFY2(!warning.toString().contains(QString::fromUtf8(data)), qPrintable(warning.toString()));
    }
}

void NeoConsultationParserTest::missingObjectsAreOneWarningEach()
{
    const QByteArray body =
        R"({"consultation":{"id":731204,"reason":"Exam","notes":"<p>ok</p>","date":"2026-03-10","status":"Finalized"}})";
    const auto parsed = parseNeoConsultation(jsonResponse(body), u"731204");
    QVERIFY(parsed.has_value());
    const QList<DriftWarning>& w = parsed->warnings;
    for (const char* field : {"patient", "client", "pageData", "consultationLines"})
        QVERIFY_WARNING(w, QString::fromUtf8(field), "missing");
    QCOMPARE(w.size(), 4); // not one more per field of each missing object
    QCOMPARE(parsed->value.notesHtml, QStringLiteral("<p>ok</p>"));
    QCOMPARE(parsed->value.patient.name, QString());

    const auto older =
        parseNeoConsultation(jsonResponse(R"({"pageData":{"consultation":{"id":731204}}})"), u"731204");
    QVERIFY(older.has_value());
    for (const char* field : {"pageData.patient", "pageData.client", "pageData.providers"})
        QVERIFY_WARNING(older->warnings, QString::fromUtf8(field), "missing");
    QVERIFY(!findWarning(older->warnings, "pageData.patient.id"));
}

void NeoConsultationParserTest::notFoundIsAnError()
{
    const auto parsed = parseNeoConsultation(jsonResponse(R"({"message":"Not Found"})", 404), u"731299");
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, QString(neo_error::kNotFound));
    QCOMPARE(parsed.error().message, QStringLiteral("page-data: HTTP 404"));
}
