#include "agent/run/run_record.h"

#include "sync/core/code_table.h"

#include <array>
#include <utility>

namespace odis::agent {

namespace {

constexpr std::array kTriggers{
    std::pair{RunTrigger::Schedule, QLatin1StringView("schedule")},
    std::pair{RunTrigger::Manual, QLatin1StringView("manual")},
    std::pair{RunTrigger::Remote, QLatin1StringView("remote")},
    std::pair{RunTrigger::CatchUp, QLatin1StringView("catch_up")},
    std::pair{RunTrigger::Startup, QLatin1StringView("startup")},
};

constexpr std::array kStatuses{
    std::pair{RunStatus::Running, QLatin1StringView("running")},
    std::pair{RunStatus::Completed, QLatin1StringView("completed")},
    std::pair{RunStatus::Partial, QLatin1StringView("partial")},
    std::pair{RunStatus::Failed, QLatin1StringView("failed")},
    std::pair{RunStatus::Interrupted, QLatin1StringView("interrupted")},
};

} // namespace

// The tables cover their enums: a value without a name cannot be built.
QString runTriggerName(RunTrigger trigger)
{
    return QString(*sync::codeOf(kTriggers, trigger));
}

std::optional<RunTrigger> runTriggerFromName(QStringView name)
{
    return sync::valueOfCode(kTriggers, name);
}

QString runStatusName(RunStatus status)
{
    return QString(*sync::codeOf(kStatuses, status));
}

std::optional<RunStatus> runStatusFromName(QStringView name)
{
    return sync::valueOfCode(kStatuses, name);
}

const QList<QLatin1StringView>& knownRunSteps()
{
    static const QList<QLatin1StringView> steps{
        run_step::kPreconditions, run_step::kClinicProfile, run_step::kNeoLogin,  run_step::kSchedule,
        run_step::kConsultations, run_step::kValidate,      run_step::kReconcile, run_step::kPlanCalls,
        run_step::kStore,         run_step::kUpload,        run_step::kClose,
    };
    return steps;
}

bool isKnownRunStep(QStringView step)
{
    for (const QLatin1StringView known : knownRunSteps()) {
        if (step == known)
            return true;
    }
    return false;
}

} // namespace odis::agent
