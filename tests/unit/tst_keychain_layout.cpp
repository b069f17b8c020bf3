// How secrets are laid out over keychain entries (keychain_layout.h) and how QtKeychain failures become
// typed errors (keychain_errors.h). No keychain needed: the integration test tst_keychain runs the same
// layout against gnome-keyring.

#include "storage/install_identity.h"
#include "storage/keychain_errors.h"
#include "storage/keychain_layout.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace layout = odis::storage::keychain_layout;
using odis::storage::mapKeychainError;
using odis::storage::sessionBusLooksMissing;

namespace {

QByteArray patterned(qsizetype size)
{
    QByteArray value(size, '\0');
    for (qsizetype i = 0; i < size; ++i)
        value[i] = static_cast<char>((i * 31 + i / 256) & 0xff);
    return value;
}

// Sets an environment variable for the lifetime of the guard and puts the old value back.
class EnvGuard
{
public:
    EnvGuard(const char* name, const QByteArray& value)
        : m_name(name)
        , m_had(qEnvironmentVariableIsSet(name))
        , m_old(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~EnvGuard()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

private:
    const char* m_name;
    bool m_had;
    QByteArray m_old;
};

} // namespace

class TestKeychainLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("secret") << QStringLiteral("idexx_password") << true;
        QTest::newRow("digits") << QStringLiteral("key2") << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("upper case") << QStringLiteral("Password") << false;
        QTest::newRow("slash") << QStringLiteral("a/b") << false;
        QTest::newRow("chunk marker") << QStringLiteral("a#0.1") << false;
        QTest::newRow("space") << QStringLiteral("a b") << false;
        QTest::newRow("64 chars") << QString(64, u'a') << true;
        QTest::newRow("65 chars") << QString(65, u'a') << false;
    }
    void names()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(layout::isValidName(name), valid);
    }

    void keysAreNamespacedByInstall()
    {
        const QUuid install = QUuid::fromString(QStringLiteral("8f14e45f-ceea-467f-a8f1-3b2c4d5e6f70"));
        QCOMPARE(layout::mainKey(install, QStringLiteral("agent_token")),
                 QStringLiteral("8f14e45f-ceea-467f-a8f1-3b2c4d5e6f70/agent_token"));
        QCOMPARE(layout::chunkKey(install, QStringLiteral("field_keys"), 1, 3),
                 QStringLiteral("8f14e45f-ceea-467f-a8f1-3b2c4d5e6f70/field_keys#1.3"));
    }

    void inlineValues_data()
    {
        QTest::addColumn<QByteArray>("value");
        QByteArray allBytes;
        for (int b = 0; b < 256; ++b)
            allBytes.append(static_cast<char>(b));
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("text") << QByteArray("s3cret");
        QTest::newRow("all byte values") << allBytes;
        QTest::newRow("looks like a header") << (QByteArray(1, '\x01') + QByteArray(39, 'x'));
        QTest::newRow("largest inline") << patterned(layout::kMaxEntrySize - 1);
    }
    void inlineValues()
    {
        QFETCH(QByteArray, value);
        QVERIFY(layout::fitsInline(value.size()));
        const QByteArray stored = layout::encodeInline(value);
        QVERIFY(stored.size() <= layout::kMaxEntrySize);
        const auto decoded = layout::decodeMain(stored);
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().toString()));
        QVERIFY(std::holds_alternative<QByteArray>(*decoded));
        QCOMPARE(std::get<QByteArray>(*decoded), value);
    }

    void chunkedValues_data()
    {
        QTest::addColumn<qsizetype>("size");
        QTest::addColumn<int>("chunks");
        QTest::newRow("one byte too many for inline") << layout::kMaxEntrySize << 1;
        QTest::newRow("just over one chunk") << layout::kMaxEntrySize + 1 << 2;
        QTest::newRow("10 KB") << qsizetype(10 * 1024) << 5;
        QTest::newRow("largest") << layout::kMaxSecretSize << layout::kMaxChunks;
    }
    void chunkedValues()
    {
        QFETCH(qsizetype, size);
        QFETCH(int, chunks);
        const QByteArray value = patterned(size);
        QVERIFY(!layout::fitsInline(size));

        const auto header = layout::headerFor(value, 1);
        QCOMPARE(header.count, chunks);
        const QByteArray stored = layout::encodeHeader(header);
        QVERIFY(stored.size() <= layout::kMaxEntrySize);
        const auto decoded = layout::decodeMain(stored);
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().toString()));
        const auto& back = std::get<layout::ChunkHeader>(*decoded);
        QCOMPARE(back.slot, 1);
        QCOMPARE(back.count, chunks);
        QCOMPARE(back.size, size);
        QCOMPARE(back.sha256, header.sha256);

        const QList<QByteArray> parts = layout::splitChunks(value);
        QCOMPARE(parts.size(), chunks);
        for (const QByteArray& part : parts)
            QVERIFY(part.size() <= layout::kMaxEntrySize);
        const auto joined = layout::joinChunks(back, parts);
        QVERIFY(joined);
        QCOMPARE(*joined, value);
    }

    void tamperedChunksAreDamaged()
    {
        const QByteArray value = patterned(10 * 1024);
        const auto header = layout::headerFor(value, 0);
        QList<QByteArray> parts = layout::splitChunks(value);

        QList<QByteArray> flipped = parts;
        flipped[2][100] = static_cast<char>(flipped[2][100] ^ 0x01);
        QCOMPARE(layout::joinChunks(header, flipped).error().code, QStringLiteral("secret_damaged"));

        QList<QByteArray> missing = parts;
        missing.removeLast();
        QCOMPARE(layout::joinChunks(header, missing).error().code, QStringLiteral("secret_damaged"));

        QList<QByteArray> swapped = parts;
        swapped.swapItemsAt(0, 1);
        QCOMPARE(layout::joinChunks(header, swapped).error().code, QStringLiteral("secret_damaged"));
    }

    void malformedMainEntries_data()
    {
        QTest::addColumn<QByteArray>("stored");
        const QByteArray good = layout::encodeHeader(layout::headerFor(patterned(5000), 0));
        auto with = [&](int at, char byte) {
            QByteArray b = good;
            b[at] = byte;
            return b;
        };
        QTest::newRow("no format byte") << QByteArray();
        QTest::newRow("unknown format") << QByteArray("\x02rest");
        QTest::newRow("header too short") << good.left(good.size() - 1);
        QTest::newRow("header too long") << (good + 'x');
        QTest::newRow("slot 2") << with(1, '\x02');
        QTest::newRow("count does not fit size") << with(3, '\x07');
        QTest::newRow("size that would fit inline") << with(6, '\x00');
        QTest::newRow("size over the limit") << with(4, '\x7f');
    }
    void malformedMainEntries()
    {
        QFETCH(QByteArray, stored);
        const auto decoded = layout::decodeMain(stored);
        QVERIFY(!decoded);
        QCOMPARE(decoded.error().code, QStringLiteral("secret_damaged"));
    }

    void errorMapping_data()
    {
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("detail");
        QTest::addColumn<bool>("busMissing");
        QTest::addColumn<QString>("code");
        QTest::newRow("no backend") << int(QKeychain::NoBackendAvailable) << QString() << false
                                    << QStringLiteral("keychain_unavailable");
        QTest::newRow("not implemented")
            << int(QKeychain::NotImplemented) << QString() << false << QStringLiteral("keychain_unavailable");
        QTest::newRow("no session bus (english)")
            << int(QKeychain::OtherError) << QStringLiteral("Could not connect: No such file or directory")
            << false << QStringLiteral("keychain_unavailable");
        QTest::newRow("no session bus (translated)")
            << int(QKeychain::OtherError) << QStringLiteral("Verbindung fehlgeschlagen") << true
            << QStringLiteral("keychain_unavailable");
        QTest::newRow("no autolaunch")
            << int(QKeychain::OtherError) << QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY")
            << false << QStringLiteral("keychain_unavailable");
        QTest::newRow("no secret service")
            << int(QKeychain::OtherError)
            << QStringLiteral("The name org.freedesktop.secrets was not provided by any .service files")
            << false << QStringLiteral("keychain_unavailable");
        QTest::newRow("service unknown")
            << int(QKeychain::OtherError)
            << QStringLiteral("GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: x") << false
            << QStringLiteral("keychain_unavailable");
        QTest::newRow("locked") << int(QKeychain::AccessDenied)
                                << QStringLiteral("Cannot get secret of a locked object") << false
                                << QStringLiteral("keychain_denied");
        QTest::newRow("user said no")
            << int(QKeychain::AccessDeniedByUser) << QString() << false << QStringLiteral("keychain_denied");
        QTest::newRow("other") << int(QKeychain::OtherError) << QStringLiteral("Unknown error") << false
                               << QStringLiteral("keychain_error");
        QTest::newRow("could not delete")
            << int(QKeychain::CouldNotDeleteEntry) << QString() << false << QStringLiteral("keychain_error");
    }
    void errorMapping()
    {
        QFETCH(int, error);
        QFETCH(QString, detail);
        QFETCH(bool, busMissing);
        QFETCH(QString, code);
        const odis::Error mapped = mapKeychainError(static_cast<QKeychain::Error>(error), detail, busMissing);
        QCOMPARE(mapped.code, code);
        QVERIFY2(mapped.message.contains(detail), qPrintable(mapped.message));
    }

    void sessionBusDetection()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString socket = dir.filePath(QStringLiteral("bus"));
        QFile file(socket);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const QByteArray present = "unix:path=" + socket.toUtf8() + ",guid=0123";
        const QByteArray absent = "unix:path=" + dir.filePath(QStringLiteral("gone")).toUtf8();

        {
            const EnvGuard bus("DBUS_SESSION_BUS_ADDRESS", absent);
            QVERIFY(sessionBusLooksMissing());
        }
        {
            const EnvGuard bus("DBUS_SESSION_BUS_ADDRESS", present);
            QVERIFY(!sessionBusLooksMissing());
        }
        {
            const EnvGuard bus("DBUS_SESSION_BUS_ADDRESS", absent + ';' + present);
            QVERIFY(!sessionBusLooksMissing());
        }
        {
            const EnvGuard bus("DBUS_SESSION_BUS_ADDRESS", "unix:abstract=/tmp/dbus-x");
            QVERIFY(!sessionBusLooksMissing());
        }
        {
            const EnvGuard bus("DBUS_SESSION_BUS_ADDRESS", QByteArray());
            const EnvGuard runtime("XDG_RUNTIME_DIR", dir.path().toUtf8());
            QVERIFY(!sessionBusLooksMissing()); // $XDG_RUNTIME_DIR/bus exists
        }
        {
            const EnvGuard bus("DBUS_SESSION_BUS_ADDRESS", QByteArray());
            const EnvGuard runtime("XDG_RUNTIME_DIR", dir.filePath(QStringLiteral("none")).toUtf8());
            QVERIFY(sessionBusLooksMissing());
        }
    }
};

QTEST_GUILESS_MAIN(TestKeychainLayout)
#include "tst_keychain_layout.moc"
