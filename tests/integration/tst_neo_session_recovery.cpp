// The Neo session's robustness against a real QtWebEngine: a killed renderer and a hung page are
// recovered by recreating the page (a bounded number of times), and close() frees the page before the
// profile and lets the renderer process go.

#include "sync/neo/neo_session.h"
#include "sync/neo/neo_session_errors.h"
#include "tests/integration/neo_session_fixture.h"
#include "tests/support/webengine_test_main.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineScript>

#include <csignal>
#include <sys/types.h>

using namespace odis;
using namespace odis::sync;
using odis::sim::neo::NeoServer;
using odis::test::NeoSessionFixture;

namespace {

QStringList g_warnings;
QtMessageHandler g_previousHandler = nullptr;

void collectWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type == QtWarningMsg || type == QtCriticalMsg) {
        g_warnings.append(message);
    }
    g_previousHandler(type, context, message);
}

bool killRenderer(QWebEnginePage& page)
{
    const qint64 pid = page.renderProcessPid();
    return pid > 0 && ::kill(static_cast<pid_t>(pid), SIGKILL) == 0;
}

} // namespace

class TstNeoSessionRecovery : public QObject
{
    Q_OBJECT

private:
    NeoSessionFixture m_fixture;

    std::unique_ptr<NeoServer> sim()
    {
        auto server = m_fixture.startSim();
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

    void killedRendererWhileIdle()
    {
        auto neo = sim();
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        QVERIFY(test::loginSucceeds(*session, NeoSessionFixture::credentials(*neo)));
        QWebEnginePage* before = session->page();
        QVERIFY(killRenderer(*before));
        QTRY_COMPARE_WITH_TIMEOUT(session->pageRecoveries(), 1, 10000);
        QVERIFY(session->page() != before);

        const auto call = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
        QVERIFY(call.has_value());
        QVERIFY2(*call, qPrintable(call->has_value() ? QString() : call->error().toString()));
        QCOMPARE((*call)->httpStatus, 200);
        // The cookies lived in the profile, not the page: no new login was needed.
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 1);
        QCOMPARE(session->relogins(), 0);
    }

    void killedRendererDuringACall()
    {
        auto neo = sim();
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        QVERIFY(test::loginSucceeds(*session, NeoSessionFixture::credentials(*neo)));
        QVERIFY(neo->faults().setRoute(QStringLiteral("schedule_configs"),
                                       QJsonObject{{QStringLiteral("latency_ms"), 1500}}));

        auto result = std::make_shared<std::optional<Result<NeoResponse>>>();
        session->get(QString::fromLatin1(test::kConfigPath),
                     [result](Result<NeoResponse> response) { *result = std::move(response); });
        QTRY_COMPARE_WITH_TIMEOUT(neo->requestLog().count(QStringLiteral("schedule_configs")), 1, 10000);
        QVERIFY(killRenderer(*session->page()));
        neo->faults().clearRoute(QStringLiteral("schedule_configs"));

        QTRY_VERIFY_WITH_TIMEOUT(result->has_value(), 20000);
        QVERIFY2(**result, qPrintable((*result)->has_value() ? QString() : (*result)->error().toString()));
        QCOMPARE((**result)->httpStatus, 200);
        QCOMPARE(session->pageRecoveries(), 1);
        QCOMPARE(neo->requestLog().count(QStringLiteral("schedule_configs")), 2); // sent again once
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 1);
    }

    void hungPage()
    {
        auto neo = sim();
        NeoSessionConfig config = NeoSessionFixture::config(neo->baseUrl());
        config.callTimeout = std::chrono::milliseconds(1500);
        config.watchdogGrace = std::chrono::milliseconds(1000);
        auto session = NeoSessionFixture::session(config);
        QVERIFY(test::loginSucceeds(*session, NeoSessionFixture::credentials(*neo)));
        // Neo's own script spins forever: the renderer stops running JavaScript for every world.
        session->page()->runJavaScript(QStringLiteral("for (;;) {}"), QWebEngineScript::MainWorld);
        // The renderer answers nothing any more, not even a script in another world.
        QVERIFY(!test::runInMainWorld(*session->page(), QStringLiteral("true"), 1000).has_value());

        const auto call = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
        QVERIFY(call.has_value());
        QVERIFY2(*call, qPrintable(call->has_value() ? QString() : call->error().toString()));
        QCOMPARE((*call)->httpStatus, 200);
        QCOMPARE(session->pageRecoveries(), 1);
    }

    void recoveryIsBounded()
    {
        auto neo = sim();
        NeoSessionConfig config = NeoSessionFixture::config(neo->baseUrl());
        config.maxPageRecoveries = 1;
        auto session = NeoSessionFixture::session(config);
        QVERIFY(test::loginSucceeds(*session, NeoSessionFixture::credentials(*neo)));
        QVERIFY(killRenderer(*session->page()));
        QTRY_COMPARE_WITH_TIMEOUT(session->pageRecoveries(), 1, 10000);
        const auto recovered = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
        QVERIFY(recovered.has_value() && *recovered);

        QVERIFY(killRenderer(*session->page()));
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), NeoSession::State::Failed, 10000);
        QCOMPARE(session->pageRecoveries(), 1);
        const auto call = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
        QVERIFY(call.has_value() && !*call);
        QCOMPARE(call->error().code, QString(neo_session_error::kRendererCrashed));
    }

    void closeFreesPageBeforeProfile()
    {
        auto neo = sim();
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        QVERIFY(test::loginSucceeds(*session, NeoSessionFixture::credentials(*neo)));
        const qint64 renderer = session->page()->renderProcessPid();
        QVERIFY(test::processRuns(renderer));

        QStringList destroyed;
        connect(session->page(), &QObject::destroyed, this,
                [&destroyed] { destroyed.append(QStringLiteral("page")); });
        connect(session->profile(), &QObject::destroyed, this,
                [&destroyed] { destroyed.append(QStringLiteral("profile")); });
        auto pending = std::make_shared<std::optional<Result<NeoResponse>>>();
        QVERIFY(neo->faults().setRoute(QStringLiteral("schedule_configs"),
                                       QJsonObject{{QStringLiteral("hang"), true}}));
        session->get(QString::fromLatin1(test::kConfigPath),
                     [pending](Result<NeoResponse> response) { *pending = std::move(response); });
        QTRY_COMPARE_WITH_TIMEOUT(neo->requestLog().count(QStringLiteral("schedule_configs")), 1, 10000);

        g_warnings.clear();
        g_previousHandler = qInstallMessageHandler(collectWarnings);
        session->close();
        qInstallMessageHandler(g_previousHandler);

        QCOMPARE(destroyed, (QStringList{QStringLiteral("page"), QStringLiteral("profile")}));
        QVERIFY(session->page() == nullptr);
        QVERIFY(session->profile() == nullptr);
        QCOMPARE(session->state(), NeoSession::State::Closed);
        for (const QString& warning : std::as_const(g_warnings)) {
            QVERIFY2(!warning.contains(QStringLiteral("WebEnginePage still not deleted")),
                     qPrintable(warning));
        }
        QTRY_VERIFY_WITH_TIMEOUT(pending->has_value(), 5000);
        QVERIFY(!**pending);
        QCOMPARE((*pending)->error().code, QString(neo_session_error::kSessionClosed));
        // The renderer goes with the page and the profile: its memory returns.
        QTRY_VERIFY_WITH_TIMEOUT(!test::processRuns(renderer), 15000);
    }
};

ODIS_WEBENGINE_TEST_MAIN(TstNeoSessionRecovery)
#include "tst_neo_session_recovery.moc"
