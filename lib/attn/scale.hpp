// The softmax scale that maximises the gradient (Su Jianlin, kexue.fm/archives/9812, 2023, "the
// attention scale from gradient maximisation"). The Jacobian of p = softmax(α s) has entry-wise
// L1 norm / 2 equal to α (1 − Σ p_i²); with Σ p_i² ≈ E[e^(2αs)] / (n E[e^(αs)]²) that is
//   normal scores s ~ N(0, 1):        α (1 − e^(α²) / n)
//   cosine scores (unit q, k in d):   α (1 − M(2α) / (n M(α)²)),  M(α) = E[e^(αs)] = Γ(d/2) (2/α)^(d/2−1) I_(d/2−1)(α).
// α*(n) maximises it; the published fits are α* ≈ 0.84 √(ln n) (normal) and α* ≈ 3.5 ln n (cosine, d = 128).
// The exact counterpart maximises the Monte Carlo mean of α (1 − Σ p²) over sampled rows on the engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/device.hpp"

namespace attn {

enum class ScoreModel { normal, cosine };
std::string_view to_string(ScoreModel m);

// ln M(α) for cosine scores in d >= 2 dimensions: ln ₀F₁(; d/2; α²/4), the Bessel function with its power
// and Gamma factors divided out (it never underflows at large d), and past Boost's overflow the
// exponentially scaled I_ν from GSL (no overflow at large α).
double log_cosine_mgf(double alpha, std::size_t d);

// The mean-field estimate of Σ p² at scale α for n scores (d is used by the cosine model only).
double approx_sum_p2(ScoreModel model, double alpha, double n, std::size_t d);

struct ScaleOptimum {
  double alpha;     // the maximiser α*
  double gradient;  // α* (1 − Σ p²) there
};

// Maximises α (1 − approx_sum_p2) over α > 0 with Boost's Brent minimiser (n >= 2).
ScaleOptimum approx_optimal_scale(ScoreModel model, double n, std::size_t d);

struct McScaleSettings {
  std::size_t rows = 400;   // sampled softmax rows (queries) per n
  std::size_t groups = 10;  // jackknife groups of rows for the error bars
  std::uint64_t seed = 1;
  std::uint64_t stream = 0;  // the grid point's index
  unsigned threads = 1;
  core::Device device = core::Device::cpu;  // the engine's device (cosine rows)
};

// The exact objective on a geometric grid of scales, guess / 4 .. 16 guess (mc_scale_points of them,
// guess itself at index mc_guess_index), one pass over the samples for every scale.
inline constexpr std::size_t mc_scale_points = 31;
inline constexpr std::size_t mc_guess_index = 10;

struct McScaleCurve {
  std::vector<double> alphas;
  std::vector<double> gradient;     // sample mean of α (1 − Σ p²) at each scale
  std::vector<double> gradient_se;  // its standard error over rows
  std::vector<double> sum_p2;       // sample mean of Σ p²
  double alpha_max;                 // argmax of the sample mean (a parabola through the best grid scales)
  double alpha_max_se;              // jackknife standard error over row groups
  bool interior;                    // the maximum lies inside the grid (not on its top two scales)
  double alpha_95;                  // the smallest scale where the mean reaches 95% of its maximum on the grid
  double alpha_95_se;               // jackknife standard error
};

// Its members for a shard file (core/row_codec.hpp): a Monte Carlo n is a point of scale's sweep.
template <class Io>
void fields(Io& io, McScaleCurve& c) {
  io(c.alphas, c.gradient, c.gradient_se, c.sum_p2, c.alpha_max, c.alpha_max_se, c.interior, c.alpha_95, c.alpha_95_se);
}

// The exact optimum: rows of n scores (i.i.d. N(0, 1) for normal; q·k of unit vectors in d dimensions
// through the engine for cosine), the same samples at every α.
McScaleCurve mc_scale_curve(ScoreModel model, std::size_t n, std::size_t d, double guess,
                            const McScaleSettings& settings);

// Least squares through the origin, y ≈ c x, with the standard error of c.
struct OriginFit {
  double c;
  double c_se;
  std::size_t points;
};
OriginFit fit_through_origin(std::span<const double> x, std::span<const double> y);

// The regressor of each model's published law: √(ln n) (normal), ln n (cosine).
double scale_law_regressor(ScoreModel model, double n);

}  // namespace attn
