#include "w2/bound.hpp"

#include <cmath>
#include <vector>

namespace w2 {

std::string_view to_string(LipschitzForm f) {
  switch (f) {
    case proof: return "proof";
    case backward: return "backward";
    case two_sided: return "twosided";
  }
  return "?";
}

namespace {

// State: log I_t for each form, then int_0^t I_s e_s ds for each form.
void advance(std::vector<double>& state, double t0, double t1, const std::function<LocalRates(double)>& rates,
             OdeTolerance tol) {
  auto system = [&](const std::vector<double>& x, std::vector<double>& dxdt, double t) {
    const LocalRates r = rates(t);
    for (int k = 0; k < 3; ++k) {
      dxdt[k] = r.lipschitz[k];
      dxdt[3 + k] = std::exp(x[k]) * r.drift_error;
    }
  };
  integrate_checked(system, state, t0, t1, tol, "the bound's integral over t");
}

}  // namespace

std::vector<BoundProfilePoint> bound_profile(double t_end, const std::function<LocalRates(double)>& rates, unsigned n) {
  std::vector<double> state(6, 0.0);
  std::vector<BoundProfilePoint> out;
  for (unsigned i = 0; i <= n; ++i) {
    const double t = t_end * i / n;
    if (i > 0) advance(state, out.back().t, t, rates, bound_tolerance);
    BoundProfilePoint p{t, rates(t)};
    for (int k = 0; k < 3; ++k) {
      p.growth[k] = std::exp(state[k]);
      p.integrand[k] = p.growth[k] * p.rates.drift_error;
    }
    out.push_back(p);
  }
  return out;
}

BoundTerms bound_terms(double t_end, const std::function<LocalRates(double)>& rates, OdeTolerance tol,
                       const std::vector<double>& kinks) {
  std::vector<double> state(6, 0.0);
  double t = 0;
  for (double k : kinks)
    if (k > t && k < t_end) advance(state, t, k, rates, tol), t = k;
  advance(state, t, t_end, rates, tol);
  BoundTerms out;
  for (int k = 0; k < 3; ++k) {
    out.growth[k] = std::exp(state[k]);
    out.drift_term[k] = state[3 + k];
  }
  return out;
}

}  // namespace w2
