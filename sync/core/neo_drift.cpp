#include "sync/core/neo_drift.h"

#include <algorithm>
#include <utility>

namespace odis::sync {

QString DriftWarning::toString() const
{
    QString text = endpoint + u' ' + field + QStringLiteral(": ") + detail;
    if (occurrences > 1)
        text += QStringLiteral(" (x%1)").arg(occurrences);
    return text;
}

DriftLog::DriftLog(QString endpoint)
    : m_endpoint(std::move(endpoint))
{}

void DriftLog::warn(const QString& field, const QString& detail)
{
    const QString key = field + u'\n' + detail;
    if (const auto it = m_index.constFind(key); it != m_index.constEnd()) {
        ++m_warnings[*it].occurrences;
        return;
    }
    if (m_warnings.size() >= kMaxDistinct) {
        const QString overflowKey = QStringLiteral("*\n");
        if (const auto it = m_index.constFind(overflowKey); it != m_index.constEnd()) {
            ++m_warnings[*it].occurrences;
        } else {
            m_index.insert(overflowKey, m_warnings.size());
            m_warnings.append(
                {m_endpoint, QStringLiteral("*"), QStringLiteral("further distinct warnings suppressed"), 1});
        }
        return;
    }
    m_index.insert(key, m_warnings.size());
    m_warnings.append({m_endpoint, field, detail, 1});
}

QList<DriftWarning> DriftLog::take()
{
    m_index.clear();
    return std::exchange(m_warnings, {});
}

QString driftSafe(QStringView text, qsizetype maxLength)
{
    QString safe;
    const qsizetype keep = std::min(text.size(), maxLength);
    safe.reserve(keep + 1);
    for (qsizetype i = 0; i < keep; ++i) {
        const QChar c = text.at(i);
        // A cut surrogate pair or a control/format character (new lines, bidi overrides) is replaced.
        const bool unsafe = c.category() == QChar::Other_Control || c.category() == QChar::Other_Format ||
                            (c.isHighSurrogate() && i + 1 == keep);
        safe.append(unsafe ? QChar(u'?') : c);
    }
    if (text.size() > maxLength)
        safe.append(QChar(0x2026)); // ellipsis
    return safe;
}

} // namespace odis::sync
