#include "sync/core/phone_e164.h"

#include <array>
#include <utility>

namespace odis::sync {

namespace {

bool isIgnoredSeparator(QChar character)
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

} // namespace

std::optional<QString> normalizePhoneE164(QStringView raw)
{
    const QStringView text = raw.trimmed();
    const bool international = text.startsWith(u'+');
    QString digits;
    for (const QChar character : international ? text.sliced(1) : text) {
        if (character >= u'0' && character <= u'9')
            digits.append(character);
        else if (!isIgnoredSeparator(character))
            return std::nullopt;
    }
    if (international) {
        if (digits.size() >= 8 && digits.size() <= 15)
            return QLatin1Char('+') + digits;
        return std::nullopt;
    }
    if (digits.size() == 10)
        return QStringLiteral("+1") + digits;
    if (digits.size() == 11 && digits.startsWith(u'1'))
        return QLatin1Char('+') + digits;
    return std::nullopt;
}

std::optional<ChosenPhone> choosePhone(const VisitPhones& phones)
{
    const std::array<std::pair<const QString*, PhoneSource>, 4> candidates{{
        {&phones.mobile, PhoneSource::Mobile},
        {&phones.scheduleRow, PhoneSource::ScheduleRow},
        {&phones.consultationClient, PhoneSource::ConsultationClient},
        {&phones.home, PhoneSource::Home},
    }};
    for (const auto& [raw, source] : candidates) {
        if (auto e164 = normalizePhoneE164(*raw))
            return ChosenPhone{std::move(*e164), source};
    }
    return std::nullopt;
}

} // namespace odis::sync
