#pragma once

#include <QJsonObject>

namespace odis::sim {

// The clinic profile both simulators serve until the admin API replaces it: default-clinic-profile.json,
// embedded as the resource :/odis/sim/common/default-clinic-profile.json.
QJsonObject defaultClinicProfile();

} // namespace odis::sim
