// A Neo session handed over (sync/neo/session_handover.h), as the setup window hands the person's session
// to the first sync run, against the simulated IDEXX Neo over real HTTPS: a live session is used and
// nothing is submitted, even when every login would ask for a second factor; a session Neo no longer
// accepts falls back to the normal login; only cookies of the session's origin are ever set.

#include "sync/neo/neo_profile.h"
#include "sync/neo/neo_session.h"
#include "sync/neo/origin_cookie_jar.h"
#include "sync/neo/session_cookie_watch.h"
#include "sync/neo/session_handover.h"
#include "tests/integration/neo_session_fixture.h"
#include "tests/support/webengine_test_main.h"

#include <QWebEngineCookieStore>
#include <QWebEngineProfile>

#include <algorithm>

using namespace odis;
using namespace odis::sync;
using odis::sim::neo::NeoServer;
using odis::sim::neo::SecondFactor;
using odis::test::NeoSessionFixture;

class TstNeoSessionHandover : public QObject
{
    Q_OBJECT

private:
    NeoSessionFixture m_fixture;
    std::unique_ptr<NeoServer> m_neo;
    QList<QNetworkCookie> m_handed; // the cookies of a session a person opened

    NeoSessionConfig configWith(const QList<QNetworkCookie>& cookies) const
    {
        NeoSessionConfig config = NeoSessionFixture::config(m_neo->baseUrl());
        config.handedCookies = cookies;
        return config;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const Status trusted = m_fixture.init();
        QVERIFY2(trusted, qPrintable(trusted ? QString() : trusted.error().toString()));
        auto server = m_fixture.startSim();
        QVERIFY2(server, qPrintable(server ? QString() : server.error().toString()));
        m_neo = std::move(*server);
    }

    // What the setup window does: a person's login on a page whose profile a jar listens to.
    void aPersonsSessionIsCollected()
    {
        auto person = NeoSessionFixture::session(NeoSessionFixture::config(m_neo->baseUrl()));
        std::optional<Status> loggedIn;
        person->login(NeoSessionFixture::credentials(*m_neo), [&loggedIn](Status s) { loggedIn = s; });
        // The profile exists once the login started, before any page loaded: the jar hears every cookie.
        const NeoOrigin origin = *NeoOrigin::fromBaseUrl(m_neo->baseUrl());
        QVERIFY(person->profile());
        OriginCookieJar jar(origin, person->profile()->cookieStore());
        QTRY_VERIFY_WITH_TIMEOUT(loggedIn.has_value(), 30'000);
        QVERIFY2(*loggedIn, qPrintable(loggedIn->has_value() ? QString() : loggedIn->error().toString()));
        m_handed = jar.cookies(QDateTime::currentDateTimeUtc());
        const bool hasSession =
            std::any_of(m_handed.begin(), m_handed.end(), [&origin](const QNetworkCookie& c) {
                return SessionCookieWatch::isSessionCookie(c, origin);
            });
        QVERIFY(hasSession);
        // Through the handover's bytes, as the run gets them.
        auto decoded = decodeSessionHandover(encodeSessionHandover(m_handed));
        QVERIFY(decoded);
        m_handed = *decoded;
        person->close();
        QCOMPARE(NeoSessionFixture::loginAttempts(*m_neo), 1);
    }

    void aLiveSessionIsUsedWithoutALogin()
    {
        // Every login would stop at the second factor now: only the handed session can get in.
        m_neo->state().variants.secondFactor = SecondFactor::Code;
        auto run = NeoSessionFixture::session(configWith(m_handed));
        QVERIFY(test::loginSucceeds(*run, NeoSessionFixture::credentials(*m_neo)));
        QCOMPARE(run->loginSubmissions(), 0);
        QCOMPARE(NeoSessionFixture::loginAttempts(*m_neo), 1); // the person's, no other
        const auto response = test::waitGet(*run, QString::fromLatin1(test::kConfigPath));
        QVERIFY(response.has_value() && response->has_value());
        QCOMPARE((*response)->httpStatus, 200);
        run->close();
    }

    void aSessionNeoEndedFallsBackToTheLogin()
    {
        m_neo->state().sessions.expireAll();
        m_neo->state().variants.secondFactor = SecondFactor::Off;
        auto run = NeoSessionFixture::session(configWith(m_handed));
        QVERIFY(test::loginSucceeds(*run, NeoSessionFixture::credentials(*m_neo)));
        QCOMPARE(run->loginSubmissions(), 1);
        QCOMPARE(NeoSessionFixture::loginAttempts(*m_neo), 2);
        run->close();

        // With the second factor asked, the fallback stops where any unattended login stops.
        m_neo->state().sessions.expireAll();
        m_neo->state().variants.secondFactor = SecondFactor::Code;
        auto stopped = NeoSessionFixture::session(configWith(m_handed));
        const auto login = test::waitLogin(*stopped, NeoSessionFixture::credentials(*m_neo));
        QVERIFY(login.has_value() && !login->has_value());
        QCOMPARE(stopped->state(), NeoSession::State::NeedsSecondFactor);
        QCOMPARE(stopped->loginSubmissions(), 1);
        m_neo->state().variants.secondFactor = SecondFactor::Off;
    }

    // Of what is handed, only cookies of the session's origin are set (a profile without a page reports no
    // cookie: what is set is counted, and cookieBelongsTo() is tst_session_handover's).
    void onlyTheOriginsCookiesAreSet()
    {
        const NeoOrigin origin = *NeoOrigin::fromBaseUrl(m_neo->baseUrl());
        QWebEngineProfile profile; // off the record
        QList<QNetworkCookie> handed = m_handed;
        QNetworkCookie foreign("tracker_session", "x");
        foreign.setDomain(QStringLiteral(".example.com"));
        QNetworkCookie sibling("neo_session", "y");
        sibling.setDomain(QStringLiteral("other.") + origin.host());
        handed << foreign << sibling;
        QCOMPARE(seedSessionCookies(*profile.cookieStore(), origin, handed), 1);
    }
};

ODIS_WEBENGINE_TEST_MAIN(TstNeoSessionHandover)
#include "tst_neo_session_handover.moc"
