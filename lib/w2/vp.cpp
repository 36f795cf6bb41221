#include "w2/vp.hpp"

#include <cmath>
#include <string>

#include "core/csv.hpp"
#include "core/errors.hpp"

namespace w2 {

double VpSchedule::mean_scale(double t) const {
  return std::exp(-0.5 * beta_integral(t));
}

double VpSchedule::noise_var(double t) const {
  return -std::expm1(-beta_integral(t));
}

void check(const VpSchedule& vp) {
  using core::format_double;
  if (!(vp.beta_min > 0))
    throw core::InputError("--beta-min: expected a number > 0, got '" + format_double(vp.beta_min) + "'");
  if (!(vp.beta_max > vp.beta_min))
    throw core::InputError("--beta-max: expected a number > --beta-min (" + format_double(vp.beta_min) + "), got '" +
                           format_double(vp.beta_max) + "'");
  if (!(vp.t_end > 0)) throw core::InputError("--T: expected a number > 0, got '" + format_double(vp.t_end) + "'");
}

}  // namespace w2
