#include <gsl/gsl_sf_expint.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>

#include "rope/search.hpp"

using namespace rope;

namespace {

// The published search written out plainly: every grid point from the bottom, one at a time, each judged
// by a scan of m = 0, 1, ... up to the first negative f (rope_min, itself checked against long double in
// test_rope_sum.cpp), without the refuter cache, the windows, the blocks of grid points or the threads.
double brute_force_grid_search(std::uint64_t L, unsigned d) {
  auto feasible = [&](double b) { return rope_min(b, L, d, Precision::float64, true).feasible(); };
  double B = 1000.0 * static_cast<double>(L);
  std::uint64_t N = 1;
  for (int k = 1; k <= 5; ++k) {
    N *= 10;
    const double step = B / static_cast<double>(N);
    for (std::uint64_t j = 1; j <= N; ++j) {
      const double b = j == N ? B : static_cast<double>(j) * step;
      if (feasible(b)) {
        B = b;
        break;
      }
    }
  }
  return B;
}

}  // namespace

TEST_CASE("the grid search for L = 1024 and 2048 equals a brute-force run of the same algorithm") {
  for (std::uint64_t L : {1024u, 2048u}) {
    const GridSearch g = published_grid_search(L, 128, Precision::float64, 2);
    CHECK(g.b == brute_force_grid_search(L, 128));
    CHECK(g.at_result.feasible());
    CHECK(g.refuter_below >= 0);
    CHECK(rope_sum(g.b_below, static_cast<std::uint64_t>(g.refuter_below), 128) < 0);
  }
}

TEST_CASE("the grid search does not depend on the number of threads, in double and in float") {
  for (Precision p : {Precision::float64, Precision::float32}) {
    const GridSearch one = published_grid_search(4096, 128, p, 1), two = published_grid_search(4096, 128, p, 2);
    CHECK(one.b == two.b);
    CHECK(one.b_below == two.b_below);
    CHECK(one.refuter_below == two.refuter_below);
    CHECK(one.at_result.min_f == two.at_result.min_f);
  }
}

TEST_CASE("the float32 search returns a base feasible in float32 whose grid neighbour below is not") {
  const GridSearch g = published_grid_search(1024, 128, Precision::float32, 2);
  CHECK(rope_min(g.b, 1024, 128, Precision::float32).feasible());
  CHECK_FALSE(rope_min(g.b_below, 1024, 128, Precision::float32).feasible());
}

TEST_CASE("the interval bound is above f_b(m) at every sampled b of the interval") {
  for (std::uint64_t m : {3u, 700u, 1009u, 4000u})
    for (double b1 : {50.0, 4293.0, 2.0e6}) {
      const double b2 = b1 * (1 + 1e-4);
      const double bound = rope_sum_upper_bound(m, b1, b2, 128);
      for (int k = 0; k <= 200; ++k) CHECK(rope_sum(b1 + (b2 - b1) * k / 200, m, 128) <= bound);
    }
}

TEST_CASE("the certificate of L = 1024, checked by dense sampling: below b_lo infeasible, b_hi feasible") {
  const GridSearch g = published_grid_search(1024, 128, Precision::float64, 2);
  const Certificate c = certify_infimum(1024, 128, g.b, 1e-6, 2);
  REQUIRE(c.certified);
  CHECK(c.b_lo <= c.b_hi);
  CHECK(c.b_hi <= c.b_lo * (1 + 1e-6) * (1 + 1e-12));
  CHECK(c.b_hi <= g.b);
  CHECK(c.at_hi.min_f > c.error_bound);
  long double best = 1e30L;
  for (std::uint64_t m = 0; m < 1024; ++m) best = std::min(best, rope_sum_long(c.b_hi, m, 128));
  CHECK(best > 0);
  int feasible_below = 0;
  for (int k = 0; k < 20000; ++k) {  // all of [1, b_lo), then its last 1% more densely
    const double b = k < 10000 ? 1 + (c.b_lo - 1) * k / 10000.0 : c.b_lo * (1 - 0.01 * (k - 10000) / 10000.0);
    feasible_below += rope_min(b, 1024, 128, Precision::float64, true).feasible();
  }
  CHECK(feasible_below == 0);
  // The certificate does not depend on the threads either.
  const Certificate one = certify_infimum(1024, 128, g.b, 1e-6, 1);
  CHECK(one.b_lo == c.b_lo);
  CHECK(one.b_hi == c.b_hi);
}

TEST_CASE("x0, the first zero of Ci, is 0.6165 and L / x0 underestimates b* at d = 128") {
  const double x0 = ci_first_zero();
  CHECK(x0 == Approx(0.6165).margin(5e-5));
  CHECK(std::fabs(gsl_sf_Ci(x0)) < 1e-12);
  CHECK(1024 / x0 < published_grid_search(1024, 128, Precision::float64, 2).b);
  // The d -> infinity estimate tracks the sum at large d.
  CHECK(rope_sum_ci_estimate(1e4, 3000, 4096) == Approx(rope_sum(1e4, 3000, 4096)).margin(0.05 * 2048));
}

TEST_CASE("an exception from the poll stops the grid search or every walk of the certificate, and reaches the caller") {
  const auto g = published_grid_search(4096, 128, Precision::float64, 2);
  std::atomic<int> polls{0};
  const core::Tick poll = [&] {
    if (++polls == 50) throw std::domain_error("interrupted");
  };
  CHECK_THROWS_AS(certify_infimum(4096, 128, g.b, 1e-6, 2, core::Device::cpu, poll), std::domain_error);
  CHECK(polls.load() < 1000);
  polls = 0;
  CHECK_THROWS_AS(published_grid_search(65536, 128, Precision::float64, 2, core::Device::cpu, poll), std::domain_error);
  CHECK(polls.load() < 1000);
  const auto c = certify_infimum(1024, 128, published_grid_search(1024, 128, Precision::float64, 2).b, 1e-6, 2,
                                 core::Device::cpu, [] {});
  CHECK(c.certified);
}
