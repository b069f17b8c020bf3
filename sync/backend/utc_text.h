#pragma once

// Instants as the store and the wire keep them: UTC, ISO 8601 with milliseconds and "Z"
// ("2026-03-10T16:00:00.000Z"). Fixed width, so text order is time order (MIN/MAX in SQL work).

#include <QDateTime>
#include <QString>

namespace odis::sync {

[[nodiscard]] inline QString utcText(const QDateTime& instant)
{
    return instant.toUTC().toString(Qt::ISODateWithMs);
}

// An invalid QDateTime for text that is not such an instant.
[[nodiscard]] inline QDateTime fromUtcText(const QString& text)
{
    QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    return parsed.isValid() ? parsed.toUTC() : QDateTime();
}

} // namespace odis::sync
