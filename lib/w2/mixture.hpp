// One-dimensional Gaussian-mixture data under the VP diffusion: p_t is the mixture with means m_t mu_k and
// variances m_t^2 v_k + sigma_t^2, so its score is closed-form (a softmax-weighted sum of component
// scores). M particles drawn from p_T are pushed through both probability-flow ODEs (the true score and a
// perturbed one, same families as w2/gaussian.hpp); in 1-D W2 between the clouds is exact by sorting.
// The bound's L_t is the supremum over all x of g_t'(x), found numerically (critical points, then the limit).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "w2/bound.hpp"
#include "w2/gaussian.hpp"
#include "w2/vp.hpp"

namespace w2 {

struct Mixture {
  std::vector<double> weights, means, variances;
};

// InputError naming --weights, --means or --variances unless the weights are >= 0 and sum to 1 (within
// 1e-9), the variances are > 0 and the three lists have the same length >= 1.
void check(const Mixture& m);

// The mixture's score and its derivative at x, for the mixture diffused to (m_t, sigma_t^2).
struct ScoreValue {
  double score, slope;
};
// With shift and var_scale, the mixture whose means are mu_k + shift and variances var_scale v_k.
ScoreValue mixture_score(const Mixture& data, double m, double s2, double x, double shift = 0, double var_scale = 1);
double mixture_density(const Mixture& data, double m, double s2, double x);

struct MixtureCase {
  VpSchedule vp;
  Mixture data{{0.3, 0.7}, {-1.5, 1}, {0.04, 0.25}};
  ScoreError error = ScoreError::scale;
  double eta = 0.1;
  std::size_t particles = 100000;
  OdeTolerance tol{1e-9, 1e-7};
  std::uint64_t seed = 1, stream = 0;  // the particles are drawn from rng_stream(seed, stream)
  unsigned threads = 1;
};

ScoreValue true_score(const MixtureCase& c, double t, double x);
ScoreValue model_score(const MixtureCase& c, double t, double x);

// sup and inf over the whole real line of the slope of mixture_score (same shift and var_scale): a grid
// laid over the x where two components trade weight (in log space, so nothing underflows far in the
// tails, where the extremes can lie: x ~ -54 and -516 at t = 0.6 and 0.9 for some two-component
// mixtures), Brent's method on the best local extrema, and the limit -1/v_max at +-infinity.
struct SlopeRange {
  double lo, hi;
};
SlopeRange mixture_slope_range(const Mixture& data, double m, double s2, double shift = 0, double var_scale = 1);
// The same for the model score's slope at t (each score error maps the range of a mixture's slope).
SlopeRange model_slope_range(const MixtureCase& c, double t);

LocalRates mixture_rates(const MixtureCase& c, double t);

// Draws the M starting points x_T ~ p_T.
std::vector<double> sample_prior(const MixtureCase& c);

struct MixtureResult {
  double w2 = 0;              // W2 between the two clouds at t = 0 (sorted samples)
  double w2_coupling = 0;     // (mean |x_i - y_i|^2)^1/2: the synchronous coupling
  double w2_coupling_se = 0;  // its Monte Carlo standard error
  BoundTerms terms;
  std::vector<double> p0, q0;  // the clouds at t = 0 (true flow, model flow)
  std::size_t particle_steps = 0;
  std::size_t min_block_steps = 0, max_block_steps = 0;  // accepted steps of the easiest and hardest block
};

// Its members for a shard file (core/row_codec.hpp).
template <class Io>
void fields(Io& io, MixtureResult& r) {
  io(r.w2, r.w2_coupling, r.w2_coupling_se, r.terms, r.p0, r.q0, r.particle_steps, r.min_block_steps,
     r.max_block_steps);
}

// The clouds come from particle_flow (w2/flow.hpp): blocks of sorted particle pairs, each under its own
// adaptive Dormand-Prince run at c.tol.
MixtureResult mixture_w2(const MixtureCase& c);

// Standard error of (mean of d_i^2)^1/2 by the delta method.
struct RootMeanSquare {
  double value, se;
};
RootMeanSquare root_mean_square(const std::vector<double>& a, const std::vector<double>& b);
double sorted_w2(std::vector<double> a, std::vector<double> b);

// The fraction of `values` in each of `bins` equal bins over [lo, hi), divided by the bin width.
std::vector<double> density_histogram(const std::vector<double>& values, double lo, double hi, unsigned bins);

}  // namespace w2
