// The encrypted store on real SQLCipher files: creation, reopening, key handling, integrity recovery,
// migrations, and proof that nothing readable reaches the disk.

#include "storage/database.h"
#include "storage/schema.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/rand.h>
#include <vector>

using odis::storage::Database;
using odis::storage::Migration;
using odis::storage::OpenReport;

namespace {

QByteArray randomKey()
{
    QByteArray key(Database::kKeySize, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1)
        qFatal("RAND_bytes failed");
    return key;
}

std::vector<Migration> twoSteps()
{
    return {
        {1, QStringLiteral("items"),
         QStringLiteral("CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT);")},
        {2, QStringLiteral("items.kind"),
         QStringLiteral("ALTER TABLE items ADD COLUMN kind TEXT NOT NULL DEFAULT 'x';")},
    };
}

// Runs a command-line SQLite shell on the file and returns what it printed (stdout and stderr).
QString runShell(const QString& program, const QString& path, const QString& sql)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, {path, sql});
    if (!p.waitForFinished(20000))
        return QStringLiteral("<timeout>");
    return QString::fromUtf8(p.readAll());
}

} // namespace

class TestDatabase : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    [[nodiscard]] QString dbPath(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void createsAndReopens()
    {
        const QString path = dbPath(QStringLiteral("reopen.db"));
        const QByteArray key = randomKey();
        OpenReport report;
        {
            auto db = Database::open(path, key, odis::storage::agentMigrations(), &report);
            QVERIFY2(db.has_value(), qPrintable(db ? QString() : db.error().toString()));
            QVERIFY(report.created);
            QVERIFY(!report.cipherVersion.isEmpty());
            QCOMPARE(report.schemaVersion, odis::storage::agentMigrations().back().version);
            QVERIFY((*db)
                        ->execute(QStringLiteral("INSERT INTO kv(key, value, updated_at) VALUES (?, ?, ?)"),
                                  {QStringLiteral("k"), QStringLiteral("v"), QStringLiteral("t")})
                        .has_value());
        }
        auto again = Database::open(path, key, odis::storage::agentMigrations(), &report);
        QVERIFY(again.has_value());
        QVERIFY(!report.created);
        QCOMPARE(report.migrationsApplied, 0);
        auto value =
            (*again)->scalar(QStringLiteral("SELECT value FROM kv WHERE key = ?"), {QStringLiteral("k")});
        QVERIFY(value.has_value());
        QCOMPARE(value->toString(), QStringLiteral("v"));
        QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());
    }

    void valuesRoundTrip()
    {
        auto db = Database::open(dbPath(QStringLiteral("types.db")), randomKey(), twoSteps());
        QVERIFY(db.has_value());
        Database& d = **db;
        QVERIFY(d.executeScript(QStringLiteral("CREATE TABLE v (a, b, c, d, e);")).has_value());
        QByteArray blob;
        for (int i = 0; i < 256; ++i)
            blob.append(static_cast<char>(i));
        const QString text = QStringLiteral("Zoë 李 Мурка \u202Eright-to-left");
        QVERIFY(d.execute(QStringLiteral("INSERT INTO v VALUES (?, ?, ?, ?, ?)"),
                          {QVariant(), qint64(1) << 40, 2.5, text, blob})
                    .has_value());
        auto rows = d.query(QStringLiteral("SELECT a, b, c, d, e FROM v"));
        QVERIFY(rows.has_value());
        QCOMPARE(rows->size(), 1);
        const QVariantList& r = rows->first();
        QVERIFY(r.at(0).isNull());
        QCOMPARE(r.at(1).toLongLong(), qint64(1) << 40);
        QCOMPARE(r.at(2).toDouble(), 2.5);
        QCOMPARE(r.at(3).toString(), text);
        QCOMPARE(r.at(4).toByteArray(), blob);

        auto badArity = d.execute(QStringLiteral("INSERT INTO v VALUES (?, ?, ?, ?, ?)"), {1});
        QVERIFY(!badArity.has_value());
        QCOMPARE(badArity.error().code, QStringLiteral("db_query_failed"));
    }

    void transactionsRollBackOnFailure()
    {
        auto db = Database::open(dbPath(QStringLiteral("tx.db")), randomKey(), twoSteps());
        QVERIFY(db.has_value());
        Database& d = **db;
        const auto failed = d.transaction([&]() -> odis::Status {
            if (auto r = d.execute(QStringLiteral("INSERT INTO items(body) VALUES ('a')")); !r)
                return std::unexpected(r.error());
            return odis::fail(QStringLiteral("test_abort"), QStringLiteral("abort on purpose"));
        });
        QVERIFY(!failed.has_value());
        QCOMPARE(failed.error().code, QStringLiteral("test_abort"));
        QCOMPARE(d.scalar(QStringLiteral("SELECT count(*) FROM items"))->toInt(), 0);

        const auto nested = d.transaction([&]() { return d.transaction([] { return odis::ok(); }); });
        QVERIFY(!nested.has_value());
        QCOMPARE(nested.error().code, QStringLiteral("db_nested_transaction"));

        QVERIFY(d.transaction([&]() -> odis::Status {
                     auto r = d.execute(QStringLiteral("INSERT INTO items(body) VALUES ('b')"));
                     return r ? odis::ok() : std::unexpected(r.error());
                 }).has_value());
        QCOMPARE(d.scalar(QStringLiteral("SELECT count(*) FROM items"))->toInt(), 1);
    }

    void migratesStepByStep()
    {
        const QString path = dbPath(QStringLiteral("steps.db"));
        const QByteArray key = randomKey();
        const auto steps = twoSteps();
        OpenReport report;
        {
            auto v1 = Database::open(path, key, std::span(steps).first(1), &report);
            QVERIFY(v1.has_value());
            QCOMPARE(report.schemaVersion, 1);
            QVERIFY((*v1)->execute(QStringLiteral("INSERT INTO items(body) VALUES ('kept')")).has_value());
        }
        auto v2 = Database::open(path, key, steps, &report);
        QVERIFY(v2.has_value());
        QCOMPARE(report.migrationsApplied, 1);
        QCOMPARE((*v2)->schemaVersion(), 2);
        QCOMPARE((*v2)->scalar(QStringLiteral("SELECT kind FROM items WHERE body = 'kept'"))->toString(),
                 QStringLiteral("x"));
    }

    // The agent's real migrations: a store left at any earlier version by an older release upgrades in
    // order and keeps what it held.
    void agentStoreUpgradesFromEveryVersion_data()
    {
        QTest::addColumn<int>("from");
        const auto all = odis::storage::agentMigrations();
        for (std::size_t i = 1; i < all.size(); ++i)
            QTest::addRow("v%d", all[i - 1].version) << int(i);
    }
    void agentStoreUpgradesFromEveryVersion()
    {
        QFETCH(int, from);
        const auto all = odis::storage::agentMigrations();
        const QString path = dbPath(QStringLiteral("upgrade-%1.db").arg(from));
        const QByteArray key = randomKey();
        {
            auto old = Database::open(path, key, all.first(std::size_t(from)));
            QVERIFY2(old.has_value(), qPrintable(old ? QString() : old.error().toString()));
            QCOMPARE((*old)->schemaVersion(), all[std::size_t(from) - 1].version);
            QVERIFY(
                (*old)->execute(QStringLiteral("INSERT INTO kv(key, value, updated_at) VALUES (?, ?, ?)"),
                                {QStringLiteral("install.id"), QStringLiteral("kept"), QStringLiteral("t")}));
        }
        OpenReport report;
        auto current = Database::open(path, key, all, &report);
        QVERIFY2(current.has_value(), qPrintable(current ? QString() : current.error().toString()));
        QCOMPARE(report.migrationsApplied, int(all.size()) - from);
        QCOMPARE((*current)->schemaVersion(), all.back().version);
        QCOMPARE(
            (*current)->scalar(QStringLiteral("SELECT value FROM kv WHERE key = 'install.id'"))->toString(),
            QStringLiteral("kept"));
        // Every table of the newest schema is there, whatever version the file started at.
        for (const char* table : {"audit_log", "outbox", "runs", "upload_tallies", "patient_findings"})
            QCOMPARE((*current)
                         ->scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                                 "AND name = ?"),
                                  {QString::fromLatin1(table)})
                         ->toInt(),
                     1);
        // An upgraded store looks through what it held for end-of-life findings once (v6).
        QCOMPARE(
            (*current)
                ->scalar(QStringLiteral("SELECT value FROM kv WHERE key = 'discharge.findings_backfill'"))
                ->toString(),
            QStringLiteral("pending"));
    }

    void failedMigrationLeavesPreviousVersion()
    {
        const QString path = dbPath(QStringLiteral("badstep.db"));
        const QByteArray key = randomKey();
        std::vector<Migration> steps = twoSteps();
        steps.push_back({3, QStringLiteral("broken"),
                         QStringLiteral("CREATE TABLE t3 (x); INSERT INTO no_such_table VALUES (1);")});
        auto db = Database::open(path, key, steps);
        QVERIFY(!db.has_value());
        QCOMPARE(db.error().code, QStringLiteral("db_migration_failed"));
        QVERIFY(db.error().message.contains(QStringLiteral("step 3")));

        auto back = Database::open(path, key, twoSteps());
        QVERIFY(back.has_value());
        QCOMPARE((*back)->schemaVersion(), 2);
        // The half-run step left nothing behind: its transaction was rolled back.
        QCOMPARE(
            (*back)->scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 't3'"))->toInt(),
            0);
    }

    void refusesNewerDatabase()
    {
        const QString path = dbPath(QStringLiteral("newer.db"));
        const QByteArray key = randomKey();
        const auto steps = twoSteps();
        QVERIFY(Database::open(path, key, steps).has_value());
        auto older = Database::open(path, key, std::span(steps).first(1));
        QVERIFY(!older.has_value());
        QCOMPARE(older.error().code, QStringLiteral("db_newer_than_program"));
        QVERIFY(older.error().message.contains(QStringLiteral("newer")));
        // Untouched: the newer program still opens it.
        QVERIFY(Database::open(path, key, twoSteps()).has_value());
    }

    void wrongKeyIsAClearErrorAndKeepsTheFile()
    {
        const QString path = dbPath(QStringLiteral("wrongkey.db"));
        const QByteArray key = randomKey();
        {
            auto db = Database::open(path, key, twoSteps());
            QVERIFY(db.has_value());
            QVERIFY(
                (*db)->execute(QStringLiteral("INSERT INTO items(body) VALUES ('precious')")).has_value());
        }
        auto wrong = Database::open(path, randomKey(), twoSteps());
        QVERIFY(!wrong.has_value());
        QCOMPARE(wrong.error().code, QStringLiteral("db_key_rejected"));
        QVERIFY(QFile::exists(path));
        QVERIFY(QDir(m_dir.path()).entryList({QStringLiteral("wrongkey.db.corrupt*")}).isEmpty());
        auto right = Database::open(path, key, twoSteps());
        QVERIFY(right.has_value());
        QCOMPARE((*right)->scalar(QStringLiteral("SELECT count(*) FROM items"))->toInt(), 1);

        auto shortKey = Database::open(dbPath(QStringLiteral("short.db")), QByteArray(16, 'k'), twoSteps());
        QVERIFY(!shortKey.has_value());
    }

    void damagedFileIsMovedAsideNotDeleted()
    {
        const QString path = dbPath(QStringLiteral("damaged.db"));
        const QByteArray key = randomKey();
        {
            auto db = Database::open(path, key, twoSteps());
            QVERIFY(db.has_value());
            // Enough rows for several pages, so page 1 (schema) stays intact while a data page breaks.
            QVERIFY((*db)
                        ->transaction([&]() -> odis::Status {
                            for (int i = 0; i < 400; ++i) {
                                auto r = (*db)->execute(QStringLiteral("INSERT INTO items(body) VALUES (?)"),
                                                        {QString(200, QLatin1Char('a' + i % 26))});
                                if (!r)
                                    return std::unexpected(r.error());
                            }
                            return odis::ok();
                        })
                        .has_value());
            QVERIFY((*db)->executeScript(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE);")).has_value());
        }
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.size() > 4096 * 6);
            f.seek(4096 * 4 + 100); // inside a data page: its HMAC no longer matches
            f.write(QByteArray(64, '\xAA'));
        }
        OpenReport report;
        auto db = Database::open(path, key, twoSteps(), &report);
        QVERIFY2(db.has_value(), qPrintable(db ? QString() : db.error().toString()));
        QVERIFY(report.recovered);
        QVERIFY(QFile::exists(report.movedAsidePath));
        QVERIFY(report.movedAsidePath.contains(QStringLiteral("corrupt")));
        QCOMPARE((*db)->scalar(QStringLiteral("SELECT count(*) FROM items"))->toInt(), 0);
    }

    void nothingReadableOnDisk()
    {
        const QString folder = m_dir.filePath(QStringLiteral("canary"));
        QDir().mkpath(folder);
        const QString path = folder + QStringLiteral("/store.db");
        const QString canary = QStringLiteral("CANARY-7f3e9c-Biscuit-Doe-555-201-3344");
        auto db = Database::open(path, randomKey(), twoSteps());
        QVERIFY(db.has_value());
        for (int i = 0; i < 50; ++i)
            QVERIFY(
                (*db)->execute(QStringLiteral("INSERT INTO items(body) VALUES (?)"), {canary}).has_value());

        // While the database is open the WAL holds the recent pages: check it as well as the main file.
        int scanned = 0;
        QDirIterator it(folder, QDir::Files);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY2(!bytes.contains(canary.toUtf8()), qPrintable(f.fileName()));
            QVERIFY(!bytes.contains("SQLite format 3"));
            ++scanned;
        }
        QVERIFY(scanned >= 2); // store.db and store.db-wal at least

        const QString plain =
            runShell(QStringLiteral("sqlite3"), path, QStringLiteral("SELECT body FROM items;"));
        QVERIFY2(!plain.contains(canary), qPrintable(plain));
        QVERIFY2(plain.contains(QStringLiteral("not a database")), qPrintable(plain));
        const QString noKey =
            runShell(QStringLiteral("sqlcipher"), path, QStringLiteral("SELECT body FROM items;"));
        QVERIFY2(!noKey.contains(canary), qPrintable(noKey));
        QVERIFY2(noKey.contains(QStringLiteral("not a database")), qPrintable(noKey));
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
