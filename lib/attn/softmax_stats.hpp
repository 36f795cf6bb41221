// The softmax statistics engine (shared by attn-sweep and jl-entropy entropy; the statistics Su Jianlin's
// kexue.fm/archives/9812 and 9593 reason about).
// For rows of scores s_j and scales α > 0, the statistics of p_j = exp(α s_j) / Σ_k exp(α s_k):
// Σ p², entropy, max p and the mass on chosen indices, streamed with an online max and running sums
// (never an n×n matrix, never a stored row of exponentials), for several α in one pass over the scores.
// Scores are either given or generated as q·k from the seeded per-point streams of lib/core; a CUDA
// path computes the same statistics from the same draws (attn-sweep's --device).
//
// THE INTERFACE IS FIXED: attn-sweep (lib/attn) implements it, jl-entropy (lib/jl) calls it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/device.hpp"

namespace attn {

// Statistics of one softmax row at one scale.
struct SoftmaxStats {
  double sum_p2 = 0;      // Σ_j p_j²
  double entropy = 0;     // −Σ_j p_j ln p_j  (natural log)
  double max_p = 0;       // max_j p_j
  double mass = 0;        // Σ p_j over the chosen indices (ScoreBatch::needle: index 0); 0 when none
  double max_score = 0;   // max_j s_j    (independent of α; for mean-field estimates)
  double mean_score = 0;  // (1/n) Σ_j s_j
};

// One row of given scores at each alphas[a] > 0; out.size() == alphas.size(). `chosen` lists the indices
// whose total probability is reported as `mass`.
void softmax_row_stats(std::span<const double> scores, std::span<const double> alphas,
                       std::span<const std::size_t> chosen, std::span<SoftmaxStats> out);

// Every row of a row-major (scores.size() / n) x n matrix of given scores at each alphas[a] > 0:
// result[i * alphas.size() + a] (no chosen indices: mass 0). Rows run on `threads`; the result does not
// depend on them. InputError when n is 0 or does not divide the number of scores.
std::vector<SoftmaxStats> softmax_rows_stats(std::span<const double> scores, std::size_t n,
                                             std::span<const double> alphas, unsigned threads);

enum class ScoreKind {
  gaussian,  // q, k ~ N(0, I_d); s_j = q·k_j, not divided by √d (α carries every scale)
  cosine,    // q, k uniform on the unit sphere S^(d-1); s_j = q·k_j in [-1, 1]
};
std::string_view to_string(ScoreKind k);  // "gaussian", "cosine"
inline constexpr std::array<ScoreKind, 2> score_kinds{ScoreKind::gaussian, ScoreKind::cosine};

// `queries` rows of scores against the same n keys in d dimensions, all drawn from the stream
// core::rng_stream(seed, stream) (the grid point's stream), so a row depends on (seed, stream, its index)
// alone, never on threads or device.
struct ScoreBatch {
  ScoreKind kind = ScoreKind::gaussian;
  std::size_t d = 64;
  std::size_t n = 1024;  // keys per row (n >= 1)
  std::size_t queries = 64;
  // Needle variant: when needle_rho is set (in [0, 1]), key 0 of row i is replaced, for that row only, by
  // rho·q_i + sqrt(1 − rho²)·z_i with z_i a fresh draw of the key distribution (renormalised for cosine),
  // and SoftmaxStats::mass is p_0. When negative (the default) there is no needle and mass is 0.
  double needle_rho = -1;
  std::uint64_t seed = 1;
  std::uint64_t stream = 0;
};

// Statistics for every query row and scale: result[i * alphas.size() + a]. Throws core::InputError for
// d < 1, n < 1, queries < 1, α <= 0 or a batch that would not fit in memory; device cuda without a usable
// device is an InputError (core::resolve_device decides earlier in a tool). The CPU result does not depend
// on `threads`; the CUDA result agrees with it to the tolerance stated and tested in lib/attn.
std::vector<SoftmaxStats> softmax_stats(const ScoreBatch& batch, std::span<const double> alphas, unsigned threads,
                                        core::Device device = core::Device::cpu);

// The lower-level streaming accumulator behind both functions above, for callers that produce their own
// scores (attn-sweep scale's i.i.d. normal rows): feed one row's scores in blocks
// of any size, in order; the statistics depend on the scores and the block boundaries alone. The running
// max is shared by every α > 0 (the max of α s is α max s), so a block that raises it rescales each α's
// sums once: S0 = Σ e^x, S1 = Σ x e^x, S2 = Σ e^(2x) with x = α (s − max).
class SoftmaxAccumulator {
 public:
  explicit SoftmaxAccumulator(std::span<const double> alphas);
  void reset();
  void add(std::span<const double> scores);
  // A score whose probability counts towards `mass` (it must also be fed through add()).
  void add_chosen(double score) { chosen_.push_back(score); }
  std::size_t count() const { return count_; }
  // out.size() == alphas.size(); needs count() >= 1.
  void finish(std::span<SoftmaxStats> out) const;

 private:
  std::vector<double> alphas_;
  std::vector<double> s0_, s1_, s2_;
  std::vector<double> chosen_;
  double max_ = 0, sum_ = 0;
  std::size_t count_ = 0;
};

// The draws behind a ScoreBatch, in the order they leave core::rng_stream(seed, stream): the n keys, then
// the query rows, then (needle variant only) one fresh key z_i per row, each a vector of d normals
// (Boost.Random's normal_distribution), normalised for cosine. Row-major; needle_keys holds the replaced
// key 0 of each row (empty without a needle). softmax_stats() uses exactly these; exposed for the CUDA
// path, the benchmark's peers and tests.
struct BatchDraws {
  std::vector<double> keys;         // n x d
  std::vector<double> queries;      // queries x d
  std::vector<double> needle_keys;  // queries x d, or empty
};
BatchDraws draw_batch(const ScoreBatch& batch);

// The one memory check of a batch: its draws, (n + 2 queries) d doubles, against core::require_memory
// (InputError "WHAT: memory for the draws of ..."). draw_batch and softmax_stats call it with WHAT = "n";
// callers that know the option behind the size call it first with that option's name.
void require_batch_memory(const ScoreBatch& batch, std::string_view what);

// softmax_stats() on draws already made by draw_batch(batch) (timing the statistics alone).
std::vector<SoftmaxStats> softmax_stats(const ScoreBatch& batch, const BatchDraws& draws,
                                        std::span<const double> alphas, unsigned threads,
                                        core::Device device = core::Device::cpu);

// Scores per block in the engine (the block boundaries fix the summation order, hence the digits).
inline constexpr std::size_t softmax_block = 256;

// The tolerance between the CUDA and CPU paths (relative, on each statistic; absolute below 1e-300):
// both run in double, they differ only in summation order.
inline constexpr double cuda_cpu_tolerance = 1e-9;

}  // namespace attn
