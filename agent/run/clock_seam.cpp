#include "agent/run/clock_seam.h"

#include "agent/test_hooks.h"
#include "storage/codes/agent_codes.h"

namespace odis::agent {

Result<std::unique_ptr<Clock>> testClockFromEnvironment()
{
    const QString value = testHook(kTestNowVariable);
    if (value.isEmpty())
        return std::unique_ptr<Clock>();
    const QDateTime now = QDateTime::fromString(value, Qt::ISODateWithMs);
    if (!now.isValid() || now.timeSpec() != Qt::UTC)
        return fail(codes::kTestNowInvalid,
                    QStringLiteral("%1 must be a UTC instant such as 2026-03-13T01:00:00Z")
                        .arg(QLatin1StringView(kTestNowVariable)));
    return std::unique_ptr<Clock>(std::make_unique<StartedAtClock>(now));
}

} // namespace odis::agent
