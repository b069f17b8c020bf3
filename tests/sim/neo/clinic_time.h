#pragma once

// Clinic-local <-> UTC conversions with the rules the project settled for daylight-saving changes
// (docs/discharge-rules.md, "When"): a local time inside a spring-forward gap moves to the first valid
// minute after the gap; an ambiguous autumn time takes its first (earlier) occurrence. Qt 6.4's own
// QDateTime(date, time, zone) gives an invalid value in the gap and the later occurrence when ambiguous,
// so the simulator resolves local times itself.

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QTime>
#include <QTimeZone>

namespace odis::sim::neo {

// The UTC instant of a clinic-local wall-clock time (seconds kept).
[[nodiscard]] QDateTime localToUtc(QDate date, QTime time, const QTimeZone& zone);

// The clinic-local wall-clock time of a UTC instant, as a zone-less value (date and time only).
[[nodiscard]] QDateTime utcToLocal(const QDateTime& utc, const QTimeZone& zone);

// "2026-03-12T23:00:00Z".
[[nodiscard]] QString isoUtc(const QDateTime& utc);

// "2026-03-12T16:00:00-07:00": the instant in the clinic's zone with its offset.
[[nodiscard]] QString isoLocalWithOffset(const QDateTime& utc, const QTimeZone& zone);

// The first whole minute at or after `utc`.
[[nodiscard]] QDateTime ceilToMinute(const QDateTime& utc);

} // namespace odis::sim::neo
