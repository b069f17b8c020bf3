#include "tests/sim/neo/clinic_patient_stories.h"

#include <QSet>

#include <algorithm>
#include <functional>
#include <optional>

namespace odis::sim::neo {

namespace {

// A completed visit with notes written on the day and no end of life of its own: it would get a call.
bool plainCallVisit(const PlannedVisit& v)
{
    const QString& type = v.appointment.typeDescription;
    return v.plan.fate == VisitFate::Completed && v.plan.endOfLife == EndOfLife::None && !v.plan.lookAlike &&
           v.plan.notesTiming != NotesTiming::Never && v.plan.notesTiming != NotesTiming::NextDay &&
           type != QLatin1String("Groomer") && type != QLatin1String("Boarding") &&
           !v.appointment.schedulePhoneHidden;
}

bool reachable(const SimClient& client)
{
    return client.mobilePhone.isValid();
}

class Stories
{
public:
    Stories(SimRandom& random, QList<PlannedVisit>& visits)
        : m_random(random)
        , m_visits(visits)
    {}

    // The first unused visit (in a shuffled order) that passes `wanted`.
    std::optional<qsizetype> take(const std::function<bool(const PlannedVisit&)>& wanted)
    {
        QList<qsizetype> order;
        for (qsizetype i = 0; i < m_visits.size(); ++i)
            order.append(i);
        m_random.shuffle(order);
        for (const qsizetype i : std::as_const(order)) {
            if (!m_used.contains(i) && wanted(m_visits.at(i))) {
                m_used.insert(i);
                return i;
            }
        }
        return std::nullopt;
    }

    void samePet(qsizetype from, qsizetype to)
    {
        m_visits[to].appointment.patient = m_visits.at(from).appointment.patient;
        m_visits[to].appointment.client = m_visits.at(from).appointment.client;
    }

    PlannedVisit& at(qsizetype i) { return m_visits[i]; }

private:
    SimRandom& m_random;
    QList<PlannedVisit>& m_visits;
    QSet<qsizetype> m_used;
};

bool earlyInWeek(const PlannedVisit& v)
{
    return v.appointment.date.dayOfWeek() <= 3;
}

} // namespace

void linkPatientStories(SimRandom& random, QList<PlannedVisit>& visits, const QList<SimHousehold>& households)
{
    Stories stories(random, visits);
    const QDate firstDay = std::ranges::min(visits, {}, [](const PlannedVisit& v) {
                               return v.appointment.date;
                           }).appointment.date;

    // Notes record the death: the pet's visit the day before loses its planned call, a later one gets none.
    if (const auto death = stories.take([&](const PlannedVisit& v) {
            return v.plan.endOfLife == EndOfLife::Notes && v.plan.notesTiming != NotesTiming::NextDay &&
                   v.appointment.date > firstDay && reachable(v.appointment.client);
        })) {
        const QDate day = stories.at(*death).appointment.date;
        if (const auto before = stories.take([&](const PlannedVisit& v) {
                return plainCallVisit(v) && v.appointment.date == day.addDays(-1);
            }))
            stories.samePet(*death, *before);
        if (const auto after = stories.take(
                [&](const PlannedVisit& v) { return plainCallVisit(v) && v.appointment.date > day; }))
            stories.samePet(*death, *after);
    }
    // A euthanasia booking: the pet's later visit is excluded from the start.
    if (const auto booked =
            stories.take([](const PlannedVisit& v) { return v.plan.endOfLife == EndOfLife::Type; })) {
        const PlannedVisit& euthanasia = stories.at(*booked);
        if (const auto after = stories.take([&](const PlannedVisit& v) {
                return plainCallVisit(v) && v.appointment.date >= euthanasia.appointment.date &&
                       (v.appointment.date > euthanasia.appointment.date ||
                        v.appointment.start >= euthanasia.appointment.end);
            }))
            stories.samePet(*booked, *after);
    }
    // "Quality of life" (a possible end of life), then the same pet again a little later that day.
    if (const auto quality = stories.take(
            [&](const PlannedVisit& v) { return plainCallVisit(v) && earlyInWeek(v) && v.vetColumn; })) {
        PlannedVisit& first = stories.at(*quality);
        first.plan.endOfLife = EndOfLife::Possible;
        first.appointment.reason = QStringLiteral("Quality of life consult");
        if (const auto later = stories.take([&](const PlannedVisit& v) {
                return plainCallVisit(v) && v.appointment.date == first.appointment.date &&
                       v.appointment.start >= first.appointment.end;
            }))
            stories.samePet(*quality, *later);
    }
    // An owner with two pets seen on one day, and a pet seen twice on one day: one call each.
    QList<const SimHousehold*> owners;
    for (const SimHousehold& household : households) {
        if (household.pets.size() >= 2 && reachable(household.client))
            owners.append(&household);
    }
    if (owners.size() >= 2) {
        const SimHousehold& twoPets =
            *owners.at(static_cast<qsizetype>(random.below(quint64(owners.size()))));
        const SimHousehold* other = owners.at(0) == &twoPets ? owners.at(1) : owners.at(0);
        for (const auto& [household, pets] :
             {std::pair{&twoPets, std::pair{0, 1}}, std::pair{other, std::pair{0, 0}}}) {
            const auto first =
                stories.take([](const PlannedVisit& v) { return plainCallVisit(v) && earlyInWeek(v); });
            if (!first)
                break;
            const QDate day = stories.at(*first).appointment.date;
            const auto second = stories.take(
                [&](const PlannedVisit& v) { return plainCallVisit(v) && v.appointment.date == day; });
            if (!second)
                break;
            stories.at(*first).appointment.client = household->client;
            stories.at(*first).appointment.patient = household->pets.at(pets.first);
            stories.at(*second).appointment.client = household->client;
            stories.at(*second).appointment.patient = household->pets.at(pets.second);
        }
    }
}

} // namespace odis::sim::neo
