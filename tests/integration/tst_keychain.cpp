// KeychainStore on the real OS keychain (gnome-keyring in the private session that
// scripts/in-private-session.sh starts): round trips, chunking, namespacing, removal and wipe, checked
// through the store and, independently, through QtKeychain and secret-tool.

#include "storage/keychain_layout.h"
#include "storage/keychain_probe.h"
#include "storage/keychain_store.h"
#include "tests/integration/keychain_test_util.h"

#include <QStandardPaths>
#include <QTest>

#include <memory>
#include <vector>

using odis::Result;
using odis::Status;
using odis::storage::KeychainStore;
using odis::test::await;
using odis::test::rawRead;
using odis::test::rawRemove;
using odis::test::rawWrite;
namespace layout = odis::storage::keychain_layout;
namespace secret = odis::storage::secret;

using Read = Result<std::optional<QByteArray>>;

namespace {

QByteArray patterned(qsizetype size, int seed)
{
    QByteArray value(size, '\0');
    for (qsizetype i = 0; i < size; ++i)
        value[i] = static_cast<char>((i * 131 + qsizetype{seed} * 7 + i / 251) & 0xff);
    return value;
}

QByteArray allByteValues()
{
    QByteArray value;
    for (int b = 0; b < 256; ++b)
        value.append(static_cast<char>(b));
    return value;
}

QString errorText(const odis::Error& e)
{
    return e.toString();
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT

private:
    std::vector<std::unique_ptr<KeychainStore>> m_stores;

    KeychainStore& newStore()
    {
        m_stores.push_back(std::make_unique<KeychainStore>(QUuid::createUuid()));
        return *m_stores.back();
    }
    static QString prefix(const KeychainStore& store)
    {
        return store.installId().toString(QUuid::WithoutBraces) + u'/';
    }
    static QStringList keysOf(const KeychainStore& store)
    {
        return odis::test::secretToolKeys(KeychainStore::kService, prefix(store));
    }
    static QStringList expectedKeys(const KeychainStore& store, const QString& name, int slot, int chunks)
    {
        QStringList keys{layout::mainKey(store.installId(), name)};
        for (int i = 0; i < chunks; ++i)
            keys.append(layout::chunkKey(store.installId(), name, slot, i));
        keys.sort();
        return keys;
    }

    static Status write(KeychainStore& s, const QString& name, const QByteArray& value)
    {
        return await<Status>([&](auto done) { s.write(name, value, done); });
    }
    static Read read(KeychainStore& s, const QString& name)
    {
        return await<Read>([&](auto done) { s.read(name, done); });
    }
    static Status remove(KeychainStore& s, const QString& name)
    {
        return await<Status>([&](auto done) { s.remove(name, done); });
    }
    static Status wipe(KeychainStore& s)
    {
        return await<Status>([&](auto done) { s.wipeAll(done); });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // Never the developer's own keyring, and never a skip: without the private session this fails.
        QVERIFY2(qEnvironmentVariableIsSet("ODIS_IN_PRIVATE_SESSION"),
                 "run inside ./scripts/in-private-session.sh (private D-Bus session with gnome-keyring)");
        KeychainStore store(QUuid::createUuid());
        odis::storage::KeychainProbe probe(store, std::chrono::milliseconds(200));
        const Status available = await<Status>([&](auto done) { probe.run(done); });
        QVERIFY2(available, qPrintable(available ? QString() : errorText(available.error())));
        QCOMPARE(probe.attempts(), 1);
        QVERIFY(keysOf(store).isEmpty()); // the probe entry is gone again
    }

    void cleanup()
    {
        for (const auto& store : m_stores)
            QVERIFY(wipe(*store));
        m_stores.clear();
    }

    void callbacksAreAsynchronousAndExactlyOnce()
    {
        KeychainStore& s = newStore();
        int calls = 0;
        std::optional<Status> result;
        s.write(secret::kAgentToken, "token", [&](Status r) {
            ++calls;
            result = r;
        });
        QCOMPARE(calls, 0); // never from inside the call
        QTRY_COMPARE_WITH_TIMEOUT(calls, 1, odis::test::kKeychainTimeoutMs);
        QVERIFY(*result);

        int readCalls = 0;
        s.read(QStringLiteral("Not A Name"), [&](Read) { ++readCalls; });
        QCOMPARE(readCalls, 0); // even an argument error arrives later
        QTRY_COMPARE(readCalls, 1);
        QTest::qWait(200);
        QCOMPARE(calls, 1);
        QCOMPARE(readCalls, 1);
    }

    void operationsCompleteInCallOrder()
    {
        KeychainStore& s = newStore();
        QStringList order;
        const QByteArray big = patterned(9000, 1);
        s.write(secret::kFieldKeys, big,
                [&](Status r) { order << (r ? QStringLiteral("w1") : r.error().code); });
        s.write(secret::kFieldKeys, "small",
                [&](Status r) { order << (r ? QStringLiteral("w2") : r.error().code); });
        s.read(secret::kFieldKeys, [&](Read r) {
            order << (r && *r == QByteArray("small") ? QStringLiteral("r") : QStringLiteral("bad read"));
        });
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 3, odis::test::kKeychainTimeoutMs);
        QCOMPARE(order, QStringList({QStringLiteral("w1"), QStringLiteral("w2"), QStringLiteral("r")}));
        QCOMPARE(keysOf(s), expectedKeys(s, secret::kFieldKeys, 0, 0));
    }

    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<int>("chunks");
        QTest::newRow("text") << QByteArray("correct horse battery staple") << 0;
        QTest::newRow("all 256 byte values") << allByteValues() << 0;
        QTest::newRow("empty") << QByteArray() << 0;
        QTest::newRow("largest inline") << patterned(layout::kMaxEntrySize - 1, 2) << 0;
        QTest::newRow("smallest chunked") << patterned(layout::kMaxEntrySize, 3) << 1;
        QTest::newRow("10 KB") << patterned(10 * 1024, 4) << 5;
        QTest::newRow("largest allowed") << patterned(layout::kMaxSecretSize, 5) << layout::kMaxChunks;
    }
    void roundTrip()
    {
        QFETCH(QByteArray, value);
        QFETCH(int, chunks);
        KeychainStore& s = newStore();
        const Status written = write(s, secret::kFieldKeys, value);
        QVERIFY2(written, qPrintable(written ? QString() : errorText(written.error())));
        const Read back = read(s, secret::kFieldKeys);
        QVERIFY2(back, qPrintable(back ? QString() : errorText(back.error())));
        QVERIFY(back->has_value()); // an empty value is a value, not a missing entry
        QCOMPARE(**back, value);

        // As the Secret Service lists them: "<install id>/<name>" plus its chunks, nothing else.
        const QStringList keys = keysOf(s);
        QCOMPARE(keys, expectedKeys(s, secret::kFieldKeys, 0, chunks));
        // No entry holds more than the platform-safe size.
        for (const QString& key : keys) {
            const Read raw = rawRead(KeychainStore::kService, key);
            QVERIFY(raw && raw->has_value());
            QVERIFY2((*raw)->size() <= layout::kMaxEntrySize, qPrintable(key));
        }
    }

    void chunkedShrinksWithoutLeftovers()
    {
        KeychainStore& s = newStore();
        const QByteArray big = patterned(10 * 1024, 6);
        QVERIFY(write(s, secret::kAgentToken, big));
        QCOMPARE(keysOf(s), expectedKeys(s, secret::kAgentToken, 0, 5));
        // Read directly with QtKeychain: the chunks are the value's 2 KB slices, the main entry a header.
        const Read chunk0 =
            rawRead(KeychainStore::kService, layout::chunkKey(s.installId(), secret::kAgentToken, 0, 0));
        QVERIFY(chunk0 && chunk0->has_value());
        QCOMPARE(**chunk0, big.left(layout::kMaxEntrySize));
        const Read main =
            rawRead(KeychainStore::kService, layout::mainKey(s.installId(), secret::kAgentToken));
        QVERIFY(main && main->has_value());
        QCOMPARE((*main)->front(), '\x01');

        QVERIFY(write(s, secret::kAgentToken, "short again"));
        QCOMPARE(read(s, secret::kAgentToken).value(), std::optional<QByteArray>("short again"));
        QCOMPARE(keysOf(s), expectedKeys(s, secret::kAgentToken, 0, 0));
        for (int i = 0; i < 5; ++i) {
            const Read gone =
                rawRead(KeychainStore::kService, layout::chunkKey(s.installId(), secret::kAgentToken, 0, i));
            QVERIFY(gone && !gone->has_value());
        }
    }

    void chunkedOverwriteAlternatesSlots()
    {
        KeychainStore& s = newStore();
        const QByteArray a = patterned(10 * 1024, 7);
        const QByteArray b = patterned(5000, 8);
        const QByteArray c = patterned(9000, 9);
        QVERIFY(write(s, secret::kFieldKeys, a));
        QCOMPARE(keysOf(s), expectedKeys(s, secret::kFieldKeys, 0, 5));
        QVERIFY(write(s, secret::kFieldKeys, b));
        QCOMPARE(keysOf(s), expectedKeys(s, secret::kFieldKeys, 1, 3));
        QCOMPARE(read(s, secret::kFieldKeys).value(), std::optional<QByteArray>(b));
        QVERIFY(write(s, secret::kFieldKeys, c));
        QCOMPARE(keysOf(s), expectedKeys(s, secret::kFieldKeys, 0, 5));
        QCOMPARE(read(s, secret::kFieldKeys).value(), std::optional<QByteArray>(c));
    }

    void overwriteRemoveAndMissing()
    {
        KeychainStore& s = newStore();
        QCOMPARE(read(s, secret::kAgentToken).value(), std::optional<QByteArray>()); // missing: no error
        QVERIFY(remove(s, secret::kAgentToken));                                     // missing: succeeds
        QVERIFY(write(s, secret::kAgentToken, "first"));
        QVERIFY(write(s, secret::kAgentToken, "second"));
        QCOMPARE(read(s, secret::kAgentToken).value(), std::optional<QByteArray>("second"));
        QVERIFY(remove(s, secret::kAgentToken));
        QCOMPARE(read(s, secret::kAgentToken).value(), std::optional<QByteArray>());
        QVERIFY(keysOf(s).isEmpty());

        QVERIFY(write(s, secret::kFieldKeys, patterned(7000, 10)));
        QVERIFY(remove(s, secret::kFieldKeys));
        QVERIFY(keysOf(s).isEmpty()); // the chunks went with it
    }

    void refusals()
    {
        KeychainStore& s = newStore();
        const Status tooLarge = write(s, secret::kFieldKeys, QByteArray(layout::kMaxSecretSize + 1, 'x'));
        QVERIFY(!tooLarge);
        QCOMPARE(tooLarge.error().code, QStringLiteral("secret_too_large"));
        QVERIFY(keysOf(s).isEmpty());

        for (const QString& bad : {QStringLiteral(""), QStringLiteral("../x"), QStringLiteral("x#0.1")}) {
            const Status w = write(s, bad, "v");
            QVERIFY(!w);
            QCOMPARE(w.error().code, QStringLiteral("secret_name_invalid"));
        }
        QVERIFY(keysOf(s).isEmpty());
    }

    void installsDoNotSeeEachOther()
    {
        KeychainStore& a = newStore();
        KeychainStore& b = newStore();
        QVERIFY(write(a, secret::kIdexxPassword, "alpha"));
        QCOMPARE(read(b, secret::kIdexxPassword).value(), std::optional<QByteArray>());
        QVERIFY(write(b, secret::kIdexxPassword, "bravo"));
        QCOMPARE(read(a, secret::kIdexxPassword).value(), std::optional<QByteArray>("alpha"));
        QCOMPARE(read(b, secret::kIdexxPassword).value(), std::optional<QByteArray>("bravo"));
        QCOMPARE(keysOf(a), expectedKeys(a, secret::kIdexxPassword, 0, 0));
        QCOMPARE(keysOf(b), expectedKeys(b, secret::kIdexxPassword, 0, 0));
        QVERIFY(remove(a, secret::kIdexxPassword));
        QCOMPARE(read(b, secret::kIdexxPassword).value(), std::optional<QByteArray>("bravo"));
    }

    void wipeAllRemovesOnlyThisInstall()
    {
        KeychainStore& mine = newStore();
        KeychainStore& other = newStore();
        for (const QString& name : secret::kAll)
            QVERIFY(write(mine, name, name.toUtf8() + "-value"));
        QVERIFY(write(mine, secret::kFieldKeys, patterned(10 * 1024, 11)));
        // A leftover of an interrupted chunked write, which no header leads to.
        QVERIFY(rawWrite(KeychainStore::kService,
                         layout::chunkKey(mine.installId(), secret::kAgentToken, 1, 0), "x"));
        QVERIFY(write(other, secret::kDatabaseKey, "other-db-key"));
        QVERIFY(write(other, secret::kFieldKeys, patterned(6000, 12)));
        const QStringList otherKeys = keysOf(other);
        QCOMPARE(otherKeys.size(), 1 + 1 + 3);

        QVERIFY(wipe(mine));
        QCOMPARE(keysOf(mine), QStringList());
        for (const QString& name : secret::kAll)
            QCOMPARE(read(mine, name).value(), std::optional<QByteArray>());
        QCOMPARE(keysOf(other), otherKeys);
        QCOMPARE(read(other, secret::kDatabaseKey).value(), std::optional<QByteArray>("other-db-key"));
        QCOMPARE(read(other, secret::kFieldKeys).value(), std::optional<QByteArray>(patterned(6000, 12)));
    }

    // The states an interrupted write or remove can leave behind, made by hand with QtKeychain.
    void interruptedOperationsAreDetectedAndCleaned()
    {
        KeychainStore& s = newStore();
        const QByteArray value = patterned(10 * 1024, 13);
        QVERIFY(write(s, secret::kFieldKeys, value));

        // A new value's chunks half-written into the other slot: the old value is still whole.
        QVERIFY(rawWrite(KeychainStore::kService, layout::chunkKey(s.installId(), secret::kFieldKeys, 1, 0),
                         "new0"));
        QVERIFY(rawWrite(KeychainStore::kService, layout::chunkKey(s.installId(), secret::kFieldKeys, 1, 1),
                         "new1"));
        QCOMPARE(read(s, secret::kFieldKeys).value(), std::optional<QByteArray>(value));

        // A chunk that changed underneath its header.
        QVERIFY(rawWrite(KeychainStore::kService, layout::chunkKey(s.installId(), secret::kFieldKeys, 0, 1),
                         "changed"));
        const Read tampered = read(s, secret::kFieldKeys);
        QVERIFY(!tampered);
        QCOMPARE(tampered.error().code, QStringLiteral("secret_damaged"));

        // A header whose last chunk is gone (a remove interrupted after the chunks).
        QVERIFY(
            rawRemove(KeychainStore::kService, layout::chunkKey(s.installId(), secret::kFieldKeys, 0, 4)));
        const Read partial = read(s, secret::kFieldKeys);
        QVERIFY(!partial);
        QCOMPARE(partial.error().code, QStringLiteral("secret_damaged"));

        // Writing again repairs it and leaves nothing of the above behind.
        QVERIFY(write(s, secret::kFieldKeys, "fresh"));
        QCOMPARE(read(s, secret::kFieldKeys).value(), std::optional<QByteArray>("fresh"));
        QCOMPARE(keysOf(s), expectedKeys(s, secret::kFieldKeys, 0, 0));
    }

    void unknownFormatIsDamagedNotGarbage()
    {
        KeychainStore& s = newStore();
        QVERIFY(rawWrite(KeychainStore::kService, layout::mainKey(s.installId(), secret::kAgentToken),
                         "\x07newer"));
        const Read r = read(s, secret::kAgentToken);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("secret_damaged"));
        QVERIFY(r.error().message.contains(secret::kAgentToken));
        QVERIFY(remove(s, secret::kAgentToken));
        QVERIFY(keysOf(s).isEmpty());
    }

    void destroyedStoreDropsPendingCallbacks()
    {
        auto store = std::make_unique<KeychainStore>(QUuid::createUuid());
        const QUuid id = store->installId();
        int calls = 0;
        store->write(secret::kAgentToken, "v", [&](Status) { ++calls; });
        store->read(secret::kAgentToken, [&](Read) { ++calls; });
        store.reset();
        QTest::qWait(500);
        QCOMPARE(calls, 0);
        KeychainStore again(id);
        QVERIFY(wipe(again)); // whatever ran before the store went away is cleaned up
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
