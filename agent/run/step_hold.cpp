#include "agent/run/step_hold.h"

#include "agent/run/run_record.h"
#include "agent/test_hooks.h"
#include "storage/codes/agent_codes.h"

#include <chrono>
#include <cstdio>
#include <thread>

namespace odis::agent {

Result<StepHold> StepHold::fromEnvironment()
{
    return parse(testHook(kEnvironmentVariable));
}

Result<StepHold> StepHold::parse(const QString& value)
{
    StepHold hold;
    if (value.isEmpty())
        return hold;
    const QStringList parts = value.split(u':');
    bool countOk = parts.size() == 1;
    if (parts.size() == 2)
        hold.m_occurrence = parts.at(1).toInt(&countOk);
    if (parts.size() > 2 || !countOk || hold.m_occurrence < 1 || !isKnownRunStep(parts.at(0)))
        return fail(codes::kTestHoldInvalid,
                    QStringLiteral("%1 must be <run step>[:<n>] with a step of agent/run/run_record.h")
                        .arg(QLatin1StringView(kEnvironmentVariable)));
    hold.m_step = parts.at(0);
    return hold;
}

bool StepHold::holdAfterStoring(const QString& step)
{
    if (m_step.isEmpty() || step != m_step || ++m_seen != m_occurrence)
        return false;
    std::fprintf(stderr, "odis-agent: test seam: holding at step %s\n", qPrintable(m_step));
    std::fflush(stderr);
    return true;
}

void StepHold::holdForever()
{
    for (;;)
        std::this_thread::sleep_for(std::chrono::hours(1));
}

} // namespace odis::agent
