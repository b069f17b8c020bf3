#include "agent/run/pacing_seam.h"

#include "agent/test_hooks.h"
#include "storage/codes/agent_codes.h"

#include <QStringList>

#include <cmath>
#include <cstdio>

namespace odis::agent {

Result<std::optional<sync::PacerSettings>> testPacingFromEnvironment()
{
    auto pacing = parseTestPacing(testHook(kTestPacingVariable));
    if (pacing && *pacing)
        std::fprintf(stderr, "odis-agent: test seam: Neo pacing %d in flight, %g a second, burst %d\n",
                     (*pacing)->maxInFlight, (*pacing)->requestsPerSecond, (*pacing)->burst);
    return pacing;
}

Result<std::optional<sync::PacerSettings>> parseTestPacing(const QString& value)
{
    if (value.isEmpty())
        return std::optional<sync::PacerSettings>();
    const QStringList parts = value.split(u':');
    bool inFlightOk = false;
    bool rateOk = false;
    bool burstOk = parts.size() == 2;
    sync::PacerSettings pacing;
    if (parts.size() == 2 || parts.size() == 3) {
        pacing.maxInFlight = parts.at(0).toInt(&inFlightOk);
        pacing.requestsPerSecond = parts.at(1).toDouble(&rateOk);
        pacing.burst = static_cast<int>(std::ceil(pacing.requestsPerSecond));
        if (parts.size() == 3)
            pacing.burst = parts.at(2).toInt(&burstOk);
    }
    if (!inFlightOk || !rateOk || !burstOk || pacing.maxInFlight < 1 || pacing.maxInFlight > 64 ||
        !(pacing.requestsPerSecond >= 0.01 && pacing.requestsPerSecond <= 10000) || pacing.burst < 1 ||
        pacing.burst > 10000)
        return fail(
            codes::kTestPacingInvalid,
            QStringLiteral("%1 must be <in flight 1-64>:<requests a second 0.01-10000>[:<burst 1-10000>]")
                .arg(QLatin1StringView(kTestPacingVariable)));
    return std::optional<sync::PacerSettings>(pacing);
}

} // namespace odis::agent
