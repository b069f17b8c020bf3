#pragma once

// The walk of tst_migration_steps: a schema's migrations applied one step at a time to one real SQLCipher
// file, every table given rows before each step, and the whole file compared after each step with what that
// step declares (StepEffect). In a file of its own so that the test reads as the list of what each step does.

#include "storage/database.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantHash>

#include <span>

namespace odis::test {

struct AddedColumn
{
    QString table;
    QString column;
    QVariant value; // what every row the table held before the step has in it afterwards
};

struct AddedRow
{
    QString table;
    QVariantHash values;    // the row's columns, but the stamped ones
    QStringList stampedNow; // columns holding the instant of the step (ISO 8601 UTC, milliseconds, Z)
};

// What one step does to a file's data, declared by hand: the walk compares the file after the step with
// the file before it plus this, and nothing else may change.
struct StepEffect
{
    int version = 0;
    QStringList createdTables;  // empty after the step
    QStringList createdObjects; // indexes and triggers (SQLite's own autoindexes not counted)
    QList<AddedColumn> addedColumns;
    QList<AddedRow> addedRows;
};

// Walks `steps` on a new file in the folder `dir`, one step at a time: before each step every table gets a
// row with every column filled and one with only what a writer must give (the rest takes its default or
// NULL); after it, the whole file must equal the file before it plus `effects` (one per step, in order):
// every row of every table in every column, the tables, indexes and triggers. Returns the first difference,
// prefixed with the step ("v4 -> v5: ..."); empty when every step did exactly what it declares.
[[nodiscard]] QString walkMigrations(const QString& dir, std::span<const storage::Migration> steps,
                                     const QList<StepEffect>& effects);

} // namespace odis::test
