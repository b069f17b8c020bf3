#pragma once

#include <QStringList>

#include <functional>

namespace odis::agent {

// `odis-agent sync --once [--headless] [--trigger manual|schedule|remote|catch_up|startup]`: one whole
// sync run, IDEXX Neo to the backend (agent/run/sync_run.h), then a summary on stdout: appointments,
// consultations, notes, calls planned and excluded (per reason), items uploaded, pending and failed,
// duration, peak memory and the run id. The trigger defaults to manual (which may validate credentials
// that were saved but not yet used). --headless: nothing on the desktop at all (Qt's offscreen
// platform, also chosen when there is no display); without it the desktop's platform is used, for the
// windows a person may need (the tray and its notifications belong to the resident agent, ui/).
// Exit 0 completed, 4 partial (finished; what did not go through waits in the outbox for the next run),
// 1 failed, 2 usage, 3 could not run (store, keychain, configuration, another sync running).
// --progress-lines (the resident agent's child, agent/resident/run_progress.h): the steps, the visit reads'
// progress and the result (with the summary) as lines on stdout instead of the summary.
// After a run that reached the backend, the audit log's new entries are shipped
// (agent/audit/audit_after_run.h). Run by odis-agent-sync (agent/sync_main.cpp); `odis-agent sync` hands over
// to it (verbs/sync_launcher.h).
void runSyncVerb(const QStringList& arguments, const std::function<void(int)>& exit);

// Whether the arguments ask for --headless (main() chooses the Qt platform before the application exists).
bool syncArgumentsHeadless(const QStringList& arguments);

} // namespace odis::agent
