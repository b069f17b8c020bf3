#pragma once

// One discharge-call decision for one appointment: what the agent decided, why, and when the call is.
// This is what is stored locally (and shown to staff) and what the `discharge_call` item carries.

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace odis::sync {

enum class DecisionKind
{
    Planned,
    WaitingForNotes,
    Excluded,
    Cancelled,
    Grouped, // covered by the planned call of another appointment (one call per owner per day)
};

// The reason codes of docs/discharge-rules.md. They double as the rule names in rule_trace.
enum class DecisionReason
{
    Block,
    Cancelled,
    NoShow,
    NotFinished,
    EndOfLife,
    EndOfLifePossible,
    EndOfLifePatient,
    Type,
    NoPhone,
    TooOld,
    Disabled,
    WaitingForNotes,
    Planned,
    Removed, // only as a cancellation cause
    Grouped, // only for a grouped call
};

[[nodiscard]] QString decisionKindCode(DecisionKind kind); // "planned", "waiting_for_notes", ...
[[nodiscard]] std::optional<DecisionKind> decisionKindFromCode(QStringView code);
[[nodiscard]] QString reasonCode(DecisionReason reason); // "block", "no_show", "end_of_life", ...

// The wire form of `reason`: "excluded:<code>", "cancelled:<code>", "waiting_for_notes", "planned" or
// "grouped".
// Empty for a combination the rules never produce (an excluded "planned", a cancelled "type", ...).
[[nodiscard]] QString wireReason(DecisionKind kind, DecisionReason reason);
// The reason behind a wire form, checked against the decision; nullopt when they do not fit together.
[[nodiscard]] std::optional<DecisionReason> reasonFromWire(DecisionKind kind, QStringView wire);

// "<rule>:pass" / "<rule>:hit", the entries of rule_trace. A hit may carry a detail that says why
// ("end_of_life:hit notes: euthanised"), never a note itself; it is cut to kTraceDetailMax characters.
inline constexpr qsizetype kTraceDetailMax = 300;
[[nodiscard]] QString traceEntry(DecisionReason rule, bool hit);
[[nodiscard]] QString traceEntry(DecisionReason rule, const QString& hitDetail);

struct DischargeDecision
{
    QString appointmentId;
    QString consultationId; // empty: none
    DecisionKind kind = DecisionKind::Excluded;
    DecisionReason reason = DecisionReason::NotFinished;
    QDateTime scheduledFor; // UTC, whole minutes; valid only for a planned or grouped call
    QString customerPhone;  // E.164 the call uses; empty: none
    QStringList ruleTrace;
    // A planned call covering other appointments' calls (one call per owner per day): every appointment id
    // it covers, its own included, in appointmentIdLess() order; empty for a call alone.
    QStringList group;
    QString groupedInto; // a grouped call: the appointment whose planned call covers it

    [[nodiscard]] QString wireReason() const { return odis::sync::wireReason(kind, reason); }
    // Planned or grouped: a call happens (or happened) at scheduledFor.
    [[nodiscard]] bool isCall() const
    {
        return kind == DecisionKind::Planned || kind == DecisionKind::Grouped;
    }
    bool operator==(const DischargeDecision&) const = default;
};

} // namespace odis::sync
