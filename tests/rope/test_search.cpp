#include <gsl/gsl_sf_expint.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/errors.hpp"
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

TEST_CASE("the certificate in 1, 2, 4 and 7 parts, walked apart and combined, is the one-process certificate") {
  const double b_grid = published_grid_search(1024, 128, Precision::float64, 2).b;
  const Certificate whole = certify_infimum(1024, 128, b_grid, 1e-6, 2);
  REQUIRE(whole.certified);
  for (std::uint32_t J : {1u, 2u, 4u, 7u}) {
    std::vector<CertificatePart> parts;
    for (std::uint32_t j = 0; j < J; ++j) parts.push_back(certify_part(1024, 128, b_grid, 1e-6, j, J, 1));
    CHECK(parts.front().from == 1);
    CHECK(parts.back().to == b_grid);
    for (std::uint32_t j = 0; j + 1 < J; ++j) CHECK(parts[j].to == parts[j + 1].from);
    const Certificate c = combine_certificate(1024, 128, b_grid, parts);
    // Bit for bit: the parts cut the same 32 chunks the single walk walks.
    CHECK(c.b_lo == whole.b_lo);
    CHECK(c.b_hi == whole.b_hi);
    CHECK(c.certified == whole.certified);
    CHECK(c.intervals == whole.intervals);
    CHECK(c.refuter_searches == whole.refuter_searches);
    CHECK(c.at_hi.min_f == whole.at_hi.min_f);
    CHECK(c.error_bound == whole.error_bound);
  }
}

TEST_CASE("combining refuses parts that leave a gap, overlap, are missing, or give b_hi without its proof") {
  const double b_grid = published_grid_search(1024, 128, Precision::float64, 2).b;
  std::vector<CertificatePart> parts;
  for (std::uint32_t j = 0; j < 4; ++j) parts.push_back(certify_part(1024, 128, b_grid, 1e-6, j, 4, 2));
  REQUIRE(parts[0].reached_end);
  REQUIRE(parts[1].reached_end);
  std::size_t stalled = 0;
  while (stalled < parts.size() && parts[stalled].reached_end) ++stalled;
  REQUIRE(stalled < parts.size());
  REQUIRE(parts[stalled].b_hi > 0);
  CHECK_NOTHROW(combine_certificate(1024, 128, b_grid, parts));
  auto refused = [&](std::vector<CertificatePart> p, const std::string& words) {
    try {
      combine_certificate(1024, 128, b_grid, p);
    } catch (const core::NumericalError& e) {
      const std::string what = e.what();
      return what.find("L = 1k") != std::string::npos && what.find(words) != std::string::npos;
    }
    return false;
  };
  auto gap = parts;  // part 1 refutes from a little above where part 0 stopped
  gap[1].from = gap[0].stop * (1 + 1e-9);
  CHECK(refused(gap, "gap"));
  auto short_walk = parts;  // part 0 claims its whole range but proved less
  short_walk[0].stop = short_walk[0].to * (1 - 1e-9);
  CHECK(refused(short_walk, "part 0"));
  auto overlap = parts;
  overlap[1].from = overlap[0].stop * (1 - 1e-9);
  CHECK(refused(overlap, "part 1"));
  auto missing = parts;  // parts 0, 2, 3 of 4
  missing.erase(missing.begin() + 1);
  CHECK(refused(missing, "part 0 of 3 is part 0 of 4"));
  auto foreign = parts;  // a part of another range
  foreign[2].b_upper *= 2;
  CHECK(refused(foreign, "part 2"));
  auto unproved = parts;  // b_hi whose scan does not clear the rounding bound
  unproved[stalled].at_hi.min_f = rope_sum_error_bound(unproved[stalled].b_hi, 1024, 128) / 2;
  CHECK(refused(unproved, "without its proof"));
  auto infeasible = parts;
  infeasible[stalled].at_hi.first_negative = 17;
  CHECK(refused(infeasible, "without its proof"));
  auto no_top = parts;  // every part refuted, but the last stops short of b_upper
  for (auto& p : no_top) p.reached_end = true, p.stop = p.to;
  no_top.back().to = no_top.back().stop = b_grid * (1 - 1e-9);
  CHECK(refused(no_top, "gap"));
}

TEST_CASE("the grid search starts from B = 1000 L as published, and from the first feasible 10^k L where that is not") {
  // d = 128 (the paper's): 1000 L is feasible. d = 64 at L = 128k: 1000 L is not (f < 0 somewhere below L), the
  // search starts from 10^4 L and still ends below 1000 L: feasibility is not monotone in b.
  const auto published = published_grid_search(1024, 128, Precision::float64, 2);
  CHECK(published.start == 1000 * 1024.0);
  const std::uint64_t L = 131072;
  CHECK_FALSE(rope_min(1000.0 * L, L, 64, Precision::float64, false).feasible());
  const auto raised = published_grid_search(L, 64, Precision::float64, 2);
  CHECK(raised.start == 1e4 * L);
  CHECK(raised.at_result.feasible());
  CHECK(raised.b < 1000.0 * L);
  REQUIRE(raised.b_below > 0);
  CHECK_FALSE(rope_min(raised.b_below, L, 64, Precision::float64, false).feasible());
}

TEST_CASE("the second-order step refutes every sampled base of its interval") {
  int cases = 0;
  for (unsigned d : {64u, 128u, 256u})
    for (double b : {4000.0, 2.0e5, 6.0e7}) {
      // The deepest dips of f_b over m < 2^16, and the first negative m: refuters deep and shallow.
      std::vector<std::uint64_t> refuters;
      const RopeMin r = rope_min_dips(b, 0, 1u << 16, d, 3, refuters);
      if (r.feasible()) continue;
      refuters.push_back(static_cast<std::uint64_t>(r.first_negative));
      for (std::uint64_t m : refuters) {
        const double delta = refuting_log_step(m, b, d);
        INFO("d = " << d << ", b = " << b << ", m = " << m << ", delta = " << delta);
        REQUIRE(delta > 0);
        ++cases;
        for (int k = 0; k <= 400; ++k) CHECK(rope_sum_long(b * (1 + delta * k / 400), m, d) < 0);
      }
    }
  CHECK(cases >= 24);
}

TEST_CASE("for a shallow refuter the second-order step is longer than the per-pair bound's") {
  // The first negative m of f_b is usually a shallow dip (f near 0): there the signed first-order term of
  // the second-order bound gains most over the per-pair maxima (a deep dip can favour the latter).
  int longer = 0, cases = 0;
  for (unsigned d : {64u, 128u, 256u})
    for (double b : {4000.0, 2.0e5, 1.0e6, 4.0e6}) {
      const RopeMin r = rope_min(b, 1u << 17, d);
      if (r.feasible()) continue;
      const std::uint64_t m = static_cast<std::uint64_t>(r.first_negative);
      const double delta = refuting_log_step(m, b, d);
      // The per-pair bound's largest refuted relative step, to 1%.
      auto refutes = [&](double x) { return rope_sum_upper_bound(m, b, b * (1 + x), d) < 0; };
      double lo = 0, hi = 1e-12;
      while (hi < 1 && refutes(hi)) lo = hi, hi *= 2;
      while (lo > 0 && hi > lo * 1.01) {
        const double mid = (lo + hi) / 2;
        (refutes(mid) ? lo : hi) = mid;
      }
      INFO("d = " << d << ", b = " << b << ", m = " << m << ": " << delta << " against " << lo);
      ++cases;
      longer += delta > lo;
    }
  CHECK(cases >= 8);
  CHECK(longer * 4 >= cases * 3);
}

TEST_CASE("the second-order step is 0 where f_b(m) is not negative") {
  CHECK(refuting_log_step(0, 1e4, 128) == 0);  // f = d/2
  const RopeMin r = rope_min(5e5, 8192, 128);   // Llama 3's base holds at 8k: f > 0 at every m
  REQUIRE(r.feasible());
  CHECK(refuting_log_step(r.argmin, 5e5, 128) == 0);
}

TEST_CASE("a walk stalled without its own b_hi is certified by the grid result only when that one is proved") {
  const double b_grid = published_grid_search(1024, 128, Precision::float64, 2).b;
  auto parts = std::vector<CertificatePart>{certify_part(1024, 128, b_grid, 1e-6, 0, 1, 2)};
  REQUIRE_FALSE(parts[0].reached_end);
  REQUIRE(parts[0].b_hi > 0);
  // As a walk that found no feasible base above its stall leaves it: b_hi = 0, the scan at b_upper.
  parts[0].b_hi = 0;
  parts[0].at_hi = rope_min(b_grid, 1024, 128);
  const Certificate c = combine_certificate(1024, 128, b_grid, parts);
  CHECK(c.certified);  // the grid result's margin (5.8e-4) is far above its rounding bound (4e-10)
  CHECK(c.b_hi == b_grid);
  CHECK(c.b_lo == parts[0].stop);
  CHECK(c.at_hi.min_f >= c.error_bound);
  parts[0].at_hi.min_f = c.error_bound / 2;  // a margin within rounding: not a proof
  CHECK_FALSE(combine_certificate(1024, 128, b_grid, parts).certified);
  parts[0].at_hi = rope_min(b_grid * 0.999, 1024, 128);  // an infeasible scan: not a proof either
  REQUIRE_FALSE(parts[0].at_hi.feasible());
  CHECK_FALSE(combine_certificate(1024, 128, b_grid, parts).certified);
}
