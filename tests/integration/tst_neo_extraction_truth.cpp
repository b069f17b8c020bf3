// The "done when" of the Neo extraction (issue 4): a generated clinic week (as `odis-neo-sim --seed 7
// --days 7`) read through the real session over HTTPS equals the simulator's ground truth
// (GET /__admin/ground-truth, computed independently of the agent for the sync times the simulator
// recorded): every appointment, every finished consultation with its notes, nothing extra, compared by
// id on the payloads the agent would upload, on exactly the fields the ground truth gives. A second
// read of the unchanged clinic, in a new session as the next run makes it, costs the login and one data
// call; a day later only the consultations that are due are fetched, and the result is still the
// ground truth. Every response shape Neo has (NeoVariants) gives the same result.

#include "tests/integration/neo_extraction_fixture.h"
#include "tests/support/webengine_test_main.h"

#include <QJsonDocument>

using namespace odis;
using namespace odis::sync;
using odis::sim::neo::ConsultationShape;
using odis::sim::neo::NeoVariants;
using odis::sim::neo::ScheduleFields;
using odis::sim::neo::ScheduleWrapper;
using odis::sim::neo::SummaryPlacement;
using odis::test::ClinicSetup;
using odis::test::describe;
using odis::test::NeoExtractionFixture;
using odis::test::NeoWorld;
using odis::test::UploadedState;

Q_DECLARE_METATYPE(NeoVariants)

namespace {

// Friday 2026-03-13, 17:00 in Los Angeles (PDT): late in the generated week (Monday 9 to Sunday 15), so
// most visits have finished and some notes are still being written.
const QDateTime kFridayEvening(QDate(2026, 3, 14), QTime(0, 0), Qt::UTC);
constexpr qint64 kDay = 24 * 3600;

// The fields an older schedule row carries (docs/idexx-neo.md "Older event fields"): no consultation,
// patient or client id, no e-mail or reason, the column as "room-<n>".
const QStringList kOlderRowFields{
    QStringLiteral("neo_appointment_id"), QStringLiteral("date"),     QStringLiteral("start_time"),
    QStringLiteral("end_time"),           QStringLiteral("status"),   QStringLiteral("status_raw"),
    QStringLiteral("appointment_type"),   QStringLiteral("is_block"), QStringLiteral("patient.name"),
    QStringLiteral("client.phone_e164"),  QStringLiteral("removed")};

QString json(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QSet<QString> keys(const QHash<QString, QJsonObject>& hash)
{
    return QSet<QString>(hash.keyBegin(), hash.keyEnd());
}

// Where `uploaded` differs from `truth` (ids, then each item on the ground truth's own fields, or on
// `appointmentFields` when given); empty when they are equal. `linesAbsent`: the consultations' shape
// has no product lines, so ours must have none (nothing made up) whatever the truth has. Consultations
// are named by id only: their notes are clinic data even when simulated.
QString differences(const UploadedState& uploaded, const QJsonObject& truth, bool withConsultations = true,
                    const QStringList& appointmentFields = {}, bool linesAbsent = false)
{
    static const QStringList kLines{QStringLiteral("products_services"),
                                    QStringLiteral("declined_products_services")};
    QStringList out;
    const auto appointments = test::byId(truth.value(QStringLiteral("appointments")).toArray(),
                                         QStringLiteral("neo_appointment_id"));
    if (keys(uploaded.appointments) != keys(appointments)) {
        out << QStringLiteral("appointment ids: ") +
                   QString::fromUtf8(test::idsDiff(keys(uploaded.appointments), keys(appointments)));
    }
    for (auto it = appointments.cbegin(); it != appointments.cend() && out.size() < 5; ++it) {
        const QJsonObject ours = uploaded.appointments.value(it.key());
        const QJsonObject a = appointmentFields.isEmpty() ? test::projectOnto(ours, it.value())
                                                          : test::project(ours, appointmentFields);
        const QJsonObject b =
            appointmentFields.isEmpty() ? it.value() : test::project(it.value(), appointmentFields);
        if (a != b) {
            out << QStringLiteral("appointment %1: ours %2, truth %3").arg(it.key(), json(a), json(b));
        }
    }
    if (!withConsultations) {
        return out.join(QLatin1Char('\n'));
    }
    const auto consultations = test::byId(truth.value(QStringLiteral("consultations")).toArray(),
                                          QStringLiteral("neo_consultation_id"));
    if (keys(uploaded.consultations) != keys(consultations)) {
        out << QStringLiteral("consultation ids: ") +
                   QString::fromUtf8(test::idsDiff(keys(uploaded.consultations), keys(consultations)));
    }
    for (auto it = consultations.cbegin(); it != consultations.cend(); ++it) {
        const QJsonObject ours = test::projectOnto(uploaded.consultations.value(it.key()), it.value());
        if (ours != it.value()) {
            QStringList fields;
            for (auto f = it->begin(); f != it->end(); ++f) {
                const bool absent = linesAbsent && kLines.contains(f.key());
                if (absent ? ours.value(f.key()) != QJsonArray() : ours.value(f.key()) != f.value()) {
                    fields << f.key();
                }
            }
            if (!fields.isEmpty()) {
                out << QStringLiteral("consultation %1 differs in %2")
                           .arg(it.key(), fields.join(QLatin1Char(',')));
            }
        }
    }
    return out.join(QLatin1Char('\n'));
}

int withNotes(const QJsonObject& truth)
{
    int n = 0;
    for (const QJsonValue c : truth.value(QStringLiteral("consultations")).toArray()) {
        n += c.toObject().value(QStringLiteral("has_notes")).toBool() ? 1 : 0;
    }
    return n;
}

} // namespace

class TstNeoExtractionTruth : public QObject
{
    Q_OBJECT

private:
    NeoExtractionFixture m_fixture;
    // The clinic week of the first three functions, which run in order, as three runs of one agent.
    std::optional<NeoWorld> m_world;
    UploadedState m_uploaded;
    QHash<QString, NeoReadState> m_states;
    std::optional<NeoRead> m_first;

    [[nodiscard]] std::optional<NeoWorld> clinicWeek(const NeoVariants& variants = {}) const
    {
        ClinicSetup setup;
        setup.seed = 7;
        setup.providers = 3;
        setup.days = 7;
        setup.nowUtc = kFridayEvening;
        setup.variants = variants;
        return m_fixture.start(setup);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const Status trusted = m_fixture.init();
        QVERIFY2(trusted, qPrintable(trusted ? QString() : trusted.error().toString()));
        m_world = clinicWeek();
        QVERIFY(m_world);
    }

    void clinicWeekEqualsGroundTruth()
    {
        const NeoReadSettings settings = m_world->readSettings();
        const auto read = test::runRead(*m_world, settings, NeoReadInput{QStringLiteral("run-1"), {}, {}});
        QVERIFY2(read && *read, qPrintable(describe(read)));
        const NeoRead& neo = **read;
        QVERIFY(neo.window.scheduleRead);
        QCOMPARE(neo.scheduleSource, NeoReadSource::Json);
        QVERIFY(neo.domFallbackEndpoints.isEmpty());
        QCOMPARE(neo.failedVisits(), 0);
        QVERIFY2(neo.finishedVisits > 80, qPrintable(QString::number(neo.finishedVisits)));

        const QStringList errors = m_uploaded.apply(neo, settings);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        const QJsonObject truth = m_world->admin("GET", QStringLiteral("/ground-truth"));
        QCOMPARE(truth.value(QStringLiteral("sync_times")).toArray().size(), 1);
        QVERIFY(truth.value(QStringLiteral("appointments")).toArray().size() > 140);
        QVERIFY(withNotes(truth) > 40);
        const QString diff = differences(m_uploaded, truth);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));

        m_states = test::readStatesAfter(neo, {}, m_world->clock.nowUtc());
        m_first = neo;
    }

    void unchangedSecondReadCostsOneCall()
    {
        if (!m_first) {
            QSKIP("needs the first read");
        }
        m_world->clearRequests();
        QVERIFY(m_world->newRun());
        const auto again =
            test::runRead(*m_world, m_world->readSettings(),
                          NeoReadInput{QStringLiteral("run-2"), m_states, m_first->appointmentsPerDay});
        QVERIFY2(again && *again, qPrintable(describe(again)));
        QVERIFY((*again)->visits.isEmpty());
        QCOMPARE((*again)->upToDate, m_first->finishedVisits);
        QCOMPARE((*again)->events, m_first->events);
        QVERIFY((*again)->volumeWarnings.isEmpty());
        // At the simulator: the login of the new session and the one schedule call, nothing else.
        QCOMPARE(m_world->requests(QStringLiteral("login_submit")), 1);
        QCOMPARE(m_world->requests(QStringLiteral("schedule")), 1);
        QCOMPARE(m_world->dataRequests(), 1);
        QCOMPARE((*again)->requests.requests, 1);
        const QStringList errors = m_uploaded.apply(**again, m_world->readSettings());
        QVERIFY(errors.isEmpty());
        const QString diff = differences(m_uploaded, m_world->admin("GET", QStringLiteral("/ground-truth")));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void aDayLaterOnlyDueConsultationsAreFetched()
    {
        if (!m_first) {
            QSKIP("needs the first read");
        }
        QVERIFY(m_world->advanceClock(kDay));
        m_world->clearRequests();
        QVERIFY(m_world->newRun());
        QCOMPARE(m_world->requests(QStringLiteral("login_submit")), 1);
        const NeoReadSettings settings = m_world->readSettings();
        const QDateTime now = m_world->sim->state().now();
        const auto later =
            test::runRead(*m_world, settings, NeoReadInput{QStringLiteral("run-3"), m_states, {}});
        QVERIFY2(later && *later, qPrintable(describe(later)));
        QCOMPARE((*later)->failedVisits(), 0);

        // Due, by the rule of docs/idexx-neo.md, from what the two schedule reads showed: a finished
        // visit never read, whose row changed, or that ended less than lookback_hours ago (the first
        // read was a day ago, more than 60 minutes).
        QHash<QString, NeoScheduleEvent> before;
        for (const NeoScheduleEvent& e : std::as_const(m_first->events)) {
            before.insert(e.appointmentId, e);
        }
        QSet<QString> due;
        int unchanged = 0;
        for (const NeoScheduleEvent& e : std::as_const((*later)->events)) {
            if (e.isBlock || e.isRoster || e.status != NeoStatus::Completed || !e.consultationId) {
                continue;
            }
            const QDateTime end = QDateTime(e.end.date, e.end.time, settings.clinicZone).toUTC();
            const bool read = m_first->consultations.contains(*e.consultationId);
            const bool changed = !before.contains(e.appointmentId) || before.value(e.appointmentId) != e;
            if (!read || changed || end.secsTo(now) < qint64(settings.lookbackHours) * 3600) {
                due.insert(*e.consultationId);
            } else {
                ++unchanged;
            }
        }
        QVERIFY2(unchanged > 20, qPrintable(QString::number(unchanged)));
        QVERIFY(!due.isEmpty());
        // What the simulator was asked for is exactly that, each once.
        const QSet<QString> fetched = m_world->requestedIds(QStringLiteral("consultation"));
        QVERIFY2(fetched == due, test::idsDiff(fetched, due).constData());
        QCOMPARE(m_world->requests(QStringLiteral("consultation")), qint64(due.size()));
        QCOMPARE(m_world->requests(QStringLiteral("schedule")), 1);

        // And the three runs together are still the ground truth of their three sync times.
        const QStringList errors = m_uploaded.apply(**later, settings);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        const QJsonObject truth = m_world->admin("GET", QStringLiteral("/ground-truth"));
        QCOMPARE(truth.value(QStringLiteral("sync_times")).toArray().size(), 2); // the first two coincide
        const QString diff = differences(m_uploaded, truth);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        m_world.reset(); // the session and its page go before the shape rows start their own
    }

    void responseShapes_data()
    {
        QTest::addColumn<NeoVariants>("variants");
        const auto variant = [](ScheduleFields fields, ScheduleWrapper wrapper,
                                ConsultationShape consultation, SummaryPlacement summary) {
            NeoVariants v;
            v.schedule = sim::neo::ScheduleShape{fields, wrapper};
            v.consultation = consultation;
            v.summary = summary;
            return v;
        };
        QTest::newRow("current rows under events, older consultations")
            << variant(ScheduleFields::Current, ScheduleWrapper::Events, ConsultationShape::Older,
                       SummaryPlacement::Mixed);
        QTest::newRow("current rows under appointments, summary in consultationNotes")
            << variant(ScheduleFields::Current, ScheduleWrapper::Appointments, ConsultationShape::Current,
                       SummaryPlacement::ConsultationNotes);
        QTest::newRow("current rows under data, summary in dischargeSummary")
            << variant(ScheduleFields::Current, ScheduleWrapper::Data, ConsultationShape::Current,
                       SummaryPlacement::DischargeSummary);
        QTest::newRow("older rows under events")
            << variant(ScheduleFields::Older, ScheduleWrapper::Events, ConsultationShape::Older,
                       SummaryPlacement::Mixed);
        QTest::newRow("older rows, bare array")
            << variant(ScheduleFields::Older, ScheduleWrapper::None, ConsultationShape::Current,
                       SummaryPlacement::Mixed);
    }

    // The same week in another shape: the same result. An older schedule row names no consultation, so
    // no consultation can be read through it: its appointments are compared on the fields it carries.
    void responseShapes()
    {
        QFETCH(NeoVariants, variants);
        auto world = clinicWeek(variants);
        QVERIFY(world);
        const NeoReadSettings settings = world->readSettings();
        const auto read = test::runRead(*world, settings);
        QVERIFY2(read && *read, qPrintable(describe(read)));
        QCOMPARE((*read)->scheduleSource, NeoReadSource::Json);
        QCOMPARE((*read)->failedVisits(), 0);
        UploadedState uploaded;
        const QStringList errors = uploaded.apply(**read, settings);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        const QJsonObject truth = world->admin("GET", QStringLiteral("/ground-truth"));
        const bool older = variants.schedule.fields == ScheduleFields::Older;
        // The older consultation shape has no product lines (docs/idexx-neo.md).
        const bool noLines = variants.consultation == ConsultationShape::Older;
        const QString diff =
            differences(uploaded, truth, !older, older ? kOlderRowFields : QStringList(), noLines);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        if (older) {
            QVERIFY((*read)->consultations.isEmpty());
            QVERIFY((*read)->finishedVisits > 80);
        }
    }
};

ODIS_WEBENGINE_TEST_MAIN(TstNeoExtractionTruth)
#include "tst_neo_extraction_truth.moc"
