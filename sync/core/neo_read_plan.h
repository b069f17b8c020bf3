#pragma once

// Which Neo reads one run makes after the schedule (docs/idexx-neo.md, "Settled in this project":
// "Which consultations are read", "Phones in the data"): page-data for finished visits that are new,
// changed or recent, getAppointment for finished visits whose row shows no usable phone. Everything
// else costs nothing, so an unchanged clinic costs the login plus the schedule call. Pure: "now" and
// the previous read state are passed in.

#include "sync/core/neo_types.h"
#include "sync/core/phone_e164.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QTimeZone>

#include <chrono>
#include <optional>

namespace odis::sync {

// One row of the neo_reads table: what the agent last read for one finished visit.
struct NeoReadState
{
    // neoReadKey(): the consultation id, or "appointment:<id>" for a finished visit that has none
    // (older schedule shape), whose only read is getAppointment.
    QString key;
    QString appointmentId;
    QString rowVersion;  // scheduleRowVersion() of the row at the last successful read; empty: never
    QDateTime fetchedAt; // UTC of the last successful read; invalid: never read successfully
    int failures = 0;    // runs in a row whose read of this visit failed
    QString lastError;   // the error code of the last failure, empty after a success

    friend bool operator==(const NeoReadState&, const NeoReadState&) = default;
};

// Why a read is due, in the order it is decided (the first that applies).
enum class ReadReason
{
    NeverRead,     // no successful read yet
    FailedLastRun, // the last run's read failed: tried again
    RowChanged,    // any field the schedule row shows differs from the row at the last read
    RecentVisit,   // ended less than lookback_hours ago and last read more than 60 minutes ago
    ConfirmHeld,   // a change of its consultation waits for a second read (sync/core/change_guard.h)
};

[[nodiscard]] QString readReasonName(ReadReason reason); // "never_read", "failed_last_run", ...

// The reads due for one finished visit.
struct PlannedRead
{
    QString key;
    QString appointmentId;
    std::optional<QString> consultationId; // set: page-data is due
    bool appointmentDetail = false;        // getAppointment is due
    QString rowVersion;                    // of the row read in this run, for neo_reads
    ReadReason reason = ReadReason::NeverRead;

    friend bool operator==(const PlannedRead&, const PlannedRead&) = default;
};

struct ReadPlanSettings
{
    QTimeZone clinicZone;
    PhoneCountry phoneCountry; // the clinic's, for the row phone
    int lookbackHours = 48;
    std::chrono::minutes rereadAfter{60};
};

struct ReadPlan
{
    QList<PlannedRead> reads; // in schedule order
    int finishedVisits = 0;   // finished visits in the schedule (blocks and roster rows are none)
    int upToDate = 0;         // finished visits with nothing due
};

// The key of a visit's neo_reads row: its consultation id, else "appointment:<appointment id>".
[[nodiscard]] QString neoReadKey(const NeoScheduleEvent& event);

// A hash of every field the schedule row shows (the phone as displayed included), stable across runs:
// when it differs from the one stored at the last read, the visit is read again. Hex SHA-256.
[[nodiscard]] QString scheduleRowVersion(const NeoScheduleEvent& event);

// The reads due now. A finished visit is a row that is neither a block nor a roster row and whose
// status maps to completed. For each, by the first reason that applies (ReadReason):
// - page-data when it has a consultation id and any reason applies;
// - getAppointment when its row phone is not a first-choice number (isFirstChoicePhone(): the detail's
//   mobile or home phone could be better) and it was never read, failed last run or its row changed: the
//   phone only changes with the row, so recent visits that are read again for their notes do not ask for it
//   again.
// - a change held back waits for this read (ReadReason::ConfirmHeld, sync/core/change_guard.h): page-data
//   when its consultation id is in `confirm.consultations` (notes emptied), getAppointment when its
//   appointment id is in `confirm.appointments` (a phone that disappeared) and the row shows no
//   first-choice number.
// A row repeated under the same key is planned once (its first occurrence).
struct ConfirmReads
{
    QSet<QString> consultations;
    QSet<QString> appointments;
};
[[nodiscard]] ReadPlan planNeoReads(const QList<NeoScheduleEvent>& events,
                                    const QHash<QString, NeoReadState>& previous,
                                    const ReadPlanSettings& settings, const QDateTime& nowUtc,
                                    const ConfirmReads& confirm = {});

// The neo_reads row after this run's read of `planned`: on success the new row version, fetchedAt =
// now, no failures; on failure (`errorCode` set) the previous row with one more failure and the code,
// so the read is due again next run. `previous` is null for a visit never recorded.
[[nodiscard]] NeoReadState readStateAfter(const PlannedRead& planned, const NeoReadState* previous,
                                          const std::optional<QString>& errorCode, const QDateTime& nowUtc);

} // namespace odis::sync
