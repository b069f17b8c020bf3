#pragma once

// The agent's ClinicReader: sync::NeoExtractor (pacing, retries, DOM fallback, drift and volume checks,
// layout diagnostics) fed with what the store holds from earlier runs (neo_reads, schedule_volume). The
// extractor writes nothing; the run's commit writes back what it read (run_commit.h).

#include "agent/run/clinic_reader.h"
#include "sync/core/request_pacer.h"
#include "sync/core/selector_profile.h"

#include <functional>
#include <memory>

class QObject;

namespace odis {
class Clock;
}
namespace odis::storage {
class CredentialStore;
class Database;
class Redactor;
class RedactionScope;
} // namespace odis::storage
namespace odis::sync {
class LayoutDiagnostics;
class NeoExtractor;
} // namespace odis::sync

namespace odis::agent {

class NeoClinicReader final : public ClinicReader
{
public:
    // `keys` gives the field key ring that seals layout diagnostics. `redactor` (optional) learns the
    // names, phones and e-mails the read takes in, for as long as this reader (one run) lives. All outlive
    // the reader. `pacing` is how hard Neo is asked (the default: a light load on a clinic's Neo; tests of
    // many runs against a simulator on loopback ask faster).
    NeoClinicReader(storage::Database& db, storage::CredentialStore& keys, const Clock& clock,
                    sync::SelectorProfile profile, storage::Redactor* redactor = nullptr,
                    sync::PacerSettings pacing = {});
    ~NeoClinicReader() override;

    void read(sync::NeoSession& session, const ClinicReadRequest& request,
              ConsultationsStarting consultationsStarting, Done done) override;

    // Called as the visit reads finish: `done` of `total` (the resident agent's progress); may be empty.
    void setVisitProgress(std::function<void(int done, int total)> progress)
    {
        m_progress = std::move(progress);
    }

private:
    storage::Database& m_db;
    const Clock& m_clock;
    sync::SelectorProfile m_profile;
    sync::PacerSettings m_pacing;
    std::unique_ptr<sync::LayoutDiagnostics> m_diagnostics;
    std::unique_ptr<storage::RedactionScope> m_redaction; // the run's personal data; forgotten with it
    std::unique_ptr<sync::NeoExtractor> m_extractor;
    std::unique_ptr<QObject> m_context; // guards answers delivered later against this reader's destruction
    std::function<void(int, int)> m_progress;
};

} // namespace odis::agent
