#pragma once

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/clinic_profile.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace odis::sim::neo {

// What the calendar configuration endpoints need from the clinic.
struct NeoCalendarSetup
{
    QList<SimProvider> providers;
    QList<QPair<QString, QString>> columns; // {id, name}
    SimClinicProfile profile;               // business hours
};

// `/schedule/getScheduleConfigs`
[[nodiscard]] QJsonObject scheduleConfigs(const NeoCalendarSetup& setup);
// `/appointments/getAppointmentView`; the appointment types are those the clinic uses in `appointments`.
[[nodiscard]] QJsonObject appointmentView(const NeoCalendarSetup& setup,
                                          const QList<SimAppointment>& appointments);
// `/appointments/getAppointment?id=`
[[nodiscard]] QJsonObject appointmentDetail(const SimAppointment& appointment,
                                            const QList<QPair<QString, QString>>& columns);

} // namespace odis::sim::neo
