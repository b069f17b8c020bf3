#pragma once

// The discharge decision of docs/discharge-rules.md ("Decision: first rule that applies wins") and the
// checks that cancel a planned call, as pure functions of what a perfect agent has read.

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/clinic_profile.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace odis::sim::neo {

// A consultation as the agent last read it (page-data), with its text forms derived once.
struct ReadConsultation
{
    qint64 consultationId = 0;
    qint64 appointmentId = 0;
    QString notesHtml;
    QString dischargeSummaryHtml;
    QList<SimProductLine> lines;
    SimPhone clientPhone;           // the consultation's client.phone (same number as the schedule row)
    QString notesText;              // htmlToText of the notes
    QString summaryText;            // htmlToText of the discharge summary
    bool mentionsEndOfLife = false; // notes, summary or any product line (declined ones too)
    QDateTime lastReadUtc;
    QString rowFingerprintAtRead;

    [[nodiscard]] bool hasNotes() const { return !notesText.isEmpty() || !summaryText.isEmpty(); }
};

// Reads `page` (the appointment as consultationAt() shows it) the way the agent reads page-data. The
// text forms are taken from `previous` when its notes, summary and lines are unchanged (the same visit is
// read again and again while its notes may still change; long notes make deriving them costly).
[[nodiscard]] ReadConsultation readConsultation(const SimAppointment& page, const QDateTime& readUtc,
                                                const QString& rowFingerprint,
                                                const SimClinicProfile& profile,
                                                const ReadConsultation* previous = nullptr);

// The phone chosen for a visit among the candidates (mobile from getAppointment, the schedule row, the
// consultation, the home phone) whose generated number is valid: the best SimPhone::preference(), the
// first in that order among equals; and the raw text it came from. getAppointment is read only for
// finished visits, so other visits have the schedule row alone. When no candidate is valid, `raw` is the
// first non-empty candidate.
struct PhoneChoice
{
    std::optional<QString> e164;
    std::optional<QString> raw;
};

[[nodiscard]] PhoneChoice choosePhone(const SimAppointment& appointment,
                                      const ReadConsultation* consultation);

struct DischargeDecision
{
    QString decision; // planned, excluded, waiting_for_notes
    QString reason;   // planned, waiting_for_notes, excluded:<code>
};

// Rules 1-10 for a visit seen at `nowUtc` whose clinic-local end is `visitEndUtc`.
[[nodiscard]] DischargeDecision decideDischarge(const SimAppointment& appointment,
                                                const ReadConsultation* consultation,
                                                const std::optional<QString>& phone,
                                                const QDateTime& visitEndUtc, const QDateTime& nowUtc,
                                                const SimClinicProfile& profile);

// Why a planned call that has not happened yet must be cancelled now ("cancelled:<code>"), or nullopt.
// `removed` is true when the appointment vanished from a window that was read.
[[nodiscard]] std::optional<QString> cancellationReason(const SimAppointment& appointment,
                                                        const ReadConsultation* consultation,
                                                        const std::optional<QString>& phone, bool removed,
                                                        const SimClinicProfile& profile);

} // namespace odis::sim::neo
