#pragma once

namespace odis::sim {

class SimHttpServer;

// The admin routes every simulator has (all under /__admin, loopback only):
//   GET    /routes              {"routes": [{name, method, pattern}]}
//   GET    /faults              the fault plan {route: {...}}
//   PUT    /faults[?seed=N]     replace the plan (unknown routes or fields -> 400), reseed when asked
//   DELETE /faults              clear every fault
//   PUT    /faults/{route}      set one route's faults ("*" = every route without its own entry)
//   DELETE /faults/{route}      clear one route's faults
//   GET    /requests            the request log: {total, counts, statuses, entries}
//   DELETE /requests            clear the request log
void registerCommonAdminRoutes(SimHttpServer& server);

} // namespace odis::sim
