#include <catch2/catch.hpp>
#include <cmath>

#include "quanta/zipf.hpp"

using namespace quanta;

TEST_CASE("the exact Zipf tail over its asymptotic form tends to 1 with error g/(2n), O(1/n)") {
  for (double g : {0.3, 0.5, 1.0, 2.0}) {
    double previous = 1;
    for (double n : {1e2, 1e4, 1e6}) {
      const auto p = quanta_loss_curve_point(g, {}, n);
      const double error = 1 - p.tail_ratio;
      CHECK(error > 0);
      CHECK(error < previous);
      CHECK(n * error == Approx(g / 2).epsilon(g / n * 2 + 1e-4));
      previous = error;
    }
  }
}

TEST_CASE("the frequencies sum to one, with unlimited and with finite K") {
  CHECK(zipf_mass({0.5}, 1, unlimited) == Approx(1).epsilon(1e-14));
  const Zipf finite{1.0, 1000};
  CHECK(zipf_mass(finite, 1, unlimited) == Approx(1).epsilon(1e-14));
  CHECK(zipf_tail(finite, 1000) == 0);
  CHECK(zipf_probability(finite, 1001) == 0);
}

TEST_CASE("the Hurwitz tail equals one minus the first n frequencies summed directly") {
  for (double g : {0.3, 2.0}) {
    const Zipf z{g};
    double head = 0;
    for (int k = 1; k <= 50; ++k) head += zipf_probability(z, k);
    CHECK(zipf_tail(z, 50) == Approx(1 - head).epsilon(1e-9));
  }
}

TEST_CASE("L(n) = a + (b - a) tail: n = 0 gives b, large n approaches a") {
  const Losses l{1.5, 4};
  CHECK(quanta_loss_curve_point(1, l, 0.0).loss == Approx(4));
  CHECK(quanta_loss_curve_point(1, l, 1e9).loss == Approx(1.5).epsilon(1e-8));
}

TEST_CASE("log grids hit their ends and exact powers of ten") {
  const auto g = log_grid(1e6, 1e12, 7);
  REQUIRE(g.size() == 7);
  for (int i = 0; i < 7; ++i) CHECK(g[static_cast<std::size_t>(i)] == std::pow(10.0, 6 + i));
  CHECK(integer_log_grid(1, 10, 30).size() == 10);
}

TEST_CASE("a short run of quanta far out (n close to K) keeps its digits: against a long double direct sum") {
  // Before: zeta(g+1, n+1) - zeta(g+1, K+1) lost log10(n / (g (K - n))) digits: 5.7e-2 relative at
  // K = 10^15, K - n = 10, g = 0.3; 1.9e-8 at K = 10^9.
  for (double g : {0.01, 0.3, 2.0, 9.0})
    for (double start : {3e3, 1e5, 1e9, 1e15})
      for (double length : {1.0, 10.0, 999.0, 1000.0, 1001.0, 5000.0, 0.3 * start, 0.49 * start, 0.51 * start}) {
        if (length > 6e4) continue;  // the direct sum's cost
        const Zipf z{g, start + length - 1};
        const long double s = g + 1;
        long double direct = 0;
        for (double k = start + length - 1; k >= start; --k) direct += std::pow(static_cast<long double>(k), -s);
        const double ours = zipf_tail(z, start - 1) * zipf_norm(z);
        INFO("g = " << g << ", quanta " << start << " .. " << start + length - 1);
        CHECK(std::abs(ours - static_cast<double>(direct)) <= 1e-13 * static_cast<double>(direct));
      }
}
