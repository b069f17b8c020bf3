// The backend's replies under the fuzzer: whatever a backend (or something in its place) answers.

#include "sync/backend/backend_reply.h"
#include "sync/core/retry_after.h"
#include "tests/fuzz/fuzz_checks.h"
#include "tests/fuzz/fuzz_entries.h"

#include <QDateTime>
#include <QTimeZone>

namespace odis::fuzz {

QString fuzzBackendReply(QByteArrayView input)
{
    if (input.size() < 2)
        return {};
    sync::BackendReply reply;
    reply.status =
        100 + (static_cast<unsigned char>(input[0]) << 8 | static_cast<unsigned char>(input[1])) % 500;
    const QByteArrayView rest = input.sliced(2);
    const qsizetype newline = rest.indexOf('\n');
    const QByteArray retryAfter = (newline < 0 ? QByteArrayView() : rest.first(newline)).toByteArray();
    reply.body = (newline < 0 ? rest : rest.sliced(newline + 1)).toByteArray();
    const QDateTime now(QDate(2026, 3, 10), QTime(9, 0), QTimeZone::utc());
    sync::classifyHttpAnswer(reply, retryAfter, now);

    if (reply.ok() != reply.error.code.isEmpty())
        return QStringLiteral("outcome %1 with error code '%2'")
            .arg(sync::backendOutcomeName(reply.outcome), reply.error.code.left(40));
    if (!reply.ok()) {
        if (QString problem = checkError(reply.error); !problem.isEmpty())
            return problem;
    }
    if (reply.ok() != (reply.status >= 200 && reply.status < 300) && reply.status != 304)
        return QStringLiteral("HTTP %1 taken as %2")
            .arg(reply.status)
            .arg(sync::backendOutcomeName(reply.outcome));
    // The server's error code is a code: it ends up in messages, run records and logs.
    if (reply.serverError.size() > 64)
        return QStringLiteral("a server error code of %1 characters kept").arg(reply.serverError.size());
    if (reply.retryAfter && (reply.retryAfter->count() < 0 || *reply.retryAfter > sync::kMaxRetryAfter))
        return QStringLiteral("Retry-After of %1 s").arg(reply.retryAfter->count());
    return {};
}

} // namespace odis::fuzz
