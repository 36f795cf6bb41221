// Seeded random streams. Stream k of seed s is a generator of its own, so work item k draws the same
// numbers whichever thread runs it: results never depend on --threads. Distributions come from
// Boost.Random, whose algorithms (unlike std::'s) are fixed across platforms and library versions.
#pragma once

#include <cstdint>
#include <random>

namespace core {

using Rng = std::mt19937_64;  // the generator's sequence is fixed by the C++ standard

inline Rng rng_stream(std::uint64_t seed, std::uint64_t stream) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32), 0x5eedu};
  return Rng(seq);
}

}  // namespace core
