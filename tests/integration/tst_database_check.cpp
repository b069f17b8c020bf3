// The integrity check at open on real SQLCipher files, with the disk misbehaving: a read that fails with
// an I/O error, a busy file or exhausted memory while quick_check walks the pages is not damage. The file
// stays where it is (its outbox and enrollment with it) and the error is returned as it is; only a check
// that ran and found damage moves a file aside (tst_database: damagedFileIsMovedAsideNotDeleted). The
// faults come from a VFS under SQLCipher (faulty_vfs.h) at the pages after the schema page.

#include "storage/cipher_settings.h"
#include "storage/database.h"
#include "tests/integration/faulty_vfs.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#define SQLITE_HAS_CODEC 1
#include <openssl/rand.h>
#include <sqlcipher/sqlite3.h>
#include <vector>

using odis::storage::Database;
using odis::storage::Migration;
using odis::storage::OpenReport;
using odis::test::FaultyVfs;

namespace {

QByteArray randomKey()
{
    QByteArray key(Database::kKeySize, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1)
        qFatal("RAND_bytes failed");
    return key;
}

std::vector<Migration> oneTable()
{
    return {{1, QStringLiteral("items"),
             QStringLiteral("CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT);")}};
}

constexpr int kRows = 400;

} // namespace

class TestDatabaseCheck : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // A store whose rows fill pages beyond the first (the schema page), closed cleanly (WAL checkpointed).
    QString makeStore(const QString& name, const QByteArray& key)
    {
        QString path = m_dir.filePath(name);
        auto db = Database::open(path, key, oneTable());
        if (!db)
            qFatal("cannot create %s: %s", qPrintable(path), qPrintable(db.error().toString()));
        const auto filled = (*db)->transaction([&]() -> odis::Status {
            for (int i = 0; i < kRows; ++i) {
                auto r = (*db)->execute(QStringLiteral("INSERT INTO items(body) VALUES (?)"),
                                        {QString(200, QLatin1Char('a' + i % 26))});
                if (!r)
                    return std::unexpected(r.error());
            }
            return odis::ok();
        });
        if (!filled)
            qFatal("cannot fill %s", qPrintable(path));
        return path;
    }

    [[nodiscard]] QStringList asideCopies(const QString& name) const
    {
        return QDir(m_dir.path()).entryList({name + QStringLiteral(".corrupt*")});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY(FaultyVfs::install());
    }

    void cleanup() { FaultyVfs::disarm(); }

    void hiccupDuringTheCheckLeavesTheFileInPlace_data()
    {
        QTest::addColumn<int>("resultCode");
        QTest::newRow("i/o error") << int(SQLITE_IOERR_READ);
        QTest::newRow("busy") << int(SQLITE_BUSY);
        QTest::newRow("out of memory") << int(SQLITE_NOMEM);
        QTest::newRow("locked") << int(SQLITE_LOCKED);
    }

    void hiccupDuringTheCheckLeavesTheFileInPlace()
    {
        QFETCH(int, resultCode);
        const QString name = QStringLiteral("hiccup-%1.db").arg(resultCode);
        const QByteArray key = randomKey();
        const QString path = makeStore(name, key);
        QVERIFY(QFileInfo(path).size() > odis::storage::kCipherPageSize * 4);

        const int before = FaultyVfs::faultsDelivered();
        FaultyVfs::arm(odis::storage::kCipherPageSize, resultCode); // every page after the schema page
        OpenReport report;
        auto failed = Database::open(path, key, oneTable(), &report);
        FaultyVfs::disarm();
        QVERIFY2(FaultyVfs::faultsDelivered() > before, "the fault never struck: the test proves nothing");
        QVERIFY2(!failed.has_value(), "a read that failed was taken for a healthy store");
        QCOMPARE(failed.error().code, QStringLiteral("db_check_failed"));
        QVERIFY2(failed.error().message.contains(QStringLiteral("left untouched")),
                 qPrintable(failed.error().message));
        QVERIFY(!report.recovered);
        QVERIFY2(asideCopies(name).isEmpty(), qPrintable(asideCopies(name).join(u',')));
        QVERIFY(QFile::exists(path));

        // The disk is fine again: everything is still there.
        auto reopened = Database::open(path, key, oneTable(), &report);
        QVERIFY2(reopened.has_value(), qPrintable(reopened ? QString() : reopened.error().toString()));
        QVERIFY(!report.recovered);
        QCOMPARE((*reopened)->scalar(QStringLiteral("SELECT count(*) FROM items"))->toInt(), kRows);
    }

    // The other half: a check that ran and found a page whose HMAC fails moves the file aside, as before.
    void damageFoundByTheCheckIsStillMovedAside()
    {
        const QString name = QStringLiteral("damaged.db");
        const QByteArray key = randomKey();
        const QString path = makeStore(name, key);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.seek(odis::storage::kCipherPageSize * 4 + 100);
            f.write(QByteArray(64, '\xAA'));
        }
        OpenReport report;
        auto db = Database::open(path, key, oneTable(), &report);
        QVERIFY2(db.has_value(), qPrintable(db ? QString() : db.error().toString()));
        QVERIFY(report.recovered);
        QCOMPARE(asideCopies(name).size(), 1);
        QCOMPARE((*db)->scalar(QStringLiteral("SELECT count(*) FROM items"))->toInt(), 0);
    }

    // A read failing already at the first page (the key proof) is not a wrong key either.
    void hiccupAtTheFirstReadIsNotAWrongKey()
    {
        const QString name = QStringLiteral("first-read.db");
        const QByteArray key = randomKey();
        const QString path = makeStore(name, key);
        FaultyVfs::arm(0, SQLITE_IOERR_READ);
        auto failed = Database::open(path, key, oneTable());
        FaultyVfs::disarm();
        QVERIFY(!failed.has_value());
        QCOMPARE(failed.error().code, QStringLiteral("db_open_failed"));
        QVERIFY(asideCopies(name).isEmpty());
        QVERIFY(Database::open(path, key, oneTable()).has_value());
    }
};

QTEST_GUILESS_MAIN(TestDatabaseCheck)
#include "tst_database_check.moc"
