#include "tests/sim/neo/sim_random.h"

#include <algorithm>

namespace odis::sim::neo {

namespace {

std::uint64_t splitmix64(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

} // namespace

SimRandom::SimRandom(std::uint64_t seed)
{
    std::uint64_t state = seed;
    for (auto& word : m_s)
        word = splitmix64(state);
}

std::uint64_t SimRandom::next()
{
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

std::uint64_t SimRandom::below(std::uint64_t bound)
{
    Q_ASSERT(bound > 0);
    // Reject the top partial block so every residue is equally likely.
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
    std::uint64_t value = next();
    while (value >= limit)
        value = next();
    return value % bound;
}

int SimRandom::range(int lo, int hi)
{
    Q_ASSERT(hi >= lo);
    return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo) + 1));
}

bool SimRandom::chance(double p)
{
    // 53 random bits give a double in [0, 1) exactly the same way everywhere.
    const double unit = static_cast<double>(next() >> 11) * 0x1.0p-53;
    return unit < p;
}

SimRandom SimRandom::fork(std::uint64_t salt)
{
    return SimRandom(next() ^ (salt * 0xD1B54A32D192ED03ULL));
}

QList<qsizetype> chooseIndices(SimRandom& random, qsizetype n, qsizetype count)
{
    QList<qsizetype> all;
    all.reserve(n);
    for (qsizetype i = 0; i < n; ++i)
        all.append(i);
    random.shuffle(all);
    all.resize(std::clamp<qsizetype>(count, 0, n));
    std::sort(all.begin(), all.end());
    return all;
}

} // namespace odis::sim::neo
