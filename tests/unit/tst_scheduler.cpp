// The resident agent's scheduler (agent/resident/scheduler.h) as a table on the manual clock: each row is
// a script of events and expectations, run against one scheduler (and its state carried over a
// simulated restart). Times are offsets from the row's origin, 2026-03-10 12:00:30 UTC.
//
// Script steps (separated by ';'):
//   at <offset>                   the clock to origin + offset (e.g. 4h12m, 30s, -1h)
//   +<duration>                   the clock forward (e.g. +9h, +90s)
//   start [unfinished] | wake | network   process start (a run left unfinished in the store), resume from
//                                 sleep, network up
//   restart                       a new scheduler from the saved state (in-memory requests are lost)
//   gate <name>                   open, not_enrolled, credentials_missing, credentials_unvalidated,
//                                 credentials_rejected, second_factor_needed
//   interval <minutes>            the profile's interval
//   run <trigger>                 the resident starts a run (schedule, catch_up, startup, manual, remote)
//   read                          the run reads Neo's schedule
//   ok | fail [<code>] | stopped  the run ends (stopped: by the agent quitting); a last word
//                                 `undelivered`: it left items waiting in the outbox
//   deliver                       the resident starts a delivery-only attempt (decide() must say so)
//   delivered | undelivered       the attempt ends: the outbox drained, or items still wait
//   now <trigger> -> <answer>     a sync-now request and what it must get
//   pause <offset> | resume       pause until origin + offset; resume
//   expect <trigger> [soon]       decide() must start a run with this trigger (soon: after settling)
//   expect idle <mode>            decide() must start nothing (no run, no delivery), in this mode
//   expect deliver                decide() must start a delivery-only attempt, and no run
//   deliver-at <offset>|none      decide()'s next delivery-only attempt
//   next <offset>|none            decide()'s next run time
//   wake-at <offset>|none         decide()'s time to look again
//   failures <n>                  consecutive failures in the state
//   jitter <fraction>             the state's jitter

#include "agent/resident/agent_status.h"
#include "agent/resident/pause_spec.h"
#include "agent/resident/scheduler.h"
#include "sync/core/backoff.h"
#include "tests/support/manual_clock.h"

#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace odis;
using namespace odis::agent;

namespace {

const QDateTime kOrigin(QDate(2026, 3, 10), QTime(12, 0, 30), Qt::UTC);

// Draws a fixed number (a count of millionths of the interval), and counts the draws.
class FixedRandom final : public sync::RandomSource
{
public:
    explicit FixedRandom(quint64 value)
        : m_value(value)
    {}
    quint64 upTo(quint64 bound) override
    {
        ++draws;
        return std::min(m_value, bound);
    }
    int draws = 0;

private:
    quint64 m_value;
};

// "4h12m30s", "-1h", "90s" -> seconds.
qint64 parseDuration(const QString& text)
{
    static const QRegularExpression part(QStringLiteral("(\\d+)([hms])"));
    qint64 seconds = 0;
    const bool negative = text.startsWith(u'-');
    auto it = part.globalMatch(text);
    if (!it.hasNext())
        qFatal("bad duration '%s'", qPrintable(text));
    while (it.hasNext()) {
        const auto m = it.next();
        const qint64 n = m.captured(1).toLongLong();
        const QChar unit = m.captured(2).at(0);
        seconds += unit == u'h' ? n * 3600 : unit == u'm' ? n * 60 : n;
    }
    return negative ? -seconds : seconds;
}

RunTrigger triggerNamed(const QString& name)
{
    const auto trigger = runTriggerFromName(name);
    if (!trigger)
        qFatal("unknown trigger '%s'", qPrintable(name));
    return *trigger;
}

RunGate gateNamed(const QString& name)
{
    for (RunGate g :
         {RunGate::Open, RunGate::NotEnrolled, RunGate::CredentialsMissing, RunGate::CredentialsUnvalidated,
          RunGate::CredentialsRejected, RunGate::SecondFactorNeeded, RunGate::NeoOriginChanged}) {
        if (runGateName(g) == name)
            return g;
    }
    qFatal("unknown gate '%s'", qPrintable(name));
}

QString describe(const SchedulerDecision& d)
{
    return QStringLiteral("mode %1, start %2%3, next %4, wake %5, deliver %6, next delivery %7")
        .arg(schedulerModeName(d.mode), d.start ? runTriggerName(*d.start) : QStringLiteral("-"),
             d.soon ? QStringLiteral(" soon") : QString(),
             d.nextRunUtc ? d.nextRunUtc->toString(Qt::ISODate) : QStringLiteral("-"),
             d.wakeAtUtc ? d.wakeAtUtc->toString(Qt::ISODate) : QStringLiteral("-"),
             d.deliver ? QStringLiteral("now") : QStringLiteral("no"),
             d.nextDeliveryUtc ? d.nextDeliveryUtc->toString(Qt::ISODate) : QStringLiteral("-"));
}

} // namespace

class SchedulerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void script_data();
    void script();
    void jitterIsDrawnOnceAndKept();
    void backoffLadder();
    void pauseSpec_data();
    void pauseSpec();
    void gateFromTheStore_data();
    void gateFromTheStore();
};

void SchedulerTest::script_data()
{
    QTest::addColumn<QString>("steps");
    // Jitter 0.05: the interval of 240 minutes is 252 (4h12m).
    QTest::newRow("first start runs soon as a startup run")
        << "start; expect startup soon; next 0s; run startup; expect idle running; read; ok;"
           "failures 0; expect idle waiting; next 4h12m; wake-at 4h12m";
    QTest::newRow("the cadence counts from the start of the last run, not its end")
        << "start; run startup; +5m; ok; next 4h12m; at 4h11m; expect idle waiting; at 4h12m;"
           "expect schedule; run schedule; +3m; ok; next 8h24m";
    QTest::newRow("the interval comes from the profile")
        << "interval 60; start; run startup; ok; next 1h3m; interval 120; next 1h3m;"
           "at 1h3m; expect schedule; run schedule; ok; next 3h9m";
    QTest::newRow("a shorter interval from a new profile brings the wait forward")
        << "start; run startup; ok; next 4h12m; at 30m; interval 60; next 1h3m";
    QTest::newRow("a restart keeps the due time; an overdue one is caught up soon")
        << "start; run startup; ok; at 2h; restart; start; expect idle waiting; next 4h12m;"
           "at 6h; restart; start; expect catch_up soon; run catch_up; ok; next 10h12m";
    QTest::newRow("a 9-hour sleep gives one catch-up run, not two missed ones")
        << "start; run startup; ok; at 1h; expect idle waiting; +9h; wake; expect catch_up soon;"
           "run catch_up; ok; next 14h12m; at 14h12m; expect schedule";
    QTest::newRow("a short sleep before the due time changes nothing")
        << "start; run startup; ok; at 1h; +2h; wake; expect idle waiting; next 4h12m;"
           "at 4h12m; expect schedule";
    QTest::newRow("network up catches up an overdue run")
        << "start; run startup; ok; at 5h; network; expect catch_up soon";
    QTest::newRow("network up before the due time changes nothing")
        << "start; run startup; ok; at 1h; network; expect idle waiting";
    QTest::newRow("backoff 1, 5, 15, 60 minutes, then reset by a success")
        << "start; run startup; fail neo_server_error; failures 1; expect idle backing_off; next 1m;"
           "at 1m; expect schedule; run schedule; fail; failures 2; next 6m;"
           "at 6m; run schedule; fail; failures 3; next 21m;"
           "at 21m; run schedule; fail; failures 4; next 1h21m;"
           "at 1h21m; run schedule; fail; failures 5; next 2h21m;"
           "at 2h21m; run schedule; ok; failures 0; next 6h33m";
    QTest::newRow("backoff is capped at the interval")
        << "interval 10; start; run startup; fail; at 1m; run schedule; fail; at 6m; run schedule; fail;"
           "failures 3; next 16m30s";
    QTest::newRow("another sync holding the lock is no failure")
        << "start; run startup; fail sync_already_running; failures 0; next 1m; at 1m; expect schedule";
    QTest::newRow("a pause ends at its time, and what became due runs then")
        << "start; run startup; ok; at 1h; pause 6h; expect idle paused; wake-at 6h; next 6h;"
           "at 4h12m; expect idle paused; at 6h; expect catch_up; run catch_up; ok; next 10h12m";
    QTest::newRow("a pause that ends before the due time does not run early")
        << "start; run startup; ok; at 1h; pause 2h; next 4h12m; at 2h; expect idle waiting; next 4h12m";
    QTest::newRow("resume ends a pause at once")
        << "start; run startup; ok; at 1h; pause 9h; at 5h; expect idle paused; resume; expect catch_up";
    QTest::newRow("a pause survives a restart")
        << "start; run startup; ok; at 1h; pause 9h; restart; start; at 5h; expect idle paused; next 9h";
    QTest::newRow("a pause end in the past is refused")
        << "start; run startup; ok; at 1h; pause 30m; expect idle waiting";
    QTest::newRow("sync now starts at once and two quick requests run once")
        << "start; run startup; ok; at 1h; now manual -> starting; now manual -> joined_run;"
           "expect manual; run manual; now manual -> joined_run; read; ok; expect idle waiting; next 5h12m";
    QTest::newRow("sync now never overlaps: a request after the read gets one follow-up run")
        << "start; run startup; ok; at 4h12m; run schedule; read; now manual -> queued_after_run;"
           "now remote -> queued_after_run; expect idle running; ok; expect manual; run manual;"
           "expect idle running; ok; expect idle waiting";
    QTest::newRow("a request before the run read Neo is satisfied by that run")
        << "start; run startup; now remote -> joined_run; read; ok; expect idle waiting";
    QTest::newRow("remote sync now waits for a pause; a person's does not")
        << "start; run startup; ok; at 1h; pause 3h; now remote -> refused_paused; expect idle paused;"
           "now manual -> starting; expect manual";
    QTest::newRow("rejected credentials stop automatic runs until fixed")
        << "start; run startup; fail neo_login_rejected; gate credentials_rejected;"
           "expect idle credential_stop; next none; at 5h; expect idle credential_stop;"
           "now remote -> refused_gate_closed; wake; expect idle credential_stop;"
           "gate open; expect catch_up soon; run catch_up; ok; failures 0";
    QTest::newRow("a second factor stops automatic runs; a person's sync runs")
        << "start; run startup; ok; at 5h; gate second_factor_needed; expect idle credential_stop;"
           "now manual -> starting; expect manual; run manual; ok; gate open; expect idle waiting;"
           "next 9h12m";
    QTest::newRow("setup not finished: nothing automatic, a person may sync")
        << "gate credentials_unvalidated; start; expect idle setup_incomplete; next none;"
           "now manual -> starting; run manual; ok; gate open; expect idle waiting; next 4h12m";
    QTest::newRow("a run stopped by quitting is no failure and is resumed soon after the next start")
        << "start; run startup; ok; at 1h; now manual -> starting; run manual; stopped; failures 0; next "
           "4h12m;"
           "restart; start unfinished; expect catch_up soon; run catch_up; ok; next 5h12m";
    QTest::newRow("an unfinished run waits for the gate")
        << "start; run startup; ok; at 1h; restart; gate credentials_rejected; start unfinished;"
           "expect idle credential_stop; gate open; expect catch_up soon";
    QTest::newRow("not enrolled waits for enrollment, then runs the first sync soon")
        << "gate not_enrolled; start; expect idle setup_incomplete; at 2h; gate open; expect startup soon";
    // Delivery-only attempts (the outbox to the backend, no Neo) after a run left items waiting.
    QTest::newRow("items left in the outbox are delivered on the ladder 1, 5, 15, 60 minutes")
        << "start; run startup; ok undelivered; failures 0; next 4h12m; deliver-at 1m; wake-at 1m;"
           "at 59s; expect idle waiting; at 1m; expect deliver; deliver; expect idle delivering;"
           "undelivered; deliver-at 6m; wake-at 6m; at 6m; deliver; undelivered; deliver-at 21m;"
           "at 21m; deliver; undelivered; deliver-at 1h21m; at 1h21m; deliver; undelivered; deliver-at 2h21m;"
           "at 2h21m; deliver; delivered; deliver-at none; wake-at 4h12m; next 4h12m; failures 0;"
           "at 4h12m; expect schedule";
    QTest::newRow("an outbox that drained in the run needs no delivery")
        << "start; run startup; ok; deliver-at none; at 1m; expect idle waiting; wake-at 4h12m";
    QTest::newRow("the delivery ladder is capped at the interval, and a run due first delivers")
        << "interval 10; start; run startup; ok undelivered; at 1m; deliver; undelivered; deliver-at 6m;"
           "at 6m; deliver; undelivered; deliver-at 16m30s; next 10m30s; at 10m30s; expect schedule;"
           "run schedule; ok undelivered; deliver-at 21m";
    QTest::newRow("no delivery while a run is due or running; a drained run ends the ladder")
        << "start; run startup; ok undelivered; at 4h12m; expect schedule; run schedule; expect idle running;"
           "ok; deliver-at none; at 4h13m; expect idle waiting";
    QTest::newRow("no run starts during a delivery: a sync now waits for its end")
        << "start; run startup; ok undelivered; at 1m; deliver; now manual -> starting; expect idle "
           "delivering;"
           "delivered; expect manual; run manual; ok; deliver-at none";
    QTest::newRow("a failed run leaving items waits on both ladders; the run goes first")
        << "start; run startup; fail neo_server_error undelivered; failures 1; next 1m; deliver-at 1m;"
           "at 1m; expect schedule";
    QTest::newRow("rejected credentials stop runs, not the delivery of what was read")
        << "start; run startup; ok undelivered; gate credentials_rejected; at 1m; expect deliver; deliver;"
           "delivered; expect idle credential_stop; next none; deliver-at none; at 5h;"
           "expect idle credential_stop";
    QTest::newRow("not enrolled: no delivery")
        << "start; run startup; ok undelivered; gate not_enrolled; at 1m; expect idle setup_incomplete";
    QTest::newRow("a pause holds deliveries back; a restart keeps the ladder")
        << "start; run startup; ok undelivered; at 10s; pause 30m; at 1m; expect idle paused;"
           "at 30m; expect deliver; restart; start; expect deliver; deliver; undelivered; deliver-at 35m";
    QTest::newRow("another sync holding the lock leaves the ladder as it was")
        << "start; run startup; ok undelivered; at 1m; now manual -> starting; run manual;"
           "fail sync_already_running; deliver-at 1m; expect deliver";
}

void SchedulerTest::script()
{
    QFETCH(QString, steps);
    test::ManualClock clock(kOrigin);
    FixedRandom random(50'000); // 0.05
    auto scheduler = std::make_unique<Scheduler>(clock, ScheduleState{}, random);
    RunGate gate = RunGate::Open;
    int interval = Scheduler::kDefaultIntervalMinutes;

    auto instant = [](const QString& offset) { return kOrigin.addSecs(parseDuration(offset)); };
    int index = 0;
    for (const QString& rawStep : steps.split(u';', Qt::SkipEmptyParts)) {
        const QString step = rawStep.trimmed();
        ++index;
        const QStringList w = step.split(u' ', Qt::SkipEmptyParts);
        const QByteArray where = QStringLiteral("step %1 '%2'").arg(index).arg(step).toUtf8();
        const QString& verb = w.at(0);
        if (verb == QLatin1String("at")) {
            clock.set(instant(w.at(1)));
        } else if (verb.startsWith(u'+')) {
            clock.advanceSecs(parseDuration(verb.mid(1)));
        } else if (verb == QLatin1String("start")) {
            scheduler->started(w.size() > 1 && w.at(1) == QLatin1String("unfinished"));
        } else if (verb == QLatin1String("wake")) {
            scheduler->wokeUp();
        } else if (verb == QLatin1String("network")) {
            scheduler->networkUp();
        } else if (verb == QLatin1String("restart")) {
            const ScheduleState saved = scheduler->state();
            scheduler = std::make_unique<Scheduler>(clock, saved, random);
            scheduler->setIntervalMinutes(interval);
            scheduler->setGate(gate);
        } else if (verb == QLatin1String("gate")) {
            gate = gateNamed(w.at(1));
            scheduler->setGate(gate);
        } else if (verb == QLatin1String("interval")) {
            interval = w.at(1).toInt();
            scheduler->setIntervalMinutes(interval);
        } else if (verb == QLatin1String("run")) {
            const auto d = scheduler->decide();
            QVERIFY2(!scheduler->running(), where.constData());
            const RunTrigger trigger = triggerNamed(w.at(1));
            // The resident starts only what decide() says.
            QVERIFY2(d.start && *d.start == trigger,
                     QByteArray(where + ": " + describe(d).toUtf8()).constData());
            scheduler->runStarted(trigger);
        } else if (verb == QLatin1String("read")) {
            scheduler->runReadStarted();
        } else if (verb == QLatin1String("ok") || verb == QLatin1String("fail") ||
                   verb == QLatin1String("stopped")) {
            QVERIFY2(scheduler->running(), where.constData());
            const bool undelivered = w.last() == QLatin1String("undelivered");
            const QString code = w.size() > (undelivered ? 2 : 1) ? w.at(1) : QStringLiteral("x");
            scheduler->runFinished(SchedulerRunEnd{verb == QLatin1String("ok"), code,
                                                   verb == QLatin1String("stopped"), undelivered});
        } else if (verb == QLatin1String("deliver")) {
            const auto d = scheduler->decide();
            QVERIFY2(d.deliver && !d.start && !scheduler->delivering(),
                     QByteArray(where + ": " + describe(d).toUtf8()).constData());
            scheduler->deliveryStarted();
        } else if (verb == QLatin1String("delivered") || verb == QLatin1String("undelivered")) {
            QVERIFY2(scheduler->delivering(), where.constData());
            scheduler->deliveryFinished(verb == QLatin1String("undelivered"));
        } else if (verb == QLatin1String("now")) {
            QCOMPARE(w.at(2), QStringLiteral("->"));
            const SyncNowAnswer answer = scheduler->requestSyncNow(triggerNamed(w.at(1)));
            QVERIFY2(syncNowAnswerName(answer) == w.at(3),
                     QByteArray(where + ": got " + syncNowAnswerName(answer).toUtf8()).constData());
        } else if (verb == QLatin1String("pause")) {
            (void)scheduler->pause(instant(w.at(1)));
        } else if (verb == QLatin1String("resume")) {
            scheduler->resume();
        } else if (verb == QLatin1String("expect")) {
            const auto d = scheduler->decide();
            const QByteArray got = where + ": " + describe(d).toUtf8();
            if (w.at(1) == QLatin1String("idle")) {
                QVERIFY2(!d.start && !d.deliver, got.constData());
                QVERIFY2(schedulerModeName(d.mode) == w.at(2), got.constData());
            } else if (w.at(1) == QLatin1String("deliver")) {
                QVERIFY2(d.deliver && !d.start, got.constData());
            } else {
                QVERIFY2(d.start && runTriggerName(*d.start) == w.at(1), got.constData());
                QVERIFY2(d.soon == (w.size() > 2 && w.at(2) == QLatin1String("soon")), got.constData());
                QVERIFY2(d.mode == SchedulerMode::Starting, got.constData());
            }
        } else if (verb == QLatin1String("next") || verb == QLatin1String("wake-at") ||
                   verb == QLatin1String("deliver-at")) {
            const auto d = scheduler->decide();
            const auto value = verb == QLatin1String("next")      ? d.nextRunUtc
                               : verb == QLatin1String("wake-at") ? d.wakeAtUtc
                                                                  : d.nextDeliveryUtc;
            const QByteArray got = where + ": " + describe(d).toUtf8();
            if (w.at(1) == QLatin1String("none"))
                QVERIFY2(!value, got.constData());
            else
                QVERIFY2(value && *value == instant(w.at(1)), got.constData());
        } else if (verb == QLatin1String("failures")) {
            QVERIFY2(scheduler->state().consecutiveFailures == w.at(1).toInt(),
                     QByteArray(where + ": " + QByteArray::number(scheduler->state().consecutiveFailures))
                         .constData());
        } else {
            QFAIL(QByteArray("unknown step " + where).constData());
        }
    }
}

void SchedulerTest::jitterIsDrawnOnceAndKept()
{
    test::ManualClock clock(kOrigin);
    FixedRandom first(12'345);
    Scheduler fresh(clock, ScheduleState{}, first);
    QCOMPARE(first.draws, 1);
    QCOMPARE(*fresh.state().jitter, 0.012345);
    QCOMPARE(fresh.effectiveInterval().count(), qint64(std::llround(240 * 60 * 1.012345)));

    // The next start reads it back from the store: nothing is drawn again, the cadence is the same.
    FixedRandom second(99'999);
    Scheduler restarted(clock, fresh.state(), second);
    QCOMPARE(second.draws, 0);
    QCOMPARE(restarted.state().jitter, fresh.state().jitter);
    QCOMPARE(restarted.effectiveInterval(), fresh.effectiveInterval());

    // Every draw stays under 10 %.
    Scheduler most(clock, ScheduleState{}, second);
    QVERIFY(*most.state().jitter < Scheduler::kMaxJitter);
    QCOMPARE(*most.state().jitter, 0.099999);
    // A stored value out of range (a damaged or foreign store) is drawn again, not trusted.
    ScheduleState bad;
    bad.jitter = 0.5;
    FixedRandom third(1);
    Scheduler redrawn(clock, bad, third);
    QCOMPARE(third.draws, 1);
    QCOMPARE(*redrawn.state().jitter, 0.000001);
}

void SchedulerTest::backoffLadder()
{
    test::ManualClock clock(kOrigin);
    FixedRandom none(0);
    Scheduler s(clock, ScheduleState{}, none);
    QCOMPARE(s.backoffAfter(0).count(), 0);
    QCOMPARE(s.backoffAfter(1).count(), 60);
    QCOMPARE(s.backoffAfter(2).count(), 300);
    QCOMPARE(s.backoffAfter(3).count(), 900);
    QCOMPARE(s.backoffAfter(4).count(), 3600);
    QCOMPARE(s.backoffAfter(40).count(), 3600);
    s.setIntervalMinutes(30);
    QCOMPARE(s.backoffAfter(4).count(), 1800);
}

void SchedulerTest::pauseSpec_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QDateTime>("nowUtc");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QDateTime>("expected"); // invalid: refused
    const QDateTime now = kOrigin;           // 05:00:30 in Los Angeles (UTC-7)
    auto utc = [](int y, int mo, int d, int h, int mi) {
        return QDateTime(QDate(y, mo, d), QTime(h, mi), Qt::UTC);
    };
    QTest::newRow("30 minutes") << "30m" << now << "America/Los_Angeles" << now.addSecs(1800);
    QTest::newRow("4 hours") << "4h" << now << "America/Los_Angeles" << now.addSecs(4 * 3600);
    QTest::newRow("2 days") << "2d" << now << "America/Los_Angeles" << now.addDays(2);
    QTest::newRow("upper case and spaces") << " 4H " << now << "America/Los_Angeles" << now.addSecs(4 * 3600);
    QTest::newRow("seven days is the most") << "7d" << now << "UTC" << now.addDays(7);
    QTest::newRow("until tomorrow is the clinic's midnight")
        << "until-tomorrow" << now << "America/Los_Angeles" << utc(2026, 3, 11, 7, 0);
    QTest::newRow("until tomorrow late in the clinic's evening")
        << "until-tomorrow" << utc(2026, 3, 11, 6, 59) << "America/Los_Angeles" << utc(2026, 3, 11, 7, 0);
    QTest::newRow("until tomorrow across the clock change (8 March, UTC-8 to UTC-7)")
        << "until-tomorrow" << utc(2026, 3, 8, 9, 0) << "America/Los_Angeles" << utc(2026, 3, 9, 7, 0);
    QTest::newRow("until tomorrow in Sydney")
        << "until-tomorrow" << now << "Australia/Sydney" << utc(2026, 3, 10, 13, 0);
    QTest::newRow("until tomorrow without a zone is UTC's")
        << "until-tomorrow" << now << "" << utc(2026, 3, 11, 0, 0);
    QTest::newRow("zero") << "0m" << now << "UTC" << QDateTime();
    QTest::newRow("over seven days") << "8d" << now << "UTC" << QDateTime();
    QTest::newRow("minutes over seven days") << "10081m" << now << "UTC" << QDateTime();
    QTest::newRow("no unit") << "30" << now << "UTC" << QDateTime();
    QTest::newRow("negative") << "-4h" << now << "UTC" << QDateTime();
    QTest::newRow("words") << "tomorrow" << now << "UTC" << QDateTime();
    QTest::newRow("empty") << "" << now << "UTC" << QDateTime();
}

void SchedulerTest::pauseSpec()
{
    QFETCH(QString, spec);
    QFETCH(QDateTime, nowUtc);
    QFETCH(QString, zone);
    QFETCH(QDateTime, expected);
    const QTimeZone tz = zone.isEmpty() ? QTimeZone() : QTimeZone(zone.toUtf8());
    const auto end = pauseEndFor(spec, nowUtc, tz);
    if (!expected.isValid()) {
        QVERIFY(!end);
        QCOMPARE(end.error().code, QStringLiteral("pause_invalid"));
        return;
    }
    QVERIFY2(end, qPrintable(end ? QString() : end.error().toString()));
    QCOMPARE(*end, expected);
}

// What the store says decides whether automatic runs may start (agent_status.h): a Neo origin waiting for
// a person stops them whatever the login's state, and a login suspended after unreadable answers is a
// stop like a rejected one (only a person brings it back).
void SchedulerTest::gateFromTheStore_data()
{
    using storage::CredentialState;
    QTest::addColumn<bool>("enrolled");
    QTest::addColumn<int>("credentials");
    QTest::addColumn<bool>("loginUnreadable");
    QTest::addColumn<QString>("originPending");
    QTest::addColumn<QString>("gate");
    QTest::addColumn<bool>("stop");
    const QString none;
    const QString moved = QStringLiteral("https://ca.idexxneo.com");
    QTest::newRow("active") << true << int(CredentialState::Active) << false << none << "open" << false;
    QTest::newRow("origin pending") << true << int(CredentialState::Active) << false << moved
                                    << "neo_origin_changed" << true;
    QTest::newRow("origin pending, unvalidated")
        << true << int(CredentialState::Configured) << false << moved << "neo_origin_changed" << true;
    QTest::newRow("rejected") << true << int(CredentialState::Suspended) << false << none
                              << "credentials_rejected" << true;
    QTest::newRow("unreadable twice")
        << true << int(CredentialState::Suspended) << true << none << "credentials_rejected" << true;
    QTest::newRow("not enrolled") << false << int(CredentialState::Active) << false << moved << "not_enrolled"
                                  << false;
}

void SchedulerTest::gateFromTheStore()
{
    QFETCH(bool, enrolled);
    QFETCH(int, credentials);
    QFETCH(bool, loginUnreadable);
    QFETCH(QString, originPending);
    QFETCH(QString, gate);
    QFETCH(bool, stop);
    StoreStatus status;
    status.enrolled = enrolled;
    status.credentials = static_cast<storage::CredentialState>(credentials);
    status.loginUnreadable = loginUnreadable;
    status.neoOriginPending = originPending;
    const RunGate found = runGateFor(status);
    QCOMPARE(runGateName(found), gate);
    QCOMPARE(isCredentialStop(found), stop);
}

QTEST_GUILESS_MAIN(SchedulerTest)
#include "tst_scheduler.moc"
