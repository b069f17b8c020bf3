#pragma once

// Phone numbers for the discharge call: which of a visit's numbers to dial, in E.164
// (docs/discharge-rules.md, "Phones (E.164)"). Numbers are read by libphonenumber's rules and metadata
// (kept inside phone_e164.cpp), in the clinic's country.

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"

#include <QLatin1StringView>
#include <QString>
#include <QStringView>

#include <optional>

namespace odis::sync {

// The clinic's country (the clinic profile's `country`, ISO 3166-1 alpha-2): the country of every number
// written without an international prefix. A default-constructed one is no country: no number is valid
// in it.
class PhoneCountry
{
public:
    PhoneCountry() = default;

    // "US", "CA", "GB", ...: an upper-case ISO 3166-1 alpha-2 code of a country with a numbering plan
    // (libphonenumber's supported regions); nullopt otherwise ("UK" is not ISO 3166-1, "us" not upper
    // case, "ZZ" not a country).
    [[nodiscard]] static std::optional<PhoneCountry> fromIsoCode(QStringView code);

    [[nodiscard]] const QString& isoCode() const { return m_isoCode; }
    [[nodiscard]] int callingCode() const { return m_callingCode; } // 1 for US and CA, 44 for GB
    [[nodiscard]] bool isValid() const { return m_callingCode > 0; }

    bool operator==(const PhoneCountry&) const = default;

private:
    QString m_isoCode;
    int m_callingCode = 0;
};

// Why a raw number is not one to call.
inline constexpr QLatin1StringView kPhoneEmpty{codes::kPhoneEmpty};
// Characters other than ASCII digits, white space, - . ( ) / and one leading '+': letters
// ("555-CALL-NOW", "Tel: ..."), an extension ("x12", "ext. 12", "#12", ";12", ",12"), a second '+'.
// Their digits would make a different, possibly valid, number (201-3344 x123 is ten digits), and calling
// a stranger about their "pet" is worse than not calling.
inline constexpr QLatin1StringView kPhoneNotANumber{codes::kPhoneNotANumber};
// Not a valid number by the numbering plan: unassigned area code or range, wrong length, a local number
// without its area code.
inline constexpr QLatin1StringView kPhoneInvalid{codes::kPhoneInvalid};
// Valid, but not a person's phone: toll-free, premium rate, shared cost, personal (UK 070), pager, UAN,
// voicemail access numbers.
inline constexpr QLatin1StringView kPhoneNotPersonal{codes::kPhoneNotPersonal};
// The clinic has no valid country.
inline constexpr QLatin1StringView kPhoneNoCountry{codes::kPhoneNoCountry};

// What libphonenumber says a valid number is. North American numbers are MobileOrFixed: the plan does
// not tell mobiles from fixed lines there.
enum class PhoneKind
{
    Mobile,
    MobileOrFixed,
    FixedLine,
    Voip,
};

struct PhoneNumber
{
    QString e164;
    PhoneKind kind = PhoneKind::MobileOrFixed;
    // In the clinic's country calling code (US and Canada share +1, the UK, Guernsey, Jersey and the
    // Isle of Man +44): dialled like a local number from the clinic.
    bool domestic = true;

    bool operator==(const PhoneNumber&) const = default;
};

// One raw number as Neo shows it, read in `country`:
// - it may hold only ASCII digits, white space, the separators - . ( ) / and a leading '+' (else
//   kPhoneNotANumber);
// - a number written with '+' (or with the country's international call prefix, "011" in North America,
//   "00" in the UK) is international: its own country code says where it is;
// - otherwise it is a number of `country` (a national prefix such as the UK's leading 0 or North
//   America's 1 is understood);
// - it must be valid by libphonenumber's metadata (kPhoneInvalid) and a person's phone: mobile, fixed
//   line or VoIP (kPhoneNotPersonal). Nothing is ever guessed into shape.
[[nodiscard]] Result<PhoneNumber> parsePhone(QStringView raw, const PhoneCountry& country);

// How much a number is preferred as the one to dial: 0 is best. Domestic numbers before international
// ones; mobile numbers (and North American ones, which may be) before fixed lines and VoIP.
[[nodiscard]] int phonePreference(const PhoneNumber& number);

// True when `raw` is a valid number that no other candidate can beat (phonePreference() 0): the visit
// needs no other source of numbers.
[[nodiscard]] bool isFirstChoicePhone(QStringView raw, const PhoneCountry& country);

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
    PhoneNumber number;
    PhoneSource source = PhoneSource::Mobile;
    QString raw; // the candidate's text as Neo showed it
};

// The number to dial among the visit's candidates that parse: the lowest phonePreference(), the first
// in VisitPhones order among equals. nullopt when none parses.
[[nodiscard]] std::optional<ChosenPhone> choosePhone(const VisitPhones& phones, const PhoneCountry& country);

} // namespace odis::sync
