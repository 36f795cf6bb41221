#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/errors.hpp"
#include "core/fit.hpp"

TEST_CASE("an exact power law is fitted exactly, with a zero-width interval") {
  std::vector<double> x, y;
  for (int i = 1; i <= 20; ++i) {
    x.push_back(std::pow(10.0, i));
    y.push_back(3.0 * std::pow(x.back(), 0.25));
  }
  const auto f = core::fit_power_law(x, y);
  CHECK(f.exponent == Approx(0.25).epsilon(1e-12));
  CHECK(f.prefactor == Approx(3.0).epsilon(1e-9));
  CHECK(f.exponent_se < 1e-10);
  CHECK(f.points == 20);
}

TEST_CASE("the 95% interval of a noisy power law contains the true exponent and has the t-width") {
  // Deterministic +-1% multiplicative noise: the fitted slope is close, the interval covers it.
  std::vector<double> x, y;
  for (int i = 0; i < 40; ++i) {
    x.push_back(std::pow(10.0, 0.2 * i));
    y.push_back(std::pow(x.back(), 0.5) * (i % 2 ? 1.01 : 0.99));
  }
  const auto f = core::fit_power_law(x, y);
  CHECK(f.exponent_lo95 < 0.5);
  CHECK(f.exponent_hi95 > 0.5);
  CHECK((f.exponent_hi95 - f.exponent) / f.exponent_se == Approx(2.0244).epsilon(1e-3));  // t(0.975, 38)
}

TEST_CASE("a power-law fit refuses too few or non-positive points") {
  CHECK_THROWS_AS(core::fit_power_law(std::vector<double>{1, 2}, std::vector<double>{1, 2}), core::InputError);
  CHECK_THROWS_AS(core::fit_power_law(std::vector<double>{1, 2, 0}, std::vector<double>{1, 2, 3}), core::InputError);
  CHECK_THROWS_AS(core::fit_power_law(std::vector<double>{2, 2, 2}, std::vector<double>{1, 2, 3}), core::InputError);
}
