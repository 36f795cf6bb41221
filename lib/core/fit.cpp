#include "core/fit.hpp"

#include <gsl/gsl_fit.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <vector>

#include "core/errors.hpp"

namespace core {

PowerLawFit fit_power_law(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) throw InputError("power-law fit: x and y differ in length");
  const std::size_t n = x.size();
  if (n < 3) throw InputError("power-law fit: needs at least 3 points, got " + std::to_string(n));
  std::vector<double> lx(n), ly(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!(x[i] > 0) || !(y[i] > 0)) throw InputError("power-law fit: x and y must be positive");
    lx[i] = std::log(x[i]);
    ly[i] = std::log(y[i]);
  }
  if (std::all_of(lx.begin(), lx.end(), [&](double v) { return v == lx[0]; }))
    throw InputError("power-law fit: needs at least two distinct x");
  double c0, c1, cov00, cov01, cov11, sumsq;
  gsl_fit_linear(lx.data(), 1, ly.data(), 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
  // gsl_fit_linear scales the covariance by the residual variance sumsq / (n - 2).
  const double se = std::sqrt(cov11);
  const double t = boost::math::quantile(boost::math::students_t(static_cast<double>(n - 2)), 0.975);
  return {c1, std::exp(c0), se, c1 - t * se, c1 + t * se, n};
}

}  // namespace core
