#pragma once

// The personal data a Neo read carries (names of owners, patients and staff, phone numbers, e-mail
// addresses), listed so that the run can register them with the log redactor as soon as they are read
// (docs/architecture.md, "Logging"): none of them may reach a log or an error message, whatever the code
// that prints it. Notes are HTML and covered by the redactor's own rule.

#include "sync/core/neo_types.h"

#include <QStringList>

namespace odis::sync {

[[nodiscard]] QStringList personalValues(const NeoScheduleEvent& event);
[[nodiscard]] QStringList personalValues(const NeoConsultation& consultation);
[[nodiscard]] QStringList personalValues(const NeoAppointmentDetail& detail);

} // namespace odis::sync
