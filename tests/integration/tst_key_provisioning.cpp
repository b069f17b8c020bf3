// The audit key and the field key ring on the real OS keychain (gnome-keyring in the private session
// of scripts/in-private-session.sh): created once, reused after a restart, never silently replaced,
// and usable end to end (a chain verified and a blob opened by a "restarted" program).

#include "storage/audit_chain.h"
#include "storage/audit_log.h"
#include "storage/database.h"
#include "storage/field_cipher.h"
#include "storage/key_provisioning.h"
#include "storage/keychain_store.h"
#include "storage/schema.h"
#include "storage/secure_random.h"
#include "tests/integration/keychain_test_util.h"
#include "tests/support/manual_clock.h"

#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace odis::storage;
using odis::Result;
using odis::Status;
using odis::test::await;

using KeyResult = Result<QByteArray>;
using RingResult = Result<FieldKeyRing>;
using Read = Result<std::optional<QByteArray>>;

namespace {

template <typename R> QByteArray failure(const R& result)
{
    return result ? QByteArray() : result.error().toString().toUtf8();
}

} // namespace

class TstKeyProvisioning : public QObject
{
    Q_OBJECT

private:
    QUuid m_installId;
    std::unique_ptr<KeychainStore> m_store;

    // A new program start: a fresh store object over the same install's entries.
    void restart() { m_store = std::make_unique<KeychainStore>(m_installId); }

    KeyResult loadOrCreateAudit()
    {
        return await<KeyResult>([this](auto done) { loadOrCreateAuditKey(*m_store, done); });
    }
    KeyResult readAudit()
    {
        return await<KeyResult>([this](auto done) { readAuditKey(*m_store, done); });
    }
    RingResult loadOrCreateRing()
    {
        return await<RingResult>([this](auto done) { loadOrCreateFieldKeys(*m_store, done); });
    }
    Read readRaw(const QString& name)
    {
        return await<Read>([this, name](auto done) { m_store->read(name, done); });
    }
    Status write(const QString& name, const QByteArray& value)
    {
        return await<Status>([this, name, value](auto done) { m_store->write(name, value, done); });
    }

private Q_SLOTS:
    void init()
    {
        m_installId = QUuid::createUuid();
        restart();
    }

    void cleanup()
    {
        // Only these two entries are ever written here; removing them is quicker than a full wipe.
        for (const QString& name : {secret::kAuditHmacKey, secret::kFieldKeys}) {
            const Status removed = await<Status>([this, name](auto done) { m_store->remove(name, done); });
            QVERIFY2(removed.has_value(), failure(removed).constData());
        }
        m_store.reset();
    }

    void auditKeyIsCreatedOnceAndReused()
    {
        const KeyResult created = loadOrCreateAudit();
        QVERIFY2(created.has_value(), failure(created).constData());
        QCOMPARE(created->size(), audit_chain::kKeySize);
        QCOMPARE(readRaw(secret::kAuditHmacKey).value(), std::optional<QByteArray>(*created));

        restart();
        QCOMPARE(loadOrCreateAudit().value(), *created);
        QCOMPARE(readAudit().value(), *created);

        // Another install on the same machine gets its own key.
        KeychainStore other(QUuid::createUuid());
        const KeyResult otherKey =
            await<KeyResult>([&other](auto done) { loadOrCreateAuditKey(other, done); });
        QVERIFY(otherKey.has_value());
        QVERIFY(*otherKey != *created);
        QVERIFY(
            await<Status>([&other](auto done) { other.remove(secret::kAuditHmacKey, done); }).has_value());
    }

    void readAuditKeyNeverCreatesOne()
    {
        const KeyResult missing = readAudit();
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().code, QStringLiteral("audit_key_missing"));
        QVERIFY(!readRaw(secret::kAuditHmacKey).value().has_value());
    }

    void damagedAuditKeyIsRefusedAndKept()
    {
        QVERIFY(write(secret::kAuditHmacKey, QByteArray(16, 'k')).has_value());
        const KeyResult loaded = loadOrCreateAudit();
        QVERIFY(!loaded.has_value());
        QCOMPARE(loaded.error().code, QStringLiteral("audit_key_invalid"));
        QCOMPARE(readAudit().error().code, QStringLiteral("audit_key_invalid"));
        QCOMPARE(readRaw(secret::kAuditHmacKey).value(), std::optional<QByteArray>(QByteArray(16, 'k')));
    }

    void fieldKeyRingIsCreatedRotatedAndReloaded()
    {
        const RingResult created = loadOrCreateRing();
        QVERIFY2(created.has_value(), failure(created).constData());
        QCOMPARE(created->ids(), QList<quint32>{1});
        const QByteArray oldBlob =
            FieldCipher(*created).seal(QByteArrayLiteral("diagnostics bundle"), "diagnostics").value();

        FieldKeyRing rotated = *created;
        QCOMPARE(rotated.rotate().value(), 2u);
        const Status saved =
            await<Status>([this, &rotated](auto done) { saveFieldKeys(*m_store, rotated, done); });
        QVERIFY2(saved.has_value(), failure(saved).constData());

        restart();
        const RingResult reloaded = loadOrCreateRing();
        QVERIFY2(reloaded.has_value(), failure(reloaded).constData());
        QVERIFY(*reloaded == rotated);
        QCOMPARE(reloaded->currentId(), 2u);
        const FieldCipher cipher(*reloaded);
        QCOMPARE(cipher.open(oldBlob, "diagnostics").value(), QByteArrayLiteral("diagnostics bundle"));
        QCOMPARE(FieldCipher::keyIdOf(cipher.seal(QByteArrayLiteral("new"), "diagnostics").value()).value(),
                 2u);
    }

    void damagedKeyRingIsRefusedAndKept()
    {
        QVERIFY(write(secret::kFieldKeys, QByteArrayLiteral("not a key ring")).has_value());
        const RingResult loaded = loadOrCreateRing();
        QVERIFY(!loaded.has_value());
        QCOMPARE(loaded.error().code, QStringLiteral("field_keyring_malformed"));
        QCOMPARE(readRaw(secret::kFieldKeys).value(),
                 std::optional<QByteArray>(QByteArrayLiteral("not a key ring")));
    }

    void emptyKeyRingIsNeverStored()
    {
        const RingResult created = loadOrCreateRing();
        QVERIFY(created.has_value());
        const Status saved =
            await<Status>([this](auto done) { saveFieldKeys(*m_store, FieldKeyRing{}, done); });
        QVERIFY(!saved.has_value());
        QCOMPARE(saved.error().code, QStringLiteral("field_key_invalid"));
        QCOMPARE(readRaw(secret::kFieldKeys).value(), std::optional<QByteArray>(created->toBytes()));
    }

    // The audit key from the keychain signs a chain on SQLCipher; after a restart the re-read key
    // verifies it, and a chain written under this install's key fails under another install's.
    void auditChainVerifiesWithTheKeychainKeyAfterRestart()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray dbKey = secureRandomBytes(Database::kKeySize).value();
        const QString path = dir.filePath(QStringLiteral("agent.db"));
        odis::test::ManualClock clock;
        {
            auto db = Database::open(path, dbKey, agentMigrations());
            QVERIFY2(db.has_value(), failure(db).constData());
            AuditLog log(**db, loadOrCreateAudit().value(), clock);
            for (const char* action : {"enrollment.completed", "credential.saved"})
                QVERIFY(log.append(QStringLiteral("user:local"), QString::fromLatin1(action),
                                   QStringLiteral("agent"), QStringLiteral("ok"))
                            .has_value());
        }
        restart();
        auto db = Database::open(path, dbKey, agentMigrations());
        QVERIFY2(db.has_value(), failure(db).constData());
        AuditLog log(**db, readAudit().value(), clock);
        const auto report = log.verify();
        QVERIFY2(report.has_value() && report->intact(),
                 report ? qPrintable(report->summary()) : "no report");
        QCOMPARE(report->entries, 2);
    }
};

QTEST_GUILESS_MAIN(TstKeyProvisioning)
#include "tst_key_provisioning.moc"
