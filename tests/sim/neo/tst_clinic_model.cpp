// The simulated clinic: deterministic generation with realistic volumes and every realism feature the
// spec lists, and the timeline (statuses progress, consultations appear at check-in, notes appear later
// and change, cancellations, moves and deletions take effect at their time).

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/clinic_profile.h"
#include "tests/sim/neo/clinic_time.h"
#include "tests/sim/neo/sim_rules.h"

#include <QMap>
#include <QMultiHash>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <algorithm>

using namespace odis::sim::neo;

namespace {

ClinicModel week(quint32 seed, int vets = 3)
{
    ClinicOptions options;
    options.seed = seed;
    options.providers = vets;
    return ClinicModel::generate(options);
}

// A week of a clinic in `country`, in a zone there.
ClinicModel weekIn(const QString& country, quint32 seed)
{
    ClinicOptions options;
    options.seed = seed;
    options.zone = QTimeZone(country == QLatin1String("GB")   ? "Europe/London"
                             : country == QLatin1String("CA") ? "America/Toronto"
                                                              : "America/Los_Angeles");
    options.clinicProfile = defaultClinicProfile();
    options.clinicProfile.insert(QStringLiteral("country"), country);
    options.clinicProfile.insert(QStringLiteral("timezone"), QString::fromLatin1(options.zone.id()));
    return ClinicModel::generate(options);
}

// The digits of `raw` as the number's national significant number, the way the generator writes them:
// after "+1"/"+44"/"0044"/a leading 1 or 0, "(0)" dropped. Only for checking the generator against itself.
QString nationalDigits(QString raw, const QString& country)
{
    raw.remove(QStringLiteral("(0)"));
    QString digits;
    for (const QChar c : raw) {
        if (c.isDigit())
            digits += c;
    }
    const QString code = country == QLatin1String("GB") ? QStringLiteral("44") : QStringLiteral("1");
    if (raw.trimmed().startsWith(QLatin1Char('+')))
        return digits.mid(code.size());
    if (country == QLatin1String("GB"))
        return digits.startsWith(QLatin1String("0044")) ? digits.mid(4) : digits.mid(1);
    return digits.size() == 11 ? digits.mid(1) : digits;
}

QList<SimAppointment> initialVisits(const ClinicModel& model)
{
    QList<SimAppointment> visits;
    for (const qint64 id : model.appointmentIds()) {
        const SimAppointment a = *model.initialState(id);
        if (!a.isBlock && !a.isRoster)
            visits.append(a);
    }
    return visits;
}

QDateTime endOf(const SimAppointment& a)
{
    return localToUtc(a.date, a.end, QTimeZone("America/Los_Angeles"));
}

} // namespace

class TestClinicModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deterministicPerSeed();
    void realisticCounts_data();
    void realisticCounts();
    void scalesFromOneVetToAHospital_data();
    void scalesFromOneVetToAHospital();
    void realismOfSeed7();
    void phonesOfEachCountry_data();
    void phonesOfEachCountry();
    void endOfLifeAndNotesOfSeed7();
    void patientsAndOwnersOfSeeds_data();
    void patientsAndOwnersOfSeeds();
    void handMadeTimeline();
    void generatedVisitProgresses();
    void notesAppearLaterAndChange();
    void ownersChangeTheirPhones();
};

void TestClinicModel::deterministicPerSeed()
{
    const ClinicModel a = week(7);
    const ClinicModel b = week(7);
    QCOMPARE(a.appointmentIds(), b.appointmentIds());
    QCOMPARE(a.providers(), b.providers());
    QCOMPARE(a.columns(), b.columns());
    QCOMPARE(a.password(), b.password());
    for (const qint64 id : a.appointmentIds()) {
        QCOMPARE(a.initialState(id), b.initialState(id));
        QVERIFY(a.changesOf(id) == b.changesOf(id));
    }
    const QDateTime mid(QDate(2026, 3, 11), QTime(19, 0), Qt::UTC);
    QCOMPARE(a.snapshotAt(mid), b.snapshotAt(mid));

    const ClinicModel other = week(8);
    QVERIFY(other.appointmentIds() != a.appointmentIds());
    QVERIFY(other.snapshotAt(mid) != a.snapshotAt(mid));
}

void TestClinicModel::realisticCounts_data()
{
    QTest::addColumn<int>("vets");
    QTest::addColumn<quint32>("seed");
    for (int vets = 2; vets <= 4; ++vets) {
        for (const quint32 seed : {1u, 7u, 42u, 2026u})
            QTest::addRow("%d vets, seed %u", vets, seed) << vets << seed;
    }
}

void TestClinicModel::realisticCounts()
{
    QFETCH(int, vets);
    QFETCH(quint32, seed);
    const ClinicModel model = week(seed, vets);
    const QList<SimAppointment> visits = initialVisits(model);
    QVERIFY2(visits.size() >= 140 && visits.size() <= 340, qPrintable(QString::number(visits.size())));
    QMap<QDate, int> perDay;
    for (const SimAppointment& a : visits)
        ++perDay[a.date];
    int weekdays = 0;
    int weekdayVisits = 0;
    for (auto it = perDay.cbegin(); it != perDay.cend(); ++it) {
        QVERIFY2(it.key().dayOfWeek() != 7, "the clinic is closed on Sundays");
        QVERIFY2(it.value() >= 6 && it.value() <= 60, qPrintable(it.key().toString(Qt::ISODate)));
        if (it.key().dayOfWeek() <= 5) {
            ++weekdays;
            weekdayVisits += it.value();
        }
    }
    QCOMPARE(weekdays, 5);
    const double mean = double(weekdayVisits) / weekdays;
    QVERIFY2(mean >= 20 && mean <= 45, qPrintable(QString::number(mean)));
    QVERIFY(model.columns().size() >= 3 && model.columns().size() <= 6);
    for (const SimAppointment& a : visits) {
        if (a.date.dayOfWeek() == 6)
            QVERIFY(a.start >= QTime(9, 0) && a.end <= QTime(13, 0));
        else
            QVERIFY(a.start >= QTime(8, 0) && a.end <= QTime(18, 0));
        QVERIFY(a.appointmentId >= 100'000 && a.appointmentId <= 999'999);
        QVERIFY(a.patient.id >= 10'000 && a.patient.id <= 99'999);
        QVERIFY(a.client.id >= 10'000 && a.client.id <= 99'999);
    }
    QSet<qint64> consultations;
    for (const qint64 id : model.appointmentIds()) {
        for (const SimChange& c : model.changesOf(id)) {
            if (c.consultationId) {
                QVERIFY(*c.consultationId >= 100'000 && *c.consultationId <= 999'999);
                QVERIFY2(!consultations.contains(*c.consultationId), "consultation ids are unique");
                consultations.insert(*c.consultationId);
            }
        }
    }
}

// bench/ measures a sync from one vet to a 20-vet hospital: the visits grow with the vets (about as many
// per doctor), every vet gets a column and a distinct name, and ids stay unique and in Neo's ranges.
void TestClinicModel::scalesFromOneVetToAHospital_data()
{
    QTest::addColumn<int>("vets");
    QTest::addRow("1 vet") << 1;
    QTest::addRow("10 vets") << 10;
    QTest::addRow("20 vets") << 20;
    QTest::addRow("above the largest") << 25;
}

void TestClinicModel::scalesFromOneVetToAHospital()
{
    QFETCH(int, vets);
    const int expectedVets = std::min(vets, kMaxVets);
    const ClinicModel model = week(7, vets);
    QSet<QString> vetNames;
    for (const SimProvider& p : model.providers()) {
        if (p.userType == QLatin1String("Vet"))
            vetNames.insert(p.name);
    }
    QCOMPARE(vetNames.size(), expectedVets);
    QVERIFY(model.columns().size() >= expectedVets + 2);
    const QList<SimAppointment> visits = initialVisits(model);
    const double perVetDay = double(visits.size()) / expectedVets / 6; // six open days a week
    QVERIFY2(perVetDay >= 5 && perVetDay <= 20, qPrintable(QString::number(perVetDay)));
    QSet<qint64> ids;
    for (const SimAppointment& a : visits) {
        QVERIFY(a.appointmentId >= 100'000 && a.appointmentId <= 999'999);
        QVERIFY2(!ids.contains(a.appointmentId), "appointment ids are unique");
        ids.insert(a.appointmentId);
    }
}

// Every realism feature of the spec, counted in a week of seed 7 as Neo shows it a week later.
void TestClinicModel::realismOfSeed7()
{
    const ClinicModel model = week(7);
    const QList<SimAppointment> final = model.snapshotAt(QDateTime(QDate(2026, 3, 25), QTime(0, 0), Qt::UTC));
    QMap<QString, int> n;
    const auto has = [](const QString& s, const char* pattern) {
        return QRegularExpression(QString::fromLatin1(pattern)).match(s).hasMatch();
    };
    for (const SimAppointment& a : final) {
        n[QStringLiteral("block")] += a.isBlock;
        n[QStringLiteral("roster")] += a.isRoster;
        n[QStringLiteral("dr out")] += a.isBlock && a.blockText == QLatin1String("Dr out 11:00am-2:00pm");
        n[QStringLiteral("lunch")] += a.isBlock && a.blockText == QLatin1String("Lunch");
        if (a.isBlock || a.isRoster)
            continue;
        n[QStringLiteral("tech column visit")] += a.provider.userType == QLatin1String("Tech");
        n[QStringLiteral("type ") + a.typeDescription] += 1;
        const QString m = a.client.mobilePhone.raw;
        n[QStringLiteral("phone dashed")] += has(m, "^\\d{3}-\\d{3}-\\d{4}$");
        n[QStringLiteral("phone parens")] += has(m, "^\\(\\d{3}\\) \\d{3}-\\d{4}$");
        n[QStringLiteral("phone digits")] += has(m, "^\\d{10}$");
        n[QStringLiteral("phone +1")] += has(m, "^\\+1 \\d{3} \\d{3} \\d{4}$");
        n[QStringLiteral("phone invalid")] += !m.isEmpty() && !a.client.mobilePhone.isValid();
        n[QStringLiteral("home only")] += m.isEmpty() && !a.client.homePhone.isEmpty();
        n[QStringLiteral("no phone")] += m.isEmpty() && a.client.homePhone.isEmpty();
        n[QStringLiteral("phone hidden")] += a.schedulePhoneHidden && !m.isEmpty();
        n[QStringLiteral("upper-case pet")] +=
            a.patient.name == a.patient.name.toUpper() && has(a.patient.name, "^[A-Z]+$");
        const QString names = a.patient.name + a.client.firstName + a.client.lastName;
        n[QStringLiteral("accented")] += names.normalized(QString::NormalizationForm_D) != names;
        n[QStringLiteral("decomposed")] += names.normalized(QString::NormalizationForm_C) != names;
        n[QStringLiteral("non-Latin")] +=
            has(names, "[\\x{0400}-\\x{04FF}\\x{0600}-\\x{06FF}\\x{4E00}-\\x{9FFF}]");
        n[QStringLiteral("two surnames")] += normalizeName(a.client.lastName).contains(QLatin1Char(' '));
        n[QStringLiteral("messy spaces")] += a.client.firstName.simplified() != a.client.firstName;
        n[QStringLiteral("no-show")] += a.status == QLatin1String("No Show");
        n[QStringLiteral("cancelled")] += a.status == QLatin1String("Cancelled");
        n[QStringLiteral("declined line")] +=
            std::any_of(a.lines.cbegin(), a.lines.cend(), [](const auto& l) { return l.isDeclined; });
        n[QStringLiteral("visit")] += 1;
    }
    for (const qint64 id : model.appointmentIds()) {
        for (const SimChange& c : model.changesOf(id)) {
            n[QStringLiteral("moved")] += c.date.has_value();
            n[QStringLiteral("deleted")] += c.deleted;
        }
    }
    const QStringList features = {
        "block",         "roster",       "dr out",       "lunch",          "tech column visit",
        "phone dashed",  "phone parens", "phone digits", "phone +1",       "phone invalid",
        "home only",     "no phone",     "phone hidden", "upper-case pet", "accented",
        "decomposed",    "non-Latin",    "two surnames", "messy spaces",   "cancelled",
        "declined line", "moved",        "deleted"};
    for (const QString& feature : features)
        QVERIFY2(n.value(feature) > 0, qPrintable(feature));
    for (const char* type :
         {"Exam", "Vaccines", "Surgery", "Follow-up", "Sick", "Groomer", "Boarding", "Euthanasia", "Dental"})
        QVERIFY2(n.value(QStringLiteral("type ") + QLatin1String(type)) > 0, type);
    const double noShowRate = double(n.value(QStringLiteral("no-show"))) / n.value(QStringLiteral("visit"));
    QVERIFY2(noShowRate >= 0.03 && noShowRate <= 0.08, qPrintable(QString::number(noShowRate)));
    int doctorColumns = 0;
    for (const auto& [id, name] : model.columns())
        doctorColumns += name.startsWith(QLatin1String("Dr "));
    QCOMPARE(doctorColumns, 3);
}

void TestClinicModel::phonesOfEachCountry_data()
{
    QTest::addColumn<QString>("country");
    QTest::newRow("US") << "US";
    QTest::newRow("CA") << "CA";
    QTest::newRow("GB") << "GB";
}

// Phones of the clinic's country in its local formats, valid and invalid ones, and a meaning that
// agrees with the text: the ground truth reads the meaning, so the generator must not contradict itself.
// (tests/unit/tst_sim_phones checks the same numbers against libphonenumber.)
void TestClinicModel::phonesOfEachCountry()
{
    QFETCH(QString, country);
    const bool uk = country == QLatin1String("GB");
    QMap<QString, int> n;
    for (const SimAppointment& a : initialVisits(weekIn(country, 7))) {
        const SimClient& c = a.client;
        for (const SimPhone* phone : {&c.mobilePhone, &c.homePhone}) {
            if (phone->isEmpty()) {
                QVERIFY(phone->e164.isEmpty());
                continue;
            }
            if (!phone->isValid()) {
                n[QStringLiteral("invalid")] += 1;
                continue;
            }
            QVERIFY2(QRegularExpression(QStringLiteral("^\\+[1-9]\\d{9,11}$")).match(phone->e164).hasMatch(),
                     qPrintable(phone->e164));
            n[QStringLiteral("international")] += phone->international;
            if (phone->international) {
                QVERIFY(!phone->e164.startsWith(uk ? QStringLiteral("+44") : QStringLiteral("+1")));
                continue;
            }
            QVERIFY2(phone->e164.endsWith(nationalDigits(phone->raw, country)), qPrintable(phone->raw));
            QVERIFY(phone->e164.startsWith(uk ? QStringLiteral("+44") : QStringLiteral("+1")));
            n[QStringLiteral("mobile")] += phone->kind == SimPhoneKind::Mobile;
            n[QStringLiteral("fixed line")] += phone->kind == SimPhoneKind::FixedLine;
            n[QStringLiteral("mobile or fixed")] += phone->kind == SimPhoneKind::MobileOrFixed;
            n[QStringLiteral("plus")] += phone->raw.startsWith(QLatin1Char('+'));
        }
        n[QStringLiteral("fixed line in the mobile field, mobile at home")] +=
            c.mobilePhone.kind == SimPhoneKind::FixedLine && c.homePhone.kind == SimPhoneKind::Mobile &&
            c.mobilePhone.isValid() && c.homePhone.isValid();
        n[QStringLiteral("invalid mobile, valid home")] +=
            !c.mobilePhone.isEmpty() && !c.mobilePhone.isValid() && c.homePhone.isValid();
    }
    QStringList features{"invalid", "international", "plus", "invalid mobile, valid home"};
    if (uk)
        features << "mobile"
                 << "fixed line"
                 << "fixed line in the mobile field, mobile at home";
    else
        features << "mobile or fixed";
    for (const QString& feature : std::as_const(features))
        QVERIFY2(n.value(feature) > 0, qPrintable(feature));
    // North America cannot tell mobiles: no number claims to be one, or a fixed line.
    if (!uk) {
        QCOMPARE(n.value(QStringLiteral("mobile")), 0);
        QCOMPARE(n.value(QStringLiteral("fixed line")), 0);
    }
}

// End-of-life visits of every kind, look-alikes that must not match, and notes of every timing and form.
void TestClinicModel::endOfLifeAndNotesOfSeed7()
{
    const ClinicModel model = week(7);
    const QDateTime later(QDate(2026, 3, 25), QTime(0, 0), Qt::UTC);
    const SimClinicProfile profile = *parseClinicProfile(defaultClinicProfile());
    QMap<QString, int> n;
    for (const SimAppointment& a : model.snapshotAt(later)) {
        if (a.isBlock || a.isRoster || !a.consultationId)
            continue;
        const QString notes = htmlToText(a.notesHtml);
        n[QStringLiteral("eol notes")] += mentionsEndOfLife(a.notesHtml, profile.policy.blockedKeywords);
        n[QStringLiteral("eol summary")] +=
            mentionsEndOfLife(a.dischargeSummary, profile.policy.blockedKeywords);
        n[QStringLiteral("eol reason")] +=
            a.typeDescription != QLatin1String("Euthanasia") && mentionsEndOfLife(a.reason, {});
        for (const SimProductLine& line : a.lines)
            n[QStringLiteral("eol line")] += line.productService.startsWith(QLatin1String("Cremation"));
        for (const char* lookAlike : {"receipts", "attempts", "PTSD", "doable", "Leuthardt", "Doane",
                                      "Concepts", "stool", "Euthyroid", "Crashes", "Returned", "comfortable"})
            n[QStringLiteral("look-alike")] += notes.contains(QLatin1String(lookAlike));
        n[QStringLiteral("html")] += a.notesHtml.contains(QLatin1String("<p>"));
        n[QStringLiteral("table")] += a.notesHtml.contains(QLatin1String("<table"));
        n[QStringLiteral("entities")] +=
            a.notesHtml.contains(QLatin1String("&amp;")) && a.notesHtml.contains(QLatin1String("&#"));
        n[QStringLiteral("long")] += a.notesHtml.size() > 20'000;
        n[QStringLiteral("no notes at all")] += notes.isEmpty() && htmlToText(a.dischargeSummary).isEmpty();

        const QList<SimChange> changes = model.changesOf(a.appointmentId);
        QList<QDateTime> noteTimes;
        for (const SimChange& c : changes) {
            if (c.notesHtml)
                noteTimes.append(c.atUtc);
            if (c.notesHtml || c.dischargeSummary)
                QVERIFY2(c.atUtc <= endOf(a).addSecs(qint64{profile.sync.lookbackHours} * 3600),
                         "notes within lookback_hours");
        }
        if (noteTimes.isEmpty())
            continue;
        const QDateTime end = endOf(a);
        n[QStringLiteral("during visit")] += noteTimes.first() < end;
        n[QStringLiteral("hours later")] += noteTimes.first() > end.addSecs(3600) &&
                                            utcToLocal(noteTimes.first(), profile.zone).date() == a.date;
        n[QStringLiteral("next day")] += utcToLocal(noteTimes.first(), profile.zone).date() > a.date;
        n[QStringLiteral("edited")] += noteTimes.size() > 1;
        // An end-of-life mention that arrives only with an edit (after a call may have been planned).
        if (noteTimes.size() > 1) {
            const auto first = model.appointmentAt(a.appointmentId, noteTimes.first());
            n[QStringLiteral("eol added in edit")] +=
                !mentionsEndOfLife(first->notesHtml, {}) && mentionsEndOfLife(a.notesHtml, {});
        }
    }
    for (const char* feature : {"eol notes", "eol summary", "eol reason", "eol line", "look-alike", "html",
                                "table", "entities", "long", "no notes at all", "during visit", "hours later",
                                "next day", "edited", "eol added in edit"})
        QVERIFY2(n.value(QLatin1String(feature)) > 0, feature);
}

void TestClinicModel::patientsAndOwnersOfSeeds_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<int>("vets");
    QTest::newRow("seed 7") << 7u << 3;
    QTest::newRow("seed 11, four vets") << 11u << 4;
    QTest::newRow("seed 23, two vets") << 23u << 2;
}

// Every week judges patients and owners, not only visits: a pet whose notes record its end of life with a
// visit the day before and one after, a "quality of life" visit followed the same day by the pet again,
// an owner with two pets seen on one day, and a pet seen twice on one day.
void TestClinicModel::patientsAndOwnersOfSeeds()
{
    QFETCH(quint32, seed);
    QFETCH(int, vets);
    const ClinicModel model = week(seed, vets);
    const QDateTime later(QDate(2026, 3, 25), QTime(0, 0), Qt::UTC);
    QMultiHash<qint64, SimAppointment> byPatient;
    QMultiHash<QString, SimAppointment> byOwnerDay;
    for (const SimAppointment& a : model.snapshotAt(later)) {
        if (a.isBlock || a.isRoster || normalizeStatus(a.status) != QLatin1String("completed"))
            continue;
        byPatient.insert(a.patient.id, a);
        byOwnerDay.insert(QString::number(a.client.id) + a.date.toString(Qt::ISODate), a);
    }
    bool deathBetweenVisits = false;
    bool qualityThenAgain = false;
    for (const SimAppointment& a : byPatient) {
        const QList<SimAppointment> pet = byPatient.values(a.patient.id);
        if (mentionsEndOfLife(a.notesHtml, {}) && a.typeDescription != QLatin1String("Euthanasia")) {
            const bool before =
                std::ranges::any_of(pet, [&](const SimAppointment& b) { return b.date < a.date; });
            const bool after =
                std::ranges::any_of(pet, [&](const SimAppointment& b) { return b.date > a.date; });
            deathBetweenVisits = deathBetweenVisits || (before && after);
        }
        if (endOfLifeMention(a.reason, {}) == EndOfLifeMention::Possible)
            qualityThenAgain = qualityThenAgain || std::ranges::any_of(pet, [&](const SimAppointment& b) {
                                   return b.date == a.date && b.start >= a.end;
                               });
    }
    QVERIFY(deathBetweenVisits);
    QVERIFY(qualityThenAgain);
    bool twoPets = false;
    bool onePetTwice = false;
    for (const QString& key : byOwnerDay.uniqueKeys()) {
        const QList<SimAppointment> day = byOwnerDay.values(key);
        for (const SimAppointment& x : day) {
            for (const SimAppointment& y : day) {
                if (x.appointmentId == y.appointmentId)
                    continue;
                twoPets = twoPets || x.patient.id != y.patient.id;
                onePetTwice = onePetTwice || x.patient.id == y.patient.id;
            }
        }
    }
    QVERIFY(twoPets);
    QVERIFY(onePetTwice);
}

void TestClinicModel::handMadeTimeline()
{
    ClinicModel model;
    SimAppointment a;
    a.appointmentId = 480001;
    a.date = QDate(2026, 3, 10);
    a.start = QTime(9, 0);
    a.end = QTime(9, 30);
    a.status = QStringLiteral("not arrived");
    a.bookedUtc = QDateTime(QDate(2026, 3, 1), QTime(18, 0), Qt::UTC);
    model.addAppointment(a);
    const auto t = [](int day, int hour) { return QDateTime(QDate(2026, 3, day), QTime(hour, 0), Qt::UTC); };
    SimChange checkIn;
    checkIn.atUtc = t(10, 16);
    checkIn.status = QStringLiteral("Checked In");
    checkIn.consultationId = 310001;
    SimChange notes;
    notes.atUtc = t(10, 20);
    notes.notesHtml = QStringLiteral("<p>ok</p>");
    SimChange move;
    move.atUtc = t(11, 0);
    move.date = QDate(2026, 3, 12);
    SimChange gone;
    gone.atUtc = t(12, 0);
    gone.deleted = true;
    QVERIFY(model.addChange(a.appointmentId, gone)); // any order
    QVERIFY(model.addChange(a.appointmentId, notes));
    QVERIFY(model.addChange(a.appointmentId, checkIn));
    QVERIFY(model.addChange(a.appointmentId, move));
    QVERIFY(!model.addChange(999, move));

    QVERIFY(!model.appointmentAt(a.appointmentId, t(1, 17))); // not booked yet
    QCOMPARE(model.appointmentAt(a.appointmentId, t(5, 0))->status, QStringLiteral("not arrived"));
    QVERIFY(!model.consultationAt(310001, t(10, 15))); // before check-in
    QCOMPARE(model.consultationAt(310001, t(10, 16))->status, QStringLiteral("Checked In"));
    QVERIFY(model.consultationAt(310001, t(10, 16))->notesHtml.isEmpty());
    QCOMPARE(model.consultationAt(310001, t(10, 21))->notesHtml, QStringLiteral("<p>ok</p>"));
    QCOMPARE(model.snapshotAt(t(11, 0)).first().date, QDate(2026, 3, 12));
    QVERIFY(model.snapshotAt(t(12, 0)).isEmpty()); // deleted
    QVERIFY(!model.consultationAt(310001, t(12, 0)));
    QCOMPARE(model.changeTimes(), (QList<QDateTime>{a.bookedUtc, t(10, 16), t(10, 20), t(11, 0), t(12, 0)}));
}

// A generated visit at several moments of its day.
void TestClinicModel::generatedVisitProgresses()
{
    const ClinicModel model = week(7);
    const QStringList before = {QStringLiteral("not arrived"), QStringLiteral("Scheduled"),
                                QStringLiteral("Confirmed")};
    int checked = 0;
    for (const SimAppointment& a : initialVisits(model)) {
        const QList<SimChange> changes = model.changesOf(a.appointmentId);
        const auto checkIn = std::find_if(changes.cbegin(), changes.cend(),
                                          [](const SimChange& c) { return c.consultationId.has_value(); });
        const bool moved = std::any_of(changes.cbegin(), changes.cend(),
                                       [](const SimChange& c) { return c.date.has_value(); });
        if (checkIn == changes.cend() || moved || changes.last().deleted)
            continue; // not a plain visit
        const QDateTime start = localToUtc(a.date, a.start, QTimeZone("America/Los_Angeles"));
        QVERIFY(!model.appointmentAt(a.appointmentId, a.bookedUtc.addSecs(-60)));
        const auto booked = model.appointmentAt(a.appointmentId, checkIn->atUtc.addSecs(-1));
        QVERIFY(before.contains(booked->status));
        QVERIFY(!booked->consultationId);
        QVERIFY(!model.consultationAt(*checkIn->consultationId, checkIn->atUtc.addSecs(-1)));
        QCOMPARE(model.appointmentAt(a.appointmentId, checkIn->atUtc)->status, QStringLiteral("Checked In"));
        QVERIFY(model.consultationAt(*checkIn->consultationId, checkIn->atUtc));
        QVERIFY(checkIn->atUtc >= start.addSecs(-15 * 60) && checkIn->atUtc <= start.addSecs(5 * 60));
        const auto progress = std::find_if(changes.cbegin(), changes.cend(), [](const SimChange& c) {
            return c.status == QLatin1String("In Progress");
        });
        QVERIFY(progress != changes.cend() && progress->atUtc > checkIn->atUtc);
        QCOMPARE(model.appointmentAt(a.appointmentId, progress->atUtc.addSecs(-1))->status,
                 QStringLiteral("Checked In"));
        QCOMPARE(model.appointmentAt(a.appointmentId, progress->atUtc)->status,
                 QStringLiteral("In Progress"));
        const auto done = model.appointmentAt(a.appointmentId, endOf(a).addSecs(21 * 60));
        QCOMPARE(normalizeStatus(done->status), QStringLiteral("completed"));
        QVERIFY(!done->lines.isEmpty());
        ++checked;
    }
    QVERIFY(checked > 100);
}

void TestClinicModel::notesAppearLaterAndChange()
{
    const ClinicModel model = week(7);
    int lateAndEdited = 0;
    for (const SimAppointment& a : initialVisits(model)) {
        QList<SimChange> notes;
        for (const SimChange& c : model.changesOf(a.appointmentId)) {
            if (c.notesHtml)
                notes.append(c);
        }
        if (notes.size() < 2 || notes.first().atUtc <= endOf(a).addSecs(3600))
            continue;
        const auto finished = model.appointmentAt(a.appointmentId, endOf(a).addSecs(30 * 60));
        QVERIFY(finished && finished->notesHtml.isEmpty());
        QVERIFY(model.appointmentAt(a.appointmentId, notes.first().atUtc.addSecs(-1))->notesHtml.isEmpty());
        const QString first = model.appointmentAt(a.appointmentId, notes.first().atUtc)->notesHtml;
        QVERIFY(!first.isEmpty());
        const QString edited = model.appointmentAt(a.appointmentId, notes.last().atUtc)->notesHtml;
        QVERIFY(edited != first);
        QVERIFY(edited.startsWith(first)); // an addendum
        ++lateAndEdited;
    }
    QVERIFY(lateAndEdited > 0);
}

// Opt-in (clinic_phone_changes.h): the same clinic, plus owners seen once whose mobile number changes to
// another valid one, before some visits and after others; without the option, no client ever changes.
void TestClinicModel::ownersChangeTheirPhones()
{
    ClinicOptions options;
    options.seed = 7;
    options.phoneChanges = true;
    const ClinicModel changed = ClinicModel::generate(options);
    const ClinicModel plain = week(7);
    QCOMPARE(changed.appointmentIds(), plain.appointmentIds());
    int before = 0, after = 0;
    for (const qint64 id : plain.appointmentIds()) {
        QCOMPARE(changed.initialState(id), plain.initialState(id));
        for (const SimChange& c : plain.changesOf(id))
            QVERIFY(!c.client);
        for (const SimChange& c : changed.changesOf(id)) {
            if (!c.client)
                continue;
            const SimAppointment initial = *changed.initialState(id);
            QVERIFY(c.client->mobilePhone.isValid());
            QVERIFY(c.client->mobilePhone != initial.client.mobilePhone);
            QCOMPARE(c.client->id, initial.client.id);
            (c.atUtc < localToUtc(initial.date, initial.start, QTimeZone("America/Los_Angeles")) ? before
                                                                                                 : after)++;
        }
    }
    QVERIFY2(before > 0 && after > 0,
             qPrintable(QStringLiteral("%1 before, %2 after").arg(before).arg(after)));
}

QTEST_GUILESS_MAIN(TestClinicModel)
#include "tst_clinic_model.moc"
