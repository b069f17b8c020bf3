#include "tests/sim/neo/sim_discharge.h"

#include "tests/sim/neo/sim_rules.h"

namespace odis::sim::neo {

namespace {

bool visitMentionsEndOfLife(const SimAppointment& a, const ReadConsultation* c, const QStringList& keywords)
{
    return mentionsEndOfLife(a.typeDescription, keywords) || mentionsEndOfLife(a.reason, keywords) ||
           (c && c->mentionsEndOfLife);
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
        c.mentionsEndOfLife = previous->mentionsEndOfLife;
        return c;
    }
    c.notesText = htmlToText(page.notesHtml);
    c.summaryText = htmlToText(page.dischargeSummary);
    const QStringList& keywords = profile.policy.blockedKeywords;
    c.mentionsEndOfLife =
        mentionsEndOfLife(page.notesHtml, keywords) || mentionsEndOfLife(page.dischargeSummary, keywords);
    for (const SimProductLine& line : page.lines)
        c.mentionsEndOfLife = c.mentionsEndOfLife || mentionsEndOfLife(line.productService, keywords);
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

DischargeDecision decideDischarge(const SimAppointment& a, const ReadConsultation* c,
                                  const std::optional<QString>& phone, const QDateTime& visitEndUtc,
                                  const QDateTime& nowUtc, const SimClinicProfile& profile)
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
    if (visitMentionsEndOfLife(a, c, policy.blockedKeywords))
        return excluded("end_of_life");
    if (excludedType(a.typeDescription, policy.excludedAppointmentTypes))
        return excluded("type");
    if (!phone)
        return excluded("no_phone");
    if (visitEndUtc.secsTo(nowUtc) > static_cast<qint64>(policy.maxVisitAgeDays) * 24 * 3600)
        return excluded("too_old");
    if (!policy.enabled)
        return excluded("disabled");
    if (!c || !c->hasNotes())
        return {QStringLiteral("waiting_for_notes"), QStringLiteral("waiting_for_notes")};
    return {QStringLiteral("planned"), QStringLiteral("planned")};
}

std::optional<QString> cancellationReason(const SimAppointment& a, const ReadConsultation* c,
                                          const std::optional<QString>& phone, bool removed,
                                          const SimClinicProfile& profile)
{
    if (removed)
        return QStringLiteral("cancelled:removed");
    const QString status = normalizeStatus(a.status);
    if (status == QLatin1String("cancelled"))
        return QStringLiteral("cancelled:cancelled");
    if (status == QLatin1String("no_show"))
        return QStringLiteral("cancelled:no_show");
    if (visitMentionsEndOfLife(a, c, profile.policy.blockedKeywords))
        return QStringLiteral("cancelled:end_of_life");
    if (!phone)
        return QStringLiteral("cancelled:no_phone");
    return std::nullopt;
}

} // namespace odis::sim::neo
