// One adaptive integration loop for every ODE of lib/w2: Boost.Odeint's Dormand-Prince 5(4) with error
// control (absolute and relative tolerance per component, max norm over the state), run forward or
// backward in time. The loop is ours only so that a run which cannot meet its tolerance (the step size
// collapses, too many trials, a non-finite state) ends with a NumericalError naming the ODE instead of
// hanging. The algebra (how odeint loops over a state) is a parameter so that the particle flow can run
// its fixed-size states through AVX2 loops.
#pragma once

#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <string>
#include <type_traits>

#include "core/errors.hpp"

namespace w2 {

struct OdeTolerance {
  double abs = 1e-12;
  double rel = 1e-10;
};

struct OdeStats {
  std::size_t steps = 0, rejected = 0;
};

// Its members for a shard file (core/row_codec.hpp).
template <class Io>
void fields(Io& io, OdeStats& s) {
  io(s.steps, s.rejected);
}

struct NoObserver {
  template <class State>
  void operator()(const State&, double) const {}
};

template <class State, class Algebra = typename boost::numeric::odeint::algebra_dispatcher<State>::algebra_type>
using Dopri5 = boost::numeric::odeint::runge_kutta_dopri5<State, double, State, double, Algebra>;

// Integrates dx/dt = system(x, dxdt, t) from t0 to t1 (t1 < t0 runs backward) with the error stepper
// Stepper (void: Dopri5<State>); observe(x, t) sees every accepted step. Returns the step counts.
template <class Stepper = void, class State, class System, class Observer = NoObserver>
OdeStats integrate_checked(System&& system, State& x, double t0, double t1, OdeTolerance tol, const std::string& what,
                           Observer&& observe = {}, std::size_t max_trials = 200000) {
  namespace odeint = boost::numeric::odeint;
  using ErrorStepper = std::conditional_t<std::is_void_v<Stepper>, Dopri5<State>, Stepper>;
  auto stepper = odeint::make_controlled(tol.abs, tol.rel, ErrorStepper());
  const double span = t1 - t0, sign = span > 0 ? 1 : -1;
  double t = t0, dt = span / 64;
  OdeStats stats;
  auto fail = [&](const std::string& why) {
    throw core::NumericalError(what + ": the ODE did not meet its tolerance (abs " + std::to_string(tol.abs) +
                               ", rel " + std::to_string(tol.rel) + "): " + why + " at t = " + std::to_string(t));
  };
  while (sign * (t1 - t) > 1e-14 * std::abs(span)) {
    if (sign * (t + dt - t1) > 0) dt = t1 - t;
    const auto result = stepper.try_step(system, x, t, dt);
    if (result == odeint::success) {
      ++stats.steps;
      for (double v : x)
        if (!std::isfinite(v)) fail("a non-finite state");
      observe(x, t);
    } else {
      ++stats.rejected;
    }
    if (stats.steps + stats.rejected > max_trials) fail("too many steps");
    if (std::abs(dt) < 1e-13 * std::abs(span)) fail("the step size collapsed");
  }
  return stats;
}

}  // namespace w2
