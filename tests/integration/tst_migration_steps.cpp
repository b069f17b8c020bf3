// The agent's migrations, one step at a time on one real SQLCipher file, checked on the data and not on
// one row (the walk: migration_walk.h). Before each step every table gets rows: one with every column filled
// (values made from the declared type, so rows of different steps differ) and one with only what a writer
// must give (the rest takes its default or NULL). After the step the whole file is compared with what that
// step is declared to do below (kEffects): every row of every table, in every column, plus the new tables
// (empty), the new columns (the value every earlier row gets), the rows the step itself writes, and the
// indexes and triggers. A step that rebuilt a table and lost a column, a default, a row, a trigger or an
// index, or that wrote what it is not declared to write, fails here, at the step that did it; so does a new
// step that is not declared here yet. aBrokenStepIsCaught proves the walk can fail.

#include "storage/schema.h"
#include "tests/integration/migration_walk.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <vector>

using odis::test::StepEffect;

namespace {

const QList<StepEffect> kEffects{
    {1,
     {QStringLiteral("kv"), QStringLiteral("audit_log"), QStringLiteral("credential_state")},
     {QStringLiteral("audit_log_no_update"), QStringLiteral("audit_log_no_delete"),
      QStringLiteral("audit_log_in_order")},
     {},
     {}},
    {2,
     {QStringLiteral("observations"), QStringLiteral("neo_reads"), QStringLiteral("discharge_decisions"),
      QStringLiteral("outbox"), QStringLiteral("outbox_batches"), QStringLiteral("runs"),
      QStringLiteral("clinic_profile"), QStringLiteral("telemetry_queue"), QStringLiteral("diagnostics"),
      QStringLiteral("schedule_volume")},
     {QStringLiteral("observations_kind_date"), QStringLiteral("outbox_pending"),
      QStringLiteral("outbox_key"), QStringLiteral("outbox_batch"), QStringLiteral("runs_started"),
      QStringLiteral("runs_status")},
     {},
     {}},
    {3, {QStringLiteral("upload_tallies")}, {}, {}, {}},
    {4, {QStringLiteral("remote_commands")}, {}, {}, {}},
    {5,
     {QStringLiteral("neo_field_presence"), QStringLiteral("held_changes")},
     {},
     {{QStringLiteral("runs"), QStringLiteral("warnings"), QStringLiteral("[]")}},
     {}},
    {6,
     {QStringLiteral("patient_findings")},
     {QStringLiteral("patient_findings_no_update")},
     {},
     {{QStringLiteral("kv"),
       {{QStringLiteral("key"), QStringLiteral("discharge.findings_backfill")},
        {QStringLiteral("value"), QStringLiteral("pending")}},
       {QStringLiteral("updated_at")}}}},
};

} // namespace

class TstMigrationSteps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyStepDoesWhatItDeclares()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString failure =
            odis::test::walkMigrations(dir.path(), odis::storage::agentMigrations(), kEffects);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    // The walk itself: each of these breaks one step of the real migrations (appended SQL or an edit of
    // its own), and the walk must stop at that step, naming what went wrong.
    void aBrokenStepIsCaught_data()
    {
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("replaceFrom"); // empty: append `sql` to the step
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("named");
        QTest::newRow("a row lost") << 3 << QString() << QStringLiteral("DELETE FROM outbox WHERE id = 2;")
                                    << QStringLiteral("table outbox: 1 rows, expected 2");
        QTest::newRow("a value changed")
            << 4 << QString() << QStringLiteral("UPDATE kv SET value = 'x' WHERE key = 's2f-key';")
            << QStringLiteral("table kv, row 3, column value");
        QTest::newRow("NULL turned into an empty string")
            << 5 << QString() << QStringLiteral("UPDATE outbox SET last_error = '' WHERE last_error IS NULL;")
            << QStringLiteral("table outbox, row 2, column last_error");
        QTest::newRow("a column lost in a rebuilt table")
            << 5 << QString()
            << QStringLiteral("CREATE TABLE diagnostics_new (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, "
                              "created_at TEXT NOT NULL, expires_at TEXT NOT NULL, sealed BLOB NOT NULL);"
                              "INSERT INTO diagnostics_new SELECT id, run_id, created_at, expires_at, sealed "
                              "FROM diagnostics; DROP TABLE diagnostics;"
                              "ALTER TABLE diagnostics_new RENAME TO diagnostics;")
            << QStringLiteral("table diagnostics: columns");
        QTest::newRow("a new column's default other than declared")
            << 5 << QStringLiteral("DEFAULT '[]'") << QStringLiteral("DEFAULT ''")
            << QStringLiteral("table runs, row 1, column warnings");
        QTest::newRow("a trigger lost")
            << 6 << QString() << QStringLiteral("DROP TRIGGER audit_log_in_order;")
            << QStringLiteral("indexes and triggers");
        QTest::newRow("an undeclared row")
            << 2 << QString() << QStringLiteral("INSERT INTO kv VALUES ('extra', 'x', 'y');")
            << QStringLiteral("table kv: 3 rows, expected 2");
        QTest::newRow("an undeclared table")
            << 4 << QString() << QStringLiteral("CREATE TABLE scratch (x);") << QStringLiteral("tables:");
        QTest::newRow("the step's own row written otherwise")
            << 6 << QStringLiteral("'pending'") << QStringLiteral("'done'")
            << QStringLiteral("table kv: the step's row is not there");
        QTest::newRow("the step's own row stamped otherwise")
            << 6 << QStringLiteral("strftime('%Y-%m-%dT%H:%M:%fZ', 'now')")
            << QStringLiteral("'2020-01-01T00:00:00.000Z'") << QStringLiteral("not an instant of the step");
    }

    void aBrokenStepIsCaught()
    {
        QFETCH(int, version);
        QFETCH(QString, replaceFrom);
        QFETCH(QString, sql);
        QFETCH(QString, named);
        const auto real = odis::storage::agentMigrations();
        std::vector<odis::storage::Migration> broken(real.begin(), real.end());
        const auto step = std::ranges::find(broken, version, &odis::storage::Migration::version);
        QVERIFY(step != broken.end());
        if (replaceFrom.isEmpty()) {
            step->sql += QLatin1Char('\n') + sql;
        } else {
            QVERIFY2(step->sql.contains(replaceFrom), qPrintable(replaceFrom));
            step->sql.replace(replaceFrom, sql);
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString failure = odis::test::walkMigrations(dir.path(), broken, kEffects);
        const QString at = QStringLiteral("v%1 -> v%2: ").arg(version - 1).arg(version);
        QVERIFY2(failure.startsWith(at) && failure.contains(named),
                 qPrintable(QStringLiteral("expected \"%1...%2\", got \"%3\"").arg(at, named, failure)));
    }
};

QTEST_GUILESS_MAIN(TstMigrationSteps)
#include "tst_migration_steps.moc"
