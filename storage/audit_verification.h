#pragma once

#include "storage/audit_log.h"
#include "storage/result.h"

#include <QString>

#include <optional>

namespace odis::storage {

// What `odis-agent verify-audit` prints and exits with.
struct AuditVerification
{
    // Exit codes of verify-audit. 2 stays the CLI's usage error.
    static constexpr int kIntact = 0;       // every entry checks out (against the anchor, when there is one)
    static constexpr int kBroken = 1;       // tampering: the message names the first bad entry
    static constexpr int kCannotVerify = 3; // no key, unreadable database or anchor: nothing was concluded

    int exitCode = kCannotVerify;
    QString message; // one line, seqs and codes only
    std::optional<AuditReport> report;
};

// Checks the whole chain against the anchor recorded in kv (the backend's acknowledged head) and, when
// given, `extraAnchor` too (e.g. a seq:hash the operator got from the backend, which an attacker who
// edited the local kv cannot have changed).
//
// Use from the CLI, once the audit key has been read (readAuditKey, which never creates one) and the
// database opened:
//     const AuditVerification v = verifyAuditChain(log, anchorFromOptions);
//     (v.exitCode == 0 ? out : err) << v.message << '\n';
//     return v.exitCode;
AuditVerification verifyAuditChain(AuditLog& log, const std::optional<AuditAnchor>& extraAnchor = {});

// The result for a verification that could not start (keychain or database unavailable).
AuditVerification auditVerificationImpossible(const Error& why);

// Parses "<seq>:<64 hex digits>" (a --anchor option); audit_anchor_invalid otherwise.
[[nodiscard]] Result<AuditAnchor> parseAuditAnchor(const QString& text);

} // namespace odis::storage
