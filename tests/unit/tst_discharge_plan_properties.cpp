// Properties of discharge planning over many seeded random clinics (zones with and without daylight
// saving, random open days, windows, call times, stagger, visits around DST changes, two runs with
// changes in between):
//  - no two planned (not cancelled) calls of a clinic share a minute, and calls not yet passed are at
//    least stagger_minutes apart;
//  - every planned time is a whole minute inside the call window on a call day;
//  - one call per appointment: a cancelled or passed call is never changed;
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
            day = OpeningHours{QTime(8, 0), QTime(18, 0), {}, {}};
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
    discharge.excludedAppointmentTypes = {QStringLiteral("Groomer")};
    return policy;
}

VisitInput randomVisit(SplitMix64& rng, int id, QDate around)
{
    static const QList<QString> types{QStringLiteral("Exam"), QStringLiteral("Vaccines"),
                                      QStringLiteral("Surgery"), QStringLiteral("Groomer"),
                                      QStringLiteral("Dental")};
    static const QList<QString> phones{QStringLiteral("415-201-3344"), QStringLiteral("(415) 201-0000"),
                                       QStringLiteral("+44 20 7946 0958"), QStringLiteral("201-3344"),
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
    }
}

QList<DischargeDecision> decisionsOf(const QList<DecisionUpdate>& updates)
{
    QList<DischargeDecision> decisions;
    for (const DecisionUpdate& update : updates)
        decisions.append(update.decision);
    return decisions;
}

} // namespace

class TstDischargePlanProperties : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void randomClinics();

private:
    // Checks one run's output against the properties; `earlier` is what the run was given.
    void checkRun(const DischargePlanner& planner, const QList<DecisionUpdate>& updates,
                  const QList<DischargeDecision>& earlier, const QDateTime& now, quint64 seed);
};

void TstDischargePlanProperties::checkRun(const DischargePlanner& planner,
                                          const QList<DecisionUpdate>& updates,
                                          const QList<DischargeDecision>& earlier, const QDateTime& now,
                                          quint64 seed)
{
    const QByteArray where = "seed " + QByteArray::number(seed);
    QHash<QString, DischargeDecision> all;
    for (const DischargeDecision& decision : earlier)
        all.insert(decision.appointmentId, decision);
    for (const DecisionUpdate& update : updates) {
        const DischargeDecision& decision = update.decision;
        const auto before = all.constFind(decision.appointmentId);
        if (before != all.cend() && (before->kind == DecisionKind::Cancelled ||
                                     (before->kind == DecisionKind::Planned && before->scheduledFor <= now)))
            QVERIFY2(decision == *before && !update.changed, where.constData());
        QVERIFY2(!decision.wireReason().isEmpty(), where.constData());
        QVERIFY2(decision.ruleTrace.value(decision.ruleTrace.size() - 1).endsWith(QStringLiteral(":hit")),
                 where.constData());
        QVERIFY2((decision.kind == DecisionKind::Planned) == decision.scheduledFor.isValid(),
                 where.constData());
        if (decision.kind == DecisionKind::Planned)
            QVERIFY2(!decision.customerPhone.isEmpty(), where.constData());
        all.insert(decision.appointmentId, decision);
    }

    const CallCalendar& calendar = planner.calendar();
    const qint64 staggerSecs = qint64(planner.policy().discharge.staggerMinutes) * 60;
    QList<qint64> live;
    QSet<qint64> minutes;
    for (const DischargeDecision& decision : std::as_const(all)) {
        if (decision.kind != DecisionKind::Planned)
            continue;
        const QDateTime at = decision.scheduledFor;
        QVERIFY2(at.time().second() == 0 && at.time().msec() == 0, where.constData());
        QVERIFY2(calendar.isInsideWindow(at),
                 QByteArray(where + " outside the window: " + formatUtcInstant(at).toUtf8()).constData());
        QVERIFY2(!minutes.contains(at.toSecsSinceEpoch()),
                 QByteArray(where + " minute shared: " + formatUtcInstant(at).toUtf8()).constData());
        minutes.insert(at.toSecsSinceEpoch());
        if (at > now)
            live.append(at.toSecsSinceEpoch());
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
        const QList<VisitInput> firstVisits = visits.mid(0, visits.size() * 2 / 3);
        const auto first = planner->plan(firstVisits, {}, firstNow);
        QVERIFY2(first.has_value(), qPrintable(first ? QString() : first.error().toString()));
        checkRun(*planner, *first, {}, firstNow, seed);
        if (QTest::currentTestFailed())
            return;

        evolve(rng, visits);
        const QDateTime secondNow = firstNow.addSecs(60 * rng.between(30, 3 * 24 * 60));
        const QList<DischargeDecision> earlier = decisionsOf(*first);
        const auto second = planner->plan(visits, earlier, secondNow);
        QVERIFY2(second.has_value(), qPrintable(second ? QString() : second.error().toString()));
        checkRun(*planner, *second, earlier, secondNow, seed);
        if (QTest::currentTestFailed())
            return;

        // Same inputs, same output; same inputs shuffled, same output.
        const auto again = planner->plan(visits, earlier, secondNow);
        QVERIFY2(again && *again == *second, QByteArray::number(seed).constData());
        QList<VisitInput> shuffledVisits = visits;
        QList<DischargeDecision> shuffledEarlier = earlier;
        rng.shuffle(shuffledVisits);
        rng.shuffle(shuffledEarlier);
        const auto shuffled = planner->plan(shuffledVisits, shuffledEarlier, secondNow);
        QVERIFY2(shuffled && *shuffled == *second, QByteArray::number(seed).constData());

        for (const DecisionUpdate& update : *second)
            plannedCalls += update.decision.kind == DecisionKind::Planned ? 1 : 0;
    }
    // The generator must actually exercise planning, or the properties above hold vacuously.
    QVERIFY2(plannedCalls > 500, qPrintable(QString::number(plannedCalls)));
}

QTEST_GUILESS_MAIN(TstDischargePlanProperties)
#include "tst_discharge_plan_properties.moc"
