#include "agent/run/neo_clinic_reader.h"

#include "storage/clock.h"
#include "storage/redactor.h"
#include "sync/core/reconcile_window.h"
#include "sync/neo/layout_diagnostics.h"
#include "sync/neo/neo_extractor.h"
#include "sync/neo/neo_read_store.h"

#include <QMetaObject>
#include <QObject>

#include <spdlog/spdlog.h>

namespace odis::agent {

NeoClinicReader::NeoClinicReader(storage::Database& db, storage::CredentialStore& keys, const Clock& clock,
                                 sync::SelectorProfile profile, storage::Redactor* redactor,
                                 sync::PacerSettings pacing)
    : m_db(db)
    , m_clock(clock)
    , m_profile(std::move(profile))
    , m_pacing(pacing)
    , m_diagnostics(std::make_unique<sync::LayoutDiagnostics>(keys, db, clock))
    , m_redaction(redactor ? std::make_unique<storage::RedactionScope>(*redactor) : nullptr)
    , m_context(std::make_unique<QObject>())
{}

NeoClinicReader::~NeoClinicReader() = default;

void NeoClinicReader::read(sync::NeoSession& session, const ClinicReadRequest& request,
                           ConsultationsStarting consultationsStarting, Done done)
{
    const QDateTime now = m_clock.nowUtc();
    if (auto purged = sync::LayoutDiagnostics::purgeExpired(m_db, now); !purged)
        spdlog::warn("expired diagnostics were not purged: {}", purged.error().code.toStdString());
    else if (*purged > 0)
        spdlog::info("{} expired diagnostics row(s) purged", *purged);

    const sync::ReconcileWindow window = sync::reconcileWindow(
        now, request.zone, request.settings.reconcileDays, request.settings.lookaheadDays);
    auto previous = sync::loadNeoReadStates(m_db);
    // The volume check compares each day with the same weekday a week earlier.
    auto baseline = sync::loadScheduleVolume(m_db, window.first.addDays(-7), window.last);
    auto stored = sync::loadStoredAppointments(m_db);
    auto presence = sync::loadFieldPresence(m_db);
    auto held = sync::loadHeldReads(m_db);
    if (!previous || !baseline || !stored || !presence || !held) {
        const Error error = !previous   ? previous.error()
                            : !baseline ? baseline.error()
                            : !stored   ? stored.error()
                            : !presence ? presence.error()
                                        : held.error();
        // Later, like every answer, and dropped if this reader goes first.
        QMetaObject::invokeMethod(
            m_context.get(), [done = std::move(done), error] { done(std::unexpected(error)); },
            Qt::QueuedConnection);
        return;
    }

    sync::NeoReadSettings settings;
    settings.clinicZone = request.zone;
    settings.phoneCountry = request.country;
    settings.reconcileDays = request.settings.reconcileDays;
    settings.lookaheadDays = request.settings.lookaheadDays;
    settings.lookbackHours = request.settings.lookbackHours;
    settings.pacing = m_pacing;
    m_extractor =
        std::make_unique<sync::NeoExtractor>(session, m_clock, m_profile, settings, m_diagnostics.get());
    if (m_redaction)
        QObject::connect(m_extractor.get(), &sync::NeoExtractor::personalDataSeen, m_context.get(),
                         [scope = m_redaction.get()](const QStringList& values) { scope->addAll(values); });
    if (consultationsStarting)
        QObject::connect(m_extractor.get(), &sync::NeoExtractor::visitReadsStarting, m_context.get(),
                         [started = std::move(consultationsStarting)](int) { started(); });
    if (m_progress)
        QObject::connect(m_extractor.get(), &sync::NeoExtractor::visitReadProgress, m_context.get(),
                         [progress = m_progress](int doneReads, int total) { progress(doneReads, total); });
    sync::NeoReadInput input{request.runId, *previous, *baseline, *stored, *presence, *held};
    m_extractor->read(std::move(input), [now, previousReads = *previous, presenceBaseline = *presence,
                                         done = std::move(done)](Result<sync::NeoRead> neo) {
        if (!neo) {
            done(propagate(neo));
            return;
        }
        done(ClinicRead{now, std::move(*neo), previousReads, presenceBaseline});
    });
}

} // namespace odis::agent
