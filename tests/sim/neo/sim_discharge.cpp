#include "tests/sim/neo/sim_discharge.h"

#include "tests/sim/neo/sim_rules.h"

namespace odis::sim::neo {

namespace {

EndOfLifeMention strongest(EndOfLifeMention x, EndOfLifeMention y)
{
    return static_cast<int>(x) >= static_cast<int>(y) ? x : y;
}

bool excludedType(const QString& type, const QStringList& excluded)
{
    const QString wanted = type.trimmed();
    for (const QString& e : excluded) {
        if (e.trimmed().compare(wanted, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

ReadConsultation readConsultation(const SimAppointment& page, const QDateTime& readUtc,
                                  const QString& rowFingerprint, const SimClinicProfile& profile,
                                  const ReadConsultation* previous)
{
    ReadConsultation c;
    c.consultationId = page.consultationId.value_or(0);
    c.appointmentId = page.appointmentId;
    c.notesHtml = page.notesHtml;
    c.dischargeSummaryHtml = page.dischargeSummary;
    c.lines = page.lines;
    c.clientPhone = page.schedulePhone();
    c.lastReadUtc = readUtc;
    c.rowFingerprintAtRead = rowFingerprint;
    if (previous && previous->notesHtml == c.notesHtml &&
        previous->dischargeSummaryHtml == c.dischargeSummaryHtml && previous->lines == c.lines) {
        c.notesText = previous->notesText;
        c.summaryText = previous->summaryText;
        c.endOfLife = previous->endOfLife;
        return c;
    }
    c.notesText = htmlToText(page.notesHtml);
    c.summaryText = htmlToText(page.dischargeSummary);
    const QStringList& keywords = profile.policy.blockedKeywords;
    c.endOfLife = strongest(endOfLifeMention(page.notesHtml, keywords),
                            endOfLifeMention(page.dischargeSummary, keywords));
    for (const SimProductLine& line : page.lines)
        c.endOfLife = strongest(c.endOfLife, endOfLifeMention(line.productService, keywords));
    return c;
}

PhoneChoice choosePhone(const SimAppointment& a, const ReadConsultation* c)
{
    if (a.isBlock || a.isRoster)
        return {};
    QList<SimPhone> candidates;
    const bool finished = normalizeStatus(a.status) == QLatin1String("completed");
    if (finished)
        candidates << a.client.mobilePhone;
    candidates << a.schedulePhone();
    if (finished) {
        if (c)
            candidates << c->clientPhone;
        candidates << a.client.homePhone;
    }
    const SimPhone* best = nullptr;
    for (const SimPhone& candidate : std::as_const(candidates)) {
        if (candidate.isValid() && (!best || candidate.preference() < best->preference()))
            best = &candidate;
    }
    if (best)
        return PhoneChoice{best->e164, best->raw};
    for (const SimPhone& candidate : std::as_const(candidates)) {
        if (!candidate.raw.trimmed().isEmpty())
            return PhoneChoice{std::nullopt, candidate.raw};
    }
    return {};
}

EndOfLifeMention visitEndOfLife(const SimAppointment& a, const ReadConsultation* c,
                                const SimClinicProfile& profile)
{
    const QStringList& keywords = profile.policy.blockedKeywords;
    EndOfLifeMention found =
        strongest(endOfLifeMention(a.typeDescription, keywords), endOfLifeMention(a.reason, keywords));
    return c ? strongest(found, c->endOfLife) : found;
}

bool tooOldAt(const QDateTime& visitEndUtc, const QDateTime& callUtc, const SimClinicProfile& profile)
{
    return !visitEndUtc.isValid() || !callUtc.isValid() ||
           visitEndUtc.secsTo(callUtc) > static_cast<qint64>(profile.policy.maxVisitAgeDays) * 24 * 3600;
}

DischargeDecision decideDischarge(const SimAppointment& a, const ReadConsultation* c,
                                  const VisitContext& context, const SimClinicProfile& profile)
{
    const auto excluded = [](const char* code) {
        return DischargeDecision{QStringLiteral("excluded"),
                                 QStringLiteral("excluded:") + QLatin1String(code)};
    };
    const SimDischargePolicy& policy = profile.policy;
    const QString status = normalizeStatus(a.status);
    if (a.isBlock || a.isRoster)
        return excluded("block");
    if (status == QLatin1String("cancelled"))
        return excluded("cancelled");
    if (status == QLatin1String("no_show"))
        return excluded("no_show");
    if (status != QLatin1String("completed"))
        return excluded("not_finished");
    const EndOfLifeMention own = visitEndOfLife(a, c, profile);
    if (own == EndOfLifeMention::Definite)
        return excluded("end_of_life");
    if (own == EndOfLifeMention::Possible)
        return excluded("end_of_life_possible");
    if (context.patientFinding)
        return excluded("end_of_life_patient");
    if (excludedType(a.typeDescription, policy.excludedAppointmentTypes))
        return excluded("type");
    if (!context.phone)
        return excluded("no_phone");
    if (tooOldAt(context.visitEndUtc, context.callUtc, profile))
        return excluded("too_old");
    if (!policy.enabled)
        return excluded("disabled");
    if (!c || !c->hasNotes())
        return {QStringLiteral("waiting_for_notes"), QStringLiteral("waiting_for_notes")};
    return {QStringLiteral("planned"), QStringLiteral("planned")};
}

std::optional<QString> cancellationReason(const SimAppointment& a, const ReadConsultation* c,
                                          const VisitContext& context, bool removed,
                                          const SimClinicProfile& profile)
{
    if (removed)
        return QStringLiteral("cancelled:removed");
    const QString status = normalizeStatus(a.status);
    if (status == QLatin1String("cancelled"))
        return QStringLiteral("cancelled:cancelled");
    if (status == QLatin1String("no_show"))
        return QStringLiteral("cancelled:no_show");
    const EndOfLifeMention own = visitEndOfLife(a, c, profile);
    if (own == EndOfLifeMention::Definite)
        return QStringLiteral("cancelled:end_of_life");
    if (own == EndOfLifeMention::Possible)
        return QStringLiteral("cancelled:end_of_life_possible");
    if (context.patientFinding)
        return QStringLiteral("cancelled:end_of_life_patient");
    if (!context.phone)
        return QStringLiteral("cancelled:no_phone");
    if (tooOldAt(context.visitEndUtc, context.callUtc, profile))
        return QStringLiteral("cancelled:too_old");
    return std::nullopt;
}

} // namespace odis::sim::neo
