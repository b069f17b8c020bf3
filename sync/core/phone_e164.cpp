#include "sync/core/phone_e164.h"

#include <algorithm>
#include <array>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <set>
#include <string>
#include <utility>

namespace odis::sync {

namespace {

using i18n::phonenumbers::PhoneNumberUtil;

// libphonenumber's instance: immutable metadata, safe to share between threads. Its logger is a null
// logger by default, so no number it reads ever reaches a log.
const PhoneNumberUtil& util()
{
    return *PhoneNumberUtil::GetInstance();
}

bool isAllowedSeparator(QChar character)
{
    switch (character.unicode()) {
    case u'-':
    case u'.':
    case u'(':
    case u')':
    case u'/':
        return true;
    default:
        return character.isSpace();
    }
}

// Digits, separators and one leading '+' only: anything else would make libphonenumber read letters as
// keypad digits or cut an extension off, and either dials someone else.
bool isPlainNumber(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar character = text.at(i);
        if ((character >= u'0' && character <= u'9') || isAllowedSeparator(character))
            continue;
        if (character == u'+' && i == 0)
            continue;
        return false;
    }
    return true;
}

std::optional<PhoneKind> personalKind(PhoneNumberUtil::PhoneNumberType type)
{
    switch (type) {
    case PhoneNumberUtil::MOBILE:
        return PhoneKind::Mobile;
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
        return PhoneKind::MobileOrFixed;
    case PhoneNumberUtil::FIXED_LINE:
        return PhoneKind::FixedLine;
    case PhoneNumberUtil::VOIP:
        return PhoneKind::Voip;
    default: // toll-free, premium rate, shared cost, personal number, pager, UAN, voicemail, unknown
        return std::nullopt;
    }
}

} // namespace

std::optional<PhoneCountry> PhoneCountry::fromIsoCode(QStringView code)
{
    if (code.size() != 2 || !std::ranges::all_of(code, [](QChar c) { return c >= u'A' && c <= u'Z'; }))
        return std::nullopt;
    const std::string region = code.toString().toStdString();
    std::set<std::string> supported;
    util().GetSupportedRegions(&supported);
    if (!supported.contains(region))
        return std::nullopt;
    PhoneCountry country;
    country.m_isoCode = code.toString();
    country.m_callingCode = util().GetCountryCodeForRegion(region);
    if (country.m_callingCode <= 0)
        return std::nullopt;
    return country;
}

Result<PhoneNumber> parsePhone(QStringView raw, const PhoneCountry& country)
{
    const QStringView text = raw.trimmed();
    if (!country.isValid())
        return fail(QString(kPhoneNoCountry),
                    QStringLiteral("the clinic has no country for its phone numbers"));
    if (text.isEmpty())
        return fail(QString(kPhoneEmpty), QStringLiteral("no number"));
    // The messages never quote the number: they may reach a log.
    if (!isPlainNumber(text))
        return fail(QString(kPhoneNotANumber),
                    QStringLiteral("the number holds characters other than digits and separators"));
    i18n::phonenumbers::PhoneNumber number;
    if (util().Parse(text.toString().toStdString(), country.isoCode().toStdString(), &number) !=
            PhoneNumberUtil::NO_PARSING_ERROR ||
        number.has_extension() || !util().IsValidNumber(number))
        return fail(
            QString(kPhoneInvalid),
            QStringLiteral("not a valid number for %1 or with a country code").arg(country.isoCode()));
    const std::optional<PhoneKind> kind = personalKind(util().GetNumberType(number));
    if (!kind)
        return fail(
            QString(kPhoneNotPersonal),
            QStringLiteral("a toll-free, premium-rate or other service number, not a person's phone"));
    std::string e164;
    util().Format(number, PhoneNumberUtil::E164, &e164);
    return PhoneNumber{QString::fromStdString(e164), *kind, number.country_code() == country.callingCode()};
}

int phonePreference(const PhoneNumber& number)
{
    const bool mobile = number.kind == PhoneKind::Mobile || number.kind == PhoneKind::MobileOrFixed;
    return (number.domestic ? 0 : 2) + (mobile ? 0 : 1);
}

bool isFirstChoicePhone(QStringView raw, const PhoneCountry& country)
{
    const Result<PhoneNumber> number = parsePhone(raw, country);
    return number && phonePreference(*number) == 0;
}

std::optional<ChosenPhone> choosePhone(const VisitPhones& phones, const PhoneCountry& country)
{
    const std::array<std::pair<const QString*, PhoneSource>, 4> candidates{{
        {&phones.mobile, PhoneSource::Mobile},
        {&phones.scheduleRow, PhoneSource::ScheduleRow},
        {&phones.consultationClient, PhoneSource::ConsultationClient},
        {&phones.home, PhoneSource::Home},
    }};
    std::optional<ChosenPhone> best;
    for (const auto& [raw, source] : candidates) {
        Result<PhoneNumber> number = parsePhone(*raw, country);
        if (number && (!best || phonePreference(*number) < phonePreference(best->number)))
            best = ChosenPhone{std::move(*number), source, *raw};
    }
    return best;
}

} // namespace odis::sync
