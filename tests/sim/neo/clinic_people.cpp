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
    PlusOne,
    LeadingOne,
    HomeOnly,
    MobileAndHome,
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

struct PhoneNumber
{
    QString area, exchange, line;
};

PhoneNumber makeNumber(SimRandom& random)
{
    static const QStringList areas = list({"555", "415", "510", "650", "408", "707", "916"});
    return {random.pick(areas), QString::number(random.range(201, 989)), digits(random, 4)};
}

QString format(const PhoneNumber& n, PhoneStyle style)
{
    switch (style) {
    case PhoneStyle::Parens:
        return QStringLiteral("(%1) %2-%3").arg(n.area, n.exchange, n.line);
    case PhoneStyle::Digits:
        return n.area + n.exchange + n.line;
    case PhoneStyle::PlusOne:
        return QStringLiteral("+1 %1 %2 %3").arg(n.area, n.exchange, n.line);
    case PhoneStyle::LeadingOne:
        return QStringLiteral("1-%1-%2-%3").arg(n.area, n.exchange, n.line);
    default:
        return QStringLiteral("%1-%2-%3").arg(n.area, n.exchange, n.line);
    }
}

void assignPhones(SimRandom& random, PhoneStyle style, SimClient& client)
{
    static const QList<PhoneStyle> mobileFormats = {PhoneStyle::Dashed, PhoneStyle::Parens,
                                                    PhoneStyle::Digits, PhoneStyle::PlusOne};
    switch (style) {
    case PhoneStyle::HomeOnly:
        client.homePhone = format(makeNumber(random), random.pick(mobileFormats));
        break;
    case PhoneStyle::MobileAndHome:
        client.mobilePhone = format(makeNumber(random), random.pick(mobileFormats));
        client.homePhone = format(makeNumber(random), random.pick(mobileFormats));
        break;
    case PhoneStyle::None:
        break;
    case PhoneStyle::Invalid:
        // A number missing its area code; sometimes a usable home phone is on file.
        client.mobilePhone = QStringLiteral("555-0") + digits(random, 3);
        if (random.chance(0.4))
            client.homePhone = format(makeNumber(random), PhoneStyle::Dashed);
        break;
    default:
        client.mobilePhone = format(makeNumber(random), style);
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

QList<SimHousehold> makeHouseholds(SimRandom& random, int count)
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
                                                          {{PhoneStyle::Dashed, 28},
                                                           {PhoneStyle::Parens, 18},
                                                           {PhoneStyle::Digits, 10},
                                                           {PhoneStyle::PlusOne, 8},
                                                           {PhoneStyle::LeadingOne, 4},
                                                           {PhoneStyle::HomeOnly, 10},
                                                           {PhoneStyle::MobileAndHome, 12},
                                                           {PhoneStyle::None, 4},
                                                           {PhoneStyle::Invalid, 6}});
    QSet<qint64> clientIds;
    QSet<qint64> patientIds;
    QList<SimHousehold> households;
    for (int i = 0; i < count; ++i) {
        SimHousehold h;
        h.client.id = uniqueId(random, clientIds, 10000, 99999);
        assignName(random, names.at(i), h.client);
        assignPhones(random, phones.at(i), h.client);
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
