// The simulator's own implementation of the text, name, status and time rules (phones are not read back: the
// generator knows what it meant) (docs/backend-api.md "Payload fields, exactly", docs/discharge-rules.md).

#include "tests/sim/neo/clinic_profile.h"
#include "tests/sim/neo/clinic_time.h"
#include "tests/sim/neo/sim_rules.h"

#include <QJsonObject>
#include <QTest>

using namespace odis::sim::neo;

class TestSimRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void notesText_data();
    void notesText();
    void endOfLife_data();
    void endOfLife();
    void names();
    void status_data();
    void status();
    void localTimes_data();
    void localTimes();
    void profile_data();
    void profile();
};

void TestSimRules::notesText_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QString>("text");
    QTest::newRow("plain text kept") << "Doing well."
                                     << "Doing well.";
    QTest::newRow("plain newlines are lines") << "S: ok\n\nO: fine  \n"
                                              << "S: ok\nO: fine";
    QTest::newRow("br variants") << "a<br>b<BR/>c<br />d"
                                 << "a\nb\nc\nd";
    QTest::newRow("closing blocks break") << "<p>a</p><div>b</div><ul><li>c</li><li>d</li></ul><h3>e</h3>f"
                                          << "a\nb\nc\nd\ne\nf";
    QTest::newRow("opening p does not break") << "x<p>y"
                                              << "xy";
    QTest::newRow("table rows break, cells do not")
        << "<table><tr><td>ALT</td> <td>45</td></tr><tr><td>BUN</td><td>20</td></tr></table>"
        << "ALT 45\nBUN20";
    QTest::newRow("script and style dropped") << "<style>.a{b:c}</style>ok<script>alert('x<br>')</script> go"
                                              << "ok go";
    QTest::newRow("other tags removed") << "<b>bold</b> <span class=\"x\">span</span>"
                                        << "bold span";
    QTest::newRow("named entities") << "a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;"
                                    << "a & b <c> \"d\" 'e'";
    QTest::newRow("nbsp collapses") << "a&nbsp;&nbsp; b"
                                    << "a b";
    QTest::newRow("numeric entities") << "&#39;&#x2014;&#X41;&#176;" << QString::fromUtf8("'\u2014A\u00B0");
    QTest::newRow("unknown entity kept") << "&mdash; &copy;"
                                         << "&mdash; &copy;";
    QTest::newRow("escaped tag is text") << "&lt;br&gt;"
                                         << "<br>";
    QTest::newRow("lone less-than is text") << "a < b"
                                            << "a < b";
    QTest::newRow("whitespace only") << "<p>&nbsp;</p><br>\n \t"
                                     << "";
    QTest::newRow("empty") << ""
                           << "";
}

void TestSimRules::notesText()
{
    QFETCH(QString, html);
    QFETCH(QString, text);
    QCOMPARE(htmlToText(html), text);
}

void TestSimRules::endOfLife_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("matches");
    QTest::newRow("euthanasia") << "Owner elected euthanasia." << true;
    QTest::newRow("upper case") << "EUTHANIZED TODAY" << true;
    QTest::newRow("british spelling") << "euthanised" << true;
    QTest::newRow("eutha abbreviation") << "Eutha consent signed" << true;
    QTest::newRow("PTS") << "PTS with owner present" << true;
    QTest::newRow("PTS with punctuation") << "plan: pts." << true;
    QTest::newRow("put to sleep across lines") << "put to<br>  sleep" << true;
    QTest::newRow("passed away in tags") << "<p>passed</p><p>away</p>" << true;
    QTest::newRow("humane ending") << "Humane ending discussed" << true;
    QTest::newRow("DOA") << "DOA" << true;
    QTest::newRow("dead on arrival") << "dead on arrival" << true;
    QTest::newRow("deceased") << "Patient deceased" << true;
    QTest::newRow("death during") << "death during anesthesia" << true;
    QTest::newRow("cremation") << "Cremation - Private" << true;
    QTest::newRow("blocked keyword") << "Memorial paw print" << true;
    QTest::newRow("entity-decoded") << "put&nbsp;to&nbsp;sleep" << true;
    QTest::newRow("split by a tag inside the word") << "eutha<b>nasia</b>" << true;
    QTest::newRow("receipts") << "Owner kept receipts" << false;
    QTest::newRow("attempts") << "Two attempts at venipuncture" << false;
    QTest::newRow("PTSD") << "PTSD-like anxiety" << false;
    QTest::newRow("Stepts") << "Stepts" << false;
    QTest::newRow("pts followed by a digit") << "pts2" << false;
    QTest::newRow("underscore is a word character") << "euthanasia_form" << false;
    QTest::newRow("eutha inside a longer word") << "Dr Leuthardt" << false;
    QTest::newRow("doa inside a longer word") << "Dr Doane, doable plan" << false;
    QTest::newRow("cremations") << "cremations" << false;
    QTest::newRow("accented letter is a word character") << QString::fromUtf8("ptsé") << false;
    QTest::newRow("memorial inside a word") << "memorials" << false;
    QTest::newRow("nothing") << "Healthy adult." << false;
}

void TestSimRules::endOfLife()
{
    QFETCH(QString, text);
    QFETCH(bool, matches);
    QCOMPARE(mentionsEndOfLife(text, {QStringLiteral("euthanasia"), QStringLiteral("  Memorial ")}), matches);
}

void TestSimRules::names()
{
    QCOMPARE(normalizeName(QStringLiteral("  Van  Der\tBerg ")), QStringLiteral("Van Der Berg"));
    const QString decomposed = QString::fromUtf8("Zoe\u0308");
    QCOMPARE(normalizeName(decomposed), QString::fromUtf8("Zo\u00EB"));
    QCOMPARE(normalizeName(QString::fromUtf8("李")), QString::fromUtf8("李"));
    QCOMPARE(normalizeName(QStringLiteral("DOE")), QStringLiteral("DOE")); // case is kept
}

void TestSimRules::status_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("normalised");
    const QList<QPair<const char*, const char*>> cases = {{"not arrived", "scheduled"},
                                                          {"Scheduled", "scheduled"},
                                                          {"Confirmed", "scheduled"},
                                                          {"booked", "scheduled"},
                                                          {"Checked In", "checked_in"},
                                                          {"arrived", "checked_in"},
                                                          {"In Progress", "in_progress"},
                                                          {"with doctor", "in_progress"},
                                                          {"Ready to Pay", "completed"},
                                                          {" Finalized ", "completed"},
                                                          {"Discharged", "completed"},
                                                          {"completed", "completed"},
                                                          {"No Show", "no_show"},
                                                          {"Cancelled", "cancelled"},
                                                          {"canceled", "cancelled"},
                                                          {"Waiting Room", "unknown"},
                                                          {"", "unknown"}};
    for (const auto& [raw, normalised] : cases)
        QTest::newRow(raw) << QString::fromLatin1(raw) << QString::fromLatin1(normalised);
}

void TestSimRules::status()
{
    QFETCH(QString, raw);
    QFETCH(QString, normalised);
    QCOMPARE(normalizeStatus(raw), normalised);
}

void TestSimRules::localTimes_data()
{
    QTest::addColumn<QDate>("date");
    QTest::addColumn<QTime>("time");
    QTest::addColumn<QString>("utc");
    QTest::addColumn<QString>("local");
    QTest::newRow("standard time") << QDate(2026, 3, 6) << QTime(16, 0) << "2026-03-07T00:00:00Z"
                                   << "2026-03-06T16:00:00-08:00";
    QTest::newRow("daylight time") << QDate(2026, 3, 10) << QTime(16, 0) << "2026-03-10T23:00:00Z"
                                   << "2026-03-10T16:00:00-07:00";
    QTest::newRow("spring-forward day afternoon")
        << QDate(2026, 3, 8) << QTime(16, 0) << "2026-03-08T23:00:00Z"
        << "2026-03-08T16:00:00-07:00";
    QTest::newRow("inside the gap moves after it")
        << QDate(2026, 3, 8) << QTime(2, 30) << "2026-03-08T10:00:00Z"
        << "2026-03-08T03:00:00-07:00";
    QTest::newRow("gap start") << QDate(2026, 3, 8) << QTime(2, 0) << "2026-03-08T10:00:00Z"
                               << "2026-03-08T03:00:00-07:00";
    QTest::newRow("just before the gap") << QDate(2026, 3, 8) << QTime(1, 59) << "2026-03-08T09:59:00Z"
                                         << "2026-03-08T01:59:00-08:00";
    QTest::newRow("ambiguous takes the first") << QDate(2026, 11, 1) << QTime(1, 30) << "2026-11-01T08:30:00Z"
                                               << "2026-11-01T01:30:00-07:00";
    QTest::newRow("autumn day afternoon") << QDate(2026, 11, 1) << QTime(16, 0) << "2026-11-02T00:00:00Z"
                                          << "2026-11-01T16:00:00-08:00";
}

void TestSimRules::localTimes()
{
    QFETCH(QDate, date);
    QFETCH(QTime, time);
    QFETCH(QString, utc);
    QFETCH(QString, local);
    const QTimeZone zone("America/Los_Angeles");
    const QDateTime instant = localToUtc(date, time, zone);
    QCOMPARE(isoUtc(instant), utc);
    QCOMPARE(isoLocalWithOffset(instant, zone), local);
}

void TestSimRules::profile_data()
{
    QTest::addColumn<QJsonObject>("change");
    QTest::addColumn<QString>("error"); // empty = valid
    QTest::newRow("default") << QJsonObject{} << "";
    QTest::newRow("bad zone") << QJsonObject{{"timezone", "Mars/Olympus"}} << "invalid_clinic_profile";
    QTest::newRow("Canada") << QJsonObject{{"country", "CA"}} << "";
    QTest::newRow("United Kingdom") << QJsonObject{{"country", "GB"}} << "";
    QTest::newRow("UK is not ISO 3166-1") << QJsonObject{{"country", "UK"}} << "invalid_clinic_profile";
    QTest::newRow("a country the simulator does not generate")
        << QJsonObject{{"country", "FR"}} << "invalid_clinic_profile";
    QTest::newRow("no country") << QJsonObject{{"country", QJsonValue()}} << "invalid_clinic_profile";
    QTest::newRow("bad hours") << QJsonObject{{"business_hours",
                                               QJsonObject{{"monday", QJsonObject{{"open", "8am"},
                                                                                  {"close", "18:00"}}}}}}
                               << "invalid_clinic_profile";
    QTest::newRow("bad policy type") << QJsonObject{{"discharge_policy",
                                                     QJsonObject{{"call_delay_days", "two"}}}}
                                     << "invalid_clinic_profile";
    QTest::newRow("window end before start")
        << QJsonObject{{"discharge_policy",
                        QJsonObject{{"call_window", QJsonObject{{"start", "20:00"}, {"end", "09:00"}}}}}}
        << "invalid_clinic_profile";
    QTest::newRow("missing policy takes defaults") << QJsonObject{{"discharge_policy", QJsonObject{}}} << "";
}

void TestSimRules::profile()
{
    QFETCH(QJsonObject, change);
    QFETCH(QString, error);
    QJsonObject json = defaultClinicProfile();
    for (auto it = change.begin(); it != change.end(); ++it)
        json.insert(it.key(), it.value());
    const auto parsed = parseClinicProfile(json);
    QCOMPARE(parsed ? QString() : parsed.error().code, error);
    if (!parsed)
        return;
    QCOMPARE(parsed->policy.callDelayDays, 2);
    QCOMPARE(parsed->policy.callTime, QTime(16, 0));
    QCOMPARE(parsed->sync.lookbackHours, 48);
    QVERIFY(!parsed->isOpen(QDate(2026, 3, 8)));                        // Sunday
    QCOMPARE(parsed->hoursOn(QDate(2026, 3, 14))->close, QTime(13, 0)); // short Saturday
    QCOMPARE(parsed->hoursOn(QDate(2026, 3, 9))->lunchStart, QTime(12, 0));
}

QTEST_GUILESS_MAIN(TestSimRules)
#include "tst_sim_rules.moc"
