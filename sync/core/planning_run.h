#pragma once

// One run of the discharge planner over its input (discharge_planner.h): the steps of
// DischargePlanner::plan() in order, each on the state the one before left. Internal to sync/core.

#include "storage/result.h"
#include "sync/core/call_grouping.h"
#include "sync/core/discharge_decision.h"
#include "sync/core/discharge_planner.h"
#include "sync/core/discharge_rules.h"
#include "sync/core/visit_input.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

namespace odis::sync {

class PlanningRun
{
public:
    PlanningRun(const DischargeRules& rules, const PlanInput& input,
                const QHash<QString, DischargeDecision>& earlier);

    // 1. The patients' end-of-life findings: the stored ones, and those of this run's visits.
    void findPatients();
    // 2. Every visit read: final, re-checked, planned again, kept or decided from scratch.
    void decideRead();
    // 3. The live calls of visits not read in this run, and earlier live calls without a visit.
    void recheckUnread();
    // 4. Kept calls whose time is no longer a call slot, and grouped calls whose carrier is gone, are
    //    placed again; the others keep their time.
    void releaseKeptCalls();
    // 5. The new calls are staggered; a call placed too late for its visit is not a call.
    [[nodiscard]] Status placeRequests();
    // 6. One call per owner per day; every decision, sorted by appointment id.
    [[nodiscard]] QList<DecisionUpdate> result();

    [[nodiscard]] const QList<PatientFinding>& newFindings() const { return m_newFindings; }

private:
    // What placing a new call gives when it lands too late for its visit.
    enum class WhenTooLate
    {
        Exclude, // a new call: excluded too_old
        Cancel,  // a live call placed again: cancelled too_old
        Keep,    // a removed call planned again: stays as it was
    };

    struct Request
    {
        const VisitInput* visit = nullptr;
        DischargeDecision decision; // Planned; its time comes from the stagger
        QDateTime proposed;
        WhenTooLate tooLate = WhenTooLate::Exclude;
        DischargeDecision kept; // for WhenTooLate::Keep
    };

    struct KeptCall
    {
        LiveCall call;
        const VisitInput* visit = nullptr; // nullptr: neither read nor unread in this run
    };

    [[nodiscard]] const DischargeDecision* earlierOf(const QString& appointmentId) const;
    [[nodiscard]] const PatientFinding* findingOf(const VisitInput& visit) const;
    void keep(const DischargeDecision& decision, const VisitInput* visit);
    void place(const KeptCall& kept, const QDateTime& proposed);
    [[nodiscard]] DischargeDecision tooLate(const Request& request, const QDateTime& placedAt) const;
    void decideVisit(const VisitInput& visit, const DischargeDecision* earlier);
    // A cancelled call stays cancelled, unless it was cancelled because its appointment disappeared and
    // the appointment is back, read completely, its call allowed and its time still ahead.
    void replanRemoved(const VisitInput& visit, const DischargeDecision& earlier);

    const DischargeRules& m_rules;
    const PlanInput& m_input;
    const QHash<QString, DischargeDecision>& m_earlier;
    const QDateTime m_now;
    QHash<QString, PatientFinding> m_findings;
    QList<PatientFinding> m_newFindings;
    QSet<QString> m_handled;
    QList<DischargeDecision> m_settled; // decided: not a live call
    QList<KeptCall> m_kept;             // live calls kept from earlier runs
    QList<Request> m_requests;          // calls to place
    QList<LiveCall> m_calls;            // placed in this run
};

} // namespace odis::sync
