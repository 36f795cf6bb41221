// The accuracy docs/attn-sweep-rope.md states, over the domain rope-base accepts (b > 0, L in [1, 2^24],
// d even in [2, 4096]): the double scan's min f within rope_sum_error_bound of a 50-digit (and a
// long-double) evaluation at random (b, L, d), and the certificate's bracket containing the infimum found
// independently (long-double bisection of min_m f, confirmed in 50 digits) for small L.
#include <catch2/catch.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>
#include <limits>
#include <random>

#include "rope/rope_sum.hpp"
#include "rope/search.hpp"
#include "long_min.hpp"

using namespace rope;

namespace {

using F = boost::multiprecision::cpp_bin_float_50;

// f_b(m) with θ_i = b^(−2i/d) of the double b, every operation in 50 digits.
F rope_sum_50(double b, std::uint64_t m, unsigned d) {
  const F log_b = log(F(b));
  F f = 0;
  for (unsigned i = 0; i < d / 2; ++i) f += cos(F(m) * exp(-2 * F(i) / d * log_b));
  return f;
}

}  // namespace

TEST_CASE("min f of the double scan is within its rounding bound of 50 digits at random b, L and d") {
  std::mt19937_64 g(23);
  std::uniform_real_distribution<double> u(0, 1);
  for (int k = 0; k < 16; ++k) {
    const double b = 1e-2 * std::pow(1e14, u(g));  // 0.01 .. 1e12 (b < 1 is not a RoPE base, but allowed)
    const auto L = static_cast<std::uint64_t>(std::lround(std::pow(2.0, 1 + 23 * u(g))));
    // d log-uniform over the even 2 .. 4096, the largest d and L at the edges.
    const unsigned d = k == 0 ? 4096 : 2 * static_cast<unsigned>(std::lround(std::pow(2048.0, u(g))));
    const std::uint64_t length = k == 1 ? std::uint64_t{1} << 24 : L;
    const double bound = rope_sum_error_bound(b, length, d);
    // Windows of resync_period steps (the recurrence's longest run): the first, one at random, the last.
    const std::uint64_t span = std::min<std::uint64_t>(resync_period, length);
    for (std::uint64_t m0 : {std::uint64_t{0}, static_cast<std::uint64_t>(u(g) * double(length - span)), length - span}) {
      const RopeMin fast = rope_min(b, m0, m0 + span, d, Precision::float64, false);
      INFO("b = " << b << ", L = " << length << ", d = " << d << ", m0 = " << m0 << ", bound " << bound);
      CHECK(std::fabs(fast.min_f - static_cast<double>(rope_sum_50(b, fast.argmin, d))) <= bound);
      if (m0 != 0 && m0 != length - span)  // the window's whole minimum in long double, once per case
        CHECK(std::fabs(static_cast<long double>(fast.min_f) - long_min(b, m0, m0 + span, d)) <= bound);
    }
  }
}

TEST_CASE("the rounding bound is the figure the doc states at d = 128 and b* of each L") {
  CHECK(rope_sum_error_bound(4293.45, 1u << 10, 128) == Approx(4e-10).epsilon(0.15));
  CHECK(rope_sum_error_bound(2.09e6, 1u << 16, 128) == Approx(4e-8).epsilon(0.15));
  CHECK(rope_sum_error_bound(5.85e7, 1u << 19, 128) == Approx(3.6e-7).epsilon(0.15));
  CHECK(rope_sum_error_bound(6.54e7, 1u << 20, 128) == Approx(7.2e-7).epsilon(0.15));
}

TEST_CASE("the certified bracket holds the infimum found by bisection in long double, confirmed in 50 digits") {
  const struct {
    std::uint64_t L;
    unsigned d;
  } cases[] = {{16, 8}, {64, 16}, {100, 32}, {300, 128}};
  for (const auto& c : cases) {
    INFO("L = " << c.L << ", d = " << c.d);
    const GridSearch grid = published_grid_search(c.L, c.d, Precision::float64, 1);
    const Certificate cert = certify_infimum(c.L, c.d, grid.b, 1e-6, 1);
    REQUIRE(cert.certified);
    CHECK(cert.b_hi <= cert.b_lo * (1 + 1e-6) * (1 + 1e-12));  // certified to --rel 1e-6
    auto min_f = [&](long double b) { return long_min(b, 0, c.L, c.d); };
    // b_hi feasible in 50 digits at every m.
    F lowest = 1e9;
    for (std::uint64_t m = 0; m < c.L; ++m) lowest = std::min(lowest, rope_sum_50(cert.b_hi, m, c.d));
    CHECK(lowest > 0);
    // The crossing of min_m f between b_lo (1 − 1e-4), refuted, and b_hi, feasible.
    long double lo = cert.b_lo * (1 - 1e-4L), hi = cert.b_hi;
    REQUIRE(min_f(lo) < 0);
    for (int i = 0; i < 80 && hi - lo > 1e-17L * hi; ++i) (min_f((lo + hi) / 2) < 0 ? lo : hi) = (lo + hi) / 2;
    CHECK(hi >= cert.b_lo);
    CHECK(lo <= cert.b_hi);
    // Just below the crossing some m has f < 0 in 50 digits too.
    const double below = static_cast<double>(lo) * (1 - 1e-13);
    F worst = 1e9;
    for (std::uint64_t m = 0; m < c.L; ++m) worst = std::min(worst, rope_sum_50(below, m, c.d));
    CHECK(worst < 0);
    // And every b of [1, b_lo) sampled is refuted, by an m whose long-double f is negative.
    int unrefuted = 0;
    for (int k = 0; k < 1000; ++k) {
      const double b = k < 500 ? 1 + (cert.b_lo - 1) * k / 500.0 : cert.b_lo * (1 - 0.01 * (k - 500) / 500.0);
      const RopeMin r = rope_min(b, c.L, c.d, Precision::float64, true);
      unrefuted += r.feasible() || !(rope_sum_long(b, static_cast<std::uint64_t>(r.first_negative), c.d) < 0);
    }
    CHECK(unrefuted == 0);
  }
}
