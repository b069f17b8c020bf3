#pragma once

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/neo_variants.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace odis::sim::neo {

// What Neo says about the clinic itself (older consultation shape, provider rows, client branch).
struct NeoClinicInfo
{
    QString id;
    QString name;
    QString companyId; // empty: the clinic has none
};

// `/consultations/{id}/page-data` for a consultation that exists at the simulator's now.
// Current shape: consultation/patient/client at the top, providers under pageData, the discharge summary
// in `dischargeSummary` or in `consultationNotes.notes` as `placement` says.
// Older shape: everything under pageData; `consultation.id` is the appointment id and
// `consultation.consultationId` the consultation id (the older schedule only carries appointment ids,
// so this is how its reader links the two); fields the model does not hold (date of birth, sex,
// weight, address, clinic phone and e-mail) are null.
[[nodiscard]] QByteArray renderConsultation(const SimAppointment& appointment, ConsultationShape shape,
                                            SummaryPlacement placement, const NeoClinicInfo& clinic);

[[nodiscard]] QJsonObject currentConsultation(const SimAppointment& appointment, SummaryPlacement placement,
                                              const NeoClinicInfo& clinic);
[[nodiscard]] QJsonObject olderConsultation(const SimAppointment& appointment, const NeoClinicInfo& clinic);

// Older consultations carry a coarse status: in_progress, completed or cancelled.
[[nodiscard]] QString olderConsultationStatus(const QString& rawStatus);

} // namespace odis::sim::neo
