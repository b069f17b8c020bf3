#include "sync/core/discharge_decision.h"

#include "sync/core/code_table.h"

#include <array>
#include <utility>

namespace odis::sync {

namespace {

constexpr std::array<std::pair<DecisionKind, QStringView>, 5> kKinds{{
    {DecisionKind::Planned, u"planned"},
    {DecisionKind::WaitingForNotes, u"waiting_for_notes"},
    {DecisionKind::Excluded, u"excluded"},
    {DecisionKind::Cancelled, u"cancelled"},
    {DecisionKind::Grouped, u"grouped"},
}};

constexpr std::array<std::pair<DecisionReason, QStringView>, 15> kReasons{{
    {DecisionReason::Block, u"block"},
    {DecisionReason::Cancelled, u"cancelled"},
    {DecisionReason::NoShow, u"no_show"},
    {DecisionReason::NotFinished, u"not_finished"},
    {DecisionReason::EndOfLife, u"end_of_life"},
    {DecisionReason::EndOfLifePossible, u"end_of_life_possible"},
    {DecisionReason::EndOfLifePatient, u"end_of_life_patient"},
    {DecisionReason::Type, u"type"},
    {DecisionReason::NoPhone, u"no_phone"},
    {DecisionReason::TooOld, u"too_old"},
    {DecisionReason::Disabled, u"disabled"},
    {DecisionReason::WaitingForNotes, u"waiting_for_notes"},
    {DecisionReason::Planned, u"planned"},
    {DecisionReason::Removed, u"removed"},
    {DecisionReason::Grouped, u"grouped"},
}};

bool isExclusionReason(DecisionReason reason)
{
    switch (reason) {
    case DecisionReason::Block:
    case DecisionReason::Cancelled:
    case DecisionReason::NoShow:
    case DecisionReason::NotFinished:
    case DecisionReason::EndOfLife:
    case DecisionReason::EndOfLifePossible:
    case DecisionReason::EndOfLifePatient:
    case DecisionReason::Type:
    case DecisionReason::NoPhone:
    case DecisionReason::TooOld:
    case DecisionReason::Disabled:
        return true;
    case DecisionReason::WaitingForNotes:
    case DecisionReason::Planned:
    case DecisionReason::Removed:
    case DecisionReason::Grouped:
        return false;
    }
    return false;
}

bool isCancellationReason(DecisionReason reason)
{
    switch (reason) {
    case DecisionReason::Cancelled:
    case DecisionReason::NoShow:
    case DecisionReason::EndOfLife:
    case DecisionReason::EndOfLifePossible:
    case DecisionReason::EndOfLifePatient:
    case DecisionReason::NoPhone:
    case DecisionReason::TooOld:
    case DecisionReason::Removed:
        return true;
    default:
        return false;
    }
}

} // namespace

QString decisionKindCode(DecisionKind kind)
{
    return codeOf(kKinds, kind).value_or(QStringView()).toString();
}

std::optional<DecisionKind> decisionKindFromCode(QStringView code)
{
    return valueOfCode(kKinds, code);
}

QString reasonCode(DecisionReason reason)
{
    return codeOf(kReasons, reason).value_or(QStringView()).toString();
}

QString wireReason(DecisionKind kind, DecisionReason reason)
{
    switch (kind) {
    case DecisionKind::Planned:
        return reason == DecisionReason::Planned ? reasonCode(reason) : QString();
    case DecisionKind::WaitingForNotes:
        return reason == DecisionReason::WaitingForNotes ? reasonCode(reason) : QString();
    case DecisionKind::Excluded:
        return isExclusionReason(reason) ? QStringLiteral("excluded:") + reasonCode(reason) : QString();
    case DecisionKind::Cancelled:
        return isCancellationReason(reason) ? QStringLiteral("cancelled:") + reasonCode(reason) : QString();
    case DecisionKind::Grouped:
        return reason == DecisionReason::Grouped ? reasonCode(reason) : QString();
    }
    return {};
}

std::optional<DecisionReason> reasonFromWire(DecisionKind kind, QStringView wire)
{
    for (const auto& [reason, code] : kReasons) {
        if (const QString expected = wireReason(kind, reason); !expected.isEmpty() && wire == expected)
            return reason;
    }
    return std::nullopt;
}

QString traceEntry(DecisionReason rule, bool hit)
{
    return reasonCode(rule) + (hit ? QStringLiteral(":hit") : QStringLiteral(":pass"));
}

QString traceEntry(DecisionReason rule, const QString& hitDetail)
{
    // One line, bounded: a detail is built from clinic data (a type, matched words) and must stay a
    // short reason, whatever Neo holds.
    QString detail = hitDetail.simplified();
    if (detail.size() > kTraceDetailMax)
        detail = detail.left(kTraceDetailMax - 3) + QStringLiteral("...");
    const QString entry = traceEntry(rule, true);
    return detail.isEmpty() ? entry : entry + QLatin1Char(' ') + detail;
}

} // namespace odis::sync
