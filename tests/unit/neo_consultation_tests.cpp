// GET /consultations/{id}/page-data: both shapes field by field, the summary rule, the id check, hostile
// values that break the contract (sync/core/neo_contract.h).

#include "sync/core/html_text.h"
#include "sync/core/neo_consultation_parser.h"
#include "sync/core/neo_contract.h"
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

    // Only what the agent reads (sync/core/neo_contract.h): the rest of the answer is not even looked at.
    QCOMPARE(c.patient.species, QStringLiteral("Canine"));
    QCOMPARE(c.client.phone, QStringLiteral("415-201-3344"));
    QVERIFY(c.client.phoneGiven);
    QVERIFY(c.summaryGiven);

    QCOMPARE(c.providers.size(), 2);
    QCOMPARE(c.providers[0].id, QStringLiteral("5101"));
    QCOMPARE(c.providers[0].name, QStringLiteral("Dr. Amelia Chen"));
    QCOMPARE(c.providers[0].userType, QStringLiteral("Vet"));
    QCOMPARE(c.providers[1].id, QStringLiteral("5107"));
    QCOMPARE(c.providers[1].name, QStringLiteral("Kim Lee")); // normalised
    QCOMPARE(c.providers[1].userType, QStringLiteral("Tech"));

    QCOMPARE(c.lines.size(), 5);
    const QList<std::tuple<QString, double, bool>> lines{{"Exam - Comprehensive", 1, false},
                                                         {"DHPP vaccine 1yr", 1, false},
                                                         {"Senior bloodwork panel", 1, true},
                                                         {"Carprofen 75mg tablet", 14, false},
                                                         {"Nail trim", 0.5, false}};
    for (int i = 0; i < lines.size(); ++i) {
        QCOMPARE(c.lines[i].name, std::get<0>(lines[i]));
        QCOMPARE(c.lines[i].quantity, std::get<1>(lines[i]));
        QCOMPARE(c.lines[i].declined, std::get<2>(lines[i]));
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
    QCOMPARE(c.client.phone, QString()); // an optional field left out: absent, said so, not drift by itself
    QVERIFY(!c.client.phoneGiven);
    QVERIFY(c.summaryGiven);
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
        QCOMPARE(c.patient.species, QStringLiteral("Canine"));
        QCOMPARE(c.client.phone, QStringLiteral("4152013344"));
        QCOMPARE(c.providers.size(), 1);
        QCOMPARE(c.providers[0].id, QStringLiteral("5102"));
        QCOMPARE(c.providers[0].userType, QStringLiteral("Vet"));
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

// Hostile values break the contract: the answer is refused, every field named, nothing of it taken.
void NeoConsultationParserTest::hostileValues()
{
    NeoAnswerCheck check;
    const auto parsed =
        parseNeoConsultation(neoFixture(QStringLiteral("consultation_hostile.json")), u"731210", &check);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, QStringLiteral("neo_layout_changed"));
    const QList<DriftWarning>& v = check.violations;
    QVERIFY_WARNING(v, "consultation.reason", "object instead of string or null");
    QVERIFY_WARNING(v, "consultation.date", "has a time zone");
    QVERIFY_WARNING(v, "patient.species", "number instead of string or null");
    QVERIFY_WARNING(v, "client.phone", "object instead of string or null");
    QVERIFY_WARNING(v, "pageData.providers[].id", "missing");
    QVERIFY_WARNING(v, "pageData.providers[]", "null instead of object");
    QVERIFY_WARNING(v, "pageData.providers[]", "string instead of object");
    QVERIFY_WARNING(v, "consultationLines[].isDeclined", "not a boolean");
    QVERIFY_WARNING(v, "consultationLines[].productService", "object instead of string");
    QVERIFY_WARNING(v, "consultationLines[].quantity", "not a number");
    QVERIFY_WARNING(v, "consultationLines[]", "number instead of object");
    // client.lastName is not read at all (not in the contract): whatever it holds refuses nothing.
    QVERIFY(!findWarning(v, "client.lastName"));
    QStringList texts{parsed.error().message};
    for (const DriftWarning& warning : v)
        texts << warning.toString();
    for (const QString& text : std::as_const(texts)) {
        for (const char* data : {"KCUD", "Nested", "Cremation", "evil.example", "warm", "x@example"})
            QVERIFY2(!text.contains(QString::fromUtf8(data)), qPrintable(text));
    }
}

// A missing object is one violation, not one more per field it would have held.
void NeoConsultationParserTest::missingObjectsAreOneWarningEach()
{
    const QByteArray body =
        R"({"consultation":{"id":731204,"reason":"Exam","notes":"<p>ok</p>","date":"2026-03-10","status":"Finalized"}})";
    NeoAnswerCheck check;
    const auto parsed = parseNeoConsultation(jsonResponse(body), u"731204", &check);
    QVERIFY(!parsed);
    for (const char* field : {"patient", "client", "pageData", "consultationLines"})
        QVERIFY_WARNING(check.violations, QString::fromUtf8(field), "missing");
    QCOMPARE(check.violations.size(), 4);

    const auto older = parseNeoConsultation(jsonResponse(R"({"pageData":{"consultation":{"id":731204}}})"),
                                            u"731204", &check);
    QVERIFY(!older);
    for (const char* field : {"pageData.patient", "pageData.client", "pageData.providers"})
        QVERIFY_WARNING(check.violations, QString::fromUtf8(field), "missing");
    QVERIFY(!findWarning(check.violations, "pageData.patient.species"));
}

void NeoConsultationParserTest::notFoundIsAnError()
{
    const auto parsed = parseNeoConsultation(jsonResponse(R"({"message":"Not Found"})", 404), u"731299");
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, QString(neo_error::kNotFound));
    QCOMPARE(parsed.error().message, QStringLiteral("page-data: HTTP 404"));
}
