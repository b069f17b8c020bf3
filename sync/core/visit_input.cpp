#include "sync/core/visit_input.h"

#include "sync/core/code_table.h"

#include <array>
#include <utility>

namespace odis::sync {

namespace {

constexpr std::array<std::pair<VisitStatus, QStringView>, 7> kStatusCodes{{
    {VisitStatus::Scheduled, u"scheduled"},
    {VisitStatus::CheckedIn, u"checked_in"},
    {VisitStatus::InProgress, u"in_progress"},
    {VisitStatus::Completed, u"completed"},
    {VisitStatus::NoShow, u"no_show"},
    {VisitStatus::Cancelled, u"cancelled"},
    {VisitStatus::Unknown, u"unknown"},
}};

} // namespace

VisitStatus visitStatusFromCode(QStringView code)
{
    return valueOfCode(kStatusCodes, code).value_or(VisitStatus::Unknown);
}

QString visitStatusCode(VisitStatus status)
{
    return codeOf(kStatusCodes, status).value_or(u"unknown").toString();
}

QDateTime visitEndUtc(const VisitInput& visit, const QTimeZone& zone)
{
    return resolveLocalTime(visit.end.isValid() ? visit.end : visit.start, zone);
}

bool appointmentIdLess(const QString& left, const QString& right)
{
    if (left.size() != right.size())
        return left.size() < right.size();
    return left < right;
}

} // namespace odis::sync
