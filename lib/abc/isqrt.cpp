#include "abc/isqrt.hpp"

#include <cmath>
#include <cstdint>

namespace abc {

using core::u128;

namespace {

std::uint64_t isqrt64(std::uint64_t n) {
  // The double estimate is within a few units of the root; the loops make it exact. Squares are
  // compared in 128 bits so that r + 1 = 2^32 cannot overflow.
  auto r = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(n)));
  while (u128{r} * r > n) --r;
  while (u128{r + 1} * (r + 1) <= n) ++r;
  return r;
}

}  // namespace

u128 isqrt(u128 n) {
  if (n <= ~std::uint64_t{0}) return isqrt64(static_cast<std::uint64_t>(n));
  constexpr u128 root_max = ~std::uint64_t{0};  // floor(sqrt(2^128 - 1)) = 2^64 - 1
  const long double estimate = std::sqrt(static_cast<long double>(n));
  u128 r = estimate >= 18446744073709551615.0L ? root_max : static_cast<u128>(estimate);
  while (r * r > n) --r;  // r <= 2^64 - 1, so r * r cannot overflow
  while (r < root_max && (r + 1) * (r + 1) <= n) ++r;
  return r;
}

}  // namespace abc
