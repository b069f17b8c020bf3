#pragma once

#include "sync/core/neo_drift.h"
#include "sync/core/neo_field_presence.h"
#include "sync/core/neo_types.h"
#include "sync/core/reconcile_window.h"
#include "sync/core/selector_profile.h"
#include "sync/neo/neo_read.h"
#include "sync/neo/neo_read_step.h"

#include <QList>
#include <QObject>
#include <QStringList>

#include <chrono>
#include <functional>

namespace odis::sync {

class NeoRequestRunner;

struct ScheduleReadOutcome
{
    QList<NeoScheduleEvent> events;
    NeoReadSource source = NeoReadSource::Json;
    QList<DriftWarning> warnings;
    QStringList refusedIds;     // rows the contract refused (still in Neo: never removed)
    QList<RunWarning> refusals; // why, per field
    PresenceCounts presence;    // the answer's Optional fields (drift is judged over the whole run)
};

// The schedule step of a read: one getCalendarEventData call for the whole window (00:00:00 of its
// first day to 23:59:59 of its last, clinic-local). Only when the endpoint is gone (404/410) does the
// DOM fallback read /schedule?date= for every day of the window through the selector profile. An answer
// that is not data (invalid JSON, HTML, an unknown shape, a broken contract) is asked for once more;
// twice ends the step: with NeoStepFailure::refusal for a broken contract or shape, with the parser's
// error otherwise. Nothing is handed on unless the whole window was read: a day page that fails is
// neo_layout_changed (or the page's HTTP error), never a shorter list. Other failures (429 and 5xx the
// runner could not wait out, a lost session) end the step with their error.
class ScheduleRead final : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(NeoStepResult<ScheduleReadOutcome>)>;

    ScheduleRead(NeoRequestRunner& runner, const SelectorProfile& profile,
                 std::chrono::milliseconds domSettle, QObject* parent = nullptr);

    void start(const ReconcileWindow& window, Callback done);

    // "/appointments/getCalendarEventData?start=2026-03-03%2000%3A00%3A00&end=2026-03-11%2023%3A59%3A59"
    [[nodiscard]] static QString jsonPath(const ReconcileWindow& window);

private:
    void readJson(int attempt);
    void onJson(int attempt, Result<NeoResponse> result);
    void readPages();
    void onPage(qsizetype dayIndex, const QString& path, Result<PageVisitResult> result);
    void finish(NeoStepResult<ScheduleReadOutcome> result);

    NeoRequestRunner& m_runner;
    const SelectorProfile& m_profile;
    std::chrono::milliseconds m_domSettle;
    ReconcileWindow m_window;
    Callback m_done;
    QList<QDate> m_days;
    QList<std::optional<QList<NeoScheduleEvent>>> m_dayEvents;
    QList<DriftWarning> m_warnings;
    qsizetype m_daysLeft = 0;
    bool m_finished = false;
};

} // namespace odis::sync
