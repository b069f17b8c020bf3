// ClinicModel::generate: a deterministic clinic from (seed, size, days). Columns per doctor plus a
// technician column, a surgery room and a grooming table; business hours from the clinic profile
// (closed days have no rows, short days fewer); lunch, "Dr out" and meeting blocks; roster rows; visits
// whose fates and notes come from clinic_visit_plans and unfold through clinic_timeline.

#include "tests/sim/neo/clinic_ids.h"
#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/clinic_patient_stories.h"
#include "tests/sim/neo/clinic_people.h"
#include "tests/sim/neo/clinic_phone_changes.h"
#include "tests/sim/neo/clinic_profile.h"
#include "tests/sim/neo/clinic_time.h"
#include "tests/sim/neo/clinic_timeline.h"
#include "tests/sim/neo/clinic_visit_plans.h"
#include "tests/sim/neo/sim_random.h"

#include <QMap>

#include <algorithm>
#include <tuple>

namespace odis::sim::neo {

namespace {

enum class ColumnKind
{
    Vet,
    Tech,
    Surgery,
    Grooming
};

struct Column
{
    QString id;
    QString name;
    ColumnKind kind;
    int staff = -1; // index into the staff list for a person's column
};

struct Interval
{
    QTime from;
    QTime to;
};

struct TypeWeight
{
    const char* type;
    int weight;
};

QString amPm(QTime t)
{
    const int h12 = t.hour() % 12 == 0 ? 12 : t.hour() % 12;
    return QStringLiteral("%1:%2%3")
        .arg(h12)
        .arg(t.minute(), 2, 10, QLatin1Char('0'))
        .arg(t.hour() < 12 ? u"am" : u"pm");
}

int durationOf(SimRandom& random, const QString& type)
{
    if (type == QLatin1String("Exam") || type == QLatin1String("Sick"))
        return 30;
    if (type == QLatin1String("Surgery"))
        return random.chance(0.5) ? 120 : 180;
    if (type == QLatin1String("Dental"))
        return 90;
    if (type == QLatin1String("Groomer"))
        return random.chance(0.5) ? 60 : 90;
    if (type == QLatin1String("Boarding"))
        return 30;
    return 15; // Vaccines, Follow-up
}

QString pickType(SimRandom& random, const QList<TypeWeight>& weights)
{
    int total = 0;
    for (const TypeWeight& w : weights)
        total += w.weight;
    int roll = static_cast<int>(random.below(static_cast<quint64>(total)));
    for (const TypeWeight& w : weights) {
        if (roll < w.weight)
            return QString::fromLatin1(w.type);
        roll -= w.weight;
    }
    return QString::fromLatin1(weights.last().type);
}

QList<Interval> subtract(const QList<Interval>& free, const Interval& busy)
{
    QList<Interval> out;
    for (const Interval& f : free) {
        if (busy.to <= f.from || busy.from >= f.to) {
            out.append(f);
            continue;
        }
        if (f.from < busy.from)
            out.append({f.from, busy.from});
        if (busy.to < f.to)
            out.append({busy.to, f.to});
    }
    return out;
}

class ScheduleBuilder
{
public:
    ScheduleBuilder(const ClinicOptions& options, const SimClinicProfile& profile, SimRandom& random)
        : m_options(options)
        , m_profile(profile)
        , m_random(random)
    {}

    void setUp(const QList<SimProvider>& staff, const QList<SimHousehold>& households, int vets)
    {
        m_staff = staff;
        m_households = households;
        m_vets = vets;
        int id = m_random.range(3, 12);
        auto next = [&] {
            QString s = QString::number(id);
            id += m_random.range(1, 3);
            return s;
        };
        for (int v = 0; v < vets; ++v)
            m_columns.append({next(), QStringLiteral("Dr ") + staff.at(v).name.section(QLatin1Char(' '), -1),
                              ColumnKind::Vet, v});
        m_columns.append({next(), QStringLiteral("Tech"), ColumnKind::Tech, vets});
        m_columns.append({next(), QStringLiteral("Surgery"), ColumnKind::Surgery, -1});
        if (vets <= 3)
            m_columns.append({next(), QStringLiteral("Grooming"), ColumnKind::Grooming, vets + 1});
    }

    void build()
    {
        for (int i = 0; i < m_options.days; ++i) {
            const QDate day = m_options.firstDay.addDays(i);
            if (const auto hours = m_profile.hoursOn(day))
                buildDay(day, *hours);
        }
    }

    const QList<Column>& columns() const { return m_columns; }
    QList<SimAppointment>& rows() { return m_rows; }
    QList<PlannedVisit>& visits() { return m_visits; }

private:
    void buildDay(QDate day, const SimDayHours& hours)
    {
        const bool shortDay = hours.open.secsTo(hours.close) < 6 * 3600;
        const auto [outDay, outVet] = doctorOutThisWeek(day);
        for (const Column& column : std::as_const(m_columns)) {
            QList<Interval> free = {{hours.open, hours.close}};
            const bool vet = column.kind == ColumnKind::Vet;
            if (vet && shortDay && column.staff >= 2) { // only two doctors work short days
                addBlock(column, day, hours.open, hours.close,
                         QStringLiteral("Dr %1 off")
                             .arg(m_staff.at(column.staff).name.section(QLatin1Char(' '), -1)));
                continue;
            }
            if (column.staff >= 0)
                addRoster(column, day, hours);
            if (vet && day.dayOfWeek() == outDay && column.staff == outVet && !shortDay) {
                const Interval out{QTime(11, 0), QTime(14, 0)};
                addBlock(column, day, out.from, out.to,
                         QStringLiteral("Dr out %1-%2").arg(amPm(out.from), amPm(out.to)));
                free = subtract(free, out);
            } else if ((vet || column.kind == ColumnKind::Tech) && hours.lunchStart && hours.lunchEnd) {
                addBlock(column, day, *hours.lunchStart, *hours.lunchEnd, QStringLiteral("Lunch"));
                free = subtract(free, {*hours.lunchStart, *hours.lunchEnd});
            }
            if (column.kind == ColumnKind::Tech && day.dayOfWeek() == 3) {
                const Interval meeting{hours.open, hours.open.addSecs(30 * 60)};
                addBlock(column, day, meeting.from, meeting.to, QStringLiteral("Staff meeting"));
                free = subtract(free, meeting);
            }
            fill(column, day, free, shortDay);
        }
    }

    // One doctor is out for a few hours on one weekday of every calendar week.
    std::pair<int, int> doctorOutThisWeek(QDate day)
    {
        const int week = day.weekNumber();
        if (!m_doctorOut.contains(week))
            m_doctorOut.insert(week, {m_random.range(1, 5), m_random.range(0, m_vets - 1)});
        return m_doctorOut.value(week);
    }

    void fill(const Column& column, QDate day, const QList<Interval>& free, bool shortDay)
    {
        QList<TypeWeight> types;
        double gap = 0.5;
        int gapMinutes = 30;
        switch (column.kind) {
        case ColumnKind::Vet:
            types = {{"Exam", 35}, {"Vaccines", 18}, {"Sick", 22}, {"Follow-up", 25}};
            // A bigger practice spreads its demand over more doctors; short days (Saturdays) are packed.
            // Capped at four vets' figure: a hospital (bench/, up to 20 vets) is as busy per doctor.
            gap = shortDay ? 0.4 : 0.52 + 0.03 * (std::min(m_vets, 4) - 2);
            break;
        case ColumnKind::Tech:
            types = {{"Vaccines", 55}, {"Follow-up", 45}};
            if (m_vets > 3) // no grooming table: grooming and boarding share the technician's column
                types += {{"Groomer", 15}, {"Boarding", 15}};
            gap = 0.85;
            gapMinutes = 15;
            break;
        case ColumnKind::Surgery:
            if (shortDay)
                return;
            types = {{"Surgery", 60}, {"Dental", 40}};
            gap = 0.55;
            gapMinutes = 60;
            break;
        case ColumnKind::Grooming:
            types = {{"Groomer", 60}, {"Boarding", 40}};
            gap = 0.65;
            gapMinutes = 60;
            break;
        }
        for (const Interval& interval : free) {
            QTime cursor = interval.from;
            while (cursor < interval.to) {
                if (m_random.chance(gap)) {
                    cursor = cursor.addSecs(gapMinutes * 60);
                    continue;
                }
                const QString type = pickType(m_random, types);
                const int minutes = durationOf(m_random, type);
                const QTime end = cursor.addSecs(minutes * 60);
                if (end > interval.to || end < cursor)
                    break;
                addVisit(column, day, cursor, end, type);
                cursor = end;
            }
        }
    }

    SimAppointment row(const Column& column, QDate day, QTime from, QTime to)
    {
        SimAppointment a;
        a.date = day;
        a.start = from;
        a.end = to;
        a.resourceId = column.id;
        a.status = QStringLiteral("Scheduled");
        a.bookedUtc = localToUtc(m_options.firstDay.addDays(-30), QTime(9, 0), m_profile.zone);
        return a;
    }

    void addBlock(const Column& column, QDate day, QTime from, QTime to, const QString& text)
    {
        SimAppointment a = row(column, day, from, to);
        a.isBlock = true;
        a.blockText = text;
        m_rows.append(a);
    }

    void addRoster(const Column& column, QDate day, const SimDayHours& hours)
    {
        SimAppointment a = row(column, day, hours.open, hours.close);
        a.isRoster = true;
        a.provider = m_staff.at(column.staff);
        a.blockText = QStringLiteral("%1 %2-%3").arg(a.provider.name, amPm(hours.open), amPm(hours.close));
        m_rows.append(a);
    }

    void addVisit(const Column& column, QDate day, QTime from, QTime to, const QString& type)
    {
        PlannedVisit v;
        SimAppointment& a = v.appointment;
        a.date = day;
        a.start = from;
        a.end = to;
        a.resourceId = column.id;
        a.typeDescription = type;
        a.reason = reasonFor(m_random, type);
        a.status = m_random.chance(0.7) ? QStringLiteral("not arrived") : QStringLiteral("Scheduled");
        const SimHousehold& household = m_random.pick(m_households);
        a.client = household.client;
        a.patient = m_random.pick(household.pets);
        const int staff = column.kind == ColumnKind::Surgery ? m_random.range(0, m_vets - 1) : column.staff;
        a.provider = m_staff.at(staff);
        v.vetColumn = column.kind == ColumnKind::Vet;
        m_visits.append(v);
    }

    const ClinicOptions& m_options;
    const SimClinicProfile& m_profile;
    SimRandom& m_random;
    QList<SimProvider> m_staff;
    QList<SimHousehold> m_households;
    int m_vets = 0;
    QList<Column> m_columns;
    QList<SimAppointment> m_rows;
    QList<PlannedVisit> m_visits;
    QMap<int, std::pair<int, int>> m_doctorOut;
};

} // namespace

ClinicModel ClinicModel::generate(const ClinicOptions& options)
{
    const auto parsed =
        parseClinicProfile(options.clinicProfile.isEmpty() ? defaultClinicProfile() : options.clinicProfile);
    if (!parsed)
        qFatal("ClinicModel::generate: %s", qPrintable(parsed.error().toString()));
    SimClinicProfile profile = *parsed;
    profile.zone = options.zone; // the clinic's zone is the options' (the profile gives hours and timing)

    SimRandom root(options.seed);
    SimRandom staffRandom = root.fork(1);
    SimRandom peopleRandom = root.fork(2);
    SimRandom scheduleRandom = root.fork(3);
    SimRandom planRandom = root.fork(4);
    SimRandom timelineRandom = root.fork(5);
    SimRandom idRandom = root.fork(6);
    SimRandom storyRandom = root.fork(7);

    const int vets = std::clamp(options.providers, 1, kMaxVets);
    const QList<SimProvider> staff = makeStaff(staffRandom, vets);
    const int households = std::max(30, vets * 9 * std::max(1, options.days) * 6 / 7 * 55 / 100);
    ScheduleBuilder schedule(options, profile, scheduleRandom);
    const QList<SimHousehold> homes = makeHouseholds(peopleRandom, households, profile.country);
    schedule.setUp(staff, homes, vets);
    schedule.build();

    QList<PlannedVisit>& visits = schedule.visits();
    assignVisitPlans(planRandom, visits);
    assignBookingTimes(planRandom, visits, profile.zone);
    linkPatientStories(storyRandom, visits, homes);
    QList<SimAppointment*> all;
    for (SimAppointment& a : schedule.rows())
        all.append(&a);
    for (PlannedVisit& v : visits)
        all.append(&v.appointment);
    numberRows(idRandom, all);

    qint64 nextLineId = idRandom.range(1'000'000, 2'000'000);
    QList<QPair<qint64, QList<SimChange>>> timelines;
    for (const PlannedVisit& v : std::as_const(visits)) {
        TimelineContext context{profile, v.appointment.provider.name, nextLineId};
        SimRandom visitRandom = timelineRandom.fork(static_cast<quint64>(v.appointment.appointmentId));
        timelines.append(
            {v.appointment.appointmentId, buildVisitTimeline(visitRandom, v.appointment, v.plan, context)});
    }
    numberConsultations(idRandom, timelines);

    ClinicModel model(options);
    for (const SimProvider& p : staff)
        model.addProvider(p);
    for (const Column& c : schedule.columns())
        model.addColumn(c.id, c.name);
    model.setCredentials(profile.companyId.isEmpty() ? QStringLiteral("4821") : profile.companyId,
                         QStringLiteral("frontdesk"), QStringLiteral("Neo-sim-%1!").arg(options.seed));
    std::sort(all.begin(), all.end(), [](const SimAppointment* x, const SimAppointment* y) {
        return x->appointmentId < y->appointmentId;
    });
    for (const SimAppointment* a : std::as_const(all))
        model.addAppointment(*a);
    for (const auto& [appointmentId, changes] : std::as_const(timelines)) {
        for (const SimChange& change : changes)
            model.addChange(appointmentId, change);
    }
    if (options.phoneChanges) {
        SimRandom phoneRandom = root.fork(8);
        addPhoneChanges(phoneRandom, model);
    }
    return model;
}

} // namespace odis::sim::neo
