#include "agent/resident/pause_spec.h"

#include "storage/codes/agent_codes.h"

#include <QRegularExpression>

namespace odis::agent {

Result<QDateTime> pauseEndFor(const QString& spec, const QDateTime& nowUtc, const QTimeZone& zone)
{
    const QString text = spec.trimmed().toLower();
    if (text == QLatin1String("until-tomorrow")) {
        const QTimeZone z = zone.isValid() ? zone : QTimeZone::utc();
        const QDateTime local = nowUtc.toTimeZone(z);
        // Midnight may not exist on a day that changes the clock at 00:00: QDateTime moves it forward.
        return QDateTime(local.date().addDays(1), QTime(0, 0), z).toUTC();
    }
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,5})([mhd])$"));
    const auto match = pattern.match(text);
    const qint64 maxMinutes = qint64(kMaxPauseDays) * 24 * 60;
    if (match.hasMatch()) {
        const qint64 n = match.captured(1).toLongLong();
        const QChar unit = match.captured(2).at(0);
        const qint64 minutes = unit == u'm' ? n : unit == u'h' ? n * 60 : n * 24 * 60;
        if (minutes >= 1 && minutes <= maxMinutes)
            return nowUtc.toUTC().addSecs(minutes * 60);
    }
    return fail(
        codes::kPauseInvalid,
        QStringLiteral("a pause is <n>m, <n>h or <n>d (1 minute to %1 days) or until-tomorrow, not '%2'")
            .arg(kMaxPauseDays)
            .arg(spec.left(40)));
}

} // namespace odis::agent
