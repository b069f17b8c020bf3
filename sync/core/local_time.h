#pragma once

// Clinic-local wall-clock times and their conversion to instants. Neo gives times without a zone; the
// clinic's IANA zone (from the backend's clinic profile) turns them into instants. Never the machine's
// local zone.

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QTime>
#include <QTimeZone>

namespace odis::sync {

// A wall-clock date and time in the clinic, without a zone (as Neo shows it).
struct LocalDateTime
{
    QDate date;
    QTime time; // null when Neo gave a date only

    [[nodiscard]] bool isValid() const { return date.isValid() && time.isValid(); }
    // "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD" for a date only, "" when there is no date.
    [[nodiscard]] QString toString() const;
    // The instant in `zone`, resolved like resolveLocalTime() (a skipped time moves past the gap, an
    // ambiguous one takes its first occurrence). Invalid when this is not a valid date and time.
    [[nodiscard]] QDateTime toZoned(const QTimeZone& zone) const;
    // Wall-clock order; a missing time counts as the start of its day.
    [[nodiscard]] bool isBefore(const LocalDateTime& other) const;

    friend bool operator==(const LocalDateTime&, const LocalDateTime&) = default;
};

// The UTC instant of a wall-clock time in `zone`, total over every date and time:
// - a time that does not exist (inside a spring-forward gap) becomes the first valid instant after the
//   gap (America/Los_Angeles 2026-03-08 02:30 -> 03:00 PDT);
// - an ambiguous time (autumn overlap) takes its first, earlier, occurrence (01:30 PDT, not PST).
// Qt 6.4 alone gives an invalid QDateTime for the first and the later occurrence for the second.
// Returns an invalid QDateTime only for an invalid date, time or zone.
[[nodiscard]] QDateTime resolveLocalTime(QDate date, QTime time, const QTimeZone& zone);
[[nodiscard]] QDateTime resolveLocalTime(const LocalDateTime& local, const QTimeZone& zone);

// The first whole minute at or after `instant` (UTC).
[[nodiscard]] QDateTime ceilToMinute(const QDateTime& instant);

// `instant` seen on the clinic's wall clock.
[[nodiscard]] QDateTime toClinicLocal(const QDateTime& instant, const QTimeZone& zone);

// "2026-03-12T23:00:00Z" (seconds precision): the wire form of an instant.
[[nodiscard]] QString formatUtcInstant(const QDateTime& instant);

// "2026-03-12T16:00:00-07:00": the instant on the clinic's wall clock with the offset in force then.
// A zero offset is written "+00:00" (this is a local time, not the UTC form).
[[nodiscard]] QString formatClinicLocal(const QDateTime& instant, const QTimeZone& zone);

// Parses the wire form "YYYY-MM-DDTHH:MM:SSZ" strictly; an invalid QDateTime for anything else.
[[nodiscard]] QDateTime parseUtcInstant(const QString& text);

} // namespace odis::sync
