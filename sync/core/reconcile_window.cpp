#include "sync/core/reconcile_window.h"

namespace odis::sync {

bool ReconcileWindow::contains(QDate date) const
{
    return date.isValid() && first.isValid() && last.isValid() && first <= date && date <= last;
}

ReconcileWindow reconcileWindow(const QDateTime& nowUtc, const QTimeZone& clinicZone, int reconcileDays,
                                int lookaheadDays)
{
    constexpr qint64 kSecsPerDay = qint64{24} * 60 * 60;
    const auto localDate = [&](qint64 days) {
        return nowUtc.addSecs(days * kSecsPerDay).toTimeZone(clinicZone).date();
    };
    return ReconcileWindow{localDate(-qint64(reconcileDays)), localDate(lookaheadDays), false};
}

} // namespace odis::sync
