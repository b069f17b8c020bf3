// The setup window's Neo session handed to the first sync run (sync/neo/session_handover.h), without a
// browser: which cookies belong to the locked origin, the handover's round trip (every attribute kept,
// values byte for byte), and what is refused as a handover.

#include "sync/neo/neo_origin.h"
#include "sync/neo/session_handover.h"

#include <QNetworkCookie>
#include <QTest>

using namespace odis::sync;

namespace {

NeoOrigin origin(const QString& url = QStringLiteral("https://clinic.us.idexxneo.com:8443"))
{
    return *NeoOrigin::fromBaseUrl(QUrl(url));
}

QNetworkCookie cookie(const QByteArray& name, const QByteArray& value, const QString& domain)
{
    QNetworkCookie c(name, value);
    c.setDomain(domain);
    return c;
}

} // namespace

class TstSessionHandover : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void belongsToOrigin_data()
    {
        QTest::addColumn<QString>("domain");
        QTest::addColumn<bool>("belongs");
        QTest::newRow("host-only, the host") << "clinic.us.idexxneo.com" << true;
        QTest::newRow("host-only, other case") << "Clinic.US.idexxneo.com" << true;
        QTest::newRow("domain cookie of the host") << ".clinic.us.idexxneo.com" << true;
        QTest::newRow("domain cookie of a parent") << ".idexxneo.com" << true;
        QTest::newRow("host-only of a parent") << "idexxneo.com" << false;
        QTest::newRow("a sibling host") << "other.us.idexxneo.com" << false;
        QTest::newRow("a suffix that is no parent") << ".xidexxneo.com" << false;
        QTest::newRow("another site") << ".example.com" << false;
        QTest::newRow("no domain") << "" << false;
    }

    void belongsToOrigin()
    {
        QFETCH(QString, domain);
        QFETCH(bool, belongs);
        QCOMPARE(cookieBelongsTo(cookie("neo_session", "v", domain), origin()), belongs);
    }

    void roundTripKeepsEveryAttribute()
    {
        QNetworkCookie session =
            cookie("neo_session", QByteArray("a=b;c\x01\xff", 7), "clinic.us.idexxneo.com");
        session.setPath(QStringLiteral("/"));
        session.setSecure(true);
        session.setHttpOnly(true);
        session.setSameSitePolicy(QNetworkCookie::SameSite::Lax);
        QNetworkCookie lasting = cookie("pref", "dark", ".idexxneo.com");
        lasting.setPath(QStringLiteral("/app"));
        lasting.setExpirationDate(QDateTime(QDate(2031, 5, 6), QTime(7, 8, 9), Qt::UTC));

        const QByteArray bytes = encodeSessionHandover({session, lasting});
        QVERIFY(bytes.endsWith('\n'));
        QVERIFY(bytes.count('\n') == 1); // one line
        QVERIFY(!bytes.contains("a=b")); // values travel encoded, never as cookie text
        auto decoded = decodeSessionHandover(bytes);
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().toString()));
        QCOMPARE(decoded->size(), 2);
        const QNetworkCookie& s = decoded->at(0);
        QCOMPARE(s.name(), session.name());
        QCOMPARE(s.value(), session.value());
        QCOMPARE(s.domain(), session.domain());
        QCOMPARE(s.path(), session.path());
        QVERIFY(s.isSecure() && s.isHttpOnly() && s.isSessionCookie());
        QCOMPARE(s.sameSitePolicy(), QNetworkCookie::SameSite::Lax);
        const QNetworkCookie& l = decoded->at(1);
        QCOMPARE(l.domain(), lasting.domain());
        QCOMPARE(l.path(), lasting.path());
        QVERIFY(!l.isSecure() && !l.isHttpOnly());
        QCOMPARE(l.expirationDate(), lasting.expirationDate());
    }

    void emptyHandover()
    {
        auto decoded = decodeSessionHandover(encodeSessionHandover({}));
        QVERIFY(decoded && decoded->isEmpty());
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("nothing") << QByteArray();
        QTest::newRow("not JSON") << QByteArray("neo_session=abc");
        QTest::newRow("another object") << QByteArray(R"({"cookies": []})");
        QTest::newRow("a cookie without a name")
            << QByteArray(R"({"neo_session_cookies": [{"value": "YQ=="}]})");
        QTest::newRow("too big") << QByteArray(R"({"neo_session_cookies": []})") +
                                        QByteArray(kMaxSessionHandoverBytes, ' ');
    }

    void refused()
    {
        QFETCH(QByteArray, bytes);
        auto decoded = decodeSessionHandover(bytes);
        QVERIFY(!decoded);
        QCOMPARE(decoded.error().code, QStringLiteral("neo_handover_invalid"));
    }

    void wipeBytesLeavesNothing()
    {
        QByteArray bytes("secret");
        wipeBytes(bytes);
        QVERIFY(bytes.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstSessionHandover)
#include "tst_session_handover.moc"
