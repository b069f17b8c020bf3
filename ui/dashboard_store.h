#pragma once

// What the dashboard reads from the store: the facts behind the figures and the chart
// (dashboard_figures.h), the discharge decisions with the patient they concern, and the failed queue.
// Patients' and clients' names are read here to be shown in the dashboard's decisions list, the only place
// one appears; they are never logged.

#include "storage/result.h"
#include "ui/dashboard_figures.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

namespace odis::storage {
class Database;
}

namespace odis::ui {

struct DecisionRow
{
    QString appointmentId;
    QDate localDate;
    QString visitTime;   // clinic-local "HH:MM" of the visit's start
    QString patientName; // from Neo: shown as plain text only
    QString clientName;
    QString decision; // planned, waiting_for_notes, excluded, cancelled
    QString reason;   // excluded:end_of_life, planned, ...
    QDateTime scheduledForUtc;
    QString ruleTrace; // the rules checked, "<rule>:<pass|hit>", joined with ", "
    QString notesText; // the consultation's notes as text (plain text only, never rendered)
};

struct DashboardFacts
{
    QDate today; // the clinic's
    QList<VisitFacts> visits;
    QList<RunFacts> runs;
    QList<DecisionRow> decisions; // newest visit first
};

// The last `days` clinic-local days before and including the day of `nowUtc` in `zone`. Errors: the
// store's.
[[nodiscard]] Result<DashboardFacts> readDashboardFacts(storage::Database& db, const QTimeZone& zone,
                                                        const QDateTime& nowUtc, int days = kDashboardDays);

// A decision's reason in words for staff ("End of life mentioned", "Call planned").
[[nodiscard]] QString decisionReasonText(const QString& decision, const QString& reason);

// Rows of `decisions` whose patient's (or client's) name contains `text`, case-insensitively.
[[nodiscard]] QList<DecisionRow> searchDecisions(const QList<DecisionRow>& decisions, const QString& text);

} // namespace odis::ui
