#include <catch2/catch.hpp>
#include <cmath>

#include "w2/study.hpp"

using namespace w2;

TEST_CASE("reverse SDE with the true score: q_0 = p_0 (exact moments), and Euler-Maruyama agrees") {
  SdeCase c;
  c.eta = 0;
  c.particles = 4000;
  c.steps = 400;
  const auto r = sde_w2(c);
  CHECK(r.w2 == Approx(0).margin(1e-7));
  CHECK(r.w2_coupling == Approx(0).margin(1e-7));
  CHECK(r.w2_em == Approx(0).margin(1e-12));
}

TEST_CASE("reverse SDE: Euler-Maruyama W2 agrees with the exact moments within error and step bias") {
  for (ScoreError e : score_errors) {
    SdeCase c;
    c.error = e;
    c.eta = 0.5;
    c.particles = 20000;
    c.steps = 1000;
    c.threads = 2;
    const auto r = sde_w2(c);
    INFO(to_string(e) << ": EM " << r.w2_em << " +- " << r.w2_em_se << ", exact " << r.w2);
    CHECK(std::abs(r.w2_em - r.w2) <= 5 * r.w2_em_se + 0.02 * r.w2);
    CHECK(r.w2 <= r.w2_coupling * (1 + 1e-9));
  }
}

TEST_CASE("the SDE cross term is negative somewhere: time_linear error, eta = 1, variance 0.25") {
  SdeCase c;
  c.error = ScoreError::time_linear;
  c.eta = 1;
  c.particles = 100;
  CHECK(sde_w2(c).min_cross < -0.1);
}

TEST_CASE("DSM - SM gap: the same for every theta, and 1/sigma^2 - 1/(m^2 v + sigma^2) for Gaussian data") {
  DsmSweep s;
  s.samples = 40000;
  for (const auto& b : dsm_sweep(s, [] {}))
    for (const auto& r : b.result.rows) {
      INFO(b.data << " t = " << b.t << " theta = " << r.theta);
      CHECK(std::abs(r.spread_z) <= 4);
      CHECK(std::abs(r.gap - b.result.gap_exact) <= 4 * r.gap_se);
      CHECK(r.dsm >= r.sm);
    }
}

TEST_CASE("the gap's quadrature route equals the closed form when the mixture is one Gaussian twice") {
  const VpSchedule vp;
  const Mixture one{{1}, {0.5}, {0.25}}, twice{{0.5, 0.5}, {0.5, 0.5}, {0.25, 0.25}};
  for (double t : {0.01, 0.2, 0.9})
    CHECK(dsm_gap_exact(vp, twice, t) == Approx(dsm_gap_exact(vp, one, t)).epsilon(1e-9));
}
