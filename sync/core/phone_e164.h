#pragma once

// Phone numbers for the discharge call: which of a visit's numbers to dial, in E.164
// (docs/discharge-rules.md, "Phones (E.164)").

#include <QString>
#include <QStringView>

#include <optional>

namespace odis::sync {

// The client's numbers as Neo shows them (raw text; any may be empty), in the order they are tried.
struct VisitPhones
{
    QString mobile;             // appointment detail `mobilePhone`
    QString scheduleRow;        // schedule row `phone_number` (older shape: `clientPhone`)
    QString consultationClient; // the consultation's client phone
    QString home;               // appointment detail `homePhone`

    bool operator==(const VisitPhones&) const = default;
};

enum class PhoneSource
{
    Mobile,
    ScheduleRow,
    ConsultationClient,
    Home,
};

struct ChosenPhone
{
    QString e164;
    PhoneSource source = PhoneSource::Mobile;
};

// The E.164 form of a raw number, or nullopt when it does not normalise.
// - Formatting is dropped: ASCII digits are kept; white space and the separators - . ( ) / are ignored.
// - A leading '+' keeps the number as "+digits" when it has 8 to 15 digits.
// - Otherwise US/CA: 10 digits give "+1" and the digits, 11 digits starting with 1 give "+" and the
//   digits.
// - Anything else is invalid. In particular a number with letters ("555-CALL-NOW", "Tel: ..."), an
//   extension ("x12", "ext. 12", "#12", ";12", ",12"), a '+' that is not the first character or any
//   other character is refused rather than having its digits kept: its digits would make a different,
//   possibly valid, number (201-3344 x123 is ten digits), and calling a stranger about their "pet" is
//   worse than not calling. The next candidate number is tried instead.
[[nodiscard]] std::optional<QString> normalizePhoneE164(QStringView raw);

// The first of the visit's numbers, in VisitPhones order, that normalises; nullopt when none does.
[[nodiscard]] std::optional<ChosenPhone> choosePhone(const VisitPhones& phones);

} // namespace odis::sync
