// Neo response parsers on recorded fixtures, without a browser: the common checks (HTTP status, HTML
// where JSON was expected, broken JSON, unknown shapes), status and id rules, drift reporting. The
// endpoint-specific tests live in the neo_*_tests.cpp files of this executable.

#include "sync/core/neo_appointment_parser.h"
#include "sync/core/neo_config_parser.h"
#include "sync/core/neo_consultation_parser.h"
#include "sync/core/neo_fields.h"
#include "sync/core/neo_schedule_parser.h"
#include "tests/unit/neo_parser_tests.h"
#include "tests/unit/neo_test_support.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTest>

using namespace odis::sync;
using odis::test::jsonResponse;
using odis::test::readFixture;

namespace {

const QStringList kParsers{QStringLiteral("schedule"), QStringLiteral("consultation"),
                           QStringLiteral("appointment"), QStringLiteral("configs"), QStringLiteral("view")};

// Runs one parser by name; the error, or an empty Error when it succeeded.
odis::Error errorOf(const QString& parser, const NeoResponse& response)
{
    const auto error = [](const auto& result) { return result ? odis::Error{} : result.error(); };
    if (parser == u"schedule")
        return error(parseNeoSchedule(response));
    if (parser == u"consultation")
        return error(parseNeoConsultation(response, u"731204"));
    if (parser == u"appointment")
        return error(parseNeoAppointment(response, u"482916"));
    if (parser == u"configs")
        return error(parseNeoScheduleConfigs(response));
    return error(parseNeoAppointmentView(response));
}

// A body this parser accepts, so a status or content type test changes one thing only.
QByteArray validBody(const QString& parser)
{
    if (parser == u"schedule")
        return readFixture(QStringLiteral("neo/schedule_current.json"));
    if (parser == u"consultation")
        return readFixture(QStringLiteral("neo/consultation_current.json"));
    if (parser == u"appointment")
        return readFixture(QStringLiteral("neo/appointment_detail.json"));
    if (parser == u"configs")
        return readFixture(QStringLiteral("neo/schedule_configs.json"));
    return readFixture(QStringLiteral("neo/appointment_view.json"));
}

} // namespace

void NeoResponseTest::httpStatus_data()
{
    QTest::addColumn<QString>("parser");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code"); // "" for success
    for (const QString& parser : kParsers) {
        const QByteArray valid = validBody(parser);
        const auto row = [&](const char* name, int status, const QByteArray& body, QLatin1StringView code) {
            QTest::addRow("%s %s", qPrintable(parser), name) << parser << status << body << QString(code);
        };
        row("200", 200, valid, {});
        row("203", 203, valid, {});
        row("401 json", 401, readFixture(QStringLiteral("neo/session_expired_401.json")),
            neo_error::kSessionExpired);
        row("419", 419, "{}", neo_error::kSessionExpired);
        row("404", 404, "{\"message\":\"Not Found\"}", neo_error::kNotFound);
        row("429", 429, "", neo_error::kRateLimited);
        row("500 with a valid body", 500, valid, neo_error::kServerError);
        row("503", 503, "<html>maintenance</html>", neo_error::kServerError);
        row("403", 403, "{}", neo_error::kHttpError);
        row("302 unfollowed", 302, "", neo_error::kHttpError);
        row("no answer", 0, "", neo_error::kHttpError);
        row("204 empty", 204, "", neo_error::kInvalidJson);
    }
}

void NeoResponseTest::httpStatus()
{
    QFETCH(QString, parser);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    const odis::Error error = errorOf(parser, jsonResponse(body, status));
    QCOMPARE(error.code, code);
    if (!code.isEmpty())
        QVERIFY2(error.message.contains(QString::number(status)) || status == 0 || status == 204,
                 qPrintable(error.message));
}

void NeoResponseTest::htmlInsteadOfJson_data()
{
    QTest::addColumn<QString>("parser");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("loginPage");
    const QByteArray login = readFixture(QStringLiteral("neo/login_page.html"));
    const QByteArray dashboard = readFixture(QStringLiteral("neo/dashboard_page.html"));
    for (const QString& parser : kParsers) {
        const auto row = [&](const char* name, const QByteArray& type, const QByteArray& body, bool isLogin) {
            QTest::addRow("%s %s", qPrintable(parser), name) << parser << type << body << isLogin;
        };
        // After a session redirect, fetch ends on the login page with status 200.
        row("login page, honest type", "text/html; charset=UTF-8", login, true);
        row("login page, type lies", "application/json", login, true);
        row("login page, no type", "", login, true);
        row("dashboard", "text/html", dashboard, false);
        row("dashboard, type lies", "application/json; charset=utf-8", dashboard, false);
        row("byte order mark then markup", "application/json",
            "\xEF\xBB\xBF \r\n\t<html><body></body></html>", false);
        row("xhtml type", "APPLICATION/XHTML+XML", "<?xml version=\"1.0\"?><html/>", false);
        row("html type, JSON-looking body", "Text/HTML ; charset=utf-8", validBody(parser), false);
        row("html type, empty body", "text/html", "", false);
        row("fragment", "application/json", "<div class=\"error\">Oops</div>", false);
    }
}

void NeoResponseTest::htmlInsteadOfJson()
{
    QFETCH(QString, parser);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(bool, loginPage);
    const odis::Error error = errorOf(parser, jsonResponse(body, 200, contentType));
    QCOMPARE(error.code, QString(neo_error::kHtmlInsteadOfJson));
    QCOMPARE(looksLikeNeoLoginPage(body), loginPage);
    QCOMPARE(error.message.contains(u"login page"), loginPage);
    QVERIFY(!error.message.contains(u"Company ID")); // never the body
}

void NeoResponseTest::loginPageDetector_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("expected");
    QTest::newRow("neo login page") << readFixture(QStringLiteral("neo/login_page.html")) << true;
    QTest::newRow("plain login, unquoted upper-case")
        << readFixture(QStringLiteral("neo/login_page_plain.html")) << true;
    QTest::newRow("dashboard mentioning passwords")
        << readFixture(QStringLiteral("neo/dashboard_page.html")) << false;
    QTest::newRow("expired banner only")
        << QByteArray("<html><body><div class='alert session-expired'>Please log in.</div></body></html>")
        << true;
    QTest::newRow("login-required banner")
        << QByteArray("<div class=\"login-required\">Sign in to continue</div>") << true;
    QTest::newRow("password by name") << QByteArray("<form><input name = 'password'></form>") << true;
    QTest::newRow("second factor page")
        << QByteArray("<html><form><input name=\"code\" placeholder=\"6-digit code\"></form></html>")
        << false;
    QTest::newRow("JSON quoting a login form")
        << QByteArray("{\"notes\":\"<input type=\\\"password\\\">\"}") << false;
    QTest::newRow("password-strength class") << QByteArray("<div class=\"password-hint\">x</div>") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void NeoResponseTest::loginPageDetector()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, expected);
    QCOMPARE(looksLikeNeoLoginPage(body), expected);
}

void NeoResponseTest::invalidJson_data()
{
    QTest::addColumn<QString>("parser");
    QTest::addColumn<QByteArray>("body");
    QByteArray deep(3000, '[');
    deep.append(QByteArray(3000, ']'));
    for (const QString& parser : kParsers) {
        const QByteArray valid = validBody(parser);
        const auto row = [&](const char* name, const QByteArray& body) {
            QTest::addRow("%s %s", qPrintable(parser), name) << parser << body;
        };
        row("truncated fixture", parser == u"schedule"
                                     ? readFixture(QStringLiteral("neo/schedule_truncated.json"))
                                     : valid.first(valid.size() * 2 / 3));
        row("cut after one byte", valid.first(1));
        row("cut before the last byte", valid.first(valid.size() - 2));
        row("empty", "");
        row("white space", " \n\t ");
        row("trailing garbage", valid + "\n{\"more\":1}");
        row("NaN", "[NaN]");
        row("overflowing number", "{\"slotDuration\": 1e999}");
        row("single quotes", "{'events': []}");
        row("trailing comma", "[{\"id\": 1},]");
        row("invalid UTF-8", "[\"\xFF\xFE\"]");
        row("too deep", deep);
    }
}

void NeoResponseTest::invalidJson()
{
    QFETCH(QString, parser);
    QFETCH(QByteArray, body);
    const odis::Error error = errorOf(parser, jsonResponse(body));
    QCOMPARE(error.code, QString(neo_error::kInvalidJson));
}

void NeoResponseTest::unexpectedShape_data()
{
    QTest::addColumn<QString>("parser");
    QTest::addColumn<QByteArray>("body");
    const QList<QByteArray> everywhere{"null", "42", "\"text\"", "true"};
    for (const QString& parser : kParsers) {
        for (const QByteArray& scalar : everywhere)
            QTest::addRow("%s scalar %s", qPrintable(parser), scalar.constData()) << parser << scalar;
    }
    QTest::newRow("schedule empty object") << "schedule" << QByteArray("{}");
    QTest::newRow("schedule error object") << "schedule" << QByteArray("{\"error\":\"Server busy\"}");
    QTest::newRow("schedule events not an array") << "schedule" << QByteArray("{\"events\":{\"0\":{}}}");
    QTest::newRow("schedule data is text") << "schedule" << QByteArray("{\"data\":\"none\"}");
    QTest::newRow("consultation array") << "consultation" << QByteArray("[]");
    QTest::newRow("consultation empty") << "consultation" << QByteArray("{}");
    QTest::newRow("consultation text") << "consultation" << QByteArray("{\"consultation\":\"731204\"}");
    QTest::newRow("consultation empty pageData") << "consultation" << QByteArray("{\"pageData\":{}}");
    QTest::newRow("appointment array") << "appointment" << QByteArray("[{\"id\":\"482916\"}]");
    QTest::newRow("appointment null") << "appointment" << QByteArray("{\"appointment\":null}");
    QTest::newRow("appointment bare")
        << "appointment" << QByteArray("{\"id\":\"482916\",\"status\":\"Finalized\"}");
    QTest::newRow("configs array") << "configs" << QByteArray("[]");
    QTest::newRow("configs unauthenticated") << "configs" << QByteArray("{\"message\":\"Unauthenticated.\"}");
    QTest::newRow("view empty") << "view" << QByteArray("{}");
    QTest::newRow("view error object") << "view" << QByteArray("{\"error\":\"forbidden\",\"code\":403}");
}

// Valid JSON of no known shape is never data. For the endpoints a sync reads it breaks the contract
// (sync/core/neo_contract.h): neo_layout_changed, what was found named by its keys at most; the clinic
// configuration parsers, which a sync does not use, keep neo_unexpected_shape.
void NeoResponseTest::unexpectedShape()
{
    QFETCH(QString, parser);
    QFETCH(QByteArray, body);
    const odis::Error error = errorOf(parser, jsonResponse(body));
    const bool read = parser == u"schedule" || parser == u"consultation" || parser == u"appointment";
    QCOMPARE(error.code, read ? QStringLiteral("neo_layout_changed") : QString(neo_error::kUnexpectedShape));
    if (read)
        QVERIFY2(error.message.contains(u"no known shape"), qPrintable(error.message));
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int failures = 0;
    {
        NeoResponseTest test;
        failures += QTest::qExec(&test, argc, argv);
    }
    {
        NeoScheduleParserTest test;
        failures += QTest::qExec(&test, argc, argv);
    }
    {
        NeoConsultationParserTest test;
        failures += QTest::qExec(&test, argc, argv);
    }
    {
        NeoAppointmentConfigParserTest test;
        failures += QTest::qExec(&test, argc, argv);
    }
    return failures == 0 ? 0 : 1;
}
