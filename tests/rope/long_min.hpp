// The tests' long-double reference for the scan: min over m in [lo, hi) of the direct sum.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "rope/rope_sum.hpp"

inline long double long_min(long double b, std::uint64_t lo, std::uint64_t hi, unsigned d) {
  long double best = std::numeric_limits<long double>::infinity();
  for (std::uint64_t m = lo; m < hi; ++m) best = std::min(best, rope::rope_sum_long(b, m, d));
  return best;
}
