#include "sync/core/neo_status.h"

#include <QLatin1StringView>

#include <array>
#include <utility>

namespace odis::sync {

namespace {

struct StatusName
{
    NeoStatus status;
    QLatin1StringView name;
};

constexpr std::array<StatusName, 7> kNames{{
    {NeoStatus::Scheduled, QLatin1StringView("scheduled")},
    {NeoStatus::CheckedIn, QLatin1StringView("checked_in")},
    {NeoStatus::InProgress, QLatin1StringView("in_progress")},
    {NeoStatus::Completed, QLatin1StringView("completed")},
    {NeoStatus::NoShow, QLatin1StringView("no_show")},
    {NeoStatus::Cancelled, QLatin1StringView("cancelled")},
    {NeoStatus::Unknown, QLatin1StringView("unknown")},
}};

// Neo's strings, already folded by fold() below. The table is docs/idexx-neo.md "Status mapping".
constexpr std::array<std::pair<QLatin1StringView, NeoStatus>, 15> kNeoStrings{{
    {QLatin1StringView("not arrived"), NeoStatus::Scheduled},
    {QLatin1StringView("scheduled"), NeoStatus::Scheduled},
    {QLatin1StringView("confirmed"), NeoStatus::Scheduled},
    {QLatin1StringView("booked"), NeoStatus::Scheduled},
    {QLatin1StringView("checked in"), NeoStatus::CheckedIn},
    {QLatin1StringView("arrived"), NeoStatus::CheckedIn},
    {QLatin1StringView("in progress"), NeoStatus::InProgress},
    {QLatin1StringView("with doctor"), NeoStatus::InProgress},
    {QLatin1StringView("finalized"), NeoStatus::Completed},
    {QLatin1StringView("ready to pay"), NeoStatus::Completed},
    {QLatin1StringView("discharged"), NeoStatus::Completed},
    {QLatin1StringView("completed"), NeoStatus::Completed},
    {QLatin1StringView("no show"), NeoStatus::NoShow},
    {QLatin1StringView("cancelled"), NeoStatus::Cancelled},
    {QLatin1StringView("canceled"), NeoStatus::Cancelled},
}};

// Lower case, `_` and `-` as spaces, inner white space collapsed, trimmed.
QString fold(QStringView raw)
{
    QString folded;
    folded.reserve(raw.size());
    for (const QChar c : raw) {
        if (c == u'_' || c == u'-')
            folded.append(u' ');
        else
            folded.append(c.toLower());
    }
    return folded.simplified();
}

} // namespace

QString statusName(NeoStatus status)
{
    for (const StatusName& entry : kNames) {
        if (entry.status == status)
            return QString(entry.name);
    }
    return QStringLiteral("unknown");
}

std::optional<NeoStatus> statusFromName(QStringView name)
{
    for (const StatusName& entry : kNames) {
        if (name == entry.name)
            return entry.status;
    }
    return std::nullopt;
}

NeoStatus normaliseNeoStatus(QStringView raw)
{
    // Neo's statuses are short; a long value cannot be one, and folding it would only cost time.
    constexpr qsizetype kLongestStatus = 64;
    if (raw.size() > kLongestStatus)
        return NeoStatus::Unknown;
    const QString folded = fold(raw);
    for (const auto& [text, status] : kNeoStrings) {
        if (folded == text)
            return status;
    }
    return NeoStatus::Unknown;
}

} // namespace odis::sync
