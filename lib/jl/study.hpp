// The studies behind jl-entropy's subcommands: random Gaussian projections and the Johnson–Lindenstrauss
// dimension with the two tail lemmas behind it (kexue.fm/archives/8679; Dasgupta & Gupta, "An elementary
// proof of a theorem of Johnson and Lindenstrauss", 2003), the entropy argument n > 8.33 ln N
// (kexue.fm/archives/7695 and 8706), and entropy-invariant attention with its log_512 n scale
// (kexue.fm/archives/8823). Each study takes a config whose default member initialisers are the tool's
// defaults, checks it (InputError naming the option), and returns its rows with what the summary and the
// verdicts need; the tool formats them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "core/options.hpp"
#include "core/progress.hpp"
#include "core/sweep.hpp"
#include "jl/entropy.hpp"
#include "jl/projection.hpp"
#include "jl/tails.hpp"

namespace jl {

// The largest dimension (of points or of a projection) the options accept; memory is checked separately.
inline constexpr std::size_t max_dim = std::size_t{1} << 24;

// ---- project: distance distortion and inner-product error against the target dimension n ----
struct ProjectStudyConfig {
  std::size_t points = 200, dim = 1000;  // N Gaussian points in m dimensions (ignored with `input`)
  std::string input;                     // a CSV of vectors instead, one point per row ('-': stdin)
  ProjectConfig projection;              // target dimensions n, eps, seed, threads
};

struct ProjectStudyResult {
  std::vector<DistortionRow> rows;  // one per target dimension, in the order given
  std::size_t points = 0, dim = 0;  // N and m of the set projected
  double jl24 = 0;                  // 24 ln N/eps^2 for that N
};

// InputError naming --n for an empty list or a dimension outside [1, max_dim], --input for a bad CSV,
// --points/--dim/--n when the projection does not fit in memory. `tick` once per target dimension.
ProjectStudyResult project_study(const ProjectStudyConfig& c, const core::Tick& tick = {});
const std::vector<core::Column>& project_columns();

// ---- min-dim: the smallest n keeping every pair within eps ----
// "Far below the JL bound" (claim min_dim_far_below): every n_min is at most this fraction of 24 ln N/eps^2.
inline constexpr double far_below_fraction = 0.5;

struct MinDimStudyRow {
  MinDimRow search;
  double ln_n = 0;          // ln N
  double over_jl24 = 0;     // n_min / (24 ln N/eps^2)
  double c_fit_prediction;  // c ln N/eps^2 with the fitted c
};

struct MinDimStudyResult {
  std::vector<MinDimStudyRow> rows;
  double c = 0, c_se = 0;            // n_min ~ c ln N/eps^2 (min_dimension)
  double worst_over_jl24 = 0;        // the largest over_jl24
  bool far_below = true;             // worst_over_jl24 <= far_below_fraction
  double dasgupta_gupta_factor = 0;  // 4/(1/2 - eps/3), the constant of Dasgupta–Gupta's bound
};

// InputError naming --points, --eps, --delta, --dim or --trials for a bad config, --points/--dim/--n when a
// projection does not fit in memory. `tick` once per N. A sweep whose points are the N (min_dimension).
MinDimStudyResult min_dim_study(const MinDimConfig& c, const core::Tick& tick = {}, core::Sweep* sweep = nullptr);
const std::vector<core::Column>& min_dim_columns();

// ---- norm-tail and ortho-tail: the exact tails against Chernoff, the bounds and Monte Carlo ----
// The Monte Carlo band around the exact tail p after T draws: sigmas standard errors sqrt(p(1 - p)/T) plus
// one hit (1/T) of slack for tiny probabilities. The summary counts the rows inside mc_band_sigmas of them.
inline constexpr double mc_band_sigmas = 4;
double monte_carlo_band(double exact, std::size_t trials, double sigmas = mc_band_sigmas);
bool within_monte_carlo_band(const TailRow& row, std::size_t trials, double sigmas = mc_band_sigmas);

struct TailStudyResult {
  std::vector<TailRow> rows;      // tail_study's, n-major
  std::size_t failed_bounds = 0;  // rows whose bound_holds is false
  std::size_t within_band = 0;    // rows whose Monte Carlo estimate lies within the band
  bool bounds_hold = true;        // failed_bounds == 0 (published: holds; claims norm_bound, ortho_bound)
};

// norm-tail's and ortho-tail's options (--n, --eps, --trials), shared with the Python module.
void declare_options(core::Options& o, TailConfig& config);

// InputError naming --n (empty, or outside [1, 2^20]), --eps (empty, or outside (0, 1)) or --trials (0).
// `tick` once, when done. A sweep whose points are the blocks of Monte Carlo draws (tail_study).
TailStudyResult tail_bounds_study(const TailConfig& c, const core::Tick& tick = {}, core::Sweep* sweep = nullptr);
// The claim the tail's bound is published as: norm_bound or ortho_bound.
std::string_view tail_claim_key(TailKind kind);
const std::vector<core::Column>& tail_columns(TailKind kind);

// ---- entropy: attention entropy against n under the three scales, optionally with a needle ----
struct EntropyStudyConfig {
  EntropyConfig sweep;  // its needle_rho is set from `needle` and `rho`
  bool needle = false;  // replace key 0 by rho q + sqrt(1 - rho^2) z and report its attention mass
  double rho = 0.9;
};

struct EntropyStudyRow {
  EntropyRow row;
  double ln_n = 0;
  double needle_rho = 0;  // 0 without a needle
  EntropySlope fit;       // the fits over the grid of the row's scale
};

struct EntropyStudyResult {
  std::vector<EntropyStudyRow> rows;  // n-major, the three scales per n
  std::vector<EntropySlope> slopes;   // one per scale, in all_scales order
};

// InputError naming --log2-from or --min-queries when a range is reversed, and what entropy_sweep names.
// `tick` once per n. A sweep whose points are the n (entropy_sweep).
EntropyStudyResult entropy_study(const EntropyStudyConfig& c, const core::Tick& tick = {},
                                 core::Sweep* sweep = nullptr);
const std::vector<core::Column>& entropy_columns();

// ---- positions: the log n scale as deployed, per query position under a causal mask ----
// Query i of a causal sequence attends to keys 1 .. i. Three ways to scale it: 1/sqrt(d); the article's
// constant log_512(L)/sqrt(d) for the whole sequence of length L; and per position, as Qwen's logn attention
// does, max(1, log_T(i))/sqrt(d) with T the training length (512 here makes it the article's scale at n = i).
// Keys are i.i.d., so position i is the softmax over i keys: the entropy engine at n = i.
enum class PositionScale { inv_sqrt_d, constant, per_position };
inline constexpr PositionScale all_position_scales[] = {PositionScale::inv_sqrt_d, PositionScale::constant,
                                                        PositionScale::per_position};
// "inv_sqrt_d", "log512_L_over_sqrt_d", "max1_logT_i_over_sqrt_d"
std::string_view to_string(PositionScale s);

struct PositionsConfig {
  EntropyConfig sweep;        // positions i = 2^k for k = log2_from .. log2_to, the sequence length L = 2^log2_to
  double train_length = 512;  // T of the per-position scale
  bool needle = false;        // key 0 correlated with the query: does position i still find it?
  double rho = 0.9;
};

// λ at position i of a sequence of length L in d dimensions.
double position_scale(PositionScale s, double i, double length, double d, double train_length);

struct PositionRow {
  EntropyRow row;  // n = i keys
  PositionScale scale;
  double ln_i;
  double needle_rho;  // 0 without a needle
};

struct PositionsResult {
  std::size_t length;
  std::vector<PositionRow> rows;  // position-major, the three scales per position
};

// InputError as entropy_study's (ranges, --rho, memory and time) or for --train-length < 2. `tick` once per
// position. A sweep whose points are the positions i, one after another, each engine call using every
// thread (core/sweep.hpp: `sweep` shards or merges it).
PositionsResult positions_study(const PositionsConfig& c, const core::Tick& tick = {}, core::Sweep* sweep = nullptr);
const std::vector<core::Column>& positions_columns();

// ---- dims: the dimension formulas side by side ----
struct DimsConfig {
  std::vector<std::uint64_t> points{512, 100000, 5000000};  // numbers of points (tokens) N
  double eps = 0.1;                                         // of the JL bounds
  std::uint64_t d = 64;                                     // head size tuned at N = 512
};

struct DimsRow {
  std::uint64_t n = 0;
  double ln_n = 0, entropy833 = 0, jl24 = 0, jl16 = 0, dasgupta_gupta = 0, log512 = 0, d_log512 = 0;
};

// The claims holding the published 8.33 ln N figures, in the order of the summary's N = 512; 10^5; 5*10^6.
inline constexpr std::string_view dims_claim_keys[] = {"dim_512", "dim_1e5", "dim_5e6"};

// InputError naming --points (empty, or an N < 2) or --eps (outside (0, 1)).
std::vector<DimsRow> dims_study(const DimsConfig& c);
const std::vector<core::Column>& dims_columns();

}  // namespace jl
