#include "tests/sim/neo/clinic_people.h"

#include <QSet>
#include <QStringList>

namespace odis::sim::neo {

namespace {

enum class NameStyle
{
    Plain,
    Upper,
    Accented,
    TwoSurnames,
    Chinese,
    Cyrillic,
    Arabic,
    MessySpaces,
    Decomposed
};
enum class PhoneStyle
{
    Dashed,
    Parens,
    Digits,
    PlusCountry,
    LeadingPrefix,
    HomeOnly,
    MobileAndHome,
    Swapped, // a fixed line in the mobile field, the mobile in the home field
    Foreign, // a number of another country (written with '+') or a neighbouring one of the same plan
    None,
    Invalid
};
enum class PetStyle
{
    Upper,
    Mixed,
    Accented,
    NonLatin
};

QStringList list(std::initializer_list<const char*> items)
{
    QStringList out;
    for (const char* item : items)
        out.append(QString::fromUtf8(item));
    return out;
}

QString digits(SimRandom& random, int count)
{
    QString out;
    for (int i = 0; i < count; ++i)
        out += QChar(u'0' + static_cast<char16_t>(random.below(10)));
    return out;
}

// Number ranges the generator knows to be assigned (and, below, ones it knows not to be). The ground
// truth takes the meaning of each number from here: it never reads a number back.
const QStringList& areaCodes(const QString& country)
{
    static const QStringList us =
        list({"415", "510", "650", "408", "707", "916", "206", "503", "312", "212", "617", "305", "702"});
    static const QStringList ca =
        list({"416", "647", "604", "778", "514", "438", "613", "403", "587", "902", "204", "306"});
    return country == QLatin1String("CA") ? ca : us;
}

// UK mobile ranges in use (07400 to 07409 for "740"), and geographic codes with the digits that follow.
const QStringList& ukMobilePrefixes()
{
    static const QStringList prefixes =
        list({"740", "741", "742", "743", "744", "747", "748", "749", "751", "753", "754", "756", "757",
              "758", "759", "771", "772", "773", "774", "775", "776", "777", "780", "781", "784", "785",
              "786", "787", "788", "789", "790", "792", "794", "795", "796", "797", "798", "799"});
    return prefixes;
}

struct UkArea
{
    QString code;  // without the leading 0: "20", "161", "1223"
    QString first; // the first digits of the local number that are in use there
    int localDigits = 0;
};

const QList<UkArea>& ukAreas()
{
    static const QList<UkArea> areas = {
        {QStringLiteral("20"), QStringLiteral("7"), 8},  {QStringLiteral("20"), QStringLiteral("8"), 8},
        {QStringLiteral("20"), QStringLiteral("3"), 8},  {QStringLiteral("161"), QString(), 7},
        {QStringLiteral("141"), QString(), 7},           {QStringLiteral("151"), QString(), 7},
        {QStringLiteral("29"), QStringLiteral("20"), 8}, {QStringLiteral("1223"), QString(), 6},
        {QStringLiteral("1865"), QString(), 6}};
    return areas;
}

// A North American number (MobileOrFixed: the plan does not tell mobiles) written as `style` says.
SimPhone nanpNumber(SimRandom& random, const QString& country, PhoneStyle style)
{
    // Now and then a client from across the border: same +1 plan, dialled like a local number.
    const QString neighbour = country == QLatin1String("CA") ? QStringLiteral("US") : QStringLiteral("CA");
    const QString area = random.pick(areaCodes(random.chance(0.05) ? neighbour : country));
    const QString exchange = QString::number(random.range(200, 999));
    const QString line = digits(random, 4);
    QString raw;
    switch (style) {
    case PhoneStyle::Parens:
        raw = QStringLiteral("(%1) %2-%3").arg(area, exchange, line);
        break;
    case PhoneStyle::Digits:
        raw = area + exchange + line;
        break;
    case PhoneStyle::PlusCountry:
        raw = QStringLiteral("+1 %1 %2 %3").arg(area, exchange, line);
        break;
    case PhoneStyle::LeadingPrefix:
        raw = QStringLiteral("1-%1-%2-%3").arg(area, exchange, line);
        break;
    default:
        raw = random.chance(0.2) ? QStringLiteral("%1.%2.%3").arg(area, exchange, line)
                                 : QStringLiteral("%1-%2-%3").arg(area, exchange, line);
    }
    return SimPhone::valid(raw, QStringLiteral("+1") + area + exchange + line, SimPhoneKind::MobileOrFixed);
}

// A UK number as UK clinics write it: the national form with its leading 0, spaced in the usual
// groups, or international.
SimPhone ukNumber(SimRandom& random, bool mobile, PhoneStyle style)
{
    QString head; // national significant number, first group ("7400", "20", "161")
    QString rest; // the remaining digits
    QString spaced;
    if (mobile) {
        head = random.pick(ukMobilePrefixes()) + digits(random, 1);
        rest = digits(random, 6);
        spaced = head + QLatin1Char(' ') + rest;
    } else {
        const UkArea area = random.pick(ukAreas());
        head = area.code;
        rest = area.first + QString::number(random.range(2, 9)) +
               digits(random, area.localDigits - int(area.first.size()) - 1);
        // Local numbers in the groups the UK writes them: 020 7946 0958, 0161 496 0000, 01223 123456.
        const qsizetype group = area.localDigits == 8 ? 4 : area.localDigits == 7 ? 3 : rest.size();
        spaced = head + QLatin1Char(' ') + rest.left(group);
        if (group < rest.size())
            spaced += QLatin1Char(' ') + rest.mid(group);
    }
    QString raw;
    switch (style) {
    case PhoneStyle::Parens:
        raw = mobile
                  ? QString(QStringLiteral("+44 (0)") + spaced)
                  : QString(QStringLiteral("(0") + head + QStringLiteral(") ") + spaced.mid(head.size() + 1));
        break;
    case PhoneStyle::Digits:
        raw = QLatin1Char('0') + head + rest;
        break;
    case PhoneStyle::PlusCountry:
        raw = QStringLiteral("+44 ") + spaced;
        break;
    case PhoneStyle::LeadingPrefix:
        raw = QStringLiteral("0044 ") + spaced;
        break;
    default:
        raw = QLatin1Char('0') + spaced;
    }
    return SimPhone::valid(raw, QStringLiteral("+44") + head + rest,
                           mobile ? SimPhoneKind::Mobile : SimPhoneKind::FixedLine);
}

// A number of `country` (mobile or fixed where the plan tells them apart), written in `style`.
SimPhone localNumber(SimRandom& random, const QString& country, bool mobile, PhoneStyle style)
{
    return country == QLatin1String("GB") ? ukNumber(random, mobile, style)
                                          : nanpNumber(random, country, style);
}

// A number of another country, written with '+': a North American one for a UK clinic, a UK mobile for a
// North American one.
SimPhone foreignNumber(SimRandom& random, const QString& country)
{
    SimPhone n = country == QLatin1String("GB")
                     ? nanpNumber(random, QStringLiteral("US"), PhoneStyle::PlusCountry)
                     : ukNumber(random, true, PhoneStyle::PlusCountry);
    n.international = true;
    return n;
}

// A number a clinic typed that is no valid number: an area code missing, an unassigned one, a digit
// missing, a range that is never assigned (the UK's drama numbers).
SimPhone invalidNumber(SimRandom& random, const QString& country)
{
    const int kind = int(random.below(4));
    if (country == QLatin1String("GB")) {
        switch (kind) {
        case 0:
            return SimPhone::invalid(QStringLiteral("07700 900") + digits(random, 3));
        case 1:
            return SimPhone::invalid(QLatin1Char('0') + random.pick(ukMobilePrefixes()) + digits(random, 1) +
                                     QLatin1Char(' ') + digits(random, 5));
        case 2:
            return SimPhone::invalid(QStringLiteral("01632 960") + digits(random, 3));
        default:
            return SimPhone::invalid(QString::number(random.range(200, 899)) + QLatin1Char(' ') +
                                     digits(random, 4));
        }
    }
    const QString exchange = QString::number(random.range(200, 999));
    switch (kind) {
    case 0:
        return SimPhone::invalid(exchange + QLatin1Char('-') + digits(random, 4));
    case 1:
        return SimPhone::invalid(QStringLiteral("555-") + exchange + QLatin1Char('-') + digits(random, 4));
    case 2:
        return SimPhone::invalid(random.pick(areaCodes(country)) + QLatin1Char('-') + exchange +
                                 QLatin1Char('-') + digits(random, 3));
    default:
        return SimPhone::invalid(
            QStringLiteral("(%1) %2-%3")
                .arg(random.pick(list({"311", "411", "911", "999"})), exchange, digits(random, 4)));
    }
}

void assignPhones(SimRandom& random, PhoneStyle style, const QString& country, SimClient& client)
{
    static const QList<PhoneStyle> formats = {PhoneStyle::Dashed, PhoneStyle::Parens, PhoneStyle::Digits,
                                              PhoneStyle::PlusCountry};
    switch (style) {
    case PhoneStyle::HomeOnly:
        client.homePhone = localNumber(random, country, false, random.pick(formats));
        break;
    case PhoneStyle::MobileAndHome:
        client.mobilePhone = localNumber(random, country, true, random.pick(formats));
        client.homePhone = localNumber(random, country, false, random.pick(formats));
        break;
    case PhoneStyle::Swapped:
        client.mobilePhone = localNumber(random, country, false, random.pick(formats));
        client.homePhone = localNumber(random, country, true, random.pick(formats));
        break;
    case PhoneStyle::Foreign:
        client.mobilePhone = foreignNumber(random, country);
        if (random.chance(0.5))
            client.homePhone = localNumber(random, country, false, PhoneStyle::Dashed);
        break;
    case PhoneStyle::None:
        break;
    case PhoneStyle::Invalid:
        client.mobilePhone = invalidNumber(random, country);
        // Sometimes a usable home phone is on file.
        if (random.chance(0.4))
            client.homePhone = localNumber(random, country, false, PhoneStyle::Dashed);
        break;
    default:
        client.mobilePhone = localNumber(random, country, true, style);
    }
}

QString asciiEmailPart(const QString& name)
{
    QString out;
    for (const QChar c : name.normalized(QString::NormalizationForm_D).toLower()) {
        if (c.unicode() < 128 && c.isLetter())
            out += c;
    }
    return out;
}

void assignName(SimRandom& random, NameStyle style, SimClient& client)
{
    static const QStringList first = list(
        {"Jane",  "John",  "Emily", "Michael", "Sarah",  "David",  "Laura",  "James",  "Karen",  "Robert",
         "Linda", "Kevin", "Megan", "Brian",   "Ashley", "Daniel", "Nicole", "Steven", "Rachel", "Thomas"});
    static const QStringList last =
        list({"Doe",      "Smith",  "Johnson",  "Williams", "Brown",  "Jones",  "Miller",
              "Davis",    "Wilson", "Anderson", "Taylor",   "Moore",  "Martin", "Jackson",
              "Thompson", "White",  "Harris",   "Clark",    "Nguyen", "Patel",  "O'Brien"});
    static const QStringList accentedFirst =
        list({"José", "Zoë", "Chloé", "Renée", "Inés", "Jürgen", "Björn", "François", "Łukasz", "Søren"});
    static const QStringList accentedLast =
        list({"García", "Núñez", "Müller", "Peña", "Lefèvre", "Ramírez", "Gómez", "Ibáñez"});
    static const QStringList spanishFirst = list({"María", "Luis", "Carmen", "Alejandro", "Lucía"});
    static const QStringList twoSurnames =
        list({"García López", "Fernández de la Cruz", "Silva Pereira", "Martínez Ruiz", "Hernández Ortega"});
    switch (style) {
    case NameStyle::Upper:
        client.firstName = random.pick(first).toUpper();
        client.lastName = random.pick(last).toUpper();
        break;
    case NameStyle::Accented:
        client.firstName = random.pick(accentedFirst);
        client.lastName =
            random.chance(0.4) ? random.pick(accentedLast).toUpper() : random.pick(accentedLast);
        break;
    case NameStyle::TwoSurnames:
        client.firstName = random.pick(spanishFirst);
        client.lastName = random.chance(0.3) ? random.pick(twoSurnames).toUpper() : random.pick(twoSurnames);
        break;
    case NameStyle::Chinese:
        client.firstName = random.pick(list({"伟", "芳", "娜", "静"}));
        client.lastName = random.pick(list({"李", "王", "张", "刘"}));
        break;
    case NameStyle::Cyrillic:
        client.firstName = random.pick(list({"Ольга", "Дмитрий", "Наталья"}));
        client.lastName = random.pick(list({"Иванова", "Петров", "Смирнова"}));
        break;
    case NameStyle::Arabic:
        client.firstName = random.pick(list({"محمد", "فاطمة", "أحمد"}));
        client.lastName = random.pick(list({"العلي", "حداد", "منصور"}));
        break;
    case NameStyle::MessySpaces:
        client.firstName = QStringLiteral("  ") + random.pick(first) + QLatin1Char(' ');
        client.lastName = random.pick(list({"Van  Der Berg", "De  Vries", "St. \tJohn"}));
        break;
    case NameStyle::Decomposed: // typed on a system that stores accents as combining marks
        client.firstName = random.pick(accentedFirst).normalized(QString::NormalizationForm_D);
        client.lastName = random.pick(accentedLast).normalized(QString::NormalizationForm_D);
        break;
    case NameStyle::Plain:
        client.firstName = random.pick(first);
        client.lastName = random.pick(last);
        break;
    }
}

SimPatient makePet(SimRandom& random, PetStyle style)
{
    static const QStringList upper =
        list({"BISCUIT", "MAX",    "BELLA", "LUNA",    "CHARLIE", "COOPER", "DAISY",  "MILO",
              "ROCKY",   "BAILEY", "LOLA",  "OLIVER",  "SIMBA",   "NALA",   "PEPPER", "GINGER",
              "TEDDY",   "ZEUS",   "MOCHI", "WINSTON", "RUBY",    "SADIE"});
    static const QStringList accented = list({"JOSÉ", "ZOË", "Zoë", "CHLOÉ", "NIÑO", "Crème Brûlée", "RENÉ"});
    static const QStringList nonLatin = list({"Мурка", "Барсик", "小白", "小虎", "قطة", "ポチ"});
    SimPatient pet;
    switch (style) {
    case PetStyle::Upper:
        pet.name = random.pick(upper);
        break;
    case PetStyle::Mixed: {
        const QString name = random.pick(upper);
        pet.name = name.left(1) + name.mid(1).toLower();
        break;
    }
    case PetStyle::Accented:
        pet.name = random.pick(accented);
        break;
    case PetStyle::NonLatin:
        pet.name = random.pick(nonLatin);
        break;
    }
    static const QStringList dogs =
        list({"Labrador Retriever", "Golden Retriever", "French Bulldog", "German Shepherd", "Mixed Breed",
              "Chihuahua", "Beagle", "Dachshund"});
    static const QStringList cats =
        list({"Domestic Shorthair", "Maine Coon", "Siamese", "Domestic Longhair"});
    const auto roll = random.below(100);
    if (roll < 60) {
        pet.species = QStringLiteral("Canine");
        pet.breed = random.pick(dogs);
    } else if (roll < 95) {
        pet.species = QStringLiteral("Feline");
        pet.breed = random.pick(cats);
    } else {
        pet.species = QStringLiteral("Lapine");
        pet.breed = QStringLiteral("Holland Lop");
    }
    return pet;
}

qint64 uniqueId(SimRandom& random, QSet<qint64>& used, int lo, int hi)
{
    qint64 id = random.range(lo, hi);
    while (used.contains(id))
        id = random.range(lo, hi);
    used.insert(id);
    return id;
}

} // namespace

QList<SimProvider> makeStaff(SimRandom& random, int vets)
{
    static const QStringList vetNames =
        list({"Dr. Sarah Kim", "Dr. Tom Leuthardt", "Dr. Miguel Ángel Ortega", "Dr. Priya Raman",
              "Dr. Hannah Doane", "Dr. Oluwaseun Adeyemi"});
    QStringList names = vetNames;
    random.shuffle(names);
    // A hospital (bench/ measures up to 20 vets) gets more doctors after these six, drawn from the same
    // generator after the shuffle, so that smaller clinics keep exactly the staff they always had.
    static const QStringList firstNames = list({"Anna", "Ben", "Chloe", "David", "Elif", "Farid", "Grace",
                                                "Hugo", "Ines", "Jonas", "Keiko", "Liam", "Maya", "Noor"});
    static const QStringList lastNames = list({"Abbott", "Brennan", "Castillo", "Dubois", "Eriksen",
                                               "Fischer", "Goldberg", "Hoang", "Iversen", "Jovanovic"});
    while (names.size() < vets) {
        // Two statements: the order of the draws must not depend on the compiler's argument order.
        const QString& first = firstNames.at(random.range(0, 13));
        const QString& last = lastNames.at(random.range(0, 9));
        const QString name = QStringLiteral("Dr. %1 %2").arg(first, last);
        if (!names.contains(name))
            names.append(name);
    }
    QSet<qint64> used;
    QList<SimProvider> staff;
    auto add = [&](const QString& name, const QString& type, const QString& licencePrefix) {
        SimProvider p;
        p.id = uniqueId(random, used, 1000, 9999);
        p.name = name;
        const QStringList parts = name.split(QLatin1Char(' '));
        p.email = asciiEmailPart(parts.at(parts.size() - 2).left(1) + parts.last()) +
                  QStringLiteral("@clinic.example");
        p.licenseNumber = licencePrefix + QString::number(random.range(10000, 99999));
        p.userType = type;
        staff.append(p);
    };
    for (int i = 0; i < vets; ++i)
        add(names.at(i), QStringLiteral("Vet"), QStringLiteral("VET-"));
    add(QStringLiteral("Jess Moreno"), QStringLiteral("Tech"), QStringLiteral("RVT-"));
    add(QStringLiteral("Alex Nakamura"), QStringLiteral("Nurse"), QStringLiteral("RVT-"));
    return staff;
}

QList<SimHousehold> makeHouseholds(SimRandom& random, int count, const QString& country)
{
    const QList<NameStyle> names = makeDeck<NameStyle>(random, count,
                                                       {{NameStyle::Plain, 50},
                                                        {NameStyle::Upper, 18},
                                                        {NameStyle::Accented, 9},
                                                        {NameStyle::TwoSurnames, 7},
                                                        {NameStyle::Chinese, 4},
                                                        {NameStyle::Cyrillic, 3},
                                                        {NameStyle::Arabic, 3},
                                                        {NameStyle::MessySpaces, 3},
                                                        {NameStyle::Decomposed, 3}});
    const QList<PhoneStyle> phones = makeDeck<PhoneStyle>(random, count,
                                                          {{PhoneStyle::Dashed, 26},
                                                           {PhoneStyle::Parens, 16},
                                                           {PhoneStyle::Digits, 9},
                                                           {PhoneStyle::PlusCountry, 8},
                                                           {PhoneStyle::LeadingPrefix, 4},
                                                           {PhoneStyle::HomeOnly, 10},
                                                           {PhoneStyle::MobileAndHome, 10},
                                                           {PhoneStyle::Swapped, 4},
                                                           {PhoneStyle::Foreign, 3},
                                                           {PhoneStyle::None, 4},
                                                           {PhoneStyle::Invalid, 6}});
    QSet<qint64> clientIds;
    QSet<qint64> patientIds;
    QList<SimHousehold> households;
    for (int i = 0; i < count; ++i) {
        SimHousehold h;
        h.client.id = uniqueId(random, clientIds, 10000, 99999);
        assignName(random, names.at(i), h.client);
        assignPhones(random, phones.at(i), country, h.client);
        const QString local =
            asciiEmailPart(h.client.firstName) + QLatin1Char('.') + asciiEmailPart(h.client.lastName);
        if (random.chance(0.75)) {
            h.client.email =
                (local.size() > 3 ? local : QStringLiteral("client") + QString::number(h.client.id)) +
                QString::number(random.range(1, 99)) + QStringLiteral("@example.net");
        }
        const int petCount = random.chance(0.7) ? 1 : random.range(2, 3);
        for (int p = 0; p < petCount; ++p) {
            const auto roll = random.below(100);
            const PetStyle style = roll < 62   ? PetStyle::Upper
                                   : roll < 82 ? PetStyle::Mixed
                                   : roll < 92 ? PetStyle::Accented
                                               : PetStyle::NonLatin;
            SimPatient pet = makePet(random, style);
            pet.id = uniqueId(random, patientIds, 10000, 99999);
            h.pets.append(pet);
        }
        households.append(h);
    }
    return households;
}

} // namespace odis::sim::neo
