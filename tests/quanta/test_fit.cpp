#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "core/fit.hpp"
#include "core/rng.hpp"
#include "quanta/fit.hpp"

using namespace quanta;

namespace {

// Synthetic runs on a 9 x 9 grid of N and D with multiplicative noise of sd `noise` on L.
Observations chinchilla_like(double noise, std::uint64_t seed = 3) {
  core::Rng rng = core::rng_stream(seed, 0);
  boost::random::normal_distribution<double> eps(0, noise);
  Observations o;
  for (int i = 0; i < 9; ++i)
    for (int j = 0; j < 9; ++j) {
      const double n = std::pow(10.0, 7 + 0.4 * i), d = std::pow(10.0, 9 + 0.4 * j);
      o.n.push_back(n);
      o.d.push_back(d);
      o.loss.push_back((1.8 + 400 / std::pow(n, 0.34) + 1500 / std::pow(d, 0.36)) * std::exp(eps(rng)));
    }
  return o;
}

Observations one_variable(double e, double noise) {
  core::Rng rng = core::rng_stream(5, 0);
  boost::random::normal_distribution<double> eps(0, noise);
  Observations o;
  for (int i = 0; i < 40; ++i) {
    const double x = std::pow(10.0, 3 + 0.15 * i);
    o.n.push_back(x);
    o.loss.push_back((e + 50 * std::pow(x, -0.4)) * std::exp(eps(rng)));
  }
  return o;
}

FitSettings quick(LawForm f) {
  FitSettings s;
  s.form = f;
  s.bootstrap = 0;
  s.threads = 2;
  return s;
}

}  // namespace

TEST_CASE("the analytic gradient of the Huber objective agrees with central finite differences") {
  const auto o = chinchilla_like(0.01);
  for (LawForm f : {LawForm::chinchilla, LawForm::power, LawForm::power0}) {
    // A point where some residuals fall inside the Huber threshold and some outside.
    const HuberLogObjective obj(f, o, 0.05);
    std::vector<double> theta = f == LawForm::chinchilla ? std::vector<double>{6, 7.3, 0.59, 0.34, 0.36}
                                : f == LawForm::power    ? std::vector<double>{6, 0.7, 0.3}
                                                         : std::vector<double>{1.5, 0.02};
    std::vector<double> g(theta.size());
    obj.value_and_gradient(theta, g);
    for (std::size_t j = 0; j < theta.size(); ++j) {
      const double h = 1e-6;
      auto up = theta, down = theta;
      up[j] += h;
      down[j] -= h;
      INFO(to_string(f) << " parameter " << j);
      CHECK(g[j] == Approx((obj.value(up) - obj.value(down)) / (2 * h)).epsilon(1e-5).margin(1e-8));
    }
  }
}

TEST_CASE("the Chinchilla form recovers known parameters from noisy synthetic runs") {
  // 81 runs with 0.5% noise on L: the exponents are determined to about +-0.02 (bootstrap on such data),
  // so 0.03 on alpha and beta and 3% on E are the tolerances.
  const auto fit = fit_scaling_law(chinchilla_like(0.005), quick(LawForm::chinchilla), [] {});
  const auto e = law_estimates(fit);
  CHECK(find_estimate(e, "alpha").value == Approx(0.34).margin(0.03));
  CHECK(find_estimate(e, "beta").value == Approx(0.36).margin(0.03));
  CHECK(find_estimate(e, "E").value == Approx(1.8).epsilon(0.03));
  CHECK(fit.starts == 4500);
  CHECK(fit.starts_at_optimum > 100);
}

TEST_CASE("without noise the Chinchilla form recovers the parameters almost exactly") {
  const auto fit = fit_scaling_law(chinchilla_like(0.0), quick(LawForm::chinchilla), [] {});
  const auto e = law_estimates(fit);
  CHECK(find_estimate(e, "alpha").value == Approx(0.34).epsilon(1e-3));
  CHECK(find_estimate(e, "beta").value == Approx(0.36).epsilon(1e-3));
  CHECK(find_estimate(e, "A").value == Approx(400).epsilon(2e-2));
}

TEST_CASE("the one-variable forms recover E + A x^-alpha and A x^-alpha, power0 matches the OLS fit") {
  const auto fit = fit_scaling_law(one_variable(2.0, 0.003), quick(LawForm::power), [] {});
  const auto e = law_estimates(fit);
  CHECK(find_estimate(e, "alpha").value == Approx(0.4).margin(0.02));
  CHECK(find_estimate(e, "E").value == Approx(2.0).epsilon(0.02));

  const auto o = one_variable(0.0, 0.0);
  const auto p0 = law_estimates(fit_scaling_law(o, quick(LawForm::power0), [] {}));
  const auto ols = core::fit_power_law(o.n, o.loss);
  CHECK(find_estimate(p0, "alpha").value == Approx(-ols.exponent).epsilon(1e-4));
  CHECK(find_estimate(p0, "A").value == Approx(ols.prefactor).epsilon(1e-3));
}

TEST_CASE("the fit does not depend on the order of the rows") {
  auto o = one_variable(2.0, 0.01);
  const auto before = fit_scaling_law(o, quick(LawForm::power), [] {});
  std::reverse(o.loss.begin(), o.loss.end());
  std::reverse(o.n.begin(), o.n.end());
  const auto after = fit_scaling_law(o, quick(LawForm::power), [] {});
  for (std::size_t j = 0; j < before.theta.size(); ++j) CHECK(after.theta[j] == Approx(before.theta[j]).epsilon(1e-4));
}

TEST_CASE("bootstrap intervals contain the estimate and do not depend on --threads") {
  auto s = quick(LawForm::power);
  s.bootstrap = 60;
  s.threads = 1;
  const auto o = one_variable(2.0, 0.01);
  const auto one = law_estimates(fit_scaling_law(o, s, [] {}));
  s.threads = 2;
  const auto two = law_estimates(fit_scaling_law(o, s, [] {}));
  for (std::size_t i = 0; i < one.size(); ++i) {
    CHECK(one[i].lo95 <= one[i].value);
    CHECK(one[i].value <= one[i].hi95);
    CHECK(one[i].se == two[i].se);
  }
}

TEST_CASE("fewer rows than parameters, non-positive values and missing columns are bad input") {
  const auto four =
      core::parse_csv("loss,Model Size,Training FLOP\n3,1e8,1e18\n2.9,2e8,1e18\n2.8,3e8,1e18\n2.7,4e8,2e18\n", "t");
  CHECK_THROWS_AS(observations_from_csv(four, {}, LawForm::chinchilla, "t"), core::InputError);
  CHECK_NOTHROW(observations_from_csv(four, {}, LawForm::power, "t"));
  const auto bad = core::parse_csv("loss,Model Size,Training FLOP\n3,1e8,1e18\n-2.9,2e8,1e18\n", "t");
  CHECK_THROWS_WITH(observations_from_csv(bad, {}, LawForm::power0, "t"), Catch::Contains("positive"));
  CHECK_THROWS_AS(observations_from_csv(four, {.loss = "L"}, LawForm::power, "t"), core::InputError);
}

TEST_CASE("a fit whose starts cannot converge is a NumericalError, not a number") {
  auto s = quick(LawForm::power);
  s.minimizer.max_iterations = 1;
  CHECK_THROWS_AS(fit_scaling_law(one_variable(2.0, 0.01), s, [] {}), core::NumericalError);
}

TEST_CASE("exclude_highest_loss drops exactly the k largest losses") {
  Observations o{{3, 9, 1, 7, 5}, {1, 2, 3, 4, 5}, {}};
  const auto kept = exclude_highest_loss(o, 2);
  CHECK(kept.loss == std::vector<double>{3, 1, 5});
  CHECK(kept.n == std::vector<double>{1, 3, 5});
}

TEST_CASE("the compute-optimal allocation spends C = 6 N D and scales as C^(beta/(alpha+beta))") {
  const std::vector<double> theta{std::log(400.0), std::log(1500.0), std::log(1.8), 0.34, 0.36};
  const double n1 = optimal_params(theta, 1e21), n2 = optimal_params(theta, 1e23);
  CHECK(std::log(n2 / n1) / std::log(100.0) == Approx(0.36 / 0.70).epsilon(1e-12));
  // At the optimum the loss along the iso-FLOP curve is stationary.
  auto loss = [&](double n) { return law_loss(LawForm::chinchilla, theta, n, 1e21 / (6 * n)); };
  CHECK(loss(n1) < loss(n1 * 1.01));
  CHECK(loss(n1) < loss(n1 / 1.01));
}

TEST_CASE("the vectorised objective matches a direct per-row evaluation, and a resample's merged repeats") {
  // 81 rows (not a multiple of the kernel's 4); a resample with repeats against the repeated rows themselves.
  const auto o = chinchilla_like(0.01);
  const std::vector<std::size_t> rows{80, 3, 3, 0, 17, 3, 80, 42, 5, 5, 61};
  Observations copies;
  for (const std::size_t i : rows) {
    copies.loss.push_back(o.loss[i]);
    copies.n.push_back(o.n[i]);
    copies.d.push_back(o.d[i]);
  }
  for (LawForm f : {LawForm::chinchilla, LawForm::power, LawForm::power0}) {
    INFO(to_string(f));
    const std::vector<double> theta = f == LawForm::chinchilla ? std::vector<double>{6, 7.3, 0.59, 0.34, 0.36}
                                      : f == LawForm::power    ? std::vector<double>{6, 0.7, 0.3}
                                                               : std::vector<double>{1.5, 0.02};
    const double delta = 0.05;
    const HuberLogObjective all(f, o, delta);
    double direct = 0;
    for (std::size_t i = 0; i < o.size(); ++i) {
      const double r =
          std::log(law_loss(f, theta, o.n[i], f == LawForm::chinchilla ? o.d[i] : 1)) - std::log(o.loss[i]);
      direct += std::abs(r) <= delta ? 0.5 * r * r : delta * (std::abs(r) - 0.5 * delta);
    }
    CHECK(all.value(theta) == Approx(direct / (delta * static_cast<double>(o.size()))).epsilon(1e-12));
    const HuberLogObjective merged(f, o, rows, delta), repeated(f, copies, delta);
    std::vector<double> g1(theta.size()), g2(theta.size());
    CHECK(merged.value_and_gradient(theta, g1) == Approx(repeated.value_and_gradient(theta, g2)).epsilon(1e-12));
    for (std::size_t j = 0; j < theta.size(); ++j) CHECK(g1[j] == Approx(g2[j]).epsilon(1e-11).margin(1e-14));
  }
}
