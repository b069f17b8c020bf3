#pragma once

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/clinic_profile.h"
#include "tests/sim/neo/neo_consultation_json.h"
#include "tests/sim/neo/neo_login.h"
#include "tests/sim/neo/neo_schedule_faults.h"
#include "tests/sim/neo/neo_sessions.h"
#include "tests/sim/neo/neo_sim_clock.h"
#include "tests/sim/neo/neo_variants.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace odis::sim::neo {

// How the JSON calls of one route were made: the agent must send Accept: application/json and
// X-Requested-With: XMLHttpRequest, and tests check that it did. Booleans only: no header value is kept.
struct NeoHeaderStats
{
    qint64 total = 0;
    qint64 acceptJson = 0;
    qint64 xRequestedWith = 0;
    bool lastAcceptJson = false;
    bool lastXRequestedWith = false;
};

// Everything the simulated Neo knows and remembers, shared by its route handlers and its admin API.
// Owned by NeoServer; handlers run on the server's thread, one at a time.
struct NeoState
{
    NeoState(ClinicModel clinic, QJsonObject profileJson, SimClinicProfile profile, NeoAccount account,
             const QDateTime& startUtc, double clockSpeed);

    ClinicModel model;
    QJsonObject clinicProfileJson; // as given; what the ground truth reads
    SimClinicProfile clinicProfile;
    NeoSimClock clock;
    NeoSessions sessions;
    NeoLoginGuard login;
    NeoVariants variants;
    ScheduleDayFaults scheduleDays; // days served short (neo_schedule_faults.h)
    bool tls = false;               // Secure cookies; kept equal to the server's isTls() by NeoServer

    // The simulated time of every schedule read answered with data (JSON or HTML page): the ground
    // truth's sync times.
    QList<QDateTime> scheduleCallTimes;
    QHash<QString, NeoHeaderStats> headerStats; // by route name

    [[nodiscard]] QDateTime now() const { return clock.nowUtc(); }
    [[nodiscard]] QTimeZone zone() const { return model.options().zone; }
    // The simulated now as the clinic's wall clock reads it.
    [[nodiscard]] QDateTime nowLocal() const;
    [[nodiscard]] bool companyIdShown() const;
    [[nodiscard]] bool secondFactorOn() const { return variants.secondFactor != SecondFactor::Off; }
    [[nodiscard]] NeoClinicInfo clinicInfo() const;
    [[nodiscard]] QJsonObject headerStatsJson() const;
};

// When the login page asks for an e-mail address (username_field: email), the account's user name is one
// ("frontdesk" becomes "frontdesk@clinic4821.example"): a browser refuses to submit anything else in an
// e-mail field. A user name that already is an address is kept.
void useEmailUsernameWhenAsked(NeoState& state);

} // namespace odis::sim::neo
