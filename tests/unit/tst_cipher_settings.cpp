// The SQLCipher settings chosen per library version (storage/cipher_settings.h): a store made on
// SQLCipher 3.4 here must open on a build that ships SQLCipher 4, whose defaults differ.

#include "storage/cipher_settings.h"

#include <QTest>

using odis::storage::cipherMajorVersion;
using odis::storage::cipherPragmasFor;

class TestCipherSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void majorVersion_data()
    {
        QTest::addColumn<QString>("reported");
        QTest::addColumn<int>("major");
        QTest::newRow("debian 12") << QStringLiteral("3.4.1") << 3;
        QTest::newRow("community 4") << QStringLiteral("4.5.6 community") << 4;
        QTest::newRow("10") << QStringLiteral("10.0.0") << 10;
        QTest::newRow("spaces") << QStringLiteral(" 4.6.1 community ") << 4;
        QTest::newRow("empty") << QString() << 0;
        QTest::newRow("words") << QStringLiteral("community 4.5") << 0;
        QTest::newRow("absurd number") << QStringLiteral("123456.1") << 0;
    }

    void majorVersion()
    {
        QFETCH(QString, reported);
        QFETCH(int, major);
        QCOMPARE(cipherMajorVersion(reported), major);
    }

    void pragmasPerVersion_data()
    {
        QTest::addColumn<QString>("reported");
        QTest::addColumn<QStringList>("pragmas");
        const QStringList v3{QStringLiteral("PRAGMA cipher_page_size = 4096;"),
                             QStringLiteral("PRAGMA kdf_iter = 64000;"),
                             QStringLiteral("PRAGMA cipher_use_hmac = ON;")};
        // compatibility 3 first (it resets the page size to 1024), then this store's page size.
        const QStringList v4{QStringLiteral("PRAGMA cipher_compatibility = 3;"),
                             QStringLiteral("PRAGMA cipher_page_size = 4096;"),
                             QStringLiteral("PRAGMA kdf_iter = 64000;"),
                             QStringLiteral("PRAGMA cipher_hmac_algorithm = HMAC_SHA1;"),
                             QStringLiteral("PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA1;")};
        QTest::newRow("3.4.1") << QStringLiteral("3.4.1") << v3;
        QTest::newRow("3.4.2") << QStringLiteral("3.4.2") << v3;
        QTest::newRow("4.0.0") << QStringLiteral("4.0.0") << v4;
        QTest::newRow("4.5.6 community") << QStringLiteral("4.5.6 community") << v4;
        QTest::newRow("5.0.0") << QStringLiteral("5.0.0") << v4;
    }

    void pragmasPerVersion()
    {
        QFETCH(QString, reported);
        QFETCH(QStringList, pragmas);
        const auto chosen = cipherPragmasFor(reported);
        QVERIFY2(chosen.has_value(), qPrintable(chosen ? QString() : chosen.error().toString()));
        QCOMPARE(*chosen, pragmas);
    }

    void olderOrUnknownLibrariesAreRefused_data()
    {
        QTest::addColumn<QString>("reported");
        QTest::newRow("empty: plain SQLite") << QString();
        QTest::newRow("2.2.1") << QStringLiteral("2.2.1");
        QTest::newRow("garbage") << QStringLiteral("unknown");
    }

    void olderOrUnknownLibrariesAreRefused()
    {
        QFETCH(QString, reported);
        const auto chosen = cipherPragmasFor(reported);
        QVERIFY(!chosen.has_value());
        QCOMPARE(chosen.error().code, QStringLiteral("db_cipher_unsupported"));
    }
};

QTEST_APPLESS_MAIN(TestCipherSettings)
#include "tst_cipher_settings.moc"
