// Where the clinic's IDEXX password may be typed (sync/core/neo_origin_allow_list.h): IDEXX Neo's own
// regional hosts, widened only by entries the managed configuration adds.

#include "sync/core/neo_origin_allow_list.h"

#include <QTest>

using odis::sync::NeoOriginAllowList;

class TestNeoOriginAllowList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtIn_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("us") << "https://us.idexxneo.com" << true;
        QTest::newRow("ca with a path") << "https://ca.idexxneo.com/login" << true;
        QTest::newRow("uk, explicit 443") << "https://uk.idexxneo.com:443" << true;
        QTest::newRow("upper case") << "https://US.IDEXXNEO.COM" << true;
        QTest::newRow("another region") << "https://au.idexxneo.com" << true;
        QTest::newRow("the bare domain") << "https://idexxneo.com" << false;
        QTest::newRow("two labels deep") << "https://evil.us.idexxneo.com" << false;
        QTest::newRow("look-alike suffix") << "https://us.idexxneo.com.evil.example" << false;
        QTest::newRow("look-alike prefix") << "https://usidexxneo.com" << false;
        QTest::newRow("hyphenated look-alike") << "https://us-idexxneo.com" << false;
        QTest::newRow("another port") << "https://us.idexxneo.com:8443" << false;
        QTest::newRow("http") << "http://us.idexxneo.com" << false;
        QTest::newRow("user info") << "https://user@us.idexxneo.com" << false;
        QTest::newRow("query") << "https://us.idexxneo.com/?next=x" << false;
        QTest::newRow("somewhere else") << "https://neo.example.com" << false;
        QTest::newRow("loopback") << "https://127.0.0.1:4443" << false;
        QTest::newRow("empty") << "" << false;
    }

    void builtIn()
    {
        QFETCH(QString, url);
        QFETCH(bool, allowed);
        const auto list = NeoOriginAllowList::create();
        QVERIFY(list.has_value());
        QCOMPARE(list->allows(QUrl(url)), allowed);
    }

    void managedEntriesWiden_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowed");
        const QStringList sim{QStringLiteral("https://127.0.0.1:4443")};
        QTest::newRow("the simulator") << sim << "https://127.0.0.1:4443/login" << true;
        QTest::newRow("its port only") << sim << "https://127.0.0.1:4444" << false;
        QTest::newRow("built-in still there") << sim << "https://us.idexxneo.com" << true;
        const QStringList proxy{QStringLiteral("https://*.neo-proxy.clinic.example")};
        QTest::newRow("a wildcard") << proxy << "https://eu.neo-proxy.clinic.example" << true;
        QTest::newRow("a wildcard, not deeper") << proxy << "https://a.b.neo-proxy.clinic.example" << false;
        QTest::newRow("a wildcard, 443 only") << proxy << "https://eu.neo-proxy.clinic.example:444" << false;
        const QStringList host{QStringLiteral("https://neo.clinic.example")};
        QTest::newRow("a host on 443") << host << "https://neo.clinic.example" << true;
        QTest::newRow("a host, no sub-host") << host << "https://x.neo.clinic.example" << false;
    }

    void managedEntriesWiden()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, url);
        QFETCH(bool, allowed);
        const auto list = NeoOriginAllowList::create(extra);
        QVERIFY2(list.has_value(), qPrintable(list ? QString() : list.error().toString()));
        QCOMPARE(list->allows(QUrl(url)), allowed);
    }

    void badEntriesAreRefused_data()
    {
        QTest::addColumn<QString>("entry");
        QTest::newRow("http") << "http://neo.clinic.example";
        QTest::newRow("a path") << "https://neo.clinic.example/login";
        QTest::newRow("everything") << "*";
        QTest::newRow("https everything") << "https://*";
        QTest::newRow("a whole top-level domain") << "https://*.com";
        QTest::newRow("a wildcard inside a label") << "https://neo*.clinic.example";
        QTest::newRow("a wildcard with a port") << "https://*.clinic.example:8443";
        QTest::newRow("port 0") << "https://127.0.0.1:0";
        QTest::newRow("port too big") << "https://127.0.0.1:70000";
        QTest::newRow("upper case") << "https://Neo.clinic.example";
        QTest::newRow("user info") << "https://user@neo.clinic.example";
        QTest::newRow("empty") << "";
    }

    void badEntriesAreRefused()
    {
        QFETCH(QString, entry);
        const auto list = NeoOriginAllowList::create({entry});
        QVERIFY(!list.has_value());
        QCOMPARE(list.error().code, QStringLiteral("neo_origin_list_invalid"));
    }

    void originText()
    {
        QCOMPARE(odis::sync::originText(QUrl(QStringLiteral("https://US.idexxneo.com/login"))),
                 QStringLiteral("https://us.idexxneo.com"));
        QCOMPARE(odis::sync::originText(QUrl(QStringLiteral("https://127.0.0.1:4443/x"))),
                 QStringLiteral("https://127.0.0.1:4443"));
        QCOMPARE(odis::sync::originText(QUrl(QStringLiteral("https://uk.idexxneo.com:443"))),
                 QStringLiteral("https://uk.idexxneo.com"));
        QCOMPARE(odis::sync::originText(QUrl(QStringLiteral("http://uk.idexxneo.com"))), QString());
    }
};

QTEST_APPLESS_MAIN(TestNeoOriginAllowList)
#include "tst_neo_origin_allow_list.moc"
