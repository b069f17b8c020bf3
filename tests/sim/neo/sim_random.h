#pragma once

// The generator's own PRNG (xoshiro256**, seeded through splitmix64): its output is fixed by its
// definition, unlike QRandomGenerator's or the std distributions', so a seed gives the same clinic on
// every platform and library version. Floating point is used only for probability comparisons.

#include <QList>
#include <QtGlobal>

#include <array>
#include <cstdint>

namespace odis::sim::neo {

class SimRandom
{
public:
    explicit SimRandom(std::uint64_t seed);

    std::uint64_t next();
    // Uniform in [0, bound) without modulo bias; bound must be > 0.
    std::uint64_t below(std::uint64_t bound);
    // Uniform in [lo, hi], both inclusive.
    int range(int lo, int hi);
    // True with probability p (0..1).
    bool chance(double p);
    // A uniformly chosen element.
    template <typename T> const T& pick(const QList<T>& items)
    {
        return items.at(static_cast<qsizetype>(below(static_cast<std::uint64_t>(items.size()))));
    }
    // Fisher-Yates, deterministic.
    template <typename T> void shuffle(QList<T>& items)
    {
        for (qsizetype i = items.size() - 1; i > 0; --i)
            items.swapItemsAt(i, static_cast<qsizetype>(below(static_cast<std::uint64_t>(i + 1))));
    }
    // A child generator for an independent stream (so adding draws in one part of the generator does
    // not shift every other part).
    SimRandom fork(std::uint64_t salt);

private:
    std::array<std::uint64_t, 4> m_s{};
};

// Exactly `count` indices chosen from [0, n), in increasing order.
[[nodiscard]] QList<qsizetype> chooseIndices(SimRandom& random, qsizetype n, qsizetype count);

} // namespace odis::sim::neo
