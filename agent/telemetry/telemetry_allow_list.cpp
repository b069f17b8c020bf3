#include "agent/telemetry/telemetry_allow_list.h"

#include "agent/run/run_record.h"
#include "storage/codes/agent_codes.h"

#include <QJsonValue>
#include <QList>
#include <QRegularExpression>
#include <QUuid>

#include <algorithm>
#include <cmath>

namespace odis::agent {

namespace {

enum class Kind
{
    Count,  // an integer >= 0
    Number, // a finite number >= 0 (a measurement)
    Boolean,
    Code,  // isTelemetryCode()
    OneOf, // one of `values`
    Uuid,  // lower-case 8-4-4-4-12, as QUuid::WithoutBraces writes it
};

struct Property
{
    QLatin1StringView name;
    Kind kind = Kind::Count;
    bool required = true;
    QStringList values = {}; // OneOf
};

struct EventRules
{
    QLatin1StringView event;
    QList<Property> properties;
};

constexpr double kMaxCount = 9007199254740992.0; // 2^53: beyond it a JSON number loses integers
constexpr double kMaxNumber = 1.0e9;

QStringList triggers()
{
    return {runTriggerName(RunTrigger::Schedule), runTriggerName(RunTrigger::Manual),
            runTriggerName(RunTrigger::Remote), runTriggerName(RunTrigger::CatchUp),
            runTriggerName(RunTrigger::Startup)};
}

QStringList steps()
{
    QStringList out;
    for (const QLatin1StringView step : knownRunSteps())
        out.append(QString(step));
    return out;
}

QList<Property> countProperties()
{
    QList<Property> out;
    for (const char* name : {"appointments_seen", "consultations_fetched", "notes_found", "items_queued",
                             "items_uploaded", "calls_planned", "calls_excluded", "failed"})
        out.append(Property{QLatin1StringView(name), Kind::Count});
    return out;
}

const QList<EventRules>& allowList()
{
    using namespace telemetry_event;
    static const QList<EventRules> rules = [] {
        const Property runId{QLatin1StringView("run_id"), Kind::Uuid};
        const Property trigger{QLatin1StringView("trigger"), Kind::OneOf, true, triggers()};
        QList<Property> completed{
            runId,
            trigger,
            {QLatin1StringView("status"),
             Kind::OneOf,
             true,
             {runStatusName(RunStatus::Completed), runStatusName(RunStatus::Partial)}},
            {QLatin1StringView("duration_ms"), Kind::Count},
            {QLatin1StringView("peak_rss_mb"), Kind::Number, false},
            {QLatin1StringView("drift_warnings"), Kind::Count, false},
        };
        completed.append(countProperties());
        return QList<EventRules>{
            {kSyncStarted, {runId, trigger}},
            {kSyncCompleted, completed},
            {kSyncFailed,
             {runId,
              trigger,
              {QLatin1StringView("status"),
               Kind::OneOf,
               true,
               {runStatusName(RunStatus::Failed), runStatusName(RunStatus::Interrupted)}},
              {QLatin1StringView("error_code"), Kind::Code},
              {QLatin1StringView("step"), Kind::OneOf, false, steps()},
              {QLatin1StringView("duration_ms"), Kind::Count, false}}},
            {kDischargeScheduled,
             {{QLatin1StringView("run_id"), Kind::Uuid, false}, {QLatin1StringView("count"), Kind::Count}}},
            {kCredentialValidated,
             {{QLatin1StringView("valid"), Kind::Boolean}, {QLatin1StringView("reason"), Kind::Code, false}}},
        };
    }();
    return rules;
}

// What a refused string looks like, for the developer reading the error; the value itself is never
// repeated (it may be exactly what must not leak).
QString lookOf(const QString& value)
{
    static const QRegularExpression digits(QStringLiteral("\\d"));
    if (value.contains(u'@'))
        return QStringLiteral("an e-mail address");
    if (value.count(digits) >= 7)
        return QStringLiteral("a phone number");
    if (value.contains(QRegularExpression(QStringLiteral("\\s"))))
        return QStringLiteral("free text");
    if (value != value.toLower())
        return QStringLiteral("a name");
    return QStringLiteral("something other than a code");
}

// A property name is the developer's, not data; still, only a name shaped like one is repeated.
QString keyForMessage(const QString& key)
{
    static const QRegularExpression plain(QStringLiteral("^[a-z$][a-z0-9_.]{0,40}$"));
    return plain.match(key).hasMatch()
               ? key
               : QStringLiteral("<%1 characters, not a property name>").arg(key.size());
}

std::unexpected<Error> typeError(const QString& event, const Property& p, const QString& expected)
{
    return fail(codes::kTelemetryPropertyType,
                QStringLiteral("%1.%2 must be %3").arg(event, QString(p.name), expected));
}

std::unexpected<Error> refused(const QString& event, const Property& p, const QString& value)
{
    return fail(codes::kTelemetryValueRefused,
                QStringLiteral("%1.%2 was given %3 (%4 characters), not an allowed value")
                    .arg(event, QString(p.name), lookOf(value))
                    .arg(value.size()));
}

[[nodiscard]] Status checkValue(const QString& event, const Property& p, const QJsonValue& value)
{
    switch (p.kind) {
    case Kind::Count: {
        const double n = value.toDouble(-1.0);
        if (!value.isDouble() || n < 0 || n > kMaxCount || std::floor(n) != n)
            return typeError(event, p, QStringLiteral("a whole number >= 0"));
        return ok();
    }
    case Kind::Number: {
        const double n = value.toDouble(-1.0);
        if (!value.isDouble() || !std::isfinite(n) || n < 0 || n > kMaxNumber)
            return typeError(event, p, QStringLiteral("a number >= 0"));
        return ok();
    }
    case Kind::Boolean:
        if (!value.isBool())
            return typeError(event, p, QStringLiteral("true or false"));
        return ok();
    case Kind::Code:
    case Kind::OneOf:
    case Kind::Uuid:
        break;
    }
    if (!value.isString())
        return typeError(event, p, QStringLiteral("a string"));
    const QString text = value.toString();
    bool allowed = false;
    if (p.kind == Kind::Code)
        allowed = isTelemetryCode(text);
    else if (p.kind == Kind::OneOf)
        allowed = p.values.contains(text);
    else
        allowed = text.size() == 36 && !QUuid::fromString(text).isNull() &&
                  QUuid::fromString(text).toString(QUuid::WithoutBraces) == text;
    return allowed ? ok() : Status(refused(event, p, text));
}

} // namespace

QStringList telemetryEventNames()
{
    QStringList out;
    for (const EventRules& rules : allowList())
        out.append(QString(rules.event));
    return out;
}

bool isTelemetryCode(const QString& value)
{
    static const QRegularExpression code(QStringLiteral("^[a-z][a-z0-9]*(_[a-z0-9]+)+$"));
    return value.size() <= 64 && code.match(value).hasMatch();
}

Status checkTelemetryEvent(const QString& event, const QJsonObject& properties)
{
    const auto rules = std::find_if(allowList().begin(), allowList().end(),
                                    [&event](const EventRules& r) { return event == r.event; });
    if (rules == allowList().end())
        return fail(codes::kTelemetryEventUnknown,
                    QStringLiteral("\"%1\" is not one of the five telemetry events").arg(event.left(40)));
    for (auto it = properties.constBegin(); it != properties.constEnd(); ++it) {
        const auto rule = std::find_if(rules->properties.begin(), rules->properties.end(),
                                       [&it](const Property& p) { return it.key() == p.name; });
        if (rule == rules->properties.end())
            return fail(
                codes::kTelemetryPropertyNotAllowed,
                QStringLiteral("%1 does not allow the property %2").arg(event, keyForMessage(it.key())));
        if (auto valid = checkValue(event, *rule, it.value()); !valid)
            return valid;
    }
    for (const Property& p : rules->properties) {
        if (p.required && !properties.contains(p.name))
            return fail(codes::kTelemetryPropertyMissing,
                        QStringLiteral("%1 needs %2").arg(event, QString(p.name)));
    }
    return ok();
}

} // namespace odis::agent
