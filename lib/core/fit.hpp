// Power-law fits y = A x^k by ordinary least squares on (ln x, ln y) (GSL's gsl_fit_linear), with the
// slope's standard error and a 95% Student-t interval. Shared by every tool that reports an exponent.
#pragma once

#include <cstddef>
#include <span>

namespace core {

struct PowerLawFit {
  double exponent;       // k
  double prefactor;      // A
  double exponent_se;    // standard error of k
  double exponent_lo95;  // 95% confidence interval of k
  double exponent_hi95;
  std::size_t points;
};

// Needs at least three points with x, y > 0 and two distinct x (InputError otherwise).
PowerLawFit fit_power_law(std::span<const double> x, std::span<const double> y);

}  // namespace core
