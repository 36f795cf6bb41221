#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "abc/isqrt.hpp"
#include "abc/min_sum.hpp"
#include "core/errors.hpp"

using abc::Method;
using core::u128;

namespace {

const std::vector<abc::Solution>& table_1e5() {
  static const auto t = abc::min_sum_table(100000);
  return t;
}

void check_valid(u128 n, const abc::Solution& s) {
  REQUIRE(s.a <= s.b);
  REQUIRE(s.a * s.b <= n);
  REQUIRE(s.a * s.b + s.c == n);
  REQUIRE(s.sum == s.a + s.b + s.c);
}

u128 random_below(std::mt19937_64& rng, u128 hi) {
  return (u128{rng()} << 64 | rng()) % hi + 1;
}

}  // namespace

TEST_CASE("N = 130 needs a=10, b=13, c=0 (S = 23), not the naive sqrt guess (31)") {
  for (Method m : {Method::brute, Method::sqrt, Method::quarter, Method::pruned, Method::automatic}) {
    const auto s = abc::min_sum_abc(130, m);
    CHECK(s.a == 10);
    CHECK(s.b == 13);
    CHECK(s.c == 0);
    CHECK(s.sum == 23);
  }
  CHECK(abc::naive_sum(130) == 31);
}

TEST_CASE("N = 0..10 by hand, with the tie rule (smallest S, then smallest c)") {
  struct Row {
    unsigned n, a, b, c, s;
  };
  // N = 1: a = b = 0 (S = 1) beats the perfect-square answer a = b = 1 (S = 2).
  // N = 4, 5: a = 0 ties with a = b = 2 and loses on c. N = 10: (2, 5, 0) and (3, 3, 1) tie on S = 7.
  const Row rows[] = {{0, 0, 0, 0, 0}, {1, 0, 0, 1, 1}, {2, 0, 0, 2, 2}, {3, 0, 0, 3, 3},
                      {4, 2, 2, 0, 4}, {5, 2, 2, 1, 5}, {6, 2, 3, 0, 5}, {7, 2, 3, 1, 6},
                      {8, 2, 4, 0, 6}, {9, 3, 3, 0, 6}, {10, 2, 5, 0, 7}};
  for (const auto& r : rows)
    for (Method m : abc::exact_methods) {
      INFO("N = " << r.n << ", method " << abc::to_string(m));
      const auto s = abc::min_sum_abc(r.n, m);
      CHECK(s.a == r.a);
      CHECK(s.b == r.b);
      CHECK(s.c == r.c);
      CHECK(s.sum == r.s);
    }
}

TEST_CASE("brute force gives the exhaustive pair table's triple on every N <= 10^5") {
  const auto& t = table_1e5();
  for (std::uint64_t n = 0; n <= 100000; ++n) {
    const auto s = abc::min_sum_brute(n);
    INFO("N = " << n);
    check_valid(n, s);
    check_valid(n, t[n]);
    REQUIRE(s.same_triple(t[n]));
    REQUIRE(s.sum == t[n].sum);
    REQUIRE(s.candidates == n + 1);
  }
}

TEST_CASE("sqrt, quarter and pruned give the same triple as brute force (via the table) on every N <= 10^5") {
  const auto& t = table_1e5();
  for (std::uint64_t n = 0; n <= 100000; ++n)
    for (Method m : {Method::sqrt, Method::quarter, Method::pruned}) {
      const auto s = abc::min_sum_abc(n, m);
      INFO("N = " << n << ", method " << abc::to_string(m));
      REQUIRE(s.same_triple(t[n]));
      REQUIRE(s.sum == t[n].sum);
    }
}

TEST_CASE("quarter and pruned agree with sqrt on random N up to 10^12") {
  std::mt19937_64 rng(12);
  for (int i = 0; i < 300; ++i) {
    const u128 n = random_below(rng, 1000000000000ull);
    const auto ref = abc::min_sum_sqrt(n);
    check_valid(n, ref);
    REQUIRE(abc::min_sum_quarter(n).same_triple(ref));
    REQUIRE(abc::min_sum_pruned(n).same_triple(ref));
  }
}

TEST_CASE("pruned agrees with the full quarter window on random N up to 10^24 and a few near 10^28") {
  std::mt19937_64 rng(24);
  const u128 e12 = 1000000000000ull;
  for (int i = 0; i < 60; ++i) {
    const u128 n = random_below(rng, e12 * e12);
    REQUIRE(abc::min_sum_pruned(n).same_triple(abc::min_sum_quarter(n)));
  }
  for (int i = 0; i < 3; ++i) {
    const u128 n = random_below(rng, e12 * e12 * 10000);
    REQUIRE(abc::min_sum_pruned(n).same_triple(abc::min_sum_quarter(n)));
  }
}

TEST_CASE("2 sqrt(N) <= S <= 2 sqrt(N) + 2 + sqrt(1 + 4 sqrt(N)) for every N >= 4, up to 2^127 - 1") {
  // Lower bound: a + b >= 2 sqrt(ab) = 2 sqrt(N - c) and 2 sqrt(N - c) + c grows with c (AM-GM).
  // Upper bound: the derivation's window end (kexue.fm/archives/9775).
  std::mt19937_64 rng(127);
  std::vector<u128> ns;
  for (int e = 2; e <= 127; ++e)
    for (int i = 0; i < 3; ++i)
      ns.push_back(std::clamp<u128>(random_below(rng, u128{1} << e) >> (i % 2), 4, abc::max_n));
  const u128 top = abc::max_n;
  const u128 r = abc::isqrt(top);
  for (u128 n : {top, top - 1, r * r, r * r - 1, r * r + 1, r * (r + 1), r * (r + 1) - 1, (r - 1) * r + 1, (r - 1) * r})
    if (n <= top) ns.push_back(n);
  for (u128 n : ns) {
    const auto s = abc::min_sum_abc(n);
    check_valid(n, s);
    const double gap = abc::gap_to_two_sqrt(n, s.sum);
    const long double root = std::sqrt(static_cast<long double>(n));
    INFO("N = " << core::to_string(n));
    CHECK(gap >= 0);
    CHECK(gap <= 2 + std::sqrt(1 + 4 * root) + 1e-9);
    CHECK(s.sum <= abc::naive_sum(n));
  }
}

TEST_CASE("perfect squares above 4 give a = b = sqrt(N), c = 0") {
  for (u128 r : {u128{3}, u128{1000}, u128{123456789}, abc::isqrt(abc::max_n)}) {
    const auto s = abc::min_sum_abc(r * r);
    CHECK(s.a == r);
    CHECK(s.b == r);
    CHECK(s.c == 0);
    CHECK(s.candidates <= 2);
  }
}

TEST_CASE("each method refuses N beyond its limit instead of running for hours") {
  CHECK_THROWS_AS(abc::min_sum_abc(abc::method_limit(Method::brute) + 1, Method::brute), core::InputError);
  CHECK_THROWS_AS(abc::min_sum_abc(abc::method_limit(Method::sqrt) + 1, Method::sqrt), core::InputError);
  CHECK_THROWS_AS(abc::min_sum_abc(abc::method_limit(Method::quarter) + 1, Method::quarter), core::InputError);
  CHECK_THROWS_AS(abc::min_sum_abc(abc::max_n + 1), core::InputError);
  CHECK_NOTHROW(abc::min_sum_abc(abc::max_n));
}

TEST_CASE("method names round-trip and auto resolves to the pruned scan") {
  for (Method m : {Method::brute, Method::sqrt, Method::quarter, Method::pruned, Method::automatic})
    CHECK(abc::parse_method(abc::to_string(m)) == m);
  CHECK_FALSE(abc::parse_method("fast").has_value());
  CHECK(abc::resolve(Method::automatic) == Method::pruned);
}
