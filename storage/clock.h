#pragma once

#include <QDateTime>

namespace odis {

// Every decision that depends on "now" asks a Clock, so that logic can be tested without a real clock
// (tests use ManualClock from tests/support). Always UTC: local times are derived with the clinic's zone.
class Clock
{
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual QDateTime nowUtc() const = 0;
};

class SystemClock final : public Clock
{
public:
    [[nodiscard]] QDateTime nowUtc() const override { return QDateTime::currentDateTimeUtc(); }
};

} // namespace odis
