// Exact integer square root of unsigned 128-bit integers: floor(sqrt(n)) for every n < 2^128.
// A floating-point estimate (long double: 64-bit mantissa) corrected by exact integer comparisons,
// so the result is exact however the estimate rounds. Inline: it sits in the hot loop of the window scans,
// and a call there forced the loop's 128-bit values to be spilled to memory on every candidate.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/u128.hpp"

namespace abc {

namespace detail {

inline std::uint64_t isqrt64(std::uint64_t n) {
  // The double estimate is within a few units of the root; the loops make it exact. Squares are
  // compared in 128 bits so that r + 1 = 2^32 cannot overflow.
  auto r = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(n)));
  while (core::u128{r} * r > n) --r;
  while (core::u128{r + 1} * (r + 1) <= n) ++r;
  return r;
}

}  // namespace detail

inline core::u128 isqrt(core::u128 n) {
  using core::u128;
  const auto hi = static_cast<std::uint64_t>(n >> 64), lo = static_cast<std::uint64_t>(n);
  if (hi == 0) return detail::isqrt64(lo);
  // The root is below 2^64, so the estimate goes through uint64_t: built from the two 64-bit halves
  // and converted back inline, instead of libgcc's slow long double <-> __int128 conversions (which
  // were a third of abc-min's run time). A double estimate is within a few units below 2^104.
  constexpr std::uint64_t root_max = ~std::uint64_t{0};  // floor(sqrt(2^128 - 1))
  std::uint64_t r;
  if (hi < (std::uint64_t{1} << 40)) {
    r = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(hi) * 0x1p64 + static_cast<double>(lo)));
  } else {
    const long double root = std::sqrt(static_cast<long double>(hi) * 0x1p64L + static_cast<long double>(lo));
    r = root >= 0x1p64L ? root_max : static_cast<std::uint64_t>(root);
  }
  while (u128{r} * r > n) --r;
  while (r < root_max && u128{r + 1} * (r + 1) <= n) ++r;
  return r;
}

}  // namespace abc
