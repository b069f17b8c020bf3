#pragma once

// One run's read of IDEXX Neo (docs/idexx-neo.md): what NeoExtractor is given and what it hands on.
// It writes nothing: the run code commits the observations, neo_reads (readStateAfter() per visit) and
// schedule_volume (appointmentsPerDay) in one transaction.

#include "sync/core/neo_drift.h"
#include "sync/core/neo_read_plan.h"
#include "sync/core/neo_types.h"
#include "sync/core/reconcile_window.h"
#include "sync/core/request_pacer.h"
#include "sync/core/schedule_volume.h"
#include "sync/neo/neo_request_runner.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QTimeZone>

#include <chrono>
#include <optional>

namespace odis::sync {

struct NeoReadSettings
{
    QTimeZone clinicZone;      // the clinic profile's IANA zone
    PhoneCountry phoneCountry; // the clinic profile's country
    int reconcileDays = 7;
    int lookaheadDays = 1;
    int lookbackHours = 48;
    PacerSettings pacing; // default: 4 in flight, 4 requests a second
    NeoRetrySettings retry;
    VolumeThresholds volume;
    // How long a page may take to show its root element (pages that render with JavaScript); a page
    // whose root never appears costs this long once before the read fails with neo_layout_changed.
    std::chrono::milliseconds domSettle{3000};
};

struct NeoReadInput
{
    QString runId;                              // diagnostics are filed under it
    QHash<QString, NeoReadState> previousReads; // the neo_reads table, by key
    QMap<QDate, int> volumeBaseline;            // the schedule_volume table
};

enum class NeoReadSource
{
    Json, // Neo's JSON endpoint
    Dom,  // its HTML pages, through the selector profile
};

// The reads of one finished visit and how they went.
struct VisitReadOutcome
{
    PlannedRead planned;
    std::optional<Error> failure; // the first read of the visit that failed; none: all succeeded
    bool consultationRead = false;
    bool detailRead = false;
};

struct NeoRead
{
    ReconcileWindow window; // scheduleRead is true: the whole window was read
    NeoReadSource scheduleSource = NeoReadSource::Json;
    QList<NeoScheduleEvent> events;                // the window's rows; for the DOM fallback, day by day
    QHash<QString, NeoConsultation> consultations; // read in this run, by consultation id
    QHash<QString, NeoAppointmentDetail> appointmentDetails; // read in this run, by appointment id
    QList<VisitReadOutcome> visits; // every planned visit read (for neo_reads), in plan order
    int finishedVisits = 0;
    int upToDate = 0; // finished visits with nothing due
    QList<DriftWarning> driftWarnings;
    QStringList domFallbackEndpoints;    // neo_endpoint names that were read through their HTML pages
    QMap<QDate, int> appointmentsPerDay; // every date of the window, for schedule_volume
    QList<VolumeWarning> volumeWarnings; // kVolumeCollapseWarning: a warning, the data is handed on
    NeoRunnerStats requests;

    [[nodiscard]] int failedVisits() const;
};

} // namespace odis::sync
