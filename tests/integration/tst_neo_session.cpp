// The Neo session against the simulated IDEXX Neo over real HTTPS: login outcomes, the lockout rule
// (one submit per login, never a retry) and session expiry in both forms.

#include "storage/redactor.h"
#include "sync/core/neo_json.h"
#include "sync/neo/neo_profile.h"
#include "sync/neo/neo_session.h"
#include "sync/neo/neo_session_errors.h"
#include "sync/neo/session_cookie_watch.h"
#include "tests/integration/neo_session_fixture.h"
#include "tests/sim/sim_test_client.h"
#include "tests/support/webengine_test_main.h"

#include <QJsonObject>
#include <QUrlQuery>
#include <QWebEnginePage>
#include <QWebEngineProfile>

using namespace odis;
using namespace odis::sync;
using odis::sim::neo::CompanyIdField;
using odis::sim::neo::ErrorStyle;
using odis::sim::neo::ExpiryMode;
using SimOutcome = odis::sim::neo::LoginOutcome;
using odis::sim::neo::NeoServer;
using odis::sim::neo::SecondFactor;
using odis::sim::neo::UsernameField;
using odis::test::NeoSessionFixture;

Q_DECLARE_METATYPE(CompanyIdField)
Q_DECLARE_METATYPE(UsernameField)
Q_DECLARE_METATYPE(ErrorStyle)
Q_DECLARE_METATYPE(SecondFactor)
Q_DECLARE_METATYPE(ExpiryMode)

class TstNeoSession : public QObject
{
    Q_OBJECT

private:
    NeoSessionFixture m_fixture;

    std::unique_ptr<NeoServer> sim(const test::SimOptions& options = {})
    {
        auto server = m_fixture.startSim(options);
        if (!server) {
            qFatal("simulator: %s", qPrintable(server.error().toString()));
        }
        return std::move(*server);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const Status trusted = m_fixture.init();
        QVERIFY2(trusted, qPrintable(trusted ? QString() : trusted.error().toString()));
    }

    void loginAccepted()
    {
        auto neo = sim();
        storage::Redactor redactor;
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()), &redactor);
        const auto credentials = NeoSessionFixture::credentials(*neo);
        const auto login = test::waitLogin(*session, credentials);
        QVERIFY(login.has_value());
        QVERIFY2(*login, qPrintable(login->has_value() ? QString() : login->error().toString()));
        QCOMPARE(session->state(), NeoSession::State::Ready);
        // The user name and the password can no longer reach a log.
        const QString logLine = redactor.redact(
            QStringLiteral("user %1 password %2").arg(credentials.username, credentials.password));
        QVERIFY(!logLine.contains(credentials.username));
        QVERIFY(!logLine.contains(credentials.password));
        QCOMPARE(session->page()->url().path(), QStringLiteral("/dashboard"));
        QVERIFY(session->neoProfile()->cookies().hasSessionCookie());
        QVERIFY(session->profile()->isOffTheRecord());
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 1);
        QCOMPARE(neo->state().login.count(SimOutcome::Success), 1);
        QCOMPARE(session->loginSubmissions(), 1);

        // A data call from inside the page, with Neo's headers.
        const auto response = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
        QVERIFY(response.has_value());
        QVERIFY2(*response, qPrintable(response->has_value() ? QString() : response->error().toString()));
        QCOMPARE((*response)->httpStatus, 200);
        const auto document = decodeNeoJson(**response, QString(neo_endpoint::kScheduleConfigs));
        QVERIFY2(document, qPrintable(document ? QString() : document.error().toString()));
        QVERIFY(document->object().contains(QStringLiteral("businessHours")));
        const auto headers = neo->state().headerStats.value(QStringLiteral("schedule_configs"));
        QCOMPARE(headers.total, 1);
        QCOMPARE(headers.acceptJson, 1);
        QCOMPARE(headers.xRequestedWith, 1);

        // Logging in again on a live session submits nothing.
        const auto again = test::waitLogin(*session, NeoSessionFixture::credentials(*neo));
        QVERIFY(again.has_value() && *again);
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 1);
    }

    void loginFormVariants_data()
    {
        QTest::addColumn<CompanyIdField>("companyId");
        QTest::addColumn<UsernameField>("username");
        QTest::newRow("no company id field") << CompanyIdField::Hidden << UsernameField::Username;
        QTest::newRow("e-mail field only") << CompanyIdField::Shown << UsernameField::EmailOnly;
        QTest::newRow("no company id, e-mail only") << CompanyIdField::Hidden << UsernameField::EmailOnly;
    }

    void loginFormVariants()
    {
        QFETCH(CompanyIdField, companyId);
        QFETCH(UsernameField, username);
        test::SimOptions options;
        options.variants.companyIdField = companyId;
        options.variants.usernameField = username;
        // Where Neo's form has only an e-mail field, the clinic's user name is an e-mail address.
        options.username =
            username == UsernameField::EmailOnly ? QStringLiteral("frontdesk@clinic.example") : QString();
        auto neo = sim(options);
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        const auto login = test::waitLogin(*session, NeoSessionFixture::credentials(*neo));
        QVERIFY(login.has_value());
        QVERIFY2(*login, qPrintable(login->has_value() ? QString() : login->error().toString()));
        QCOMPARE(neo->state().login.count(SimOutcome::Success), 1);
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 1);
    }

    void formValidationRefusesTheUserName()
    {
        test::SimOptions options;
        options.variants.usernameField = UsernameField::EmailOnly;
        auto neo = sim(options);
        // The simulator gives this variant an e-mail user name; the saved one here is no e-mail.
        neo->state().login.setUsername(QStringLiteral("frontdesk"));
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        const auto login = test::waitLogin(*session, NeoSessionFixture::credentials(*neo));
        QVERIFY(login.has_value() && !*login);
        QCOMPARE(login->error().code, QString(neo_session_error::kLoginUnexpected));
        QVERIFY2(login->error().message.contains(QStringLiteral("fill_form")),
                 qPrintable(login->error().message));
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 0);
        QCOMPARE(session->loginSubmissions(), 0);
    }

    void missingCompanyId()
    {
        auto neo = sim(); // the form asks for a company id
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        storage::IdexxLogin login = NeoSessionFixture::credentials(*neo);
        login.companyId.clear();
        const auto result = test::waitLogin(*session, login);
        QVERIFY(result.has_value() && !*result);
        QCOMPARE(result->error().code, QString(neo_session_error::kCredentialsIncomplete));
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 0);
    }

    void passwordRejected_data()
    {
        QTest::addColumn<ErrorStyle>("style");
        QTest::newRow(".error-message") << ErrorStyle::ErrorMessage;
        QTest::newRow(".alert-danger") << ErrorStyle::AlertDanger;
        QTest::newRow("[role=alert]") << ErrorStyle::RoleAlert;
    }

    void passwordRejected()
    {
        QFETCH(ErrorStyle, style);
        test::SimOptions options;
        options.variants.errorStyle = style;
        auto neo = sim(options);
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        const auto login = test::waitLogin(*session, NeoSessionFixture::wrongPassword(*neo));
        QVERIFY(login.has_value());
        QVERIFY(!*login);
        QCOMPARE(login->error().code, QString(neo_session_error::kLoginRejected));
        QVERIFY(
            !login->error().message.contains(QStringLiteral("Invalid"))); // Neo's words stay out of the error
        QCOMPARE(session->state(), NeoSession::State::Rejected);
        QVERIFY(
            session->loginPageMessage().contains(QStringLiteral("Invalid company ID, username or password")));
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 1);
        QCOMPARE(neo->state().login.count(SimOutcome::Rejected), 1);

        // The session never submits again, whoever asks, and calls fail with the rejection.
        const auto again = test::waitLogin(*session, NeoSessionFixture::credentials(*neo));
        QVERIFY(again.has_value() && !*again);
        QCOMPARE(again->error().code, QString(neo_session_error::kLoginRefused));
        const auto call = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
        QVERIFY(call.has_value() && !*call);
        QCOMPARE(call->error().code, QString(neo_session_error::kLoginRejected));
        QTest::qWait(300);
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 1);
        QCOMPARE(session->loginSubmissions(), 1);
    }

    // Only Neo's known rejection is a rejection. A login page that answers in a way the agent cannot read
    // (its reason in an element it does not know; a maintenance notice in [role=alert] that was already
    // there before the click) is an unknown outcome: the session stops, but not as a rejection, so the
    // credentials are not suspended for it (agent/run/neo_login_step.h). A real rejection next to such a
    // banner is still one, and a good password still logs in.
    void onlyTheKnownRejectionIsARejection_data()
    {
        QTest::addColumn<ErrorStyle>("style");
        QTest::addColumn<bool>("banner");
        QTest::addColumn<bool>("rightPassword");
        QTest::addColumn<QString>("code");
        QTest::newRow("reason in an unknown element")
            << ErrorStyle::Unrecognised << false << false << QString(neo_session_error::kLoginUnknownOutcome);
        QTest::newRow("a banner in [role=alert], reason unknown")
            << ErrorStyle::Unrecognised << true << false << QString(neo_session_error::kLoginUnknownOutcome);
        QTest::newRow("a banner and Neo's rejection")
            << ErrorStyle::ErrorMessage << true << false << QString(neo_session_error::kLoginRejected);
        QTest::newRow("a banner and [role=alert] rejection")
            << ErrorStyle::RoleAlert << true << false << QString(neo_session_error::kLoginRejected);
        QTest::newRow("a banner and the right password")
            << ErrorStyle::ErrorMessage << true << true << QString();
    }

    void onlyTheKnownRejectionIsARejection()
    {
        QFETCH(ErrorStyle, style);
        QFETCH(bool, banner);
        QFETCH(bool, rightPassword);
        QFETCH(QString, code);
        test::SimOptions options;
        options.variants.errorStyle = style;
        options.variants.loginBanner = banner;
        auto neo = sim(options);
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        const auto login = test::waitLogin(*session, rightPassword ? NeoSessionFixture::credentials(*neo)
                                                                   : NeoSessionFixture::wrongPassword(*neo));
        QVERIFY(login.has_value());
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 1);
        if (code.isEmpty()) {
            QVERIFY2(*login, qPrintable(login->has_value() ? QString() : login->error().toString()));
            QCOMPARE(session->state(), NeoSession::State::Ready);
            return;
        }
        QVERIFY(!*login);
        QCOMPARE(login->error().code, code);
        QCOMPARE(session->state(), code == QString(neo_session_error::kLoginRejected)
                                       ? NeoSession::State::Rejected
                                       : NeoSession::State::Failed);
        // Never submitted twice by the session, whatever the outcome.
        QTest::qWait(300);
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 1);
        QCOMPARE(session->loginSubmissions(), 1);
    }

    void secondFactor_data()
    {
        QTest::addColumn<SecondFactor>("variant");
        QTest::newRow("name=code") << SecondFactor::Code;
        QTest::newRow("name=otp") << SecondFactor::Otp;
        QTest::newRow("placeholder with code") << SecondFactor::Placeholder;
    }

    void secondFactor()
    {
        QFETCH(SecondFactor, variant);
        test::SimOptions options;
        options.variants.secondFactor = variant;
        auto neo = sim(options);
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        const auto login = test::waitLogin(*session, NeoSessionFixture::credentials(*neo));
        QVERIFY(login.has_value() && !*login);
        QCOMPARE(login->error().code, QString(neo_session_error::kSecondFactorRequired));
        QCOMPARE(session->state(), NeoSession::State::NeedsSecondFactor);
        QCOMPARE(NeoSession::stateName(session->state()), QStringLiteral("needs_second_factor"));
        QCOMPARE(neo->state().login.count(SimOutcome::SecondFactorRequired), 1);
        const QJsonObject counts = neo->state().login.countsJson(neo->state().now());
        QCOMPARE(counts.value(QStringLiteral("second_factor_attempts")).toInt(),
                 0); // no code is ever guessed
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 1);
    }

    void lockoutNeverTriggeredByTheAgent()
    {
        test::SimOptions options;
        options.lockout.threshold = 3;
        options.lockout.lockSeconds = 0; // until unlocked: a lock would stay visible
        auto neo = sim(options);
        // Two runs with a wrong password: each submits once and then refuses everything.
        for (int run = 0; run < 2; ++run) {
            auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
            const auto login = test::waitLogin(*session, NeoSessionFixture::wrongPassword(*neo));
            QVERIFY(login.has_value() && !*login);
            QCOMPARE(login->error().code, QString(neo_session_error::kLoginRejected));
            for (int i = 0; i < 3; ++i) {
                const auto retry = test::waitLogin(*session, NeoSessionFixture::wrongPassword(*neo));
                QVERIFY(retry.has_value() && !*retry);
                const auto call = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
                QVERIFY(call.has_value() && !*call);
            }
            QCOMPARE(session->loginSubmissions(), 1);
        }
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 2);
        QVERIFY(!neo->state().login.isLocked(neo->state().now()));
        // The clinic's account still works.
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        const auto login = test::waitLogin(*session, NeoSessionFixture::credentials(*neo));
        QVERIFY(login.has_value() && *login);
    }

    void expiryMidRun_data()
    {
        QTest::addColumn<ExpiryMode>("mode");
        QTest::addColumn<bool>("byClock");
        QTest::newRow("401, sessions ended") << ExpiryMode::Unauthorized << false;
        QTest::newRow("redirect to /login, sessions ended") << ExpiryMode::Redirect << false;
        QTest::newRow("401, idle time-out") << ExpiryMode::Unauthorized << true;
        QTest::newRow("redirect to /login, idle time-out") << ExpiryMode::Redirect << true;
    }

    void expiryMidRun()
    {
        QFETCH(ExpiryMode, mode);
        QFETCH(bool, byClock);
        test::SimOptions options;
        options.variants.expiry = mode;
        auto neo = sim(options);
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        QVERIFY(test::loginSucceeds(*session, NeoSessionFixture::credentials(*neo)));
        const auto first = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
        QVERIFY(first.has_value() && *first);

        if (byClock) {
            neo->state().clock.advance(neo->state().sessions.timeouts().idleSeconds + 60);
        } else {
            neo->state().sessions.expireAll();
        }
        const auto second = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
        QVERIFY(second.has_value());
        QVERIFY2(*second, qPrintable(second->has_value() ? QString() : second->error().toString()));
        QCOMPARE((*second)->httpStatus, 200);
        const auto document = decodeNeoJson(**second, QString(neo_endpoint::kScheduleConfigs));
        QVERIFY2(document,
                 qPrintable(document ? QString() : document.error().toString())); // data, not a login page
        QCOMPARE(session->relogins(), 1);
        QCOMPARE(session->loginSubmissions(), 2);
        QCOMPARE(neo->state().login.count(SimOutcome::Success), 2);
        QCOMPARE(session->state(), NeoSession::State::Ready);
    }

    void expiryAndNewLoginFails_data()
    {
        QTest::addColumn<QString>("cause");
        QTest::addColumn<QString>("code");
        QTest::newRow("account locked meanwhile")
            << QStringLiteral("locked") << QString(neo_session_error::kLoginRejected);
        QTest::newRow("second factor now asked")
            << QStringLiteral("second_factor") << QString(neo_session_error::kSecondFactorRequired);
        QTest::newRow("still expired after the new login")
            << QStringLiteral("still_401") << QString(neo_session_error::kSessionLost);
    }

    void expiryAndNewLoginFails()
    {
        QFETCH(QString, cause);
        QFETCH(QString, code);
        test::SimOptions options;
        options.lockout.threshold = 1;
        options.lockout.lockSeconds = 0;
        auto neo = sim(options);
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        QVERIFY(test::loginSucceeds(*session, NeoSessionFixture::credentials(*neo)));
        int expectedAttempts = 2;
        if (cause == QLatin1StringView("locked")) {
            // Someone at the clinic mistypes the password in a browser: the account locks.
            sim::test::SimTestClient browser(m_fixture.trustedPki().clientConfiguration());
            QUrlQuery form;
            const auto account = NeoSessionFixture::credentials(*neo);
            form.addQueryItem(QStringLiteral("company_id"), account.companyId);
            form.addQueryItem(QStringLiteral("username"), account.username);
            form.addQueryItem(QStringLiteral("password"), QStringLiteral("typo"));
            const auto posted = browser.send("POST", neo->baseUrl().resolved(QUrl(QStringLiteral("/login"))),
                                             form.toString(QUrl::FullyEncoded).toUtf8(),
                                             {{"Content-Type", "application/x-www-form-urlencoded"}});
            QVERIFY(posted.finished);
            QVERIFY(neo->state().login.isLocked(neo->state().now()));
            expectedAttempts = 3;
        } else if (cause == QLatin1StringView("second_factor")) {
            neo->state().variants.secondFactor = SecondFactor::Code;
        } else {
            const Status fault = neo->faults().setRoute(
                QStringLiteral("schedule_configs"),
                QJsonObject{{QStringLiteral("error_rate"), 1}, {QStringLiteral("error_status"), 401}});
            QVERIFY(fault);
        }
        neo->state().sessions.expireAll();

        const auto call = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
        QVERIFY(call.has_value());
        QVERIFY(!*call);
        QCOMPARE(call->error().code, code);
        QCOMPARE(session->relogins(), 1);
        QCOMPARE(session->loginSubmissions(), 2); // the first login and exactly one new one
        QTest::qWait(300);
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), expectedAttempts);
    }
};

ODIS_WEBENGINE_TEST_MAIN(TstNeoSession)
#include "tst_neo_session.moc"
