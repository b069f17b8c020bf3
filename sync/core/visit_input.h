#pragma once

// What discharge planning needs to know about one visit. Deliberately its own small type, not the Neo
// parser's: the sync step maps parsed Neo data into it, so the rules do not move when Neo's shapes do.

#include "sync/core/local_time.h"
#include "sync/core/phone_e164.h"

#include <QString>
#include <QStringList>
#include <QStringView>
#include <QTimeZone>

namespace odis::sync {

// The normalised appointment status (docs/idexx-neo.md, "Status mapping").
enum class VisitStatus
{
    Scheduled,
    CheckedIn,
    InProgress,
    Completed,
    NoShow,
    Cancelled,
    Unknown,
};

// "completed" -> Completed, ...; any other text (including Neo's raw strings) -> Unknown.
[[nodiscard]] VisitStatus visitStatusFromCode(QStringView code);
[[nodiscard]] QString visitStatusCode(VisitStatus status);

struct VisitInput
{
    QString appointmentId;  // Neo's id, decimal digits as on the wire ("482913")
    QString consultationId; // empty when the visit has no consultation
    QString patientId;      // Neo's patient id; empty for blocks, roster rows and when Neo gave none
    LocalDateTime start;    // clinic-local, no zone (as Neo shows it)
    LocalDateTime end;      // clinic-local; when invalid, the visit is taken to end at its start
    VisitStatus status = VisitStatus::Unknown;
    bool isBlock = false;
    bool isRoster = false;
    QString appointmentType;
    QString reason;
    VisitPhones phones;
    // True when the fields below hold the consultation's latest known content (read in this run or in
    // an earlier one and kept); false when there is no consultation or it was never read.
    bool consultationRead = false;
    QString notesHtml;
    QString dischargeSummary;
    QStringList productLines; // names of every product/service line, declined ones included
    // The appointment disappeared from Neo inside a window that was read successfully (a deleted
    // appointment is no longer "read", so a removed visit never gets a first decision).
    bool removedFromNeo = false;
    // False when any of this visit's data in this run was held back, kept from the store because Neo's
    // answer drifted, or read through the DOM fallback (fields kept from the store): such data may keep
    // or cancel a call but never turns an exclusion into a planned call.
    bool complete = true;

    bool operator==(const VisitInput&) const = default;
};

// When the visit ended, as an instant (its start when the end is unknown).
[[nodiscard]] QDateTime visitEndUtc(const VisitInput& visit, const QTimeZone& zone);

// The order of appointment ids everywhere in planning: numeric for ids of decimal digits without
// leading zeros (shorter first, then digit by digit), and a total, deterministic order for other text.
[[nodiscard]] bool appointmentIdLess(const QString& left, const QString& right);

} // namespace odis::sync
