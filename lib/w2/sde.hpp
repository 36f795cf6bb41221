// The reverse SDE dx = [-1/2 beta x - beta s(x, t)] dt + sqrt(beta) dW (t running from T down to 0) for
// 1-D Gaussian data N(mu, v), with the true score and with a perturbed one (the families of
// w2/gaussian.hpp), driven by common noise. The pair (x_t, y_t) stays jointly Gaussian, so its moments
// follow a linear ODE (integrated exactly, up to tolerance); Euler-Maruyama particles check them.
// Kwon, Fan & Lee's ODE argument does not carry over: it would need the cross term
//   E[(x_t - y_t) (grad log p_t(x_t) - grad log q_t(y_t))] >= 0,
// with q_t the model's own marginal, and that fails in general; here it is computed along the path.
#pragma once

#include <cstdint>

#include "w2/gaussian.hpp"

namespace w2 {

struct SdeCase {
  VpSchedule vp;
  double mean = 0.5, variance = 0.25;  // the data N(mean, variance)
  ScoreError error = ScoreError::scale;
  double eta = 0.1;
  std::size_t particles = 20000;
  unsigned steps = 1000;  // Euler-Maruyama steps from T to 0
  std::uint64_t seed = 1, stream = 0;
  unsigned threads = 1;
  OdeTolerance tol;
};

GaussianCase as_gaussian_case(const SdeCase& c);  // the same data and score error, for the ODE bound

struct SdeResult {
  double w2 = 0;                                       // W2[p_0, q_0], q_0 from the exact moment ODE
  double w2_coupling = 0;                              // (E|x_0 - y_0|^2)^1/2 under the common-noise coupling, exact
  double w2_em = 0, w2_em_se = 0, w2_coupling_em = 0;  // the same from Euler-Maruyama particles
  double min_cross = 0, t_min_cross = 0;               // the most negative cross term along the path, and where
  BoundTerms terms;                                    // the ODE bound of the same score error (w2/bound.hpp)
};

SdeResult sde_w2(const SdeCase& c);

}  // namespace w2
