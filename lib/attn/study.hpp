// The studies of attn-sweep scale, sparsity, noise and stats as library calls (Su Jianlin,
// kexue.fm/archives/9812, 9889, 9593): one function per subcommand, taking its config (whose default member
// initialisers are the subcommand's defaults) and returning its rows and everything its summary and
// verdict need; the tool writes the rows, the claims read the figures. Every grid point draws from
// core::rng_stream(seed, its index), so rows do not depend on threads or on which other points ran.
// scale, sparsity and noise are sweeps (core/sweep.hpp): each maps one grid of points through
// core::sweep_map, so that `sweep` (a shard's or a merge's, nullptr for the whole run here) splits it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attn/noise.hpp"
#include "attn/scale.hpp"
#include "attn/softmax_stats.hpp"
#include "attn/sparsity.hpp"
#include "core/claims.hpp"
#include "core/csv.hpp"
#include "core/device.hpp"
#include "core/fit.hpp"
#include "core/progress.hpp"
#include "core/sweep.hpp"

namespace attn {

inline constexpr double no_value = std::numeric_limits<double>::quiet_NaN();  // nan: a cell with no value

// InputError "--d: expected an even d >= 2, got D" (the tool's rule for scale and stats).
void require_even_d(std::size_t d);

// ---- scale ----
struct ScaleConfig {
  std::size_t d = 128;
  std::size_t n_step = 40, n_count = 500;  // n = n_step * (1 .. n_count)
  std::size_t mc_every = 100;              // Monte Carlo at k = 1 and every multiple of mc_every (0: none)
  std::size_t mc_rows = 400;
  std::uint64_t seed = 1;
  unsigned threads = 1;
  core::Device device = core::Device::cpu;
};

// The Monte Carlo figures of one n (no_value where no Monte Carlo ran).
struct ScaleMcFigures {
  double alpha_max = no_value, alpha_max_se = no_value;
  double interior = no_value;  // 1: the argmax lies inside the scanned range, 0: at its top
  double alpha_95 = no_value, alpha_95_se = no_value;
  double gradient_at_approx = no_value, sum_p2_at_approx = no_value;  // at the approximation's α*
};

struct ScaleRow {
  ScoreModel model;
  std::size_t n;
  ScaleOptimum approx;
  double sum_p2_approx;  // the approximation's Σ p² at approx.alpha
  std::optional<McScaleCurve> mc;
  ScaleMcFigures mc_figures;
};

struct ScaleLawFit {
  ScoreModel model;
  OriginFit approx;                 // α* ≈ c x over every n
  std::optional<OriginFit> mc_max;  // the Monte Carlo argmax over the Monte Carlo n
  std::optional<OriginFit> mc_95;   // the Monte Carlo 95%-of-maximum scale
  double c_mc_95 = no_value;        // mc_95->c
  const core::Claim* claim;         // the published constant (scale_c1, scale_c2)
};

// One scale of the exact objective's scan at a Monte Carlo n (scale --curves).
struct ScaleCurvePoint {
  ScoreModel model;
  std::size_t n;
  double alpha, alpha_over_approx;  // alpha / α* of the approximation
  double gradient_mc, gradient_mc_se, gradient_approx, sum_p2_mc, sum_p2_approx;
};

struct ScaleStudy {
  std::vector<ScaleRow> rows;  // normal rows, then cosine rows, n ascending
  std::vector<ScaleLawFit> fits;
  std::vector<ScaleCurvePoint> curves;  // every Monte Carlo n's scan, in row order
  const ScaleLawFit& fit(ScoreModel model) const;
};

std::size_t scale_points(const ScaleConfig& c);
// The run's seconds on this machine (an estimate, checked by bench/estimates_*.py); the study refuses a
// run above core::require_time's limit before any work.
double scale_estimated_seconds(const ScaleConfig& c);
// The sweep's points are the Monte Carlo n of both models, normal then cosine (row order); the mean-field
// approximation at every n (microseconds each) is computed before the map, in every shard.
ScaleStudy scale_study(const ScaleConfig& c, const core::Tick& tick, core::Sweep* sweep = nullptr);
const std::vector<core::Column>& scale_columns();
const std::vector<core::Column>& scale_curve_columns();  // with --curves

// ---- sparsity ----
// The longest linear RNN sparsity sums directly (O(n) each: about a second at 10^8).
inline constexpr std::size_t max_rnn_length = 100000000;

struct SparsityConfig {
  std::vector<double> betas{-2, -1, 0, 1, 2};
  std::vector<double> gammas{0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1, 1.125, 1.25};
  std::vector<double> lambdas{0.5, 0.9, 0.99};
  std::vector<std::size_t> rnn_n{2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000};
  std::size_t samples = 200000;  // Monte Carlo keys per point
  std::uint64_t seed = 1;
  unsigned threads = 1;
};

struct SparsityRow {
  std::string kernel;                        // exp, identity, relu2, positive_linear, linear_rnn
  double beta = no_value, gamma = no_value;  // the kernels'
  double lambda = no_value;                  // linear_rnn's
  std::size_t n = 0;                         // samples (kernels) or sequence length (linear_rnn)
  double closed_form = 0;
  double estimate = 0;  // Monte Carlo (kernels) or the direct finite sum (linear_rnn)
  double se = 0;        // 0 for the direct sum
  double z = no_value;  // (estimate − closed_form) / se where se > 0
  // The delta-method se needs E a⁴; for exp and positive_linear that is ∝ e^(8γ²), and below that many
  // samples the sample rarely holds the tail that dominates it, so the se (and z) is not trusted.
  bool se_reliable = true;
  double quadrature = 0;  // exp, identity, relu2; the closed form itself elsewhere
  // The measures people use beside S (sparsity.hpp): the fraction of keys holding 95% of the mass and the Gini
  // index, each in closed form (nan where none), by quadrature (nan for positive_linear) and Monte Carlo. For
  // linear_rnn the closed forms at its finite n, quadrature = the closed form, the estimate its direct sums.
  double mass95_closed_form = no_value, mass95_quadrature = no_value, mass95_estimate = no_value, mass95_se = 0;
  double gini_closed_form = no_value, gini_quadrature = no_value, gini_estimate = no_value, gini_se = 0;
  // The finish's: the rank (1 = sparsest) of this kernel among the four at its (beta, gamma) by S, mass95 and
  // the Gini index: 1 + the kernels decidedly sparser (rank_sparsity); 0 for linear_rnn.
  int rank_s = 0, rank_mass95 = 0, rank_gini = 0;

  double mass95_value() const;  // the closed form, else the quadrature, else the Monte Carlo estimate
  double gini_value() const;
};

// Its members for a shard file (core/row_codec.hpp).
template <class Io>
void fields(Io& io, SparsityRow& r) {
  io(r.kernel, r.beta, r.gamma, r.lambda, r.n, r.closed_form, r.estimate, r.se, r.z, r.se_reliable, r.quadrature,
     r.mass95_closed_form, r.mass95_quadrature, r.mass95_estimate, r.mass95_se, r.gini_closed_form,
     r.gini_quadrature, r.gini_estimate, r.gini_se, r.rank_s, r.rank_mass95, r.rank_gini);
}

// How S, mass95 and the Gini index rank the four kernels (exp, identity, relu2, positive_linear) over the
// (beta, gamma) points.
struct SparsityRanking {
  std::size_t points = 0;
  std::size_t same_order = 0;     // points where the three measures give the same ranks
  std::size_t same_sparsest = 0;  // points where they agree on which kernel is sparsest
  std::vector<std::array<std::size_t, 3>> sparsest;  // per kernel: the points where S, mass95, Gini rank it first
};

struct SparsityStudy {
  std::vector<SparsityRow> rows;
  double max_abs_z = 0;         // over the rows with a finite z and a reliable se
  std::size_t beyond_band = 0;  // of those, how many lie beyond mc_agreement_se
  // The same tally for mass95 and the Gini index: (estimate - closed form, else quadrature) / se over the rows
  // with a reliable se.
  double max_abs_z_mass95 = 0, max_abs_z_gini = 0;
  std::size_t beyond_band_mass95 = 0, beyond_band_gini = 0;
  double max_quadrature_gap = 0;  // the largest relative |quadrature - closed form| of mass95 and Gini
  SparsityRanking ranking;
};

// Kernels whose measure differs by at most this many standard errors of a Monte Carlo difference share a rank.
inline constexpr double rank_tie_se = 2;
// The four kernels' ranks at each (beta, gamma) of kernel-major rows (as sparsity_study writes them), set in place.
SparsityRanking rank_sparsity(std::vector<SparsityRow>& rows, std::size_t betas, std::size_t gammas);
// The kernels of rank_sparsity, in its order.
inline constexpr std::array<std::string_view, 4> ranked_kernels{"exp", "identity", "relu2", "positive_linear"};

std::size_t sparsity_points(const SparsityConfig& c);
// The run's seconds on this machine (an estimate, checked by bench/estimates_*.py); the study refuses a
// run above core::require_time's limit before any work.
double sparsity_estimated_seconds(const SparsityConfig& c);
// The sweep's points are the rows: every (kernel, beta, gamma), then every (lambda, RNN length).
SparsityStudy sparsity_study(const SparsityConfig& c, const core::Tick& tick, core::Sweep* sweep = nullptr);
const std::vector<core::Column>& sparsity_columns();

// ---- noise ----
struct NoiseConfig {
  std::vector<std::size_t> ns{16, 64, 256, 1024, 4096, 16384};
  std::size_t fit_from = 256;  // fit the decay on n >= fit_from
  std::vector<double> sigmas{0.1, 0.5, 1, 2};
  std::vector<std::size_t> floor_ns{2, 5, 10, 50, 200, 1000};
  std::size_t floor_starts = 20;
  bool floor_only = false;  // the entropy floor alone, without the noise grid
  NoiseSettings settings;   // dv, trials, seed (stream and threads set per point)
  unsigned threads = 1;
};

struct NoiseRow {
  std::size_t n;
  double sigma;
  NoiseError error;
  double rms_asymptote;   // noise_rms_asymptote(n, sigma, dv)
  core::PowerLawFit fit;  // this sigma's ‖õ − o‖ ~ n^k (no_value with fewer than 3 n >= fit_from)
};

struct NoiseStudy {
  std::vector<NoiseRow> rows;
  std::vector<std::pair<double, core::PowerLawFit>> fits;  // per sigma with a fit
  std::vector<EntropyFloor> floors;
  double gap_limit;
};

std::size_t noise_points(const NoiseConfig& c);
// The run's seconds on this machine (an estimate, checked by bench/estimates_*.py); the study refuses a
// run above core::require_time's limit before any work.
double noise_estimated_seconds(const NoiseConfig& c);
// The sweep's points are the noise grid's (sigma, n), sigma-major; the entropy floor (milliseconds at the
// defaults) follows the map, in the finish. With floor_only there is no noise grid, and the points are
// the floor's n.
NoiseStudy noise_study(const NoiseConfig& c, const core::Tick& tick, core::Sweep* sweep = nullptr);
const std::vector<core::Column>& noise_columns();
const std::vector<core::Column>& entropy_floor_columns();  // with --floor

// ---- stats: the engine on one batch ----
struct StatsConfig {
  ScoreKind kind = ScoreKind::cosine;
  std::size_t d = 128, n = 4096, queries = 256;
  std::vector<double> alphas{1, 2, 4, 8, 16, 32};
  double needle_rho = -1;  // -1: no needle
  std::uint64_t seed = 1;
  unsigned threads = 1;
  core::Device device = core::Device::cpu;
};

struct StatsStudy {
  BatchDraws draws;
  std::vector<SoftmaxStats> stats;  // [row * alphas.size() + a]
  double engine_seconds;            // the statistics alone, draws excluded
  double scores_per_second, gemm_gflops, exp_per_second;
};

// stats' options (--kind, --d, --n, --queries, --alphas, --needle-rho), shared with the Python module.
void declare_options(core::Options& o, StatsConfig& config);

// The run's seconds on this machine (an estimate, checked by bench/estimates_*.py); the study refuses a
// run above core::require_time's limit before any work.
double stats_estimated_seconds(const StatsConfig& c);
StatsStudy stats_study(const StatsConfig& c);
const std::vector<core::Column>& stats_columns();

}  // namespace attn
