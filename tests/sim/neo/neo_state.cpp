#include "tests/sim/neo/neo_state.h"

#include "tests/sim/neo/clinic_time.h"

#include <utility>

namespace odis::sim::neo {

NeoState::NeoState(ClinicModel clinic, QJsonObject profileJson, SimClinicProfile profile, NeoAccount account,
                   const QDateTime& startUtc, double clockSpeed)
    : model(std::move(clinic))
    , clinicProfileJson(std::move(profileJson))
    , clinicProfile(std::move(profile))
    , clock(startUtc, clockSpeed)
    , login(std::move(account))
{}

QDateTime NeoState::nowLocal() const
{
    return utcToLocal(now(), zone());
}

bool NeoState::companyIdShown() const
{
    switch (variants.companyIdField) {
    case CompanyIdField::Auto:
        return !login.account().companyId.isEmpty();
    case CompanyIdField::Shown:
        return true;
    case CompanyIdField::Hidden:
        return false;
    }
    return true;
}

NeoClinicInfo NeoState::clinicInfo() const
{
    return NeoClinicInfo{clinicProfileJson.value(QStringLiteral("clinic_id")).toString(),
                         clinicProfileJson.value(QStringLiteral("name")).toString(),
                         login.account().companyId};
}

QJsonObject NeoState::headerStatsJson() const
{
    QJsonObject out;
    for (auto it = headerStats.constBegin(); it != headerStats.constEnd(); ++it) {
        out.insert(it.key(), QJsonObject{
                                 {QStringLiteral("total"), it->total},
                                 {QStringLiteral("accept_json"), it->acceptJson},
                                 {QStringLiteral("x_requested_with"), it->xRequestedWith},
                                 {QStringLiteral("last_accept_json"), it->lastAcceptJson},
                                 {QStringLiteral("last_x_requested_with"), it->lastXRequestedWith},
                             });
    }
    return out;
}

void useEmailUsernameWhenAsked(NeoState& state)
{
    const QString username = state.login.account().username;
    if (state.variants.usernameField != UsernameField::EmailOnly || username.contains(u'@'))
        return;
    const QString companyId = state.login.account().companyId;
    state.login.setUsername(username + QStringLiteral("@clinic") +
                            (companyId.isEmpty() ? QString::number(state.model.options().seed) : companyId) +
                            QStringLiteral(".example"));
}

} // namespace odis::sim::neo
