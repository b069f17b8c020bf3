// Generated from the contract table (sync/core/neo_contract.h), for one endpoint shape per executable
// (ODIS_CONTRACT_SHAPE): after a good sync of a clinic week, every field the agent reads is, one at a
// time, dropped from every row, renamed, and given another type by the Neo simulator, and the agent syncs
// again (its real run: login, reads, reconciliation, planning, upload, run report). Each time:
// - the run ends `partial` (exit 4), never `completed`;
// - its report carries the field's path: neo_layout_changed for a required field or a wrong type,
//   neo_field_drift for an optional field Neo stopped sending;
// - the backend double still holds exactly what the last good read left there (every item, every
//   version): nothing lost, nothing wrong, no exclusion turned into a call. For the current shapes that
//   is the simulator's ground truth of that read, field for field; the older shapes carry less (no ids,
//   no product lines, "room-<n>" columns), so there the last good read itself is the reference.
// The fault must reach an answer (the simulator counts what its mutations changed), so no case passes
// because the field was never served.

#include "agent/run/run_summary.h"
#include "sync/core/neo_contract.h"
#include "tests/e2e/sync_bench.h"
#include "tests/e2e/thursday_bench.h"
#include "tests/support/webengine_test_main.h"

using namespace odis;
using namespace odis::sync;
using odis::test::BenchOptions;
using odis::test::SyncBench;

namespace {

struct ShapeSetup
{
    NeoShapeId shape;
    QString route;  // the simulator's route of the endpoint
    QString prefix; // where the rows sit in the answer
    sim::neo::NeoVariants variants;
};

ShapeSetup setupFor(const QString& name)
{
    ShapeSetup s{NeoShapeId::ScheduleCurrent, QStringLiteral("schedule"), QStringLiteral("[]."), {}};
    if (name == u"schedule_older") {
        s.shape = NeoShapeId::ScheduleOlder;
        s.prefix = QStringLiteral("events[].");
        s.variants.schedule = {sim::neo::ScheduleFields::Older, sim::neo::ScheduleWrapper::Events};
    } else if (name == u"consultation_current") {
        s = {NeoShapeId::ConsultationCurrent, QStringLiteral("consultation"), {}, {}};
    } else if (name == u"consultation_older") {
        s = {NeoShapeId::ConsultationOlder, QStringLiteral("consultation"), {}, {}};
        s.variants.consultation = sim::neo::ConsultationShape::Older;
    } else if (name == u"appointment") {
        s = {NeoShapeId::Appointment, QStringLiteral("appointment"), {}, {}};
    }
    return s;
}

QString foreignType(quint8 types)
{
    const QList<QPair<quint8, QString>> candidates{{json_type::kObject, QStringLiteral("object")},
                                                   {json_type::kArray, QStringLiteral("array")},
                                                   {json_type::kBool, QStringLiteral("boolean")},
                                                   {json_type::kNumber, QStringLiteral("number")}};
    for (const auto& [bit, name] : candidates) {
        if ((types & bit) == 0)
            return name;
    }
    return QStringLiteral("string");
}

// Containers whose change leaves no known shape at all: reported for the answer, "(root)".
bool definesShape(NeoShapeId shape, const QString& field)
{
    return (shape == NeoShapeId::ConsultationCurrent && field == u"consultation") ||
           (shape == NeoShapeId::ConsultationOlder &&
            (field == u"pageData" || field == u"pageData.consultation")) ||
           (shape == NeoShapeId::Appointment && field == u"appointment");
}

} // namespace

class TstContractFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fieldChanged_data();
    void fieldChanged();
    void aLaterGoodReadSettlesEverything();

private:
    [[nodiscard]] bool exactTruth() const;
    [[nodiscard]] QHash<QString, QString> versions() const;
    [[nodiscard]] QStringList changedSinceTheGoodRead() const;

    ShapeSetup m_setup = setupFor(QStringLiteral(ODIS_CONTRACT_SHAPE));
    std::unique_ptr<SyncBench> m_bench;
    QJsonObject m_truth;
    QHash<QString, QString> m_goodVersions; // the backend's items after the good read: key -> version
    int m_cases = 0;
};

void TstContractFaults::initTestCase()
{
    BenchOptions options;
    options.now = test::kThursdayEvening;
    options.variants = m_setup.variants;
    auto bench = SyncBench::create(options);
    QVERIFY2(bench, bench ? "" : qPrintable(bench.error().toString()));
    m_bench = std::move(*bench);
    const auto good = m_bench->sync();
    QVERIFY2(good && good->run, "the good sync did not end");
    QVERIFY2(good->run->status == agent::RunStatus::Completed, qPrintable(agent::syncSummaryText(*good)));
    const auto truth = m_bench->truth();
    QVERIFY2(truth, truth ? "" : qPrintable(truth.error().toString()));
    m_truth = *truth;
    if (exactTruth()) {
        const QStringList differences = m_bench->differences(m_truth);
        QVERIFY2(differences.isEmpty(), qPrintable(differences.mid(0, 10).join(u'\n')));
    }
    m_goodVersions = versions();
    QVERIFY(m_goodVersions.size() > 100);
}

bool TstContractFaults::exactTruth() const
{
    return m_setup.shape != NeoShapeId::ScheduleOlder && m_setup.shape != NeoShapeId::ConsultationOlder;
}

QHash<QString, QString> TstContractFaults::versions() const
{
    QHash<QString, QString> out;
    const auto items = m_bench->backendItems();
    for (const QJsonValue item : items.value_or(QJsonArray()))
        out.insert(item.toObject().value(QStringLiteral("key")).toString(),
                   item.toObject().value(QStringLiteral("version")).toString());
    return out;
}

QStringList TstContractFaults::changedSinceTheGoodRead() const
{
    QStringList changed;
    const QHash<QString, QString> now = versions();
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        if (m_goodVersions.value(it.key()) != it.value())
            changed << it.key() + (m_goodVersions.contains(it.key()) ? QStringLiteral(" changed")
                                                                     : QStringLiteral(" new"));
    }
    for (auto it = m_goodVersions.cbegin(); it != m_goodVersions.cend(); ++it) {
        if (!now.contains(it.key()))
            changed << it.key() + QStringLiteral(" lost");
    }
    return changed;
}

void TstContractFaults::fieldChanged_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonObject>("mutation");
    QTest::addColumn<QString>("code");
    const NeoShapeContract& contract = neoShapeContract(m_setup.shape);
    for (const NeoFieldSpec& spec : contract.fields) {
        if (spec.need == FieldNeed::Ignored)
            continue;
        const QString field(spec.path);
        const QString path = m_setup.prefix + field;
        const bool optional = spec.need == FieldNeed::Optional;
        const QString absent =
            optional ? QString(warning_code::kFieldDrift) : QString(warning_code::kLayoutChanged);
        QTest::newRow(qPrintable(field + QStringLiteral(" dropped")))
            << field << QJsonObject{{"op", "drop"}, {"path", path}} << absent;
        QTest::newRow(qPrintable(field + QStringLiteral(" renamed")))
            << field << QJsonObject{{"op", "rename"}, {"path", path}} << absent;
        QTest::newRow(qPrintable(field + QStringLiteral(" retyped")))
            << field << QJsonObject{{"op", "retype"}, {"path", path}, {"to", foreignType(spec.types)}}
            << QString(warning_code::kLayoutChanged);
    }
}

void TstContractFaults::fieldChanged()
{
    QFETCH(QString, field);
    QFETCH(QJsonObject, mutation);
    QFETCH(QString, code);
    ++m_cases;
    // The endpoint must be read in this run: consultations read two hours ago are due again (recent
    // visits), appointments as after a failed run (every finished visit without a usable phone).
    if (m_setup.shape == NeoShapeId::ConsultationCurrent || m_setup.shape == NeoShapeId::ConsultationOlder)
        QVERIFY(m_bench->ageReads(2 * 3600));
    if (m_setup.shape == NeoShapeId::Appointment)
        QVERIFY(m_bench->failReads());
    QVERIFY(m_bench->setFault(m_setup.route, QJsonObject{{"mutate", QJsonArray{mutation}}}));
    const auto result = m_bench->sync();
    m_bench->clearFaults();
    QVERIFY2(result && result->run, "the run did not end");
    const QByteArray summary = agent::syncSummaryText(*result).toUtf8();
    QVERIFY2(m_bench->mutatedValues(m_setup.route) > 0, "the fault reached no answer");
    QCOMPARE(result->run->status, agent::RunStatus::Partial);
    QCOMPARE(agent::syncExitCode(*result), 4);

    const QJsonObject report = m_bench->runReport(result->run->runId);
    const QString endpoint(neoShapeContract(m_setup.shape).endpoint);
    const QString reported = code == warning_code::kLayoutChanged && definesShape(m_setup.shape, field) &&
                                     test::reportWarnings(report, code, field, endpoint).isEmpty()
                                 ? QStringLiteral("(root)")
                                 : field;
    QVERIFY2(!test::reportWarnings(report, code, reported, endpoint).isEmpty(),
             test::compactJson(report.value(QStringLiteral("warnings"))).constData());
    QCOMPARE(report.value(QStringLiteral("status")).toString(), QStringLiteral("partial"));

    const QStringList changed = changedSinceTheGoodRead();
    QVERIFY2(changed.isEmpty(), qPrintable(changed.mid(0, 10).join(u'\n') + u'\n' + summary));
    if (exactTruth()) {
        const QStringList differences = m_bench->differences(m_truth);
        QVERIFY2(differences.isEmpty(), qPrintable(differences.mid(0, 10).join(u'\n') + u'\n' + summary));
    }
    const QJsonObject backend = m_bench->backendSummary();
    QCOMPARE(backend.value(QStringLiteral("rejected_items")).toInteger(), 0);
}

void TstContractFaults::aLaterGoodReadSettlesEverything()
{
    QVERIFY(m_cases > 10);
    m_bench->clearFaults();
    const auto result = m_bench->sync();
    QVERIFY2(result && result->run, "the run did not end");
    QVERIFY2(result->run->status == agent::RunStatus::Completed, qPrintable(agent::syncSummaryText(*result)));
    const QStringList changed = changedSinceTheGoodRead();
    QVERIFY2(changed.isEmpty(), qPrintable(changed.mid(0, 10).join(u'\n')));
}

ODIS_WEBENGINE_TEST_MAIN(TstContractFaults)
#include "tst_contract_faults.moc"
