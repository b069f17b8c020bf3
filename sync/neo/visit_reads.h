#pragma once

#include "sync/core/neo_drift.h"
#include "sync/core/neo_field_presence.h"
#include "sync/core/neo_read_plan.h"
#include "sync/core/neo_types.h"
#include "sync/core/selector_profile.h"
#include "sync/neo/neo_read.h"
#include "sync/neo/neo_read_step.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <chrono>
#include <functional>

namespace odis::sync {

class NeoRequestRunner;

struct VisitReadsOutcome
{
    QHash<QString, NeoConsultation> consultations;
    QHash<QString, NeoAppointmentDetail> details;
    QList<VisitReadOutcome> visits; // in plan order
    QList<DriftWarning> warnings;
    QList<RunWarning> refusals;         // items refused (a value too long, invalid UTF-8)
    PresenceCounts presence;            // the Optional fields of the page-data answers (drift)
    bool consultationPagesUsed = false; // page-data was gone: consultations were read from their pages
};

// The consultation step of a read: for each planned visit, page-data (its consultation) and
// getAppointment (its client's phones), all handed to the request runner at once, which paces them.
// When page-data is gone (404/410) and the consultation's /consultations/{id}/details page gives it,
// page-data is taken as gone for the rest of the read and the pages are read instead. An answer that
// is not data is asked for once more; an answer that breaks the contract twice ends the step
// (NeoStepFailure::refusal), as does a page whose layout is unknown (neo_layout_changed) and an error
// that ends the read (endsTheRead()). Nothing is handed on from a step that ended. A visit whose read
// fails otherwise (a refused item included) is recorded with its error, and its other reads still count.
class VisitReads final : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(NeoStepResult<VisitReadsOutcome>)>;

    // At most `window` visits are read at a time, so that what the first answers teach (page-data is
    // gone) decides how the later visits are read.
    VisitReads(NeoRequestRunner& runner, const SelectorProfile& profile, std::chrono::milliseconds domSettle,
               int window, QObject* parent = nullptr);

    void start(const QList<PlannedRead>& reads, Callback done);

Q_SIGNALS:
    // A visit's reads are all answered (or failed): `done` of `total` visits so far.
    void visitDone(int done, int total);

private:
    void fill();
    void readConsultation(qsizetype visit, int attempt);
    void onConsultation(qsizetype visit, int attempt, Result<NeoResponse> result);
    void readConsultationPage(qsizetype visit, bool jsonGone);
    void onConsultationPage(qsizetype visit, bool jsonGone, const QString& path,
                            Result<PageVisitResult> result);
    void readDetail(qsizetype visit, int attempt);
    void onDetail(qsizetype visit, int attempt, Result<NeoResponse> result);
    void answerFailed(qsizetype visit, QLatin1StringView endpoint, const Error& error,
                      const NeoAnswerCheck& check);
    void itemFailed(qsizetype visit, const Error& error);
    void partDone(qsizetype visit);
    void stop(NeoStepFailure failure);

    NeoRequestRunner& m_runner;
    const SelectorProfile& m_profile;
    std::chrono::milliseconds m_domSettle;
    Callback m_done;
    VisitReadsOutcome m_outcome;
    QList<int> m_partsLeft; // per visit: reads not answered yet
    qsizetype m_visitsLeft = 0;
    qsizetype m_next = 0; // the next visit to start
    int m_window;
    int m_active = 0;
    bool m_pageDataGone = false;
    bool m_finished = false;
};

} // namespace odis::sync
