#include "sync/core/neo_types.h"

namespace odis::sync {

QString LocalDateTime::toString() const
{
    if (!date.isValid())
        return {};
    const QString day = date.toString(QStringLiteral("yyyy-MM-dd"));
    if (!time.isValid())
        return day;
    return day + u' ' + time.toString(QStringLiteral("HH:mm:ss"));
}

QDateTime LocalDateTime::toZoned(const QTimeZone& zone) const
{
    if (!isValid() || !zone.isValid())
        return {};
    return QDateTime(date, time, zone);
}

bool LocalDateTime::isBefore(const LocalDateTime& other) const
{
    if (date != other.date)
        return date < other.date;
    return (time.isValid() ? time : QTime(0, 0)) < (other.time.isValid() ? other.time : QTime(0, 0));
}

} // namespace odis::sync
