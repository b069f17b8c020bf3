#include "storage/audit_verification.h"

#include "storage/codes/storage_codes.h"

namespace odis::storage {

AuditVerification verifyAuditChain(AuditLog& log, const std::optional<AuditAnchor>& extraAnchor)
{
    auto stored = log.storedAnchor();
    if (!stored)
        return auditVerificationImpossible(stored.error());
    QList<AuditAnchor> anchors;
    if (*stored)
        anchors.append(**stored);
    if (extraAnchor)
        anchors.append(*extraAnchor);

    auto report = log.verify(anchors);
    if (!report)
        return auditVerificationImpossible(report.error());
    return AuditVerification{report->intact() ? AuditVerification::kIntact : AuditVerification::kBroken,
                             report->summary(), *report};
}

AuditVerification auditVerificationImpossible(const Error& why)
{
    return AuditVerification{AuditVerification::kCannotVerify,
                             QStringLiteral("audit log could not be verified: ") + why.toString(),
                             std::nullopt};
}

Result<AuditAnchor> parseAuditAnchor(const QString& text)
{
    const auto anchor = audit_chain::anchorFromText(text.trimmed());
    if (!anchor)
        return fail(codes::kAuditAnchorInvalid,
                    QStringLiteral("an anchor is written <seq>:<64 hex digits> (seq at least 1)"));
    return *anchor;
}

} // namespace odis::storage
