// The Neo simulator's own rules without a network: variant patches, the schedule window parser, session
// timeouts, the login guard (lockout, second factor), the simulated clock, and the form and cookie parsers.

#include "tests/sim/neo/neo_http.h"
#include "tests/sim/neo/neo_login.h"
#include "tests/sim/neo/neo_schedule_json.h"
#include "tests/sim/neo/neo_sessions.h"
#include "tests/sim/neo/neo_sim_clock.h"
#include "tests/sim/neo/neo_variants.h"

#include <QJsonDocument>
#include <QTest>

using namespace odis::sim;
using namespace odis::sim::neo;

namespace {

const QDateTime kT0(QDate(2026, 3, 10), QTime(12, 0), Qt::UTC);

} // namespace

class TstNeoSimRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void variantPatches_data();
    void variantPatches();
    void scheduleWindow_data();
    void scheduleWindow();
    void sessionTimeouts_data();
    void sessionTimeouts();
    void lockout_data();
    void lockout();
    void secondFactorTicket();
    void clockSpeed();
    void formAndCookieParsing();
};

void TstNeoSimRules::variantPatches_data()
{
    QTest::addColumn<QByteArray>("patch");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("path"); // "key" or "key/sub"
    QTest::addColumn<QString>("value");
    QTest::newRow("older schedule") << QByteArray(R"({"schedule":"older"})") << true << "schedule/wrapper"
                                    << "events";
    QTest::newRow("current schedule") << QByteArray(R"({"schedule":"current"})") << true << "schedule/wrapper"
                                      << "none";
    QTest::newRow("data wrapper") << QByteArray(R"({"schedule":{"wrapper":"data"}})") << true
                                  << "schedule/wrapper"
                                  << "data";
    QTest::newRow("wrapper keeps fields")
        << QByteArray(R"({"schedule":{"wrapper":"appointments"}})") << true << "schedule/fields"
        << "current";
    QTest::newRow("expiry as a number") << QByteArray(R"({"expiry_mode":401})") << true << "expiry_mode"
                                        << "401";
    QTest::newRow("redirect") << QByteArray(R"({"expiry_mode":"redirect"})") << true << "expiry_mode"
                              << "redirect";
    QTest::newRow("otp") << QByteArray(R"({"login":{"second_factor":"otp"}})") << true
                         << "login/second_factor"
                         << "otp";
    QTest::newRow("changed layout") << QByteArray(R"({"layout":"changed"})") << true << "layout"
                                    << "changed";
    QTest::newRow("unknown key") << QByteArray(R"({"colour":"red"})") << false << ""
                                 << "";
    QTest::newRow("unknown login key") << QByteArray(R"({"login":{"captcha":true}})") << false << ""
                                       << "";
    QTest::newRow("unknown schedule shape") << QByteArray(R"({"schedule":"newest"})") << false << ""
                                            << "";
    QTest::newRow("unknown wrapper") << QByteArray(R"({"schedule":{"wrapper":"items"}})") << false << ""
                                     << "";
    QTest::newRow("bad value after a good one")
        << QByteArray(R"({"layout":"changed","expiry_mode":"302"})") << false << ""
        << "";
}

void TstNeoSimRules::variantPatches()
{
    QFETCH(QByteArray, patch);
    QFETCH(bool, ok);
    QFETCH(QString, path);
    QFETCH(QString, value);
    const NeoVariants defaults;
    const auto merged = defaults.merged(QJsonDocument::fromJson(patch).object());
    QCOMPARE(merged.has_value(), ok);
    if (!ok) {
        QCOMPARE(merged.error().code, QStringLiteral("bad_variant"));
        return;
    }
    const QStringList parts = path.split(QLatin1Char('/'));
    QJsonValue v = merged->toJson().value(parts.first());
    if (parts.size() == 2) {
        v = v.toObject().value(parts.last());
    }
    QCOMPARE(v.toString(), value);
}

void TstNeoSimRules::scheduleWindow_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<bool>("ok");
    QTest::newRow("form encoded") << "start=2026-03-10+00:00:00&end=2026-03-10+23:59:59" << true;
    QTest::newRow("percent encoded") << "start=2026-03-10%2000:00:00&end=2026-03-10%2023:59:59" << true;
    QTest::newRow("colons encoded") << "start=2026-03-10%2000%3A00%3A00&end=2026-03-10%2023%3A59%3A59"
                                    << true;
    QTest::newRow("one instant") << "start=2026-03-10+09:15:00&end=2026-03-10+09:15:00" << true;
    QTest::newRow("missing end") << "start=2026-03-10+00:00:00" << false;
    QTest::newRow("T separator") << "start=2026-03-10T00:00:00&end=2026-03-10T23:59:59" << false;
    QTest::newRow("no seconds") << "start=2026-03-10+00:00&end=2026-03-10+23:59" << false;
    QTest::newRow("with zone") << "start=2026-03-10+00:00:00Z&end=2026-03-10+23:59:59Z" << false;
    QTest::newRow("hour 24") << "start=2026-03-10+24:00:00&end=2026-03-11+00:00:00" << false;
    QTest::newRow("reversed") << "start=2026-03-11+00:00:00&end=2026-03-10+00:00:00" << false;
}

void TstNeoSimRules::scheduleWindow()
{
    QFETCH(QString, query);
    QFETCH(bool, ok);
    const auto window = parseScheduleWindow(QUrlQuery(query));
    QCOMPARE(window.has_value(), ok);
    if (!ok) {
        QCOMPARE(window.error().code, QStringLiteral("bad_request"));
    }
}

void TstNeoSimRules::sessionTimeouts_data()
{
    QTest::addColumn<QList<int>>("touchesAt"); // seconds after login, each must be valid
    QTest::addColumn<int>("finalAt");
    QTest::addColumn<int>("expected"); // SessionState
    // idle 60 s, absolute 300 s
    QTest::newRow("fresh") << QList<int>{} << 59 << int(SessionState::Valid);
    QTest::newRow("idle exactly") << QList<int>{} << 60 << int(SessionState::IdleExpired);
    QTest::newRow("activity restarts idle") << QList<int>{50} << 109 << int(SessionState::Valid);
    QTest::newRow("idle after activity") << QList<int>{50} << 110 << int(SessionState::IdleExpired);
    QTest::newRow("absolute despite activity")
        << QList<int>{50, 100, 150, 200, 250} << 300 << int(SessionState::AbsoluteExpired);
    QTest::newRow("absolute wins over idle") << QList<int>{} << 400 << int(SessionState::AbsoluteExpired);
}

void TstNeoSimRules::sessionTimeouts()
{
    QFETCH(QList<int>, touchesAt);
    QFETCH(int, finalAt);
    QFETCH(int, expected);
    NeoSessions sessions;
    sessions.setTimeouts({60, 300});
    const QByteArray token = sessions.open(kT0);
    QCOMPARE(token.size(), 64);
    for (int at : touchesAt) {
        QCOMPARE(sessions.touch(token, kT0.addSecs(at)), SessionState::Valid);
    }
    QCOMPARE(int(sessions.touch(token, kT0.addSecs(finalAt))), expected);
    if (expected != int(SessionState::Valid)) {
        // Stays expired (so the login page can say so), and is no longer an open session.
        QCOMPARE(int(sessions.peek(token, kT0.addSecs(finalAt))), expected);
        QCOMPARE(sessions.count(), 0);
    }
    QCOMPARE(sessions.touch(QByteArrayLiteral("not-issued"), kT0), SessionState::Missing);
    QCOMPARE(sessions.touch({}, kT0), SessionState::Missing);
}

void TstNeoSimRules::lockout_data()
{
    QTest::addColumn<int>("threshold");
    QTest::addColumn<int>("lockSeconds");
    QTest::addColumn<QString>("script"); // w = wrong password, r = right one, +N = N seconds pass
    QTest::addColumn<QString>("outcomes");
    QTest::newRow("below threshold") << 3 << 600 << "w w r"
                                     << "rejected rejected success";
    QTest::newRow("success resets the count") << 3 << 600 << "w w r w w r"
                                              << "rejected rejected success rejected rejected success";
    QTest::newRow("locked refuses the right password") << 3 << 600 << "w w w r"
                                                       << "rejected rejected rejected locked";
    QTest::newRow("lock time passes") << 2 << 600 << "w w r +599 r +1 r"
                                      << "rejected rejected locked locked success";
    QTest::newRow("until unlocked") << 1 << 0 << "w +99999 r"
                                    << "rejected locked";
    QTest::newRow("threshold 0 never locks")
        << 0 << 600 << "w w w w w w r"
        << "rejected rejected rejected rejected rejected rejected success";
}

void TstNeoSimRules::lockout()
{
    QFETCH(int, threshold);
    QFETCH(int, lockSeconds);
    QFETCH(QString, script);
    QFETCH(QString, outcomes);
    NeoLoginGuard guard(NeoAccount{QStringLiteral("4821"), QStringLiteral("user"), QStringLiteral("pw"),
                                   QStringLiteral("123456")});
    guard.setPolicy({threshold, lockSeconds});
    QDateTime now = kT0;
    QStringList seen;
    for (const QString& step : script.split(QLatin1Char(' '))) {
        if (step.startsWith(QLatin1Char('+'))) {
            now = now.addSecs(step.mid(1).toLongLong());
            continue;
        }
        const QString password = step == QLatin1String("r") ? QStringLiteral("pw") : QStringLiteral("nope");
        seen << loginOutcomeName(
            guard.submitPassword({QStringLiteral("4821"), QStringLiteral("user"), password}, true, false, now)
                .outcome);
    }
    QCOMPARE(seen.join(QLatin1Char(' ')), outcomes);
    QCOMPARE(guard.countsJson(now).value(QStringLiteral("attempts")).toInt(), int(seen.size()));
}

void TstNeoSimRules::secondFactorTicket()
{
    NeoLoginGuard guard(
        NeoAccount{{}, QStringLiteral("user"), QStringLiteral("pw"), QStringLiteral("123456")});
    const PasswordResult first =
        guard.submitPassword({{}, QStringLiteral("user"), QStringLiteral("pw")}, false, true, kT0);
    QCOMPARE(first.outcome, LoginOutcome::SecondFactorRequired);
    QVERIFY(!first.secondFactorTicket.isEmpty());
    QCOMPARE(guard.submitSecondFactor(first.secondFactorTicket, QStringLiteral("000000"), kT0),
             LoginOutcome::SecondFactorRejected);
    QCOMPARE(guard.submitSecondFactor(first.secondFactorTicket, QStringLiteral(" 123456 "), kT0),
             LoginOutcome::SecondFactorAccepted);
    QCOMPARE(guard.submitSecondFactor(first.secondFactorTicket, QStringLiteral("123456"), kT0),
             LoginOutcome::SecondFactorExpired); // spent
    const PasswordResult late =
        guard.submitPassword({{}, QStringLiteral("user"), QStringLiteral("pw")}, false, true, kT0);
    QCOMPARE(
        guard.submitSecondFactor(late.secondFactorTicket, QStringLiteral("123456"), kT0.addSecs(11 * 60)),
        LoginOutcome::SecondFactorExpired);
}

void TstNeoSimRules::clockSpeed()
{
    NeoSimClock clock(kT0);
    QCOMPARE(clock.nowUtc(), kT0);
    clock.advance(90);
    QCOMPARE(clock.nowUtc(), kT0.addSecs(90));
    clock.set(QDateTime(QDate(2026, 3, 10), QTime(5, 0), QTimeZone(-7 * 3600)));
    QCOMPARE(clock.nowUtc(), QDateTime(QDate(2026, 3, 10), QTime(12, 0), Qt::UTC));
    clock.setSpeed(3600); // an hour per real second
    QTest::qWait(20);
    QVERIFY(clock.nowUtc() >= kT0.addSecs(60));
    clock.setSpeed(0);
    const QDateTime frozen = clock.nowUtc();
    QTest::qWait(10);
    QCOMPARE(clock.nowUtc(), frozen);
}

void TstNeoSimRules::formAndCookieParsing()
{
    const QUrlQuery form =
        formFields(QByteArrayLiteral("username=front+desk%40clinic.test&password=a%2Bb+c&company_id="));
    QCOMPARE(formValue(form, QStringLiteral("username")), QStringLiteral("front desk@clinic.test"));
    QCOMPARE(formValue(form, QStringLiteral("password")), QStringLiteral("a+b c"));
    QVERIFY(form.hasQueryItem(QStringLiteral("company_id")));
    SimRequest request;
    request.headers = {{"Cookie", "theme=dark; neo_session=abc123 ; other=1"}};
    QCOMPARE(cookieValue(request, "neo_session"), QByteArray("abc123"));
    QCOMPARE(cookieValue(request, "session"), QByteArray());
    SimResponse response;
    setCookie(response, kSessionCookie, "tok", true);
    setCookie(response, kSecondFactorCookie, {}, false);
    QCOMPARE(response.headers.size(), 2);
    QCOMPARE(response.headers.at(0).second,
             QByteArray("neo_session=tok; Path=/; HttpOnly; SameSite=Lax; Secure"));
    QCOMPARE(response.headers.at(1).second,
             QByteArray("neo_2fa=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"));
}

QTEST_GUILESS_MAIN(TstNeoSimRules)
#include "tst_neo_sim_rules.moc"
