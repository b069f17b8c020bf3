#pragma once

// "Read the clinic": what a sync run needs from IDEXX Neo, behind a small interface so that the run does
// not depend on how the reading is done (JSON endpoints, DOM fallback, pacing: the extractor's business,
// sync/neo/neo_extractor.h). The run hands it a logged-in session and gets back everything read in this
// run, typed, or the error that stopped the read.

#include "agent/run/sync_settings.h"
#include "storage/result.h"
#include "sync/core/neo_read_plan.h"
#include "sync/neo/neo_read.h"

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QTimeZone>

#include <functional>

namespace odis::sync {
class NeoSession;
}

namespace odis::agent {

// What the run knows when it asks: its id (diagnostics are filed under it), the clinic's zone, country
// and sync settings (clinic profile).
struct ClinicReadRequest
{
    QString runId;
    QTimeZone zone;
    sync::PhoneCountry country;
    SyncSettings settings;
};

struct ClinicRead
{
    QDateTime readAt; // observed_at of everything read in this run (UTC)
    sync::NeoRead neo;
    // The neo_reads rows the read was planned against, by key: the commit derives the new rows from them
    // (sync::readStateAfter).
    QHash<QString, sync::NeoReadState> previousReads;
    // The presence baseline of Neo's optional fields the read was judged against: the commit stores it
    // updated (sync::updatedBaseline).
    sync::PresenceCounts presenceBaseline;

    // Drift warnings and volume collapses: what the "Neo layout drift" alert counts.
    [[nodiscard]] int driftWarnings() const
    {
        return static_cast<int>(neo.driftWarnings.size() + neo.volumeWarnings.size());
    }
};

class ClinicReader
{
public:
    using Done = std::function<void(Result<ClinicRead>)>;
    // The schedule is read and the consultations' reads start (the run stores its step `consultations`).
    using ConsultationsStarting = std::function<void()>;

    virtual ~ClinicReader() = default;

    // Reads the clinic through `session` (logged in). `consultationsStarting` is called at most once, when
    // the schedule was read, before the consultations are; `done` is called once, later, unless the reader
    // is destroyed first. Errors are the Neo session's and the extractor's codes (neo_*:
    // neo_layout_changed for a layout the agent no longer knows, neo_reads_failed when most visit reads
    // failed) and the store's.
    virtual void read(sync::NeoSession& session, const ClinicReadRequest& request,
                      ConsultationsStarting consultationsStarting, Done done) = 0;
};

} // namespace odis::agent
