#pragma once

#include <QStringList>

#include <functional>

namespace odis::agent {

// `odis-agent verify-audit [--anchor <seq>:<hash>]`: checks the audit chain against the stored anchor
// and the given one. Never creates a store or a key. Exit 0 intact, 1 broken (naming the first bad
// entry), 3 could not verify.
void runVerifyAuditVerb(const QStringList& arguments, const std::function<void(int)>& exit);

} // namespace odis::agent
