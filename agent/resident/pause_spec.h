#pragma once

// How long `odis-agent pause --for <spec>` (and the backend's pause command) pauses automatic syncs:
// "<n>m", "<n>h" or "<n>d" (a whole number of minutes, hours or days, from 1 minute up to 7 days), or
// "until-tomorrow": until the next midnight in the clinic's zone (the start of the clinic's next day; UTC's
// when no clinic profile is cached yet). Pure.

#include "storage/result.h"

#include <QDateTime>
#include <QString>
#include <QTimeZone>

namespace odis::agent {

inline constexpr int kMaxPauseDays = 7;

// The pause's end (UTC). Error pause_invalid naming what is accepted.
[[nodiscard]] Result<QDateTime> pauseEndFor(const QString& spec, const QDateTime& nowUtc,
                                            const QTimeZone& zone);

} // namespace odis::agent
