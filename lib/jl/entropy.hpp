// Entropy-invariant attention (kexue.fm/archives/8823, 2021-12-21): the entropy of a_j ∝ exp(λ q·k_j)
// over n keys grows like ln n at a fixed scale; the mean-field estimate H ≈ ln n − λ(s_max − s̄) suggests
// λ ∝ ln n, i.e. λ = κ ln n/d, or, tuned to equal 1/√d at n = 512, λ = log_512(n)/√d. Here: the entropy
// against n for the three scales, its fitted slope dH/d ln n, and a needle (one key correlated with the
// query) whose attention mass should not fade under the log n scale. The softmax statistics come from the
// shared engine of lib/attn (attn/softmax_stats.hpp), never from a second implementation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "core/device.hpp"
#include "core/sweep.hpp"

namespace jl {

enum class Scale { inv_sqrt_d, log512, kappa_log };
inline constexpr Scale all_scales[] = {Scale::inv_sqrt_d, Scale::log512, Scale::kappa_log};
std::string_view to_string(Scale s);  // "inv_sqrt_d", "log512_n_over_sqrt_d", "kappa_ln_n_over_d"

// λ for n keys in d dimensions: 1/√d, log_512(n)/√d, κ ln n/d.
double softmax_scale(Scale s, double n, double d, double kappa);

struct EntropyConfig {
  std::size_t d = 64;
  unsigned log2_from = 4, log2_to = 20;     // n = 2^k keys, k = from .. to
  std::size_t work = std::size_t{1} << 24;  // queries per n = clamp(work / n, min_queries, max_queries)
  std::size_t min_queries = 64, max_queries = 4096;
  double kappa = 1.0;
  double needle_rho = -1;  // < 0: no needle; otherwise key 0 is rho·q + sqrt(1 − rho²)·z
  std::uint64_t seed = 1;
  unsigned threads = 1;
  core::Device device = core::Device::cpu;

  std::size_t queries(std::size_t n) const;
  std::vector<std::size_t> keys() const;  // the grid of n
};

struct EntropyRow {
  std::size_t n = 0;
  Scale scale = Scale::inv_sqrt_d;
  double lambda = 0;
  std::size_t queries = 0;
  double entropy_mean = 0, entropy_sd = 0;  // over the queries
  double entropy_over_ln_n = 0;
  double meanfield_mean = 0;  // mean of ln n − λ(s_max − s̄)
  double max_p_mean = 0;
  double needle_mass_mean = 0, needle_mass_sd = 0;  // 0 without a needle
};

// Its members for a shard file (core/row_codec.hpp).
template <class Io>
void fields(Io& io, EntropyRow& r) {
  io(r.n, r.scale, r.lambda, r.queries, r.entropy_mean, r.entropy_sd, r.entropy_over_ln_n, r.meanfield_mean,
     r.max_p_mean, r.needle_mass_mean, r.needle_mass_sd);
}

struct EntropySlope {
  Scale scale = Scale::inv_sqrt_d;
  double slope = 0, slope_se = 0;  // dH/d ln n by least squares over the grid (gsl_fit_linear)
  double meanfield_slope = 0;      // the same fit of the mean-field estimate
  double needle_slope = 0;         // d ln(mass)/d ln n (0 without a needle)
};

struct EntropyResult {
  std::vector<EntropyRow> rows;  // n-major, the three scales per n
  std::vector<EntropySlope> slopes;
};

// The softmax statistics of c.queries(n) queries over n keys (stream `stream` of c.seed; the needle as
// c.needle_rho says) at each scale of `alphas`, one engine call: a row per scale, in that order, whose
// `scale` member the caller sets.
std::vector<EntropyRow> entropy_at(const EntropyConfig& c, std::size_t n, std::size_t stream,
                                   std::span<const double> alphas);

// One engine call per n (the three scales in one pass), stream = the index of n in the grid. A sweep whose
// points are the n of the grid, one after another, each using every thread (core/sweep.hpp: `sweep` shards
// or merges it); the slopes are its finish.
EntropyResult entropy_sweep(const EntropyConfig& config, const std::function<void()>& on_point = {},
                            core::Sweep* sweep = nullptr);

// entropy_sweep's run time on this machine (CPU), for core::require_time: per n, the (n + 2 queries) d
// Gaussian draws (one stream) and queries × n scores of d multiply-adds with three softmax scales each
// (over the threads).
double estimated_seconds(const EntropyConfig& config);

}  // namespace jl
