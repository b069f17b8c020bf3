#include "tests/integration/migration_walk.h"

#include "storage/secure_random.h"

#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QSet>

#include <algorithm>

namespace odis::test {

using storage::Database;

namespace {

// Tables that hold one row at most (CHECK (id = 1)): seeded once, with that id.
const QSet<QString> kSingletons{QStringLiteral("credential_state"), QStringLiteral("clinic_profile")};

// A file's data: every table's rows (column name -> value, in rowid order), and its indexes and triggers.
struct Snapshot
{
    QMap<QString, QList<QVariantHash>> tables;
    QSet<QString> objects;
};

struct Column
{
    QString name;
    QString type;            // upper case, as declared
    bool required = false;   // NOT NULL without a default, or part of the primary key
    bool rowidAlias = false; // the table's only primary key column, INTEGER: SQLite numbers it
};

Result<QList<Column>> columns(Database& db, const QString& table)
{
    // PRAGMA table_info rather than pragma_table_info(): this SQLCipher build has no pragma functions.
    // Its columns: cid, name, type, notnull, dflt_value, pk.
    const auto info = db.query(QStringLiteral("PRAGMA table_info(\"%1\")").arg(table));
    if (!info)
        return std::unexpected(info.error());
    qsizetype keyColumns = 0;
    for (const QVariantList& row : *info)
        keyColumns += row.value(5).toInt() > 0 ? 1 : 0;
    QList<Column> out;
    for (const QVariantList& row : *info) {
        const bool key = row.value(5).toInt() > 0;
        const QString type = row.value(2).toString().toUpper();
        out.append(Column{row.value(1).toString(), type,
                          key || (row.value(3).toInt() == 1 && row.value(4).isNull()),
                          key && keyColumns == 1 && type == QStringLiteral("INTEGER")});
    }
    return out;
}

Result<Snapshot> snapshot(Database& db)
{
    Snapshot out;
    const auto names = db.query(QStringLiteral(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"));
    if (!names)
        return std::unexpected(names.error());
    for (const QVariantList& entry : *names) {
        const QString name = entry.value(1).toString();
        if (entry.value(0).toString() != QStringLiteral("table")) {
            out.objects.insert(name);
            continue;
        }
        const auto cols = columns(db, name);
        if (!cols)
            return std::unexpected(cols.error());
        const auto rows = db.query(QStringLiteral("SELECT * FROM \"%1\" ORDER BY rowid").arg(name));
        if (!rows)
            return std::unexpected(rows.error());
        QList<QVariantHash>& kept = out.tables[name];
        for (const QVariantList& row : *rows) {
            QVariantHash named;
            for (qsizetype i = 0; i < cols->size(); ++i)
                named.insert(cols->at(i).name, row.value(i));
            kept.append(named);
        }
    }
    return out;
}

// The value of `column` in the full or the minimal row that `step` adds to `table` (each differs from every
// other row). Columns whose CHECK constraints or triggers ask for more than the declared type get what
// those accept.
Result<QVariant> seedValue(Database& db, const QString& table, const Column& column, int step, bool full)
{
    if (kSingletons.contains(table) && column.name == QStringLiteral("id"))
        return QVariant(qint64(1));
    if (table == QStringLiteral("audit_log")) {
        if (column.name == QStringLiteral("seq"))
            return db.scalar(QStringLiteral("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log"));
        if (column.name == QStringLiteral("prev_hash") || column.name == QStringLiteral("hash"))
            return QVariant(QStringLiteral("%1").arg(step, 64, 10, QLatin1Char(full ? 'a' : 'b')));
    }
    if (table == QStringLiteral("patient_findings") && column.name == QStringLiteral("rule"))
        return QVariant(full ? QStringLiteral("end_of_life") : QStringLiteral("end_of_life_possible"));
    const int n = step * 10 + (full ? 1 : 2);
    if (column.type.contains(QStringLiteral("INT")))
        return QVariant(qint64(n));
    if (column.type.contains(QStringLiteral("REAL")))
        return QVariant(n + 0.5);
    if (column.type.contains(QStringLiteral("BLOB")))
        return QVariant(QByteArray("blob-").append(QByteArray::number(n)));
    return QVariant(QStringLiteral("s%1%2-%3").arg(QString::number(step), full ? "f" : "m", column.name));
}

// One row in `table`: every column (`full`) or only the required ones. A row the table refuses is an error:
// the walk would prove nothing for that table (give the column a value in seedValue()).
odis::Status seedRow(Database& db, const QString& table, int step, bool full)
{
    const auto cols = columns(db, table);
    if (!cols)
        return std::unexpected(cols.error());
    QStringList names;
    QStringList marks;
    QVariantList values;
    for (const Column& column : *cols) {
        // SQLite numbers a rowid alias, but where a CHECK or trigger wants a given number (seedValue()).
        const bool numbered =
            column.rowidAlias && !kSingletons.contains(table) && table != QStringLiteral("audit_log");
        if (numbered || (!full && !column.required))
            continue;
        const auto value = seedValue(db, table, column, step, full);
        if (!value)
            return std::unexpected(value.error());
        names.append(QLatin1Char('"') + column.name + QLatin1Char('"'));
        marks.append(QStringLiteral("?"));
        values.append(*value);
    }
    const auto inserted =
        db.execute(QStringLiteral("INSERT INTO \"%1\"(%2) VALUES (%3)")
                       .arg(table, names.join(QLatin1Char(',')), marks.join(QLatin1Char(','))),
                   values);
    if (!inserted)
        return std::unexpected(odis::Error{
            inserted.error().code, QStringLiteral("table %1 refused a %2 row: %3")
                                       .arg(table, full ? QStringLiteral("full") : QStringLiteral("minimal"),
                                            inserted.error().message)});
    return odis::ok();
}

odis::Status seedEveryTable(Database& db, int step)
{
    const auto before = snapshot(db);
    if (!before)
        return std::unexpected(before.error());
    for (auto table = before->tables.cbegin(); table != before->tables.cend(); ++table) {
        if (kSingletons.contains(table.key()) && !table.value().isEmpty())
            continue;
        for (const bool full : {true, false}) {
            if (auto seeded = seedRow(db, table.key(), step, full); !seeded)
                return seeded;
            if (kSingletons.contains(table.key()))
                break;
        }
    }
    return odis::ok();
}

QString describe(const QVariant& v)
{
    return v.isNull() ? QStringLiteral("NULL") : QStringLiteral("%1 (%2)").arg(v.toString(), v.typeName());
}

// The first difference between what the step should have left and what it left; empty when none.
QString firstDifference(const Snapshot& expected, const Snapshot& actual)
{
    if (expected.objects != actual.objects)
        return QStringLiteral("indexes and triggers: expected {%1}, found {%2}")
            .arg(QStringList(expected.objects.values()).join(u' '),
                 QStringList(actual.objects.values()).join(u' '));
    if (expected.tables.keys() != actual.tables.keys())
        return QStringLiteral("tables: expected {%1}, found {%2}")
            .arg(expected.tables.keys().join(u' '), actual.tables.keys().join(u' '));
    for (auto table = expected.tables.cbegin(); table != expected.tables.cend(); ++table) {
        const QList<QVariantHash>& want = table.value();
        const QList<QVariantHash>& got = actual.tables.value(table.key());
        if (want.size() != got.size())
            return QStringLiteral("table %1: %2 rows, expected %3")
                .arg(table.key())
                .arg(got.size())
                .arg(want.size());
        for (qsizetype r = 0; r < want.size(); ++r) {
            if (want.at(r).size() != got.at(r).size())
                return QStringLiteral("table %1: columns {%2}, expected {%3}")
                    .arg(table.key(), QStringList(got.at(r).keys()).join(u' '),
                         QStringList(want.at(r).keys()).join(u' '));
            for (auto value = want.at(r).cbegin(); value != want.at(r).cend(); ++value) {
                if (!got.at(r).contains(value.key()))
                    return QStringLiteral("table %1: column %2 gone").arg(table.key(), value.key());
                const QVariant& found = got.at(r).value(value.key());
                if (found != value.value() || found.isNull() != value.value().isNull())
                    return QStringLiteral("table %1, row %2, column %3: %4, expected %5")
                        .arg(table.key())
                        .arg(r + 1)
                        .arg(value.key(), describe(found), describe(value.value()));
            }
        }
    }
    return {};
}

// `before` plus what `effect` declares. The stamped columns of the rows the step writes are taken from
// `after` once they are shown to hold an instant within [from, to].
Result<Snapshot> expectedAfter(Snapshot before, const StepEffect& effect, const Snapshot& after,
                               const QDateTime& from, const QDateTime& to)
{
    for (const QString& table : effect.createdTables)
        before.tables.insert(table, {});
    for (const QString& object : effect.createdObjects)
        before.objects.insert(object);
    for (const AddedColumn& added : effect.addedColumns) {
        for (QVariantHash& row : before.tables[added.table])
            row.insert(added.column, added.value);
    }
    for (const AddedRow& added : effect.addedRows) {
        const QList<QVariantHash> found = after.tables.value(added.table);
        const auto written = std::ranges::find_if(found, [&](const QVariantHash& row) {
            for (auto v = added.values.cbegin(); v != added.values.cend(); ++v) {
                if (row.value(v.key()) != v.value())
                    return false;
            }
            return true;
        });
        if (written == found.end())
            return odis::fail(QStringLiteral("missing_row"),
                              QStringLiteral("table %1: the step's row is not there").arg(added.table));
        QVariantHash row = added.values;
        for (const QString& column : added.stampedNow) {
            const QString text = written->value(column).toString();
            const QDateTime at = QDateTime::fromString(text, Qt::ISODateWithMs);
            if (!text.endsWith(u'Z') || !at.isValid() || at < from || at > to)
                return odis::fail(QStringLiteral("bad_stamp"),
                                  QStringLiteral("table %1, column %2: %3, not an instant of the step")
                                      .arg(added.table, column, text));
            row.insert(column, written->value(column));
        }
        before.tables[added.table].append(row);
    }
    return before;
}

} // namespace

QString walkMigrations(const QString& dir, std::span<const storage::Migration> steps,
                       const QList<StepEffect>& effects)
{
    const QString path = dir + QStringLiteral("/steps.db");
    const auto randomKey = storage::secureRandomBytes(Database::kKeySize);
    if (!randomKey)
        return randomKey.error().toString();
    const QByteArray& key = *randomKey;
    if (qsizetype(steps.size()) != effects.size())
        return QStringLiteral("%1 steps, %2 declared here").arg(steps.size()).arg(effects.size());
    for (std::size_t step = 0; step < steps.size(); ++step) {
        const int from = step == 0 ? 0 : steps[step - 1].version;
        const QString where = QStringLiteral("v%1 -> v%2: ").arg(from).arg(steps[step].version);
        if (effects.at(qsizetype(step)).version != steps[step].version)
            return where + QStringLiteral("declared here as v%1").arg(effects.at(qsizetype(step)).version);
        Snapshot before;
        if (step > 0) {
            odis::storage::OpenReport report;
            auto db = Database::open(path, key, steps.first(step), &report);
            if (!db)
                return where + db.error().toString();
            if (report.migrationsApplied != 0 || (*db)->schemaVersion() != from)
                return where + QStringLiteral("reopened at v%1").arg((*db)->schemaVersion());
            if (const auto seeded = seedEveryTable(**db, int(step)); !seeded)
                return where + seeded.error().toString();
            auto taken = snapshot(**db);
            if (!taken)
                return where + taken.error().toString();
            before = *taken;
            for (auto table = before.tables.cbegin(); table != before.tables.cend(); ++table) {
                if (table.value().isEmpty())
                    return where + QStringLiteral("table %1 left without rows").arg(table.key());
            }
        }
        // SQLite's 'now' may round to the millisecond below: the window starts a millisecond early.
        const QDateTime startedAt = QDateTime::currentDateTimeUtc().addMSecs(-1);
        odis::storage::OpenReport report;
        auto db = Database::open(path, key, steps.first(step + 1), &report);
        if (!db)
            return where + db.error().toString();
        const QDateTime endedAt = QDateTime::currentDateTimeUtc();
        if (report.migrationsApplied != 1 || (*db)->schemaVersion() != steps[step].version)
            return where + QStringLiteral("%1 steps applied, at v%2")
                               .arg(report.migrationsApplied)
                               .arg((*db)->schemaVersion());
        const auto integrity = (*db)->scalar(QStringLiteral("PRAGMA integrity_check"));
        if (!integrity || integrity->toString() != QStringLiteral("ok"))
            return where + QStringLiteral("integrity check: ") +
                   (integrity ? integrity->toString() : integrity.error().toString());
        const auto after = snapshot(**db);
        if (!after)
            return where + after.error().toString();
        const auto expected = expectedAfter(before, effects.at(qsizetype(step)), *after, startedAt, endedAt);
        if (!expected)
            return where + expected.error().toString();
        if (const QString difference = firstDifference(*expected, *after); !difference.isEmpty())
            return where + difference;
    }
    return {};
}

} // namespace odis::test
