#pragma once

// Staff, owners and pets of a generated clinic, with the variety real clinic data has: names in upper
// case, with accents, in non-Latin scripts, two surnames, stray white space and decomposed accents;
// phones of the clinic's country (US, CA or GB) in every format clinics type, home-only, swapped between
// the mobile and home fields, foreign, none, or invalid (each SimPhone knows what it means).

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/sim_random.h"

#include <QList>

namespace odis::sim::neo {

struct SimHousehold
{
    SimClient client;
    QList<SimPatient> pets;
};

// `vets` veterinarians (userType "Vet") followed by one technician ("Tech") and one nurse ("Nurse").
[[nodiscard]] QList<SimProvider> makeStaff(SimRandom& random, int vets);

// `count` households with 1-3 pets each; ids of realistic sizes (5 digits), distinct; phones of `country`
// ("US", "CA" or "GB").
[[nodiscard]] QList<SimHousehold> makeHouseholds(SimRandom& random, int count, const QString& country);

// `n` items where each of `weighted` appears about weight/total of the time and at least once (when n is
// large enough), in a shuffled order. Makes rare features certain in every generated week.
template <typename T> QList<T> makeDeck(SimRandom& random, qsizetype n, const QList<QPair<T, int>>& weighted)
{
    int total = 0;
    for (const auto& [item, weight] : weighted)
        total += weight;
    QList<T> deck;
    deck.reserve(n);
    for (const auto& [item, weight] : weighted) {
        const qsizetype share = std::max<qsizetype>(weight > 0 ? 1 : 0, n * weight / std::max(total, 1));
        for (qsizetype i = 0; i < share && deck.size() < n; ++i)
            deck.append(item);
    }
    while (deck.size() < n)
        deck.append(weighted.first().first); // the first entry is the common case
    random.shuffle(deck);
    return deck;
}

} // namespace odis::sim::neo
