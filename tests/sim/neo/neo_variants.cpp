#include "tests/sim/neo/neo_variants.h"

#include <QJsonArray>
#include <QJsonValue>

#include <array>
#include <utility>

namespace odis::sim::neo {

namespace {

template <typename E> using NameTable = std::initializer_list<std::pair<E, const char*>>;

const NameTable<NeoEndpoint> kEndpoints = {
    {NeoEndpoint::Schedule, "schedule"},
    {NeoEndpoint::Consultation, "consultation"},
    {NeoEndpoint::ScheduleConfigs, "schedule_configs"},
    {NeoEndpoint::AppointmentView, "appointment_view"},
    {NeoEndpoint::Appointment, "appointment"},
};
const NameTable<ScheduleFields> kFields = {{ScheduleFields::Current, "current"},
                                           {ScheduleFields::Older, "older"}};
const NameTable<ScheduleWrapper> kWrappers = {{ScheduleWrapper::None, "none"},
                                              {ScheduleWrapper::Events, "events"},
                                              {ScheduleWrapper::Appointments, "appointments"},
                                              {ScheduleWrapper::Data, "data"}};
const NameTable<ConsultationShape> kConsultation = {{ConsultationShape::Current, "current"},
                                                    {ConsultationShape::Older, "older"}};
const NameTable<SummaryPlacement> kSummary = {{SummaryPlacement::DischargeSummary, "dischargeSummary"},
                                              {SummaryPlacement::ConsultationNotes, "consultationNotes"},
                                              {SummaryPlacement::Mixed, "mixed"}};
const NameTable<ExpiryMode> kExpiry = {
    {ExpiryMode::Unauthorized, "401"}, {ExpiryMode::Redirect, "redirect"}, {ExpiryMode::Auto, "auto"}};
const NameTable<CompanyIdField> kCompany = {
    {CompanyIdField::Auto, "auto"}, {CompanyIdField::Shown, "shown"}, {CompanyIdField::Hidden, "hidden"}};
const NameTable<UsernameField> kUsername = {{UsernameField::Username, "username"},
                                            {UsernameField::EmailOnly, "email"}};
const NameTable<ErrorStyle> kErrorStyle = {{ErrorStyle::ErrorMessage, "error-message"},
                                           {ErrorStyle::AlertDanger, "alert-danger"},
                                           {ErrorStyle::RoleAlert, "role-alert"},
                                           {ErrorStyle::Unrecognised, "unrecognised"}};
const NameTable<SecondFactor> kSecondFactor = {{SecondFactor::Off, "off"},
                                               {SecondFactor::Code, "code"},
                                               {SecondFactor::Otp, "otp"},
                                               {SecondFactor::Placeholder, "placeholder"}};
const NameTable<PageLayout> kLayout = {{PageLayout::Standard, "standard"}, {PageLayout::Changed, "changed"}};

template <typename E> QString nameOf(const NameTable<E>& table, E value)
{
    for (const auto& [v, name] : table) {
        if (v == value) {
            return QString::fromLatin1(name);
        }
    }
    return {};
}

template <typename E>
odis::Result<E> valueOf(const NameTable<E>& table, const QString& key, const QJsonValue& json)
{
    const QString text = json.isDouble() ? QString::number(json.toInt()) : json.toString();
    QStringList allowed;
    for (const auto& [v, name] : table) {
        if (text == QLatin1String(name)) {
            return v;
        }
        allowed << QString::fromLatin1(name);
    }
    return odis::fail(QStringLiteral("bad_variant"),
                      QStringLiteral("%1 must be one of: %2").arg(key, allowed.join(QStringLiteral(", "))));
}

// Reads `key` from `obj` into `target` when present; remembers the first error.
template <typename E>
void apply(const NameTable<E>& table, const QJsonObject& obj, const QString& key, E& target,
           std::optional<odis::Error>& error)
{
    if (error || !obj.contains(key)) {
        return;
    }
    auto value = valueOf(table, key, obj.value(key));
    if (value) {
        target = *value;
    } else {
        error = value.error();
    }
}

odis::Result<ScheduleShape> scheduleFromJson(const QJsonValue& json, ScheduleShape base)
{
    // Shortcuts name the two shapes Neo is known to have served; an object picks fields and envelope.
    if (json.isString()) {
        if (json.toString() == QLatin1String("current")) {
            return ScheduleShape{ScheduleFields::Current, ScheduleWrapper::None};
        }
        if (json.toString() == QLatin1String("older")) {
            return ScheduleShape{ScheduleFields::Older, ScheduleWrapper::Events};
        }
        return odis::fail(QStringLiteral("bad_variant"),
                          QStringLiteral("schedule must be \"current\", \"older\" or {fields, wrapper}"));
    }
    if (!json.isObject()) {
        return odis::fail(QStringLiteral("bad_variant"),
                          QStringLiteral("schedule must be a string or object"));
    }
    std::optional<odis::Error> error;
    apply(kFields, json.toObject(), QStringLiteral("fields"), base.fields, error);
    apply(kWrappers, json.toObject(), QStringLiteral("wrapper"), base.wrapper, error);
    if (error) {
        return std::unexpected(*error);
    }
    return base;
}

const std::array kKnownKeys = {"schedule",    "consultation", "discharge_summary_in",
                               "expiry_mode", "login",        "layout"};
const std::array kKnownLoginKeys = {"company_id_field", "username_field", "error_style", "second_factor",
                                    "banner"};

template <size_t N>
std::optional<odis::Error> unknownKey(const QJsonObject& obj, const std::array<const char*, N>& known)
{
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        bool found = false;
        for (const char* k : known) {
            found = found || it.key() == QLatin1String(k);
        }
        if (!found) {
            return odis::Error{QStringLiteral("bad_variant"), QStringLiteral("unknown key: ") + it.key()};
        }
    }
    return std::nullopt;
}

} // namespace

QString endpointName(NeoEndpoint endpoint)
{
    return nameOf(kEndpoints, endpoint);
}

QJsonObject NeoVariants::toJson() const
{
    return QJsonObject{
        {QStringLiteral("schedule"),
         QJsonObject{{QStringLiteral("fields"), nameOf(kFields, schedule.fields)},
                     {QStringLiteral("wrapper"), nameOf(kWrappers, schedule.wrapper)}}},
        {QStringLiteral("consultation"), nameOf(kConsultation, consultation)},
        {QStringLiteral("discharge_summary_in"), nameOf(kSummary, summary)},
        {QStringLiteral("expiry_mode"), nameOf(kExpiry, expiry)},
        {QStringLiteral("login"),
         QJsonObject{{QStringLiteral("company_id_field"), nameOf(kCompany, companyIdField)},
                     {QStringLiteral("username_field"), nameOf(kUsername, usernameField)},
                     {QStringLiteral("error_style"), nameOf(kErrorStyle, errorStyle)},
                     {QStringLiteral("second_factor"), nameOf(kSecondFactor, secondFactor)},
                     {QStringLiteral("banner"), loginBanner}}},
        {QStringLiteral("layout"), nameOf(kLayout, layout)},
    };
}

odis::Result<NeoVariants> NeoVariants::merged(const QJsonObject& patch) const
{
    NeoVariants next = *this;
    std::optional<odis::Error> error = unknownKey(patch, kKnownKeys);
    if (!error && patch.contains(QStringLiteral("schedule"))) {
        auto shape = scheduleFromJson(patch.value(QStringLiteral("schedule")), next.schedule);
        if (shape) {
            next.schedule = *shape;
        } else {
            error = shape.error();
        }
    }
    apply(kConsultation, patch, QStringLiteral("consultation"), next.consultation, error);
    apply(kSummary, patch, QStringLiteral("discharge_summary_in"), next.summary, error);
    apply(kExpiry, patch, QStringLiteral("expiry_mode"), next.expiry, error);
    apply(kLayout, patch, QStringLiteral("layout"), next.layout, error);
    if (!error && patch.contains(QStringLiteral("login"))) {
        const QJsonObject login = patch.value(QStringLiteral("login")).toObject();
        error = unknownKey(login, kKnownLoginKeys);
        apply(kCompany, login, QStringLiteral("company_id_field"), next.companyIdField, error);
        apply(kUsername, login, QStringLiteral("username_field"), next.usernameField, error);
        apply(kErrorStyle, login, QStringLiteral("error_style"), next.errorStyle, error);
        apply(kSecondFactor, login, QStringLiteral("second_factor"), next.secondFactor, error);
        if (!error && login.contains(QStringLiteral("banner"))) {
            if (!login.value(QStringLiteral("banner")).isBool())
                error = odis::Error{QStringLiteral("bad_variant"),
                                    QStringLiteral("login.banner must be true or false")};
            else
                next.loginBanner = login.value(QStringLiteral("banner")).toBool();
        }
    }
    if (error) {
        return std::unexpected(*error);
    }
    return next;
}

} // namespace odis::sim::neo
