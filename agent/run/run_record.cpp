#include "agent/run/run_record.h"

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

template <typename Enum, std::size_t N>
QString nameOf(const std::array<std::pair<Enum, QLatin1StringView>, N>& table, Enum value)
{
    for (const auto& [candidate, name] : table) {
        if (candidate == value)
            return QString(name);
    }
    Q_UNREACHABLE();
    return {};
}

template <typename Enum, std::size_t N>
std::optional<Enum> valueOf(const std::array<std::pair<Enum, QLatin1StringView>, N>& table, QStringView name)
{
    for (const auto& [value, candidate] : table) {
        if (name == candidate)
            return value;
    }
    return std::nullopt;
}

} // namespace

QString runTriggerName(RunTrigger trigger)
{
    return nameOf(kTriggers, trigger);
}

std::optional<RunTrigger> runTriggerFromName(QStringView name)
{
    return valueOf(kTriggers, name);
}

QString runStatusName(RunStatus status)
{
    return nameOf(kStatuses, status);
}

std::optional<RunStatus> runStatusFromName(QStringView name)
{
    return valueOf(kStatuses, name);
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
