// Properties of discharge planning over many seeded random clinics (zones with and without daylight
// saving, random open days, opening hours with and without lunch, calls inside or outside them, windows,
// call times, stagger, visits around DST changes, shared owners and patients, incomplete data, two runs
// with changes in between):
//  - no two planned calls of a clinic share a minute, and calls not yet passed are at least
//    stagger_minutes apart;
//  - every planned or grouped time is a whole minute and a call slot;
//  - one call per appointment: a cancelled or passed call is never changed (a removed one may come back);
//  - one live call per owner per day; a grouped call names a live planned carrier of its number and time;
//  - no live call for a patient with an end-of-life finding; incomplete data never creates a call;
//  - the same inputs give identical output, and so do the same inputs in another order.
// The generator is this file's own PRNG (SplitMix64), so every seed gives the same clinic everywhere.

#include "sync/core/discharge_planner.h"
#include "tests/unit/discharge_fixtures.h"

#include <QHash>
#include <QSet>
#include <QTest>

#include <algorithm>

using namespace odis::sync;

namespace {

class SplitMix64
{
public:
    explicit SplitMix64(quint64 seed)
        : m_state(seed)
    {}
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    int between(int low, int high) { return low + int(next() % quint64(high - low + 1)); } // inclusive
    bool percent(int chance) { return between(1, 100) <= chance; }
    template <typename T> const T& pick(const QList<T>& list)
    {
        return list.at(between(0, int(list.size()) - 1));
    }
    template <typename T> void shuffle(QList<T>& list)
    {
        for (qsizetype i = list.size() - 1; i > 0; --i)
            list.swapItemsAt(i, between(0, int(i)));
    }

private:
    quint64 m_state;
};

ClinicPolicy randomPolicy(SplitMix64& rng)
{
    static const QList<QByteArray> zones{"America/Los_Angeles", "America/New_York", "America/Phoenix",
                                         "Europe/London",       "Australia/Sydney", "Pacific/Auckland",
                                         "Asia/Kolkata",        "America/Santiago", "UTC"};
    ClinicPolicy policy;
    policy.zone = QTimeZone(rng.pick(zones));
    policy.country = *PhoneCountry::fromIsoCode(u"US"); // the phones below are North American
    for (auto& day : policy.businessHours.days) {
        if (rng.percent(70))
            day = rng.percent(50) ? OpeningHours{QTime(8, 0), QTime(18, 0), {}, {}}
                                  : OpeningHours{QTime(rng.between(7, 10), 0), QTime(rng.between(13, 19), 30),
                                                 QTime(12, 0), QTime(12, rng.pick(QList{30, 45}))};
    }
    if (!policy.businessHours.hasOpenDay())
        policy.businessHours.days[2] = OpeningHours{QTime(8, 0), QTime(18, 0), {}, {}};
    DischargePolicy& discharge = policy.discharge;
    discharge.enabled = rng.percent(90);
    discharge.callDelayDays = rng.between(0, 3);
    discharge.callWindow = {QTime(rng.between(0, 11), rng.pick(QList{0, 30})),
                            QTime(rng.between(15, 21), rng.pick(QList{0, 45}))};
    discharge.callTime = QTime(rng.between(0, 23), rng.pick(QList{0, 30, 59}));
    discharge.skipClosedDays = rng.percent(80);
    discharge.staggerMinutes = rng.between(1, 5);
    discharge.maxVisitAgeDays = rng.between(1, 5);
    discharge.callsOutsideHours = rng.percent(30);
    discharge.excludedAppointmentTypes = {QStringLiteral("Groomer")};
    return policy;
}

VisitInput randomVisit(SplitMix64& rng, int id, QDate around)
{
    static const QList<QString> types{QStringLiteral("Exam"), QStringLiteral("Vaccines"),
                                      QStringLiteral("Surgery"), QStringLiteral("Groomer"),
                                      QStringLiteral("Dental")};
    static const QList<QString> phones{QStringLiteral("415-201-3344"),
                                       QStringLiteral("(415) 201-0000"),
                                       QStringLiteral("+44 20 7946 0958"),
                                       QStringLiteral("201-3344"),
                                       QStringLiteral("(415) 200-0001"),
                                       QStringLiteral("(415) 200-0002"),
                                       QString()};
    VisitInput visit = odis::test::finishedVisit(QString::number(id), around.addDays(rng.between(-4, 1)),
                                                 QTime(rng.between(0, 22), 5 * rng.between(0, 11)));
    visit.end = {visit.start.date, visit.start.time.addSecs(60 * rng.between(0, 59))};
    if (visit.end.time < visit.start.time)
        visit.end.date = visit.end.date.addDays(1);
    if (!rng.percent(80))
        visit.status = VisitStatus(rng.between(0, 6));
    visit.isBlock = rng.percent(3);
    visit.appointmentType = rng.percent(3) ? QStringLiteral("Euthanasia") : rng.pick(types);
    visit.phones = {rng.pick(phones), rng.pick(phones), QString(), rng.pick(phones)};
    visit.consultationRead = rng.percent(75);
    if (!rng.percent(85))
        visit.notesHtml = QStringLiteral("<p> </p>");
    // A few patients with several visits; some of them end of life.
    visit.patientId = QString::number(9000 + rng.between(0, 40));
    if (rng.percent(3))
        visit.reason = QStringLiteral("Quality of life");
    visit.complete = rng.percent(90);
    return visit;
}

// What a later run sees: some visits changed, some gone from Neo, some new.
void evolve(SplitMix64& rng, QList<VisitInput>& visits)
{
    for (VisitInput& visit : visits) {
        if (rng.percent(5))
            visit.status = VisitStatus::Cancelled;
        if (rng.percent(20)) {
            visit.consultationRead = true;
            visit.notesHtml = QStringLiteral("<p>Recovering well.</p>");
        }
        if (rng.percent(3))
            visit.notesHtml += QStringLiteral("<p>Update: passed away at home</p>");
        if (rng.percent(3))
            visit.phones = {};
        visit.removedFromNeo = rng.percent(3);
        visit.complete = rng.percent(90);
    }
}

QList<DischargeDecision> decisionsOf(const QList<DecisionUpdate>& updates)
{
    QList<DischargeDecision> decisions;
    for (const DecisionUpdate& update : updates)
        decisions.append(update.decision);
    return decisions;
}

bool isCall(const DischargeDecision& decision)
{
    return decision.kind == DecisionKind::Planned || decision.kind == DecisionKind::Grouped;
}

} // namespace

class TstDischargePlanProperties : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void randomClinics();

private:
    // Checks one run's output against the properties.
    void checkRun(const DischargePlanner& planner, const PlanInput& input, const PlanResult& result,
                  quint64 seed);
};

void TstDischargePlanProperties::checkRun(const DischargePlanner& planner, const PlanInput& input,
                                          const PlanResult& result, quint64 seed)
{
    const QByteArray where = "seed " + QByteArray::number(seed);
    const QDateTime& now = input.nowUtc;
    QHash<QString, DischargeDecision> before;
    for (const DischargeDecision& decision : input.earlier)
        before.insert(decision.appointmentId, decision);
    QHash<QString, const VisitInput*> visits;
    for (const VisitInput& visit : input.visits)
        visits.insert(visit.appointmentId, &visit);
    QSet<QString> patientsWithFinding;
    for (const PatientFinding& finding : input.findings + result.newFindings)
        patientsWithFinding.insert(finding.patientId);

    QHash<QString, DischargeDecision> all = before;
    for (const DecisionUpdate& update : result.updates) {
        const DischargeDecision& decision = update.decision;
        const auto earlier = before.constFind(decision.appointmentId);
        const bool hadEarlier = earlier != before.cend();
        if (hadEarlier &&
            ((earlier->kind == DecisionKind::Cancelled && earlier->reason != DecisionReason::Removed) ||
             (isCall(*earlier) && earlier->scheduledFor <= now)))
            QVERIFY2(decision == *earlier && !update.changed, where.constData());
        QVERIFY2(!decision.wireReason().isEmpty(), where.constData());
        QVERIFY2(decision.ruleTrace.value(decision.ruleTrace.size() - 1).contains(QStringLiteral(":hit")),
                 where.constData());
        QVERIFY2(isCall(decision) == decision.scheduledFor.isValid(), where.constData());
        if (isCall(decision))
            QVERIFY2(!decision.customerPhone.isEmpty(), where.constData());
        const VisitInput* visit = visits.value(decision.appointmentId);
        if (isCall(decision) && decision.scheduledFor > now && visit) {
            // When in doubt, no call: no live call for a patient with a finding, none created from
            // incomplete data.
            QVERIFY2(
                visit->patientId.isEmpty() || !patientsWithFinding.contains(visit->patientId),
                QByteArray(where + " call for a patient with a finding: " + decision.appointmentId.toUtf8())
                    .constData());
            if (!visit->complete)
                QVERIFY2(hadEarlier && isCall(*earlier),
                         QByteArray(where + " call from incomplete data: " + decision.appointmentId.toUtf8())
                             .constData());
        }
        all.insert(decision.appointmentId, decision);
    }

    const CallCalendar& calendar = planner.calendar();
    const QTimeZone& zone = planner.policy().zone;
    const qint64 staggerSecs = qint64(planner.policy().discharge.staggerMinutes) * 60;
    QList<qint64> live;
    QSet<qint64> minutes;
    QSet<QString> ownerDays;
    for (const DischargeDecision& decision : std::as_const(all)) {
        if (!isCall(decision))
            continue;
        const QDateTime at = decision.scheduledFor;
        QVERIFY2(at.time().second() == 0 && at.time().msec() == 0, where.constData());
        QVERIFY2(calendar.isCallSlot(at),
                 QByteArray(where + " not a call slot: " + formatUtcInstant(at).toUtf8()).constData());
        if (decision.kind == DecisionKind::Grouped) {
            const DischargeDecision carrier = all.value(decision.groupedInto);
            QVERIFY2(carrier.kind == DecisionKind::Planned && carrier.scheduledFor == at &&
                         carrier.customerPhone == decision.customerPhone &&
                         carrier.group.contains(decision.appointmentId),
                     QByteArray(where + " grouped without its carrier: " + decision.appointmentId.toUtf8())
                         .constData());
            continue;
        }
        QVERIFY2(!minutes.contains(at.toSecsSinceEpoch()),
                 QByteArray(where + " minute shared: " + formatUtcInstant(at).toUtf8()).constData());
        minutes.insert(at.toSecsSinceEpoch());
        if (at > now) {
            live.append(at.toSecsSinceEpoch());
            const QString ownerDay =
                decision.customerPhone + toClinicLocal(at, zone).date().toString(Qt::ISODate);
            QVERIFY2(!ownerDays.contains(ownerDay),
                     QByteArray(where + " two calls to one owner on one day").constData());
            ownerDays.insert(ownerDay);
        }
    }
    std::ranges::sort(live);
    for (qsizetype i = 1; i < live.size(); ++i)
        QVERIFY2(live[i] - live[i - 1] >= staggerSecs,
                 QByteArray(where + " calls closer than stagger_minutes").constData());
}

void TstDischargePlanProperties::randomClinics()
{
    static const QList<QDate> dstDays{QDate(2026, 3, 8),   QDate(2026, 11, 1), QDate(2026, 3, 29),
                                      QDate(2026, 10, 25), QDate(2026, 4, 5),  QDate(2026, 10, 4),
                                      QDate(2026, 9, 27),  QDate(2026, 6, 15)};
    int plannedCalls = 0;
    int groupedCalls = 0;
    for (quint64 seed = 1; seed <= 150; ++seed) {
        SplitMix64 rng(seed);
        const auto planner = DischargePlanner::create(randomPolicy(rng));
        QVERIFY2(planner.has_value(), qPrintable(planner ? QString() : planner.error().toString()));
        const QDate around = rng.pick(dstDays);
        QList<VisitInput> visits;
        const int count = rng.between(5, 60);
        for (int i = 0; i < count; ++i)
            visits.append(randomVisit(rng, 100000 + 8 * i + rng.between(0, 7), around)); // unique ids

        // First run: some of the visits; second run: all of them, changed, hours to days later.
        const QDateTime firstNow = QDateTime(around, QTime(rng.between(0, 23), rng.between(0, 59)), Qt::UTC);
        const PlanInput firstInput{visits.mid(0, visits.size() * 2 / 3), {}, {}, {}, firstNow};
        const auto first = planner->plan(firstInput);
        QVERIFY2(first.has_value(), qPrintable(first ? QString() : first.error().toString()));
        checkRun(*planner, firstInput, *first, seed);
        if (QTest::currentTestFailed())
            return;

        evolve(rng, visits);
        const QDateTime secondNow = firstNow.addSecs(qint64{60} * rng.between(30, 3 * 24 * 60));
        const PlanInput secondInput{visits, {}, decisionsOf(first->updates), first->newFindings, secondNow};
        const auto second = planner->plan(secondInput);
        QVERIFY2(second.has_value(), qPrintable(second ? QString() : second.error().toString()));
        checkRun(*planner, secondInput, *second, seed);
        if (QTest::currentTestFailed())
            return;

        // Same inputs, same output; same inputs shuffled, same output.
        const auto again = planner->plan(secondInput);
        QVERIFY2(again && again->updates == second->updates && again->newFindings == second->newFindings,
                 QByteArray::number(seed).constData());
        PlanInput shuffledInput = secondInput;
        rng.shuffle(shuffledInput.visits);
        rng.shuffle(shuffledInput.earlier);
        const auto shuffled = planner->plan(shuffledInput);
        QVERIFY2(shuffled && shuffled->updates == second->updates, QByteArray::number(seed).constData());

        for (const DecisionUpdate& update : second->updates) {
            plannedCalls += update.decision.kind == DecisionKind::Planned ? 1 : 0;
            groupedCalls += update.decision.kind == DecisionKind::Grouped ? 1 : 0;
        }
    }
    // The generator must actually exercise planning, or the properties above hold vacuously.
    QVERIFY2(plannedCalls > 400, qPrintable(QString::number(plannedCalls)));
    QVERIFY2(groupedCalls > 20, qPrintable(QString::number(groupedCalls)));
}

QTEST_GUILESS_MAIN(TstDischargePlanProperties)
#include "tst_discharge_plan_properties.moc"
