#include "tests/e2e/thursday_bench.h"

#include "agent/run/run_summary.h"
#include "sync/neo/neo_read_store.h"
#include "tests/e2e/truth_compare.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace odis::test {

void ThursdayBench::start(BenchOptions options)
{
    if (!options.now.isValid())
        options.now = kThursdayEvening;
    auto bench = SyncBench::create(options);
    QVERIFY2(bench, bench ? "" : qPrintable(bench.error().toString()));
    m_bench = std::move(*bench);
}

void ThursdayBench::startWithAGoodSync(BenchOptions options)
{
    start(std::move(options));
    if (!m_bench)
        return;
    syncExpecting(agent::RunStatus::Completed);
    countReadNow();
    expectTruth("after the first sync");
}

std::optional<agent::SyncRunResult> ThursdayBench::syncExpecting(agent::RunStatus status)
{
    auto result = m_bench->sync();
    if (!result || !result->run) {
        QTest::qFail("the run did not end", __FILE__, __LINE__);
        return std::nullopt;
    }
    if (result->run->status != status)
        QTest::qFail(qPrintable(QStringLiteral("run %1, expected %2:\n%3")
                                    .arg(agent::runStatusName(result->run->status),
                                         agent::runStatusName(status), agent::syncSummaryText(*result))),
                     __FILE__, __LINE__);
    return result;
}

void ThursdayBench::countRead(const QDateTime& at)
{
    m_reads << sim::neo::TruthSync{at, true};
}

void ThursdayBench::countSuccessfulReadsNow()
{
    const auto states = sync::loadNeoReadStates(m_bench->db());
    QVERIFY2(states, states ? "" : qPrintable(states.error().toString()));
    QSet<qint64> read;
    for (const sync::NeoReadState& state : std::as_const(*states)) {
        bool numeric = false;
        const qint64 consultation = state.key.toLongLong(&numeric); // else "appointment:<id>"
        if (numeric && state.failures == 0 && state.fetchedAt == m_bench->now())
            read.insert(consultation);
    }
    m_reads << sim::neo::TruthSync{m_bench->now(), true, read};
}

void ThursdayBench::expectTruth(const char* when)
{
    const auto truth = m_bench->truthOfSyncs(m_reads);
    QVERIFY2(truth, truth ? "" : qPrintable(truth.error().toString()));
    const QStringList differences = m_bench->differences(*truth);
    QVERIFY2(differences.isEmpty(),
             qPrintable(QString::fromUtf8(when) + u'\n' + differences.mid(0, 10).join(u'\n')));
}

QJsonObject ThursdayBench::backendPayload(const QString& key) const
{
    const auto items = m_bench->backendItems();
    return items ? payloadsByKey(*items).value(key) : QJsonObject();
}

QList<sim::neo::SimAppointment> ThursdayBench::finishedVisitsWithNotes() const
{
    QList<sim::neo::SimAppointment> out;
    for (const sim::neo::SimAppointment& a : m_bench->neo().state().model.snapshotAt(m_bench->now())) {
        if (a.status == u"Finalized" && a.consultationId && !a.notesHtml.isEmpty())
            out.append(a);
    }
    return out;
}

std::optional<sim::neo::SimAppointment> ThursdayBench::takeThursdayVisit()
{
    for (const sim::neo::SimAppointment& a : finishedVisitsWithNotes()) {
        if (a.date == kThursday && !a.client.mobilePhone.isEmpty() && !a.schedulePhoneHidden &&
            !m_taken.contains(a.appointmentId)) {
            m_taken.insert(a.appointmentId);
            return a;
        }
    }
    return std::nullopt;
}

void ThursdayBench::change(const sim::neo::SimAppointment& visit, sim::neo::SimChange change)
{
    change.atUtc = m_bench->now().addSecs(30);
    QVERIFY(m_bench->neo().state().model.addChange(visit.appointmentId, change));
}

void ThursdayBench::addToNotes(const sim::neo::SimAppointment& visit, const QString& paragraph)
{
    sim::neo::SimChange edit;
    edit.notesHtml = visit.notesHtml + paragraph;
    change(visit, std::move(edit));
}

QByteArray compactJson(const QJsonValue& value)
{
    return value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

} // namespace odis::test
