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
};

// The reason codes of docs/discharge-rules.md. They double as the rule names in rule_trace.
enum class DecisionReason
{
    Block,
    Cancelled,
    NoShow,
    NotFinished,
    EndOfLife,
    Type,
    NoPhone,
    TooOld,
    Disabled,
    WaitingForNotes,
    Planned,
    Removed, // only as a cancellation cause
};

[[nodiscard]] QString decisionKindCode(DecisionKind kind); // "planned", "waiting_for_notes", ...
[[nodiscard]] std::optional<DecisionKind> decisionKindFromCode(QStringView code);
[[nodiscard]] QString reasonCode(DecisionReason reason); // "block", "no_show", "end_of_life", ...

// The wire form of `reason`: "excluded:<code>", "cancelled:<code>", "waiting_for_notes" or "planned".
// Empty for a combination the rules never produce (an excluded "planned", a cancelled "type", ...).
[[nodiscard]] QString wireReason(DecisionKind kind, DecisionReason reason);
// The reason behind a wire form, checked against the decision; nullopt when they do not fit together.
[[nodiscard]] std::optional<DecisionReason> reasonFromWire(DecisionKind kind, QStringView wire);

// "<rule>:pass" / "<rule>:hit", the entries of rule_trace.
[[nodiscard]] QString traceEntry(DecisionReason rule, bool hit);

struct DischargeDecision
{
    QString appointmentId;
    QString consultationId; // empty: none
    DecisionKind kind = DecisionKind::Excluded;
    DecisionReason reason = DecisionReason::NotFinished;
    QDateTime scheduledFor; // UTC, whole minutes; valid only for a planned call
    QString customerPhone;  // E.164 the call uses; empty: none
    QStringList ruleTrace;

    [[nodiscard]] QString wireReason() const { return odis::sync::wireReason(kind, reason); }
    bool operator==(const DischargeDecision&) const = default;
};

} // namespace odis::sync
