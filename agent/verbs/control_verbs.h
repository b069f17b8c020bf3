#pragma once

#include <QStringList>

#include <functional>

namespace odis::agent {

// Steering the running agent through its control socket (agent/control/control_server.h). Without a
// running agent each says so and exits 3.
//   sync-now                  a sync now (manual): starts within seconds, or joins the run that will read
//                             Neo after the request; never a second run for two quick requests
//   pause --for <spec>        pause automatic syncs (pause_spec.h: 30m, 4h, 2d, until-tomorrow)
//   resume                    end a pause
//   quit                      stop the agent (a run in progress stops and is resumed by its next start)
void runSyncNowVerb(const QStringList& arguments, const std::function<void(int)>& exit);
void runPauseVerb(const QStringList& arguments, const std::function<void(int)>& exit);
void runResumeVerb(const QStringList& arguments, const std::function<void(int)>& exit);
void runQuitVerb(const QStringList& arguments, const std::function<void(int)>& exit);

} // namespace odis::agent
