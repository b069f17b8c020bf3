#pragma once

// One run's read of IDEXX Neo (docs/idexx-neo.md): what NeoExtractor is given and what it hands on.
// It writes nothing: the run code commits the observations, neo_reads (readStateAfter() per visit) and
// schedule_volume (appointmentsPerDay) in one transaction.

#include "sync/core/neo_drift.h"
#include "sync/core/neo_field_presence.h"
#include "sync/core/neo_read_plan.h"
#include "sync/core/neo_types.h"
#include "sync/core/reconcile_window.h"
#include "sync/core/removal_proof.h"
#include "sync/core/request_pacer.h"
#include "sync/core/run_warnings.h"
#include "sync/core/schedule_volume.h"
#include "sync/neo/neo_read_step.h"
#include "sync/neo/neo_request_runner.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
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
    // Every appointment the store holds and has not marked removed, by id, with its clinic-local date:
    // the ones the schedule no longer shows must be proven gone (sync/core/removal_proof.h).
    QHash<QString, QDate> storedAppointments;
    PresenceCounts presenceBaseline; // the neo_field_presence table (sync/core/neo_field_presence.h)
    ConfirmReads confirm;            // changes held back (held_changes): the reads that settle them
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
    QList<VolumeWarning> volumeWarnings; // kVolumeCollapseWarning against the same weekday a week earlier
    NeoRunnerStats requests;

    // What the contract refused: whole steps (an answer broke it: nothing of the step is handed on) and
    // single items (a value too long, invalid UTF-8: the stored item stays).
    QList<NeoRefusal> refusals;
    bool scheduleRefused = false; // then nothing was read: events empty, window.scheduleRead false
    bool visitsRefused = false;   // then no consultation or detail is handed on
    QList<RunWarning> itemRefusals;
    QStringList refusedIds; // schedule rows refused: still in Neo, never taken as removed
    // Removals (sync/core/removal_proof.h): proven gone in this run, held back, and the days whose read
    // could not be trusted.
    QSet<QString> confirmedGone;
    QList<HeldRemoval> heldRemovals;
    QList<DayCollapse> collapsedDays;
    // Optional fields: this run's presence counts, and the ones that drifted (their values unknown here).
    PresenceCounts presence;
    QList<FieldDrift> fieldDrift;

    [[nodiscard]] int failedVisits() const;
    [[nodiscard]] bool drifted(NeoShapeId shape, QStringView field) const;
    // Everything above the run has to say, as its report carries it (sync/core/run_warnings.h).
    [[nodiscard]] QList<RunWarning> runWarnings() const;
};

} // namespace odis::sync
