#include "tests/sim/common/default_clinic_profile.h"

#include <QFile>
#include <QJsonDocument>

#include <cstdio>
#include <cstdlib>

// Q_INIT_RESOURCE must be used outside a namespace. Calling it also keeps the linker from dropping the
// resource object of this static library.
static void initSimCommonResources()
{
    Q_INIT_RESOURCE(sim_common);
}

namespace odis::sim {

QJsonObject defaultClinicProfile()
{
    initSimCommonResources();
    QFile file(QStringLiteral(":/odis/sim/common/default-clinic-profile.json"));
    const QJsonDocument doc =
        file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()) : QJsonDocument();
    if (!doc.isObject()) {
        // A build without the resource is broken; serving an empty profile would hide that.
        std::fputs("odis-sim: the embedded default clinic profile is missing or invalid\n", stderr);
        std::abort();
    }
    return doc.object();
}

} // namespace odis::sim
