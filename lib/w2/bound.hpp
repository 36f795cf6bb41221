// The upper bound of W2[p_0, q_0] from the elementary (ODE) proof in Kwon, Fan & Lee, "Score-based
// Generative Modeling Secretly Minimizes the Wasserstein Distance" (NeurIPS 2022):
//   W2[p_0, q_0] <= W~2(0) <= int_0^T I_t e_t dt + I_T W2[p_T, q_T],   I_t = exp(int_0^t L_s ds),
// with e_t = (E_{p_t} |f_t - g_t|^2)^1/2 the drift error of the model's field g_t against the true one
// f_t. The proof's step on L_t is taken with the wrong sign: integrated backward from T to 0 the distance
// grows at the one-sided Lipschitz rate of -g_t, not of g_t. The three forms of L_t compared here:
//   proof:     one-sided Lipschitz constant of g_t, as the proof states it;
//   backward:  one-sided Lipschitz constant of -g_t, what the backward integration needs;
//   two_sided: the Lipschitz constant |Dg_t|, what a Lipschitz assumption on the model gives.
#pragma once

#include <array>
#include <functional>
#include <string_view>
#include <vector>

#include "w2/ode.hpp"

namespace w2 {

enum LipschitzForm { proof = 0, backward = 1, two_sided = 2 };
constexpr std::array<LipschitzForm, 3> lipschitz_forms = {proof, backward, two_sided};
std::string_view to_string(LipschitzForm f);  // "proof", "backward", "twosided"

// What the bound needs at one time t.
struct LocalRates {
  std::array<double, 3> lipschitz{};  // L_t in each form (indexed by LipschitzForm)
  double drift_error = 0;             // e_t = (E_{p_t} |f_t - g_t|^2)^1/2
};

struct BoundTerms {
  std::array<double, 3> drift_term{};  // int_0^T I_t e_t dt
  std::array<double, 3> growth{};      // I_T
  double bound(LipschitzForm f, double w2_at_T) const { return drift_term[f] + growth[f] * w2_at_T; }
};

// Its members for a shard file (core/row_codec.hpp).
template <class Io>
void fields(Io& io, BoundTerms& t) {
  io(t.drift_term, t.growth);
}

// The bound's integrals: at relative 1e-8 per step, sharp but smooth turns of L_t (the near-crossing
// singular values of a time_linear field at small eta) cost up to 3e-7 in I_T; at 1e-11 they stay below
// 3e-10 (issue 17). The verdicts compare at relative 1e-6.
constexpr OdeTolerance bound_tolerance{1e-12, 1e-11};

// Integrates I_t and int I_t e_t forward from 0 to T with the adaptive ODE solver, restarted at each of
// `kinks` (sorted times in (0, T) where some L_t has a corner): a step across a corner defeats the
// solver's error estimate (2.6e-6 relative in I_T where the smooth pieces give ~1e-10).
BoundTerms bound_terms(double t_end, const std::function<LocalRates(double)>& rates, OdeTolerance tol,
                       const std::vector<double>& kinks = {});

// The bound's pieces on a grid of n + 1 times in [0, T]: L_t and I_t per form, e_t, and the integrand
// I_t e_t per form (for plotting where the bound accumulates).
struct BoundProfilePoint {
  double t;
  LocalRates rates;
  std::array<double, 3> growth{}, integrand{};
};
std::vector<BoundProfilePoint> bound_profile(double t_end, const std::function<LocalRates(double)>& rates, unsigned n);

}  // namespace w2
