#pragma once

// Drift: Neo answered with something the parser understood, but not exactly as documented (an unknown
// status, a missing or unknown field, a value of the wrong type). The data is still used where it can
// be; the warnings feed the "Neo layout drift" alert and the logs.
//
// Warnings are logged, so they name fields and, for statuses, Neo's status string, but never a value
// that may be clinic data (names, phones, e-mails, notes, ids).

#include <QHash>
#include <QList>
#include <QString>
#include <QStringView>

namespace odis::sync {

struct DriftWarning
{
    QString endpoint; // "getCalendarEventData", "page-data", ...
    QString field;    // the JSON field, dotted from the root: "current_status", "pageData.providers[].name"
    QString detail;   // what is wrong with it: "missing", "unknown field", "unknown status \"Lab\""
    int occurrences = 1; // rows that showed the same drift

    [[nodiscard]] QString toString() const;
    friend bool operator==(const DriftWarning&, const DriftWarning&) = default;
};

// A parser's answer: the value plus the drift it noticed on the way.
template <typename T> struct Parsed
{
    T value;
    QList<DriftWarning> warnings;
};

// Collects warnings for one response. The same (field, detail) is kept once with a count, so 300
// schedule rows missing the same field make one warning, and a hostile response cannot grow the list
// without bound.
class DriftLog
{
public:
    explicit DriftLog(QString endpoint);

    void warn(const QString& field, const QString& detail);
    void missing(const QString& field) { warn(field, QStringLiteral("missing")); }
    void unknownField(const QString& field) { warn(field, QStringLiteral("unknown field")); }

    [[nodiscard]] const QList<DriftWarning>& warnings() const { return m_warnings; }
    // Hands the warnings over and starts afresh.
    [[nodiscard]] QList<DriftWarning> take();

    // Distinct warnings kept per response; further ones are counted in one last "*" entry.
    static constexpr qsizetype kMaxDistinct = 100;

private:
    QString m_endpoint;
    QList<DriftWarning> m_warnings;
    QHash<QString, qsizetype> m_index; // field + '\n' + detail -> position in m_warnings
};

// A string Neo sent that may appear in a warning (a status, a field name): at most `maxLength`
// characters, control characters replaced, so a hostile value cannot flood or forge log lines.
[[nodiscard]] QString driftSafe(QStringView text, qsizetype maxLength = 40);

} // namespace odis::sync
