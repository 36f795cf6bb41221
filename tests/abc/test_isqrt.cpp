#include <catch2/catch.hpp>
#include <random>

#include "abc/isqrt.hpp"

using core::u128;

namespace {

// Digit-by-digit (bitwise) square root: exact, slow, and sharing nothing with abc::isqrt.
u128 isqrt_bitwise(u128 n) {
  u128 root = 0, bit = u128{1} << 126;
  while (bit > n) bit >>= 2;
  while (bit != 0) {
    if (n >= root + bit) {
      n -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
    bit >>= 2;
  }
  return root;
}

}  // namespace

TEST_CASE("isqrt is exact at and around every perfect square near 2^32, 2^64, 2^126 and 2^127") {
  for (int e : {32, 64, 126, 127}) {
    const u128 centre = isqrt_bitwise(u128{1} << e);
    for (u128 k = centre - 1000; k <= centre + 1000; ++k) {
      const u128 sq = k * k;
      REQUIRE(abc::isqrt(sq - 1) == k - 1);
      REQUIRE(abc::isqrt(sq) == k);
      REQUIRE(abc::isqrt(sq + 1) == k);
      REQUIRE(abc::isqrt(sq + 2 * k) == k);  // (k + 1)^2 - 1
    }
  }
}

TEST_CASE("isqrt at the ends of the 128-bit range") {
  CHECK(abc::isqrt(0) == 0);
  CHECK(abc::isqrt(1) == 1);
  CHECK(abc::isqrt(3) == 1);
  CHECK(abc::isqrt(4) == 2);
  CHECK(abc::isqrt(core::u128_max) == ~std::uint64_t{0});
  const u128 top = ~std::uint64_t{0};
  CHECK(abc::isqrt(top * top) == top);
  CHECK(abc::isqrt(top * top - 1) == top - 1);
  CHECK(abc::isqrt(~std::uint64_t{0}) == 0xffffffffu);
  CHECK(abc::isqrt(u128{1} << 64) == u128{1} << 32);
}

TEST_CASE("isqrt agrees with the bitwise root on random numbers of every size") {
  std::mt19937_64 rng(2026);
  for (int i = 0; i < 200000; ++i) {
    const u128 n = (u128{rng()} << 64 | rng()) >> (i % 128);
    REQUIRE(abc::isqrt(n) == isqrt_bitwise(n));
  }
}
