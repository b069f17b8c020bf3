// The Neo session's pure rules, without a browser: the login verdict, session expiry, the origin
// lock on call paths, the session cookie and the allowed resource types.

#include "sync/core/neo_consultation_parser.h"
#include "sync/core/neo_contract.h"
#include "sync/neo/login_verdict.h"
#include "sync/neo/neo_origin.h"
#include "sync/neo/neo_request_interceptor.h"
#include "sync/neo/neo_session_errors.h"
#include "sync/neo/page_fetch.h"
#include "sync/neo/session_cookie_watch.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkCookie>
#include <QTest>
#include <QWebEngineUrlRequestInfo>

using namespace odis;
using namespace odis::sync;

Q_DECLARE_METATYPE(LoginVerdict)

namespace {

NeoOrigin origin(const QString& url = QStringLiteral("https://us.idexxneo.com"))
{
    return *NeoOrigin::fromBaseUrl(QUrl(url));
}

const QByteArray kLoginPage = "<!DOCTYPE html><html><body><form method=\"post\" action=\"/login\">"
                              "<input type=\"password\" name=\"password\"></form></body></html>";

} // namespace

class TstNeoSessionRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loginVerdict_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("dashboard");
        QTest::addColumn<QString>("errorText");
        QTest::addColumn<bool>("secondFactor");
        QTest::addColumn<bool>("loginForm");
        QTest::addColumn<bool>("cookie");
        QTest::addColumn<LoginVerdict>("verdict");
        QTest::newRow("dashboard + cookie")
            << "/dashboard" << true << "" << false << false << true << LoginVerdict::Success;
        QTest::newRow("dashboard, no cookie yet")
            << "/dashboard" << true << "" << false << false << false << LoginVerdict::AwaitCookie;
        QTest::newRow("dashboard markup on /login")
            << "/login" << true << "" << false << false << true << LoginVerdict::Unexpected;
        QTest::newRow("login form with error")
            << "/login" << false << "Invalid password" << false << true << false << LoginVerdict::Rejected;
        QTest::newRow("login form, no error")
            << "/login" << false << "" << false << true << false << LoginVerdict::Unexpected;
        // Neo's known rejection only (docs/idexx-neo.md): not on a login path, or with a session cookie
        // set by this login, an error text is no proof that the password was wrong.
        QTest::newRow("error on a login form elsewhere")
            << "/auth" << false << "Locked" << false << true << false << LoginVerdict::Unexpected;
        QTest::newRow("login form with an error and a session cookie")
            << "/login" << false << "Invalid password" << false << true << true << LoginVerdict::Unexpected;
        QTest::newRow("second factor")
            << "/login/verify" << false << "" << true << false << false << LoginVerdict::SecondFactor;
        QTest::newRow("second factor with an error")
            << "/login/verify" << false << "Bad code" << true << false << false << LoginVerdict::SecondFactor;
        QTest::newRow("code field beside a password")
            << "/login" << false << "" << true << true << false << LoginVerdict::Unexpected;
        QTest::newRow("some other page")
            << "/maintenance" << false << "" << false << false << true << LoginVerdict::Unexpected;
    }

    void loginVerdict()
    {
        QFETCH(QString, path);
        QFETCH(bool, dashboard);
        QFETCH(QString, errorText);
        QFETCH(bool, secondFactor);
        QFETCH(bool, loginForm);
        QFETCH(bool, cookie);
        QFETCH(LoginVerdict, verdict);
        const LoginPageState page =
            LoginPageState::fromJson(QJsonObject{{QStringLiteral("path"), path},
                                                 {QStringLiteral("dashboard"), dashboard},
                                                 {QStringLiteral("errorText"), errorText},
                                                 {QStringLiteral("secondFactor"), secondFactor},
                                                 {QStringLiteral("loginForm"), loginForm}});
        QCOMPARE(judgeLoginPage(page, cookie), verdict);
    }

    // A text that was on the login page before the click (a maintenance banner in [role=alert]) is no
    // verdict on this password; a new one is, even next to the old one.
    void loginVerdictWeighsOnlyNewErrors_data()
    {
        QTest::addColumn<QStringList>("before");
        QTest::addColumn<QStringList>("after");
        QTest::addColumn<LoginVerdict>("verdict");
        const QString banner = QStringLiteral("Planned maintenance on Sunday");
        const QString invalid = QStringLiteral("Invalid company ID, username or password.");
        QTest::newRow("the banner alone")
            << QStringList{banner} << QStringList{banner} << LoginVerdict::Unexpected;
        QTest::newRow("banner and a new error")
            << QStringList{banner} << QStringList{banner, invalid} << LoginVerdict::Rejected;
        QTest::newRow("a new error alone") << QStringList{} << QStringList{invalid} << LoginVerdict::Rejected;
        QTest::newRow("nothing") << QStringList{banner} << QStringList{} << LoginVerdict::Unexpected;
    }

    void loginVerdictWeighsOnlyNewErrors()
    {
        QFETCH(QStringList, before);
        QFETCH(QStringList, after);
        QFETCH(LoginVerdict, verdict);
        QJsonArray texts;
        for (const QString& text : after)
            texts.append(text);
        const LoginPageState page =
            LoginPageState::fromJson(QJsonObject{{QStringLiteral("path"), QStringLiteral("/login")},
                                                 {QStringLiteral("errorText"), after.value(0)},
                                                 {QStringLiteral("errorTexts"), texts},
                                                 {QStringLiteral("loginForm"), true}});
        QCOMPARE(judgeLoginPage(page, false, before), verdict);
    }

    void sessionExpiry_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("finalUrl");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("expired");
        const QString data = QStringLiteral("https://us.idexxneo.com/schedule/getScheduleConfigs");
        QTest::newRow("200 JSON") << 200 << data << QByteArray("application/json") << QByteArray("{}")
                                  << false;
        QTest::newRow("401 JSON") << 401 << data << QByteArray("application/json")
                                  << QByteArray("{\"error\":\"session_expired\"}") << true;
        QTest::newRow("419") << 419 << data << QByteArray("text/html") << QByteArray("<html></html>") << true;
        QTest::newRow("redirected to /login") << 200 << QStringLiteral("https://us.idexxneo.com/login")
                                              << QByteArray("text/html") << kLoginPage << true;
        QTest::newRow("redirected to /login?next=")
            << 200 << QStringLiteral("https://us.idexxneo.com/login?next=%2F") << QByteArray("text/html")
            << QByteArray("<html></html>") << true;
        QTest::newRow("login page served in place")
            << 200 << data << QByteArray("text/html") << kLoginPage << true;
        QTest::newRow("other HTML page") << 200 << data << QByteArray("text/html")
                                         << QByteArray("<html><body>Maintenance</body></html>") << false;
        QTest::newRow("403") << 403 << data << QByteArray("application/json") << QByteArray("{}") << false;
        QTest::newRow("path merely mentions login")
            << 200 << QStringLiteral("https://us.idexxneo.com/loginhistory") << QByteArray("application/json")
            << QByteArray("[]") << false;
    }

    void sessionExpiry()
    {
        QFETCH(int, status);
        QFETCH(QString, finalUrl);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(bool, expired);
        PageFetchResult result;
        result.response.httpStatus = status;
        result.response.contentType = contentType;
        result.response.body = body;
        result.finalUrl = QUrl(finalUrl);
        QCOMPARE(isSessionExpired(result), expired);
    }

    void fetchAnswer_data()
    {
        QTest::addColumn<QJsonObject>("answer");
        QTest::addColumn<QString>("code");
        QTest::newRow("timeout") << QJsonObject{{QStringLiteral("status"), 0},
                                                {QStringLiteral("failure"), QStringLiteral("timeout")}}
                                 << QString(neo_session_error::kCallTimeout);
        QTest::newRow("network") << QJsonObject{{QStringLiteral("status"), 0},
                                                {QStringLiteral("failure"), QStringLiteral("network")}}
                                 << QString(neo_session_error::kNetworkError);
        QTest::newRow("origin") << QJsonObject{{QStringLiteral("status"), 0},
                                               {QStringLiteral("failure"), QStringLiteral("origin")}}
                                << QString(neo_session_error::kConfigInvalid);
        QTest::newRow("no status") << QJsonObject{{QStringLiteral("body"), QStringLiteral("x")}}
                                   << QString(neo_session_error::kScriptFailed);
        QTest::newRow("answer")
            << QJsonObject{{QStringLiteral("status"), 404},
                           {QStringLiteral("contentType"), QStringLiteral("application/json")},
                           {QStringLiteral("url"), QStringLiteral("https://us.idexxneo.com/x")},
                           {QStringLiteral("redirected"), false},
                           {QStringLiteral("body"), QStringLiteral("{\"é\":1}")}}
            << QString();
    }

    void fetchAnswer()
    {
        QFETCH(QJsonObject, answer);
        QFETCH(QString, code);
        const auto parsed = parseFetchAnswer(answer);
        if (code.isEmpty()) {
            QVERIFY(parsed);
            QCOMPARE(parsed->response.httpStatus, 404);
            QCOMPARE(parsed->response.body, QStringLiteral("{\"é\":1}").toUtf8());
            QCOMPARE(parsed->finalUrl.path(), QStringLiteral("/x"));
        } else {
            QVERIFY(!parsed);
            QCOMPARE(parsed.error().code, code);
        }
    }

    // An answer the page stopped reading for its size (neo_fetch.js, maxBytes): no body reaches a parser,
    // and the consultation is refused whole with the answer as its field, as a value over its limit is.
    void tooLargeAnswerIsRefusedUnread()
    {
        const QJsonObject answer{{QStringLiteral("status"), 200},
                                 {QStringLiteral("contentType"), QStringLiteral("application/json")},
                                 {QStringLiteral("url"), QStringLiteral("https://us.idexxneo.com/c")},
                                 {QStringLiteral("body"), QStringLiteral("{\"consultation\":")},
                                 {QStringLiteral("tooLarge"), true},
                                 {QStringLiteral("bytes"), 10'000'123}};
        const auto parsed = parseFetchAnswer(answer);
        QVERIFY(parsed);
        QCOMPARE(parsed->response.httpStatus, 200);
        QVERIFY(parsed->response.body.isEmpty());
        QCOMPARE(parsed->response.tooLargeBytes, 10'000'123);
        NeoAnswerCheck check;
        const auto consultation = parseNeoConsultation(parsed->response, u"42", &check);
        QVERIFY(!consultation);
        QCOMPARE(consultation.error().code, QString(neo_refusal::kValueTooLong));
        QCOMPARE(check.refusals.size(), 1);
        QCOMPARE(check.refusals.first().field, QString(kWholeAnswerField));
        // Read in full, the same answer is not refused for its size.
        QCOMPARE(parseFetchAnswer(QJsonObject{{QStringLiteral("status"), 200}})->response.tooLargeBytes, 0);
    }

    void originBaseUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("origin");
        QTest::newRow("plain") << "https://us.idexxneo.com"
                               << "https://us.idexxneo.com";
        QTest::newRow("path dropped") << "https://UK.idexxneo.com/app/"
                                      << "https://uk.idexxneo.com";
        QTest::newRow("port kept") << "https://127.0.0.1:8443"
                                   << "https://127.0.0.1:8443";
        QTest::newRow("http refused") << "http://us.idexxneo.com"
                                      << "";
        QTest::newRow("no host") << "https:///x"
                                 << "";
        QTest::newRow("user info refused") << "https://a:b@us.idexxneo.com"
                                           << "";
        QTest::newRow("query refused") << "https://us.idexxneo.com/?x=1"
                                       << "";
    }

    void originBaseUrl()
    {
        QFETCH(QString, url);
        QFETCH(QString, origin);
        const auto parsed = NeoOrigin::fromBaseUrl(QUrl(url));
        if (origin.isEmpty()) {
            QVERIFY(!parsed);
            QCOMPARE(parsed.error().code, QString(neo_session_error::kConfigInvalid));
        } else {
            QVERIFY(parsed);
            QCOMPARE(parsed->url().toString(), origin);
        }
    }

    void originResolve_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("resolved");
        QTest::newRow("endpoint") << "/schedule/getScheduleConfigs"
                                  << "https://us.idexxneo.com/schedule/getScheduleConfigs";
        QTest::newRow("query") << "/appointments/getAppointment?id=123456"
                               << "https://us.idexxneo.com/appointments/getAppointment?id=123456";
        QTest::newRow("encoded query")
            << "/appointments/getCalendarEventData?start=2026-03-10%2000:00:00"
            << "https://us.idexxneo.com/appointments/getCalendarEventData?start=2026-03-10%2000:00:00";
        QTest::newRow("absolute URL") << "https://evil.example/x"
                                      << "";
        QTest::newRow("scheme-relative") << "//evil.example/x"
                                         << "";
        QTest::newRow("relative") << "schedule"
                                  << "";
        QTest::newRow("dot segments") << "/a/../../x"
                                      << "";
        QTest::newRow("backslash") << "/\\evil.example"
                                   << "";
        QTest::newRow("fragment") << "/x#y"
                                  << "";
        QTest::newRow("control character") << "/x\ny"
                                           << "";
        QTest::newRow("empty") << ""
                               << "";
    }

    void originResolve()
    {
        QFETCH(QString, path);
        QFETCH(QString, resolved);
        const auto url = origin().resolve(path);
        if (resolved.isEmpty()) {
            QVERIFY(!url);
            QCOMPARE(url.error().code, QString(neo_session_error::kConfigInvalid));
        } else {
            QVERIFY2(url, qPrintable(url ? QString() : url.error().toString()));
            QCOMPARE(url->toString(QUrl::FullyEncoded), resolved);
        }
    }

    void originContains_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("contained");
        QTest::newRow("same") << "https://us.idexxneo.com/login" << true;
        QTest::newRow("explicit default port") << "https://us.idexxneo.com:443/x" << true;
        QTest::newRow("case") << "https://US.IdexxNeo.com/x" << true;
        QTest::newRow("other region") << "https://uk.idexxneo.com/x" << false;
        QTest::newRow("sub-domain") << "https://cdn.us.idexxneo.com/x" << false;
        QTest::newRow("http") << "http://us.idexxneo.com/x" << false;
        QTest::newRow("other port") << "https://us.idexxneo.com:8443/x" << false;
        QTest::newRow("about:blank") << "about:blank" << false;
        QTest::newRow("data") << "data:text/html,x" << false;
    }

    void originContains()
    {
        QFETCH(QString, url);
        QFETCH(bool, contained);
        QCOMPARE(origin().contains(QUrl(url)), contained);
    }

    void sessionCookie_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QString>("domain");
        QTest::addColumn<bool>("session");
        QTest::newRow("simulator's name") << QByteArray("neo_session") << "us.idexxneo.com" << true;
        QTest::newRow("upper case") << QByteArray("NEOSESSIONID") << "us.idexxneo.com" << true;
        QTest::newRow("host-only") << QByteArray("JSESSIONID") << "" << true;
        QTest::newRow("parent domain") << QByteArray("laravel_session") << ".idexxneo.com" << true;
        QTest::newRow("other cookie") << QByteArray("neo_2fa") << "us.idexxneo.com" << false;
        QTest::newRow("other site") << QByteArray("session") << "tracker.example" << false;
    }

    void sessionCookie()
    {
        QFETCH(QByteArray, name);
        QFETCH(QString, domain);
        QFETCH(bool, session);
        QNetworkCookie cookie(name, "v");
        cookie.setDomain(domain);
        QCOMPARE(SessionCookieWatch::isSessionCookie(cookie, origin()), session);
    }

    void resourceTypes_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("main frame") << int(QWebEngineUrlRequestInfo::ResourceTypeMainFrame) << true;
        QTest::newRow("script") << int(QWebEngineUrlRequestInfo::ResourceTypeScript) << true;
        QTest::newRow("stylesheet") << int(QWebEngineUrlRequestInfo::ResourceTypeStylesheet) << true;
        QTest::newRow("fetch/xhr") << int(QWebEngineUrlRequestInfo::ResourceTypeXhr) << true;
        QTest::newRow("image") << int(QWebEngineUrlRequestInfo::ResourceTypeImage) << false;
        QTest::newRow("font") << int(QWebEngineUrlRequestInfo::ResourceTypeFontResource) << false;
        QTest::newRow("media") << int(QWebEngineUrlRequestInfo::ResourceTypeMedia) << false;
        QTest::newRow("favicon") << int(QWebEngineUrlRequestInfo::ResourceTypeFavicon) << false;
        QTest::newRow("ping") << int(QWebEngineUrlRequestInfo::ResourceTypePing) << false;
        QTest::newRow("plugin") << int(QWebEngineUrlRequestInfo::ResourceTypePluginResource) << false;
        QTest::newRow("service worker") << int(QWebEngineUrlRequestInfo::ResourceTypeServiceWorker) << false;
        QTest::newRow("unknown") << int(QWebEngineUrlRequestInfo::ResourceTypeUnknown) << false;
    }

    void resourceTypes()
    {
        QFETCH(int, type);
        QFETCH(bool, allowed);
        QCOMPARE(NeoRequestInterceptor::isAllowedResourceType(type), allowed);
    }
};

QTEST_GUILESS_MAIN(TstNeoSessionRules)
#include "tst_neo_session_rules.moc"
