// NeoContractCheck (neo_contract.h): one answer against its shape's table.

#include "sync/core/neo_contract.h"
#include "sync/core/neo_extraction_errors.h"
#include "sync/core/neo_values.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace odis::sync {

namespace {

using L1 = QLatin1StringView;

constexpr QChar kReplacementCharacter(0xFFFD);

quint8 typeBit(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return json_type::kString;
    case QJsonValue::Double:
        return json_type::kNumber;
    case QJsonValue::Bool:
        return json_type::kBool;
    case QJsonValue::Null:
        return json_type::kNull;
    case QJsonValue::Object:
        return json_type::kObject;
    case QJsonValue::Array:
        return json_type::kArray;
    case QJsonValue::Undefined:
        break;
    }
    return 0;
}

bool flagValue(const QJsonValue& value, bool* ok)
{
    *ok = true;
    if (value.isBool())
        return value.toBool();
    if (value.isDouble() && (value.toDouble() == 0 || value.toDouble() == 1))
        return value.toDouble() == 1;
    if (value.isString()) {
        const QString s = value.toString().trimmed().toLower();
        if (s == u"1" || s == u"true")
            return true;
        if (s == u"0" || s == u"false" || s.isEmpty())
            return false;
    }
    *ok = false;
    return false;
}

// A row's flag as the visit rule reads it; a flag that is not one counts as false (a visit: the
// stricter reading), its own check reports it.
bool rowFlag(const QJsonObject& object, L1 key)
{
    bool ok = false;
    const bool value = flagValue(object.value(key), &ok);
    return ok && value;
}

bool isVisitRow(VisitRule rule, const QJsonObject& row)
{
    switch (rule) {
    case VisitRule::ScheduleFlags:
        return !rowFlag(row, L1("is_block")) && !rowFlag(row, L1("is_roster"));
    case VisitRule::ScheduleClassName: {
        const QStringList tokens = row.value(L1("className")).toString().split(u' ', Qt::SkipEmptyParts);
        return !tokens.contains(u"block", Qt::CaseInsensitive) &&
               !tokens.contains(u"roster", Qt::CaseInsensitive);
    }
    case VisitRule::AppointmentFlags: {
        const QJsonObject appointment = row.value(L1("appointment")).toObject();
        return !rowFlag(appointment, L1("block")) && !rowFlag(appointment, L1("deleted"));
    }
    case VisitRule::Always:
        break;
    }
    return true;
}

// Why a value of an allowed JSON type still is not what the field holds; empty when it is.
QString formatProblem(FieldFormat format, const QJsonValue& value)
{
    if (value.isNull())
        return {};
    switch (format) {
    case FieldFormat::Any:
    case FieldFormat::Text:
        return {};
    case FieldFormat::Id: {
        const Result<QString> id = normaliseNeoId(value);
        return id ? QString() : id.error().message;
    }
    case FieldFormat::Key:
        if (value.isDouble() && std::trunc(value.toDouble()) != value.toDouble())
            return QStringLiteral("not an integral number");
        return {};
    case FieldFormat::LocalDateTime:
    case FieldFormat::LocalDate: {
        const Result<LocalDateTime> parsed =
            parseLocalDateTime(value.toString(), format == FieldFormat::LocalDate);
        return parsed ? QString() : parsed.error().message;
    }
    case FieldFormat::Flag: {
        bool ok = false;
        (void)flagValue(value, &ok);
        return ok ? QString() : QStringLiteral("not a boolean");
    }
    case FieldFormat::Quantity: {
        bool ok = value.isDouble();
        const double d = value.isDouble() ? value.toDouble() : value.toString().trimmed().toDouble(&ok);
        return ok && std::isfinite(d) ? QString() : QStringLiteral("not a number");
    }
    }
    return {};
}

QStringList segmentsOf(QLatin1StringView path)
{
    return QString(path).split(u'.');
}

bool isArraySegment(const QString& segment)
{
    return segment.endsWith(QStringLiteral("[]"));
}

QString keyOf(const QString& segment)
{
    return isArraySegment(segment) ? segment.chopped(2) : segment;
}

} // namespace

NeoContractCheck::NeoContractCheck(const NeoShapeContract& contract, bool invalidUtf8)
    : m_contract(contract)
    , m_invalidUtf8(invalidUtf8)
    , m_violations(QString(contract.endpoint))
    , m_unknown(QString(contract.endpoint))
{}

bool NeoContractCheck::check(const QJsonObject& object, int row)
{
    ++m_rows;
    m_rowBroke = false;
    const bool visit = isVisitRow(m_contract.visits, object);
    for (const NeoFieldSpec& spec : m_contract.fields) {
        if (spec.need != FieldNeed::Ignored)
            checkField(spec, object, row, visit);
    }
    reportUnknownKeys(object, QString(), QString());
    return !m_rowBroke;
}

void NeoContractCheck::notAnObject(const QString& field, const QJsonValue& value)
{
    ++m_rows;
    violate(field, jsonTypeName(value) + QStringLiteral(" instead of object"));
}

void NeoContractCheck::violate(const QString& field, const QString& detail)
{
    m_rowBroke = true;
    m_violations.warn(field, detail);
}

void NeoContractCheck::checkField(const NeoFieldSpec& spec, const QJsonObject& object, int row, bool visit)
{
    const QStringList segments = segmentsOf(spec.path);
    // The objects the field lives in: one, or one per element of each array on the way.
    QList<QJsonObject> parents{object};
    QString walked;
    for (qsizetype i = 0; i + 1 < segments.size(); ++i) {
        const QString& segment = segments.at(i);
        const QString key = keyOf(segment);
        walked += (walked.isEmpty() ? QString() : QStringLiteral(".")) + segment;
        QList<QJsonObject> next;
        for (const QJsonObject& parent : std::as_const(parents)) {
            const QJsonValue value = parent.value(key);
            if (isArraySegment(segment)) {
                // A missing or mistyped array is its own entry's violation; its elements must be objects.
                for (const QJsonValue element : value.toArray()) {
                    if (element.isObject())
                        next.append(element.toObject());
                    else
                        violate(walked, jsonTypeName(element) + QStringLiteral(" instead of object"));
                }
            } else if (value.isObject()) {
                next.append(value.toObject());
            }
        }
        parents = std::move(next);
    }
    const QString key = keyOf(segments.last());
    const QString path(spec.path);
    for (const QJsonObject& parent : std::as_const(parents)) {
        const auto it = parent.constFind(key);
        if (spec.need == FieldNeed::Optional)
            ++m_checked[path];
        if (it == parent.constEnd()) {
            if (spec.need == FieldNeed::Required || (spec.need == FieldNeed::VisitRequired && visit))
                violate(path, QStringLiteral("missing"));
            continue;
        }
        if (spec.need == FieldNeed::Optional)
            ++m_present[path];
        checkValue(spec, path, *it, row);
    }
}

void NeoContractCheck::checkValue(const NeoFieldSpec& spec, const QString& path, const QJsonValue& value,
                                  int row)
{
    const quint8 type = typeBit(value);
    if ((spec.types & type) == 0) {
        violate(path, jsonTypeName(value) + QStringLiteral(" instead of ") + jsonTypesText(spec.types));
        return;
    }
    if (value.isString()) {
        const QString text = value.toString();
        if (spec.maxLength > 0 && text.size() > spec.maxLength) {
            refuse(row, neo_refusal::kValueTooLong, path,
                   QStringLiteral("longer than %1 characters").arg(spec.maxLength));
            return;
        }
        if (m_invalidUtf8 && text.contains(kReplacementCharacter)) {
            refuse(row, neo_refusal::kInvalidUtf8, path, QStringLiteral("invalid UTF-8"));
            return;
        }
    }
    if (const QString problem = formatProblem(spec.format, value); !problem.isEmpty())
        violate(path, problem);
}

void NeoContractCheck::refuse(int row, QLatin1StringView code, const QString& field, const QString& detail)
{
    m_refusals.append(NeoItemRefusal{row, QString(code), field, detail});
}

void NeoContractCheck::reportUnknownKeys(const QJsonObject& object, const QString& prefix,
                                         const QString& shown)
{
    // The contract's children of `prefix` (a path in the table's form, "pageData.providers[]"), and which
    // of them are containers whose own keys are checked too (those with read fields below them).
    QSet<QString> known;
    QHash<QString, QString> containers; // child key -> its segment ("providers[]")
    for (const NeoFieldSpec& spec : m_contract.fields) {
        const QString path(spec.path);
        if (!prefix.isEmpty() && !path.startsWith(prefix + u'.'))
            continue;
        const QString rest = prefix.isEmpty() ? path : path.sliced(prefix.size() + 1);
        const QString segment = rest.section(u'.', 0, 0);
        known.insert(keyOf(segment));
        if (rest.contains(u'.') && spec.need != FieldNeed::Ignored)
            containers.insert(keyOf(segment), segment);
    }
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString key = it.key();
        const QString where = shown.isEmpty() ? key : shown + u'.' + key;
        if (!known.contains(key)) {
            m_unknown.unknownField(driftSafe(where, 64));
            continue;
        }
        const auto container = containers.constFind(key);
        if (container == containers.cend())
            continue;
        const QString childPrefix = prefix.isEmpty() ? *container : prefix + u'.' + *container;
        if (isArraySegment(*container)) {
            for (const QJsonValue element : it.value().toArray()) {
                if (element.isObject())
                    reportUnknownKeys(element.toObject(), childPrefix, where + QStringLiteral("[]"));
            }
        } else if (it.value().isObject()) {
            reportUnknownKeys(it.value().toObject(), childPrefix, where);
        }
    }
}

QSet<int> NeoContractCheck::refusedRows() const
{
    QSet<int> rows;
    for (const NeoItemRefusal& refusal : m_refusals)
        rows.insert(refusal.row);
    return rows;
}

Error NeoContractCheck::error() const
{
    QStringList parts;
    for (const DriftWarning& w : m_violations.warnings()) {
        parts << w.field + u' ' + w.detail +
                     (w.occurrences > 1 ? QStringLiteral(" (x%1)").arg(w.occurrences) : QString());
        if (parts.size() == 5) {
            parts << QStringLiteral("...");
            break;
        }
    }
    return Error{QString(neo_extraction_error::kLayoutChanged),
                 shapeLabel(m_contract) + QStringLiteral(": ") + parts.join(QStringLiteral("; "))};
}

NeoAnswerCheck NeoContractCheck::result() const
{
    return NeoAnswerCheck{m_contract.id, violations(), m_refusals, m_present, m_checked, m_rows};
}

Error unknownShapeError(QLatin1StringView endpoint, const QString& what)
{
    return Error{QString(neo_extraction_error::kLayoutChanged),
                 QString(endpoint) + QStringLiteral(": no known shape (") + what + u')'};
}

QString keysText(const QJsonObject& object)
{
    QStringList keys;
    for (auto it = object.constBegin(); it != object.constEnd() && keys.size() < 5; ++it)
        keys << driftSafe(it.key(), 40);
    if (object.size() > keys.size())
        keys << QStringLiteral("...");
    return keys.isEmpty() ? QStringLiteral("an empty object")
                          : QStringLiteral("an object with keys ") + keys.join(QStringLiteral(", "));
}

} // namespace odis::sync
