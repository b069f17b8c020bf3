// Wiping secrets held in Qt's shared strings (storage/secret_memory.h): a buffer this copy alone owns is
// overwritten in place; one shared with another copy, or borrowed, is left alone (the other holder still
// needs it); wipe() leaves nothing behind in the value. And the IDEXX login's wipe() (storage/idexx_login.h).

#include "storage/idexx_login.h"
#include "storage/secret_memory.h"

#include <QTest>

using namespace odis::storage;

class SecretMemoryTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ownedBytesAreOverwritten()
    {
        QByteArray key = QByteArray("0123456789abcdef").repeated(2);
        key.detach();
        const char* data = key.constData();
        QVERIFY(overwrite(key));
        QCOMPARE(key.constData(), data); // in place, not a fresh buffer
        QCOMPARE(key, QByteArray(32, '\0'));

        QString password = QStringLiteral("hunter2-hunter2");
        password.detach();
        QVERIFY(overwrite(password));
        QCOMPARE(password, QString(15, QChar(0)));
    }

    void sharedAndBorrowedBuffersAreLeftAlone()
    {
        QByteArray original = QByteArray("secret-").repeated(3);
        original.detach();
        QByteArray copy = original; // shares the buffer
        QVERIFY(!overwrite(copy));
        QCOMPARE(original, QByteArray("secret-").repeated(3));
        wipe(copy);
        QVERIFY(copy.isEmpty());
        QCOMPARE(original, QByteArray("secret-").repeated(3)); // the other holder keeps its value
        QVERIFY(overwrite(original));                          // now the last holder: overwritten
        QCOMPARE(original, QByteArray(21, '\0'));

        static const char kStatic[] = "a constant";
        QByteArray borrowed = QByteArray::fromRawData(kStatic, sizeof(kStatic) - 1);
        QVERIFY(!overwrite(borrowed));
        QCOMPARE(QByteArray(kStatic), QByteArray("a constant"));

        QString text = QStringLiteral("literal"); // static data
        QVERIFY(!overwrite(text));
        QByteArray empty;
        QVERIFY(!overwrite(empty));
    }

    void wipeEmptiesTheValue()
    {
        QByteArray bytes("abc");
        bytes.detach();
        wipe(bytes);
        QVERIFY(bytes.isEmpty());
        QString text = QString::fromLatin1("abc");
        wipe(text);
        QVERIFY(text.isEmpty());
        QByteArray temporary("key material");
        temporary.detach();
        {
            const WipeOnExit guard(temporary);
        }
        QVERIFY(temporary.isEmpty());
    }

    // The login read back from its keychain form, then wiped: nothing of it stays in the value, and its
    // text form never showed the password or user name.
    void loginWipe()
    {
        const IdexxLogin stored{QStringLiteral("ACME-01"), QStringLiteral("front.desk@acme.example"),
                                QStringLiteral("s3cret pass")};
        QByteArray encoded = encodeIdexxLogin(stored);
        auto login = decodeIdexxLogin(encoded);
        wipe(encoded);
        QVERIFY(login);
        QCOMPARE(login->password, stored.password);
        QVERIFY(!login->toString().contains(stored.password));
        QVERIFY(!login->toString().contains(stored.username));
        login->wipe();
        QVERIFY(login->companyId.isEmpty() && login->username.isEmpty() && login->password.isEmpty());
    }
};

QTEST_GUILESS_MAIN(SecretMemoryTest)
#include "tst_secret_memory.moc"
