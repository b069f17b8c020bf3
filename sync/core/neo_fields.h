#pragma once

// Typed reads of fields from Neo's JSON objects, shared by the parsers. The endpoints the agent reads in
// a run are checked against the contract (neo_contract.h) first, so these reads get what the table
// allows; for the rest (clinic configuration) every read that does not get what the documentation
// promises reports drift (field name and problem, never the value) and returns the most sensible value:
// an empty string, false, nullopt.

#include "storage/result.h"
#include "sync/core/neo_drift.h"
#include "sync/core/neo_types.h"
#include "sync/core/neo_values.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QString>
#include <QStringView>

#include <optional>
#include <span>

namespace odis::sync {

// Whether a missing key is drift. A key that is present with null is never drift: it means "none".
enum class Need
{
    Required,
    Optional,
};

// An id field as read: the decimal string when valid.
struct NeoId
{
    enum class State
    {
        Absent,
        Null,
        Invalid,
        Valid,
    };
    State state = State::Absent;
    QString value;

    [[nodiscard]] bool isValid() const { return state == State::Valid; }
};

// Reads the fields of one JSON object, reporting drift under `path` (the object's dotted path from
// the response root, "" for the root itself).
class NeoObjectReader
{
public:
    NeoObjectReader(QJsonObject object, QString path, DriftLog& log);
    // A reader for an object that is not there (its absence already reported by whoever looked for
    // it): every field reads as absent without a "missing" warning of its own.
    [[nodiscard]] static NeoObjectReader absent(QString path, DriftLog& log);

    [[nodiscard]] bool has(QLatin1StringView key) const { return m_object.contains(key); }
    [[nodiscard]] bool hasValue(QLatin1StringView key) const; // present and not null
    [[nodiscard]] QJsonValue value(QLatin1StringView key) const { return m_object.value(key); }
    [[nodiscard]] QString fieldPath(const QString& key) const;
    [[nodiscard]] DriftLog& log() const { return m_log; }

    // A string (a number is turned into its text, with a warning). Never shortened: the contract
    // (neo_contract.h) refuses an item whose text is over its maximum before a reader sees it.
    QString text(QLatin1StringView key, Need need) const;
    // text(), then normaliseName().
    QString name(QLatin1StringView key, Need need) const;
    // A string or an integral number, as text, without a warning for the number: calendar column and
    // room ids come both ways.
    QString keyText(QLatin1StringView key, Need need) const;
    NeoId id(QLatin1StringView key, Need need) const;
    // true/false, 1/0, "1"/"0", "true"/"false"; anything else is false with a warning.
    bool flag(QLatin1StringView key, Need need) const;
    // A finite number (a numeric string is accepted with a warning).
    std::optional<double> number(QLatin1StringView key, Need need) const;
    // A whole number of minutes: a number, or a duration "HH:MM[:SS]".
    std::optional<int> minutes(QLatin1StringView key, Need need) const;
    LocalDateTime dateTime(QLatin1StringView key, Need need, bool allowDateOnly = false) const;
    std::optional<QJsonObject> object(QLatin1StringView key, Need need) const;
    std::optional<QJsonArray> array(QLatin1StringView key, Need need) const;

    // One warning per key of the object that is not in `known`.
    void reportUnknownKeys(std::span<const QLatin1StringView> known) const;

private:
    // The value when present and not null; reports a missing Required key.
    std::optional<QJsonValue> present(QLatin1StringView key, Need need) const;
    void wrongType(QLatin1StringView key, QStringView expected, const QJsonValue& got) const;

    QJsonObject m_object;
    QString m_path;
    DriftLog& m_log;
    bool m_absent = false;
};

// A status field as read: Neo's string and its meaning.
struct NeoStatusField
{
    QString raw;
    NeoStatus status = NeoStatus::Unknown;
};

// Reads the first of `keys` whose value maps to a known status (a later key is a fallback, as
// `status_label` is for `current_status`). Every non-empty value that maps to nothing is drift,
// reported with the status string itself (statuses are not clinic data); when none maps, the first
// non-empty value is kept raw as Unknown. A Required status that is absent or empty is drift too.
[[nodiscard]] NeoStatusField readStatus(const NeoObjectReader& reader,
                                        std::span<const QLatin1StringView> keys, Need need);

// The drift detail for a status string that maps to nothing.
[[nodiscard]] QString unknownStatusDetail(QStringView raw);

} // namespace odis::sync
