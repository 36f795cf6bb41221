// Gaussian data N(mu, Sigma) under the VP diffusion: every p_t is Gaussian with the closed-form score
// -Sigma_t^-1 (x - m_t mu), Sigma_t = m_t^2 Sigma + sigma_t^2 I. Each score-error family below keeps the
// model's probability-flow field g_t linear, so q_0 is Gaussian and everything is exact up to the ODE
// tolerance: the mean and covariance ODEs, the synchronous coupling W~2(0) from the joint linear ODE of
// (x_t, x_t - y_t), W2[p_0, q_0] by the Bures formula, and the three forms of the bound (w2/bound.hpp).
// W2 is invariant under rotations, so Sigma is taken diagonal (its eigenvalues); the time-linear error
// uses a matrix A that is not symmetric, so its field does not commute with Sigma_t.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "w2/bound.hpp"
#include "w2/bures.hpp"
#include "w2/vp.hpp"

namespace w2 {

// The score error of size eta, s = grad log p_t + delta:
//   bias:           delta = eta b, b = (1, ..., 1)/sqrt(d);
//   scale:          s = (1 + eta) grad log p_t;
//   wrong_gaussian: s = the score of the diffused N(mu + eta b, (1 + eta) Sigma);
//   time_linear:    delta = eta (t/T) A x, A fixed, not symmetric, |A|_2 = 1.
enum class ScoreError { bias, scale, wrong_gaussian, time_linear };
constexpr ScoreError score_errors[] = {ScoreError::bias, ScoreError::scale, ScoreError::wrong_gaussian,
                                       ScoreError::time_linear};
std::string_view to_string(ScoreError e);

// Where the model's flow starts: q_T = p_T, or the standard normal prior N(0, I) used in practice.
enum class Prior { exact, standard };
constexpr Prior all_priors[] = {Prior::exact, Prior::standard};
std::string_view to_string(Prior p);

struct GaussianData {
  Vector mean;
  Vector variances;  // the eigenvalues of Sigma
  std::string label;
};

// Data in d dims with mean (m, ..., m) and variances from SPEC: "v" (Sigma = v I) or "a:b" (eigenvalues
// log-spaced from a to b). InputError naming --variances when Sigma would not be positive definite.
GaussianData gaussian_data(unsigned d, std::string_view spec, double mean);

struct GaussianCase {
  VpSchedule vp;
  GaussianData data;
  ScoreError error = ScoreError::scale;
  double eta = 0.1;
  Prior prior = Prior::exact;
  OdeTolerance tol;
};

// A linear field x -> J x + h at one time.
struct LinearField {
  Matrix jacobian;
  Vector offset;
  bool diagonal = true;  // J is diagonal (lets the ODEs skip dense products)
};

Gaussian forward_marginal(const GaussianCase& c, double t);  // p_t, closed form
LinearField true_field(const GaussianCase& c, double t);     // f_t of the probability-flow ODE
LinearField model_field(const GaussianCase& c, double t);    // g_t, with the perturbed score
const Matrix& time_linear_matrix(unsigned d);                // the A of the time_linear family

// Mean and covariance of a linear flow dx/dt = J_t x + h_t started from `start` at t0 and run to t1.
Gaussian linear_flow(const std::function<LinearField(double)>& field, const Gaussian& start, double t0, double t1,
                     OdeTolerance tol);

// The bound's local rates at t: the three Lipschitz constants of g_t and e_t = (E_{p_t}|f_t - g_t|^2)^1/2.
LocalRates gaussian_rates(const GaussianCase& c, double t);

// The times in (0, T) where one of the three L_t has a corner, sorted: for a diagonal g_t, where the
// largest of its Jacobian's entries (proof), of their negatives (backward) or of both (two_sided) changes
// hands, found on a grid of t and then by TOMS 748 on the difference of the two branches. Non-diagonal
// fields (time_linear, d > 1) have none: their extreme eigenvalues and singular value cross only on sets of
// codimension 2, so along t they do not (the rates are smooth there).
std::vector<double> gaussian_kinks(const GaussianCase& c);

// bound_terms for the case's rates, restarted at its kinks.
BoundTerms gaussian_bound_terms(const GaussianCase& c);

struct GaussianResult {
  double w2 = 0;           // W2[p_0, q_0], Bures
  double w2_coupling = 0;  // W~2(0): the synchronous coupling (optimal at T when q_T != p_T)
  double w2_at_T = 0;      // W2[p_T, q_T]
  BoundTerms terms;
  Gaussian q0;
  OdeStats stats;  // of the backward coupling ODE
};

GaussianResult gaussian_w2(const GaussianCase& c);

}  // namespace w2
