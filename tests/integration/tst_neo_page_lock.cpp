// The Neo session's page is locked to the clinic's Neo origin: navigation elsewhere, pop-ups, images,
// fonts, media and foreign resources are refused (the simulators' request logs prove nothing left),
// downloads are cancelled, and a certificate from a CA nobody trusts, for another host, expired or
// self-signed is refused, never ignored.

#include "sync/neo/neo_page.h"
#include "sync/neo/neo_profile.h"
#include "sync/neo/neo_request_interceptor.h"
#include "sync/neo/neo_session.h"
#include "sync/neo/neo_session_errors.h"
#include "tests/integration/neo_session_fixture.h"
#include "tests/support/webengine_test_main.h"

#include <QDir>
#include <QWebEnginePage>
#include <QWebEngineProfile>

using namespace odis;
using namespace odis::sync;
using odis::sim::neo::NeoServer;
using odis::test::NeoSessionFixture;

namespace {

// How many requests for `path` a simulator saw (routes or not).
int requestsFor(NeoServer& server, const QString& path)
{
    int n = 0;
    const auto entries = server.requestLog().entries();
    for (const auto& entry : entries) {
        n += entry.path == path ? 1 : 0;
    }
    return n;
}

} // namespace

class TstNeoPageLock : public QObject
{
    Q_OBJECT

private:
    NeoSessionFixture m_fixture;

    std::unique_ptr<NeoServer> sim(bool trusted = true)
    {
        test::SimOptions options;
        options.trusted = trusted;
        auto server = m_fixture.startSim(options);
        if (!server) {
            qFatal("simulator: %s", qPrintable(server.error().toString()));
        }
        return std::move(*server);
    }

    // A logged-in session on `neo`.
    std::unique_ptr<NeoSession> loggedIn(NeoServer& neo)
    {
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo.baseUrl()));
        if (!test::loginSucceeds(*session, NeoSessionFixture::credentials(neo))) {
            return nullptr;
        }
        return session;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const Status trusted = m_fixture.init();
        QVERIFY2(trusted, qPrintable(trusted ? QString() : trusted.error().toString()));
    }

    void navigationElsewhereIsRefused()
    {
        auto neo = sim();
        auto other = sim(); // another origin: same host, another port
        auto session = loggedIn(*neo);
        QVERIFY(session);
        auto* page = static_cast<NeoPage*>(session->page());
        const QString target = other->baseUrl().toString() + QStringLiteral("/login");
        QVERIFY(test::runInMainWorld(*page, QStringLiteral("location.href = '%1'; true").arg(target))
                    .has_value());
        QTRY_COMPARE_WITH_TIMEOUT(page->refusedNavigations(), 1, 10000);
        QVERIFY(test::runInMainWorld(*page, QStringLiteral("location.href = 'https://example.com/'; true"))
                    .has_value());
        QTRY_COMPARE_WITH_TIMEOUT(page->refusedNavigations(), 2, 10000);

        QTest::qWait(500);
        QCOMPARE(page->url().path(), QStringLiteral("/dashboard"));
        QVERIFY(neo->baseUrl().port() == page->url().port());
        QCOMPARE(other->requestLog().total(), 0);
        // The session still works.
        const auto call = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
        QVERIFY(call.has_value() && *call);
    }

    void popUpsAreRefused()
    {
        auto neo = sim();
        auto session = loggedIn(*neo);
        QVERIFY(session);
        auto* page = static_cast<NeoPage*>(session->page());
        const auto opened =
            test::runInMainWorld(*page, QStringLiteral("window.open('/popup-probe') === null"));
        QVERIFY(opened.has_value());
        QCOMPARE(opened->toBool(), true);
        // A link with a target is a pop-up too.
        QVERIFY(
            test::runInMainWorld(
                *page, QStringLiteral("var a = document.createElement('a'); a.href = '/popup-probe';"
                                      "a.target = '_blank'; document.body.appendChild(a); a.click(); true"))
                .has_value());
        QTest::qWait(1000);
        QCOMPARE(requestsFor(*neo, QStringLiteral("/popup-probe")), 0);
        QCOMPARE(page->url().path(), QStringLiteral("/dashboard"));
    }

    // A page that starts a download (a link with `download`, from Neo or from a blob it made) is stopped:
    // the profile cancels it and nothing reaches the disk.
    void downloadsAreRefused()
    {
        auto neo = sim();
        auto session = loggedIn(*neo);
        QVERIFY(session);
        auto* profile = qobject_cast<NeoProfile*>(session->profile()->parent());
        QVERIFY(profile);
        auto* page = static_cast<NeoPage*>(session->page());
        const QString downloads = session->profile()->downloadPath();
        const QStringList before = QDir(downloads).entryList(QDir::Files);
        QVERIFY(test::runInMainWorld(
                    *page, QStringLiteral("var a = document.createElement('a'); a.href = '/dashboard';"
                                          "a.download = 'dashboard.html'; document.body.appendChild(a);"
                                          "a.click(); true"))
                    .has_value());
        QTRY_COMPARE_WITH_TIMEOUT(profile->refusedDownloads(), 1, 10000);
        QVERIFY(test::runInMainWorld(*page,
                                     QStringLiteral("var b = document.createElement('a');"
                                                    "b.href = URL.createObjectURL(new Blob(['clinic data']));"
                                                    "b.download = 'notes.txt'; document.body.appendChild(b);"
                                                    "b.click(); true"))
                    .has_value());
        QTRY_COMPARE_WITH_TIMEOUT(profile->refusedDownloads(), 2, 10000);
        QTest::qWait(500);
        QCOMPARE(QDir(downloads).entryList(QDir::Files), before);
        QCOMPARE(page->url().path(), QStringLiteral("/dashboard"));
        // The session still works.
        const auto call = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
        QVERIFY(call.has_value() && *call);
    }

    void imagesFontsMediaAndForeignResourcesAreNotFetched()
    {
        auto neo = sim();
        auto other = sim();
        auto session = loggedIn(*neo);
        QVERIFY(session);
        auto* page = static_cast<NeoPage*>(session->page());
        const QString foreign = other->baseUrl().toString();
        const QString inject =
            QStringLiteral(
                "var img = document.createElement('img'); img.src = '/probe-image.png'; "
                "document.body.appendChild(img);"
                "new Image().src = '/probe-image-2.png';"
                "var style = document.createElement('style');"
                "style.textContent = \"@font-face { font-family: probe; src: url('/probe-font.woff2'); }"
                " body { font-family: probe; background-image: url('/probe-background.png'); }\";"
                "document.head.appendChild(style);"
                "var video = document.createElement('video'); video.preload = 'auto'; video.src = "
                "'/probe-media.mp4';"
                "document.body.appendChild(video);"
                "var script = document.createElement('script'); script.src = '%1/probe-foreign.js';"
                "document.head.appendChild(script); true")
                .arg(foreign);
        QVERIFY(test::runInMainWorld(*page, inject).has_value());
        const NeoRequestInterceptor& interceptor = session->neoProfile()->interceptor();
        QTRY_VERIFY_WITH_TIMEOUT(interceptor.blockedForeignOrigin() >= 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(interceptor.blockedResourceType() >= 1, 10000);

        // A data call after the injection: the simulator has seen whatever the page was going to send.
        const auto call = test::waitGet(*session, QString::fromLatin1(test::kConfigPath));
        QVERIFY(call.has_value() && *call);
        QTest::qWait(500);
        for (const char* path : {"/probe-image.png", "/probe-image-2.png", "/probe-font.woff2",
                                 "/probe-background.png", "/probe-media.mp4"}) {
            QVERIFY2(requestsFor(*neo, QString::fromLatin1(path)) == 0, path);
        }
        QCOMPARE(other->requestLog().total(), 0);
    }

    void untrustedCertificateIsRefused()
    {
        auto neo = sim(false);
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        const auto login = test::waitLogin(*session, NeoSessionFixture::credentials(*neo));
        QVERIFY(login.has_value());
        QVERIFY(!*login);
        QCOMPARE(login->error().code, QString(neo_session_error::kTlsError));
        QCOMPARE(session->state(), NeoSession::State::Failed);
        QCOMPARE(neo->requestLog().total(), 0); // not one HTTP request crossed the refused TLS
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 0);
    }

    // A certificate of the trusted CA for another host, an expired one, a self-signed one: each refused
    // before any HTTP request, the password never typed.
    void badCertificateIsRefused_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("wrong host") << int(sim::BadCertificate::WrongHost);
        QTest::newRow("expired") << int(sim::BadCertificate::Expired);
        QTest::newRow("self-signed") << int(sim::BadCertificate::SelfSigned);
    }

    void badCertificateIsRefused()
    {
        QFETCH(int, kind);
        test::SimOptions options;
        options.badCertificate = sim::BadCertificate(kind);
        auto started = m_fixture.startSim(options);
        QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));
        auto& neo = *started;
        auto session = NeoSessionFixture::session(NeoSessionFixture::config(neo->baseUrl()));
        const auto login = test::waitLogin(*session, NeoSessionFixture::credentials(*neo));
        QVERIFY(login.has_value());
        QVERIFY(!*login);
        QCOMPARE(neo->requestLog().total(), 0);
        QCOMPARE(NeoSessionFixture::loginAttempts(*neo), 0);
        // Named neo_tls_error every time: a self-signed certificate (here a CA certificate served as the
        // leaf) fails the load without QWebEnginePage::certificateError, and the load's error domain says
        // it was the certificate.
        QCOMPARE(login->error().code, QString(neo_session_error::kTlsError));
    }

    void callsStayOnTheOrigin_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("absolute URL") << QStringLiteral("https://example.com/data");
        QTest::newRow("scheme-relative") << QStringLiteral("//example.com/data");
    }

    void callsStayOnTheOrigin()
    {
        QFETCH(QString, path);
        auto neo = sim();
        auto session = loggedIn(*neo);
        QVERIFY(session);
        const qint64 before = neo->requestLog().total();
        const auto call = test::waitGet(*session, path);
        QVERIFY(call.has_value() && !*call);
        QCOMPARE(call->error().code, QString(neo_session_error::kConfigInvalid));
        QCOMPARE(neo->requestLog().total(), before);
    }
};

ODIS_WEBENGINE_TEST_MAIN(TstNeoPageLock)
#include "tst_neo_page_lock.moc"
