#include <catch2/catch.hpp>
#include <cmath>

#include "quanta/simulate.hpp"

using namespace quanta;

namespace {

SimulationConfig small(Axis axis) {
  SimulationConfig c;
  c.axis = axis;
  c.points = 7;
  c.seeds = 4;
  if (axis == Axis::steps) {
    c.from = 1e3;
    c.to = 1e9;
  }
  return c;
}

}  // namespace

TEST_CASE("simulated data exponents: each 95% interval covers g/(g+1) for g in {0.3, 0.5, 1, 2}") {
  const auto r = simulate_scaling(small(Axis::data), [] {});
  REQUIRE(r.fits.size() == 4);
  for (const auto& f : r.fits) {
    INFO("g = " << f.gamma << ": k = " << f.exponent << " in " << f.lo95 << " .. " << f.hi95);
    CHECK(f.predicted == Approx(f.gamma / (f.gamma + 1)));
    CHECK(f.covers());
  }
}

TEST_CASE("simulated steps exponents (D = S B) cover g/(g+1)") {
  for (const auto& f : simulate_scaling(small(Axis::steps), [] {}).fits) {
    INFO("g = " << f.gamma << ": k = " << f.exponent << " in " << f.lo95 << " .. " << f.hi95);
    CHECK(f.covers());
  }
}

TEST_CASE("params exponents equal g up to the O(g/2n) correction of the exact tail (n >= 10^3)") {
  for (const auto& f : simulate_scaling(small(Axis::params), [] {}).fits) CHECK(std::abs(f.exponent - f.gamma) < 1e-3);
}

TEST_CASE("simulate gives the same rows at 1 and 2 threads") {
  auto c = small(Axis::data);
  c.threads = 1;
  const auto one = simulate_scaling(c, [] {});
  c.threads = 2;
  const auto two = simulate_scaling(c, [] {});
  REQUIRE(one.rows.size() == two.rows.size());
  for (std::size_t i = 0; i < one.rows.size(); ++i) {
    CHECK(one.rows[i].loss_mean == two.rows[i].loss_mean);
    CHECK(one.rows[i].loss_sd == two.rows[i].loss_sd);
  }
}

TEST_CASE("the Monte Carlo mean agrees with the exact expectation, even at D = 10^12") {
  for (double g : {0.3, 2.0}) {
    const DataModel m({g}, 2, 1e12);
    for (double d : {1e4, 1e12}) {
      double sum = 0, sq = 0;
      const int n = 64;
      for (int s = 0; s < n; ++s) {
        core::Rng rng = core::rng_stream(7, static_cast<std::uint64_t>(s));
        const double u = m.unlearned_mass(d, rng);
        sum += u;
        sq += u * u;
      }
      const double mean = sum / n, sd = std::sqrt(std::max(0.0, sq / n - mean * mean));
      INFO("g = " << g << ", D = " << d);
      CHECK(std::abs(mean - m.expected_unlearned_mass(d)) <= 4 * sd / std::sqrt(n) + 1e-12 * mean);
    }
  }
}

TEST_CASE("with finite K the params axis reaches the floor a exactly at N = C K") {
  EmergenceConfig c;
  c.quanta = 1000;
  c.per_quantum = 100;
  c.from = 1e3;
  c.to = 1e7;
  c.points = 41;
  const auto r = emergence(c);
  CHECK(r.reached == 1e5);
  for (const auto& row : r.rows) {
    if (row.x >= 1e5) CHECK(row.loss == r.floor);
    if (row.x < 1e5) CHECK(row.loss > r.floor);
    CHECK(row.loss_unlimited >= row.loss - 1e-15);
  }
}

TEST_CASE("with finite K the data axis learns every quantum with probability 1/2 at the reported D") {
  EmergenceConfig c;
  c.axis = Axis::data;
  c.quanta = 500;
  c.from = 1e2;
  c.to = 1e9;
  const auto r = emergence(c);
  const DataModel m({c.gamma, c.quanta}, c.tau, 1e300);
  CHECK(std::exp(m.log_probability_all_learned(r.reached)) == Approx(0.5).epsilon(1e-6));
  CHECK(r.rows.back().loss - r.floor < 1e-6);
}

TEST_CASE("a large tau leaves every quantum far below it unlearned, without overflowing tgamma(tau)") {
  for (unsigned tau : {10000u, 1000000u}) {
    const quanta::DataModel m(quanta::Zipf{0.5, quanta::unlimited}, tau, 1e12);
    CHECK(m.blocked_unlearned_mass(1e3) == Approx(1).epsilon(1e-12));  // every expected count below 400
    CHECK(m.expected_unlearned_mass(1e3) == Approx(1).epsilon(1e-12));
    CHECK(m.blocked_unlearned_mass(1e8) == Approx(m.expected_unlearned_mass(1e8)).epsilon(1e-3));
  }
}
