#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.hpp"
#include "w2/study.hpp"

using namespace w2;

TEST_CASE("the mixture score: one component is the Gaussian score, and the slope is its derivative") {
  const Mixture one{{1}, {0.5}, {0.25}};
  const double m = 0.8, s2 = 0.36, v = m * m * 0.25 + s2;
  const auto s = mixture_score(one, m, s2, 1.3);
  CHECK(s.score == Approx(-(1.3 - m * 0.5) / v).epsilon(1e-14));
  CHECK(s.slope == Approx(-1 / v).epsilon(1e-12));
  const Mixture two{{0.3, 0.7}, {-1.5, 1}, {0.04, 0.25}};
  const double h = 1e-6;
  for (double x : {-2.0, -0.3, 0.4, 1.7}) {
    const double fd = (mixture_score(two, m, s2, x + h).score - mixture_score(two, m, s2, x - h).score) / (2 * h);
    CHECK(mixture_score(two, m, s2, x).slope == Approx(fd).epsilon(1e-6));
  }
}

TEST_CASE("one-component mixture: the particle W2 matches the Gaussian closed form within Monte Carlo error") {
  for (ScoreError e : score_errors) {
    MixtureCase c;
    c.data = {{1}, {0.5}, {0.25}};
    c.error = e;
    c.eta = 0.2;
    c.particles = 20000;
    c.threads = 2;
    const auto r = mixture_w2(c);
    const auto g = gaussian_w2({VpSchedule{}, gaussian_data(1, "0.25", 0.5), e, 0.2, Prior::exact, OdeTolerance{}});
    INFO(to_string(e) << ": particles " << r.w2_coupling << " +- " << r.w2_coupling_se << ", exact " << g.w2);
    CHECK(std::abs(r.w2_coupling - g.w2) <= 4 * r.w2_coupling_se + 1e-6 * g.w2);  // bias: every pair moves alike
    CHECK(r.w2 <= r.w2_coupling * (1 + 1e-12));
    // The bound's integrals agree with the Gaussian route (L_t = sup_x g' is the constant slope).
    for (LipschitzForm f : lipschitz_forms) CHECK(r.terms.bound(f, 0) == Approx(g.terms.bound(f, 0)).epsilon(1e-6));
  }
}

TEST_CASE("mixture: the chain W2 <= W~2 <= bound holds for every score error") {
  MixtureSweep s;
  s.particles = 2000;
  s.etas = {0.05, 0.5};
  for (const auto& row : mixture_sweep(s, [] {})) {
    INFO(to_string(row.input.error) << " " << row.input.eta);
    CHECK(row.verdict.chain_holds);
    CHECK(row.verdict.holds[two_sided]);
  }
}

TEST_CASE("mixture clouds do not depend on the number of threads") {
  MixtureCase c;
  c.particles = 3000;
  c.error = ScoreError::wrong_gaussian;
  c.threads = 1;
  const auto one = mixture_w2(c);
  c.threads = 2;
  const auto two = mixture_w2(c);
  CHECK(one.p0 == two.p0);
  CHECK(one.q0 == two.q0);
}

TEST_CASE("the sup of the slope is found: it matches a fine brute-force scan") {
  MixtureCase c;
  c.error = ScoreError::scale;
  c.eta = 0.3;
  for (double t : {0.01, 0.1, 0.4}) {
    const auto range = model_slope_range(c, t);
    double hi = -INFINITY, lo = INFINITY;
    for (int i = 0; i <= 400000; ++i) {
      const double s = model_score(c, t, -6 + 12.0 * i / 400000).slope;
      hi = std::max(hi, s);
      lo = std::min(lo, s);
    }
    CHECK(range.hi >= hi - 1e-9 * std::abs(hi));
    CHECK(range.lo <= lo + 1e-9 * std::abs(lo));
    CHECK(range.hi == Approx(hi).epsilon(1e-6));
  }
}

TEST_CASE("mixture weights must be >= 0 and sum to 1") {
  CHECK_THROWS_AS(check(Mixture{{0.5, 0.6}, {0, 1}, {1, 1}}), core::InputError);
  CHECK_THROWS_AS(check(Mixture{{-0.5, 1.5}, {0, 1}, {1, 1}}), core::InputError);
  CHECK_THROWS_AS(check(Mixture{{1}, {0, 1}, {1, 1}}), core::InputError);
  CHECK_THROWS_AS(check(Mixture{{1}, {0}, {0}}), core::InputError);
}
