#pragma once

#include <QStringList>

#include <functional>

namespace odis::agent {

class ResidentAgent;
struct AgentContext;
struct AgentConfig;

// Called once the resident agent has started, with what it runs on (all alive until the process ends):
// the tray and windows of odis-agent-ui (ui/ui_app.h) are made here.
using ResidentStarted =
    std::function<void(ResidentAgent& agent, AgentContext& context, const AgentConfig& config)>;

// `odis-agent [--headless]`: the resident agent for this user (agent/resident/resident_agent.h). One per
// user and install: when another is running, it is asked to show itself and this start exits 0. Runs until
// SIGTERM, SIGINT, SIGHUP (the session ends) or `odis-agent quit`, then exits 0; 3 when it cannot start
// (store, keychain, configuration, control socket).
void runResidentVerb(const QStringList& arguments, const std::function<void(int)>& exit,
                     ResidentStarted onStarted = {});

} // namespace odis::agent
