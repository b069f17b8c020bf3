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
    QTest::addColumn<int>("mention"); // EndOfLifeMention
    const auto definite = [](const char* name, const char* text) {
        QTest::newRow(name) << QString::fromUtf8(text) << int(EndOfLifeMention::Definite);
    };
    const auto possible = [](const char* name, const char* text) {
        QTest::newRow(name) << QString::fromUtf8(text) << int(EndOfLifeMention::Possible);
    };
    const auto none = [](const char* name, const char* text) {
        QTest::newRow(name) << QString::fromUtf8(text) << int(EndOfLifeMention::None);
    };
    definite("euthanasia", "Owner elected euthanasia.");
    definite("upper case", "EUTHANIZED TODAY");
    definite("british spelling", "euthanised");
    definite("british euthanased", "Euthanased with the family present");
    definite("euthanasing", "euthanasing");
    definite("euth", "euth consent");
    definite("eutha abbreviation", "Eutha consent signed");
    definite("euthed", "euthed at 3pm");
    definite("PTS", "PTS with owner present");
    definite("PTS with punctuation", "plan: pts.");
    definite("put to sleep across lines", "put to<br>  sleep");
    definite("put down", "had to be put down");
    definite("passed away in tags", "<p>passed</p><p>away</p>");
    definite("passed away with a hyphen", "passed-away");
    definite("sadly passed", "Sadly passed overnight");
    definite("passed at home", "passed at home");
    definite("passed in her sleep", "passed in her sleep");
    definite("humane ending", "Humane ending discussed");
    definite("DOA", "DOA");
    definite("dead on arrival", "dead on arrival");
    definite("died", "died at home");
    definite("dead", "found dead");
    definite("death", "death during anesthesia");
    definite("deceased", "Patient deceased");
    definite("dying", "dying");
    definite("cremation", "Cremation - Private");
    definite("cremations", "cremations");
    definite("cremated", "cremated");
    definite("cremains", "cremains");
    definite("ashes", "ashes returned");
    definite("urn", "an urn");
    definite("memorial", "Memorial paw print");
    definite("memorials", "memorials");
    definite("pawprint", "pawprint");
    definite("necropsy", "necropsy");
    definite("autopsy", "autopsy");
    definite("post-mortem", "Post-mortem declined");
    definite("postmortem", "postmortem");
    definite("rainbow bridge", "Rainbow Bridge");
    definite("RIP", "RIP.");
    definite("clinic keyword", "Tribute stone");
    definite("clinic phrase across a hyphen", "farewell-visit");
    definite("entity-decoded", "put&nbsp;to&nbsp;sleep");
    definite("split by a tag inside the word", "eutha<b>nasia</b>");
    definite("definite wins over possible", "QOL poor, PTS");
    possible("quality of life", "Quality of life consult");
    possible("qol", "QOL");
    possible("hospice", "hospice");
    possible("palliative", "Palliative");
    possible("palliation", "palliation");
    possible("comfort care", "comfort-care");
    possible("end of life", "end of life");
    none("receipts", "Owner kept receipts");
    none("attempts", "Two attempts at venipuncture");
    none("PTSD", "PTSD-like anxiety");
    none("Stepts", "Stepts");
    none("pts followed by a digit", "pts2");
    none("underscore is a word character", "pts_form");
    definite("a starred term takes the whole word, underscores too", "euthanasia_form");
    none("eutha inside a longer word", "Dr Leuthardt");
    none("euthyroid", "Euthyroid on recheck");
    none("doa inside a longer word", "Dr Doane, doable plan");
    none("accented letter is a word character", "ptsé");
    none("passed stool", "Passed a normal stool");
    none("urn inside returned", "Returned for a trip to the park");
    none("ashes inside crashes", "Crashes into furniture");
    none("comfortable", "Hospital stay, comfortable");
    none("clinic keyword is a whole word", "tributes");
    none("nothing", "Healthy adult.");
}

void TestSimRules::endOfLife()
{
    QFETCH(QString, text);
    QFETCH(int, mention);
    const QStringList clinic{QStringLiteral("tribute"), QStringLiteral("  Farewell visit ")};
    QCOMPARE(int(endOfLifeMention(text, clinic)), mention);
    QCOMPARE(mentionsEndOfLife(text, clinic), mention == int(EndOfLifeMention::Definite));
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
