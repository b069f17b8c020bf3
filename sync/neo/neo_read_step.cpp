#include "sync/neo/neo_read_step.h"

#include "sync/core/neo_extraction_errors.h"
#include "sync/core/neo_json.h"
#include "sync/neo/neo_session_errors.h"

#include <algorithm>
#include <iterator>

namespace odis::sync {

Error pageStatusError(int httpStatus, QLatin1StringView page)
{
    const QString where = QString(page) + QStringLiteral(": HTTP ") + QString::number(httpStatus);
    if (httpStatus == 404) {
        return {QString(neo_error::kNotFound), where};
    }
    if (httpStatus == 429) {
        return {QString(neo_error::kRateLimited), where};
    }
    if (httpStatus >= 500 && httpStatus <= 599) {
        return {QString(neo_error::kServerError), where};
    }
    return {QString(neo_error::kHttpError), where};
}

bool isUnparseable(const Error& error)
{
    return error.code == neo_error::kInvalidJson || error.code == neo_error::kHtmlInsteadOfJson ||
           error.code == neo_error::kUnexpectedShape || error.code == neo_extraction_error::kLayoutChanged;
}

NeoRefusal refusalOf(QLatin1StringView endpoint, const Error& error, const NeoAnswerCheck& check)
{
    return NeoRefusal{QString(endpoint), check.violations, error};
}

QList<RunWarning> itemRefusalWarnings(QLatin1StringView endpoint, const QList<NeoItemRefusal>& refusals)
{
    QList<RunWarning> out;
    for (const NeoItemRefusal& r : refusals)
        out.append(RunWarning{r.code, QString(endpoint), r.field, {}, r.detail, 1});
    return out;
}

QList<RunWarning> refusalWarnings(const NeoRefusal& refusal)
{
    QList<RunWarning> out;
    for (const DriftWarning& v : refusal.violations)
        out.append(RunWarning{
            QString(warning_code::kLayoutChanged), refusal.endpoint, v.field, {}, v.detail, v.occurrences});
    if (out.isEmpty()) {
        // No known shape: the message says what was found instead (keys at most).
        const qsizetype colon = refusal.error.message.indexOf(QStringLiteral(": "));
        out.append(RunWarning{QString(warning_code::kLayoutChanged),
                              refusal.endpoint,
                              QStringLiteral("(root)"),
                              {},
                              colon < 0 ? refusal.error.message : refusal.error.message.sliced(colon + 2),
                              1});
    }
    return out;
}

bool endsTheRead(const Error& error)
{
    // The session stopped or cannot be trusted any more. Time-outs, network errors and script failures
    // are not here: the request runner retried them, and what is left is one item's failure.
    static const QLatin1StringView kEnding[] = {
        neo_session_error::kSessionLost,     neo_session_error::kSessionClosed,
        neo_session_error::kRendererCrashed, neo_session_error::kPageHung,
        neo_session_error::kTlsError,        neo_session_error::kNotLoggedIn,
        neo_session_error::kLoginRejected,   neo_session_error::kSecondFactorRequired,
        neo_session_error::kLoginUnexpected, neo_session_error::kLoginUnknownOutcome,
        neo_session_error::kLoginRefused,    neo_session_error::kCredentialsIncomplete,
        neo_session_error::kConfigInvalid,
    };
    return std::any_of(std::begin(kEnding), std::end(kEnding),
                       [&](QLatin1StringView code) { return error.code == code; });
}

} // namespace odis::sync
