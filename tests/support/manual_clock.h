#pragma once

#include "storage/clock.h"

namespace odis::test {

// A clock that only moves when the test moves it.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(QDateTime startUtc = QDateTime(QDate(2026, 3, 10), QTime(12, 0), Qt::UTC))
        : m_now(std::move(startUtc))
    {}
    [[nodiscard]] QDateTime nowUtc() const override { return m_now; }
    void set(QDateTime utc) { m_now = std::move(utc); }
    void advanceSecs(qint64 s) { m_now = m_now.addSecs(s); }

private:
    QDateTime m_now;
};

} // namespace odis::test
