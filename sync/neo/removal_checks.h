#pragma once

#include "sync/core/neo_drift.h"
#include "sync/core/neo_json.h"
#include "sync/core/reconcile_window.h"
#include "sync/core/removal_proof.h"
#include "sync/core/run_warnings.h"
#include "sync/neo/neo_read_step.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <functional>

namespace odis::sync {

class NeoRequestRunner;

struct RemovalChecksOutcome
{
    QSet<QString> gone;      // proven deleted or moved out of the window: these may be removed
    QList<HeldRemoval> held; // not proven: they stay as stored
    QList<DriftWarning> warnings;
    QList<RunWarning> refusals; // items refused (a value too long, invalid UTF-8)
};

// The proof step of a read (sync/core/removal_proof.h): getAppointment for every appointment the
// schedule no longer shows on a day that can be trusted, and for one it does show (the control: an
// endpoint that answers 404 for an appointment that exists proves nothing by a 404). An answer that is
// not data is asked for once more; one that breaks the contract twice ends the step
// (NeoStepFailure::refusal): nothing is removed then. Other failures hold that one removal back.
class RemovalChecks final : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(NeoStepResult<RemovalChecksOutcome>)>;

    RemovalChecks(NeoRequestRunner& runner, QObject* parent = nullptr);

    // `candidates`: appointment ids with their stored dates. `controlId`: one the schedule shows (empty:
    // none, and then no 404 proves anything).
    void start(const QList<HeldRemoval>& candidates, const QString& controlId, const ReconcileWindow& window,
               Callback done);

private:
    enum class Answer
    {
        Pending,
        NotFound,
        Gone,
        StillThere,
        Failed,
    };

    void request(qsizetype index, int attempt);
    void onAnswer(qsizetype index, int attempt, Result<NeoResponse> result);
    void settle(qsizetype index, Answer answer);
    void finish(NeoStepResult<RemovalChecksOutcome> result);

    NeoRequestRunner& m_runner;
    QList<HeldRemoval> m_candidates; // index 0..n-1; the control is index n when there is one
    QString m_controlId;
    ReconcileWindow m_window;
    QList<Answer> m_answers;
    qsizetype m_left = 0;
    RemovalChecksOutcome m_outcome;
    Callback m_done;
    bool m_finished = false;
};

} // namespace odis::sync
