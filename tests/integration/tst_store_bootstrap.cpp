// Opening the install's store with its key from the real OS keychain (gnome-keyring in the private
// session): created once, reopened, never re-keyed behind a live store's back, and the one case where
// a keyless store is replaced: the emptied shell a deprovisioning left behind, marked as such.

#include "storage/credential_store.h"
#include "storage/keychain_store.h"
#include "storage/store_bootstrap.h"
#include "tests/integration/keychain_test_util.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace odis::storage;
using odis::Result;
using odis::Status;
using odis::test::await;

class TstStoreBootstrap : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<KeychainStore> m_keys;
    QString m_path;

    Result<OpenedStore> open()
    {
        return await<Result<OpenedStore>>([this](auto done) { openAgentStore(*m_keys, m_path, done); });
    }
    Status removeKey()
    {
        return await<Status>([this](auto done) { m_keys->remove(secret::kDatabaseKey, done); });
    }
    static QByteArray why(const Result<OpenedStore>& r)
    {
        return r ? QByteArray() : r.error().toString().toUtf8();
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_keys = std::make_unique<KeychainStore>(QUuid::createUuid());
        m_path = m_dir.filePath(QUuid::createUuid().toString(QUuid::WithoutBraces) + QStringLiteral(".db"));
    }

    void cleanup()
    {
        QVERIFY(removeKey());
        m_keys.reset();
    }

    void createdOnceThenReopened()
    {
        auto first = open();
        QVERIFY2(first, why(first).constData());
        QVERIFY(first->keyCreated);
        QVERIFY(!first->replacedDeprovisioned);
        QVERIFY(first->database->execute(
            QStringLiteral("INSERT INTO kv(key, value, updated_at) VALUES('k', 'v', 'now')")));
        first->database.reset();
        auto again = open();
        QVERIFY2(again, why(again).constData());
        QVERIFY(!again->keyCreated);
        QCOMPARE(again->database->scalar(QStringLiteral("SELECT value FROM kv WHERE key = 'k'"))->toString(),
                 QStringLiteral("v"));
    }

    // The keychain lost the key of a live store: nothing is touched (its outbox may hold clinic data).
    void missingKeyOfALiveStoreIsRefused()
    {
        auto first = open();
        QVERIFY2(first, why(first).constData());
        first->database.reset();
        const qint64 size = QFileInfo(m_path).size();
        QVERIFY(removeKey());
        auto refused = open();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QStringLiteral("db_key_missing"));
        QCOMPARE(QFileInfo(m_path).size(), size);
    }

    // Deprovisioned: the store was emptied, its key removed and the marker written; the next start deletes
    // the shell and begins afresh.
    void markedDeprovisionedStoreIsReplaced()
    {
        auto first = open();
        QVERIFY2(first, why(first).constData());
        QVERIFY(first->database->execute(
            QStringLiteral("INSERT INTO kv(key, value, updated_at) VALUES('k', 'v', 'now')")));
        first->database.reset();
        QVERIFY(removeKey());
        QFile marker(deprovisionedMarkerPath(m_path));
        QVERIFY(marker.open(QIODevice::WriteOnly));
        marker.close();

        auto fresh = open();
        QVERIFY2(fresh, why(fresh).constData());
        QVERIFY(fresh->replacedDeprovisioned);
        QVERIFY(fresh->keyCreated);
        QVERIFY(!fresh->database->scalar(QStringLiteral("SELECT value FROM kv WHERE key = 'k'"))->isValid());
        QVERIFY(!QFile::exists(deprovisionedMarkerPath(m_path)));
    }

    // A marker whose store is already gone (a deletion cut short) must not survive to vouch for the next
    // store, which is live.
    void strayMarkerGoesWithTheFreshStore()
    {
        QFile marker(deprovisionedMarkerPath(m_path));
        QVERIFY(marker.open(QIODevice::WriteOnly));
        marker.close();
        auto fresh = open();
        QVERIFY2(fresh, why(fresh).constData());
        QVERIFY(!fresh->replacedDeprovisioned);
        QVERIFY(!QFile::exists(deprovisionedMarkerPath(m_path)));
        fresh->database.reset();
        QVERIFY(removeKey());
        auto refused = open();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QStringLiteral("db_key_missing"));
    }
};

QTEST_GUILESS_MAIN(TstStoreBootstrap)
#include "tst_store_bootstrap.moc"
