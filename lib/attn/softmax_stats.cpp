// The CPU path of the softmax statistics engine (softmax_stats.hpp): an online max and running sums per
// row for several α in one pass, scores produced block by block (q·k as small GEMM tiles through Eigen,
// a tile of query rows against a block of keys stays in cache), OpenMP over tiles of rows. Block
// boundaries and the order of every sum are fixed by the data alone, so results do not depend on threads.
#include "attn/softmax_stats.hpp"

#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "core/errors.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"

#ifdef ATTN_CUDA
#include "attn/softmax_stats_cuda.hpp"
#endif

namespace attn {

namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix>;

// Query rows per tile: a tile's scores against one key block (rows x softmax_block doubles) and the
// key block itself (softmax_block x d) stay in L2 for d up to a few hundred.
constexpr std::size_t tile_rows = 16;

void check_alphas(std::span<const double> alphas) {
  if (alphas.empty()) throw core::InputError("alpha: at least one scale is needed");
  for (double a : alphas)
    if (!(a > 0) || !std::isfinite(a))
      throw core::InputError("alpha: expected a finite scale > 0, got " + std::to_string(a));
}

void check_batch(const ScoreBatch& b) {
  if (b.d < 1) throw core::InputError("d: expected d >= 1, got 0");
  if (b.n < 1) throw core::InputError("n: expected n >= 1, got 0");
  if (b.queries < 1) throw core::InputError("queries: expected at least one query row, got 0");
  if (b.needle_rho >= 0 && !(b.needle_rho <= 1))
    throw core::InputError("needle-rho: expected a value in [0, 1], got " + std::to_string(b.needle_rho));
  require_batch_memory(b, "n");
}

// One vector of d draws from the key/query distribution.
void draw_vector(core::Rng& rng, ScoreKind kind, std::span<double> v) {
  boost::random::normal_distribution<double> normal;
  for (double& x : v) x = normal(rng);
  if (kind == ScoreKind::cosine) {
    double norm2 = 0;
    for (double x : v) norm2 += x * x;
    const double inv = 1 / std::sqrt(norm2);
    for (double& x : v) x *= inv;
  }
}

double dot(const double* a, const double* b, std::size_t d) {
  double s = 0;
  for (std::size_t k = 0; k < d; ++k) s += a[k] * b[k];
  return s;
}

// Σ e^x, Σ x e^x, Σ e^(2x) over x_j = alpha (s_j − top) <= 0, in four interleaved partial sums
// (independent dependency chains for the pipeline) added in a fixed order: a run's digits never depend
// on threads.
void accumulate_block(const double* s, std::size_t m, double alpha, double top, double out[3]) {
  double t0[4] = {0, 0, 0, 0}, t1[4] = {0, 0, 0, 0}, t2[4] = {0, 0, 0, 0};
  std::size_t j = 0;
  for (; j + 4 <= m; j += 4)
    for (std::size_t l = 0; l < 4; ++l) {
      const double x = alpha * (s[j + l] - top), e = std::exp(x);
      t0[l] += e;
      t1[l] += x * e;
      t2[l] += e * e;
    }
  for (std::size_t l = 0; j < m; ++j, ++l) {
    const double x = alpha * (s[j] - top), e = std::exp(x);
    t0[l] += e;
    t1[l] += x * e;
    t2[l] += e * e;
  }
  out[0] = (t0[0] + t0[1]) + (t0[2] + t0[3]);
  out[1] = (t1[0] + t1[1]) + (t1[2] + t1[3]);
  out[2] = (t2[0] + t2[1]) + (t2[2] + t2[3]);
}

}  // namespace

SoftmaxAccumulator::SoftmaxAccumulator(std::span<const double> alphas)
    : alphas_(alphas.begin(), alphas.end()), s0_(alphas.size()), s1_(alphas.size()), s2_(alphas.size()) {
  check_alphas(alphas);
}

std::string_view to_string(ScoreKind k) {
  return k == ScoreKind::cosine ? "cosine" : "gaussian";
}

void require_batch_memory(const ScoreBatch& b, std::string_view what) {
  // A larger batch is bad input, not an allocation failure. (n + 2 queries) d: the keys, the queries and
  // room for the needle keys (counted with or without a needle).
  const double doubles = (static_cast<double>(b.n) + 2.0 * static_cast<double>(b.queries)) * static_cast<double>(b.d);
  core::require_memory(doubles * sizeof(double),
                       std::string(what) + ": memory for the draws of n = " + std::to_string(b.n) + " keys and " +
                           std::to_string(b.queries) + " queries in d = " + std::to_string(b.d));
}

void SoftmaxAccumulator::reset() {
  std::fill(s0_.begin(), s0_.end(), 0.0);
  std::fill(s1_.begin(), s1_.end(), 0.0);
  std::fill(s2_.begin(), s2_.end(), 0.0);
  chosen_.clear();
  max_ = sum_ = 0;
  count_ = 0;
}

void SoftmaxAccumulator::add(std::span<const double> scores) {
  if (scores.empty()) return;
  double block_max = scores[0], block_sum = 0;
  for (double s : scores) {
    if (!std::isfinite(s)) throw core::InputError("scores: expected finite scores, got " + std::to_string(s));
    block_max = std::max(block_max, s);
    block_sum += s;
  }
  sum_ += block_sum;
  if (count_ == 0) {
    max_ = block_max;
  } else if (block_max > max_) {
    for (std::size_t a = 0; a < alphas_.size(); ++a) {
      const double shift = alphas_[a] * (max_ - block_max);  // < 0: every earlier x moves down by it
      const double r = std::exp(shift);
      s1_[a] = r * (s1_[a] + shift * s0_[a]);
      s0_[a] *= r;
      s2_[a] *= r * r;
    }
    max_ = block_max;
  }
  count_ += scores.size();
  for (std::size_t a = 0; a < alphas_.size(); ++a) {
    double t[3];
    accumulate_block(scores.data(), scores.size(), alphas_[a], max_, t);
    s0_[a] += t[0];
    s1_[a] += t[1];
    s2_[a] += t[2];
  }
}

void SoftmaxAccumulator::finish(std::span<SoftmaxStats> out) const {
  if (count_ == 0) throw core::InputError("scores: a softmax row needs at least one score");
  for (std::size_t a = 0; a < alphas_.size(); ++a) {
    const double s0 = s0_[a];
    double mass = 0;
    for (double c : chosen_) mass += std::exp(alphas_[a] * (c - max_));
    SoftmaxStats& st = out[a];
    st.sum_p2 = s2_[a] / (s0 * s0);
    // H = -Σ p ln p = ln S0 - S1 / S0 (x <= 0, so no cancellation inside the sums).
    st.entropy = std::max(0.0, std::log(s0) - s1_[a] / s0);
    st.max_p = 1 / s0;
    st.mass = mass / s0;
    st.max_score = max_;
    st.mean_score = sum_ / static_cast<double>(count_);
  }
}

std::vector<SoftmaxStats> softmax_rows_stats(std::span<const double> scores, std::size_t n,
                                             std::span<const double> alphas, unsigned threads) {
  if (n == 0 || scores.size() % n != 0)
    throw core::InputError("scores: expected rows of " + std::to_string(n) + " scores, got " +
                           std::to_string(scores.size()) + " in all");
  const std::size_t rows = scores.size() / n, k = alphas.size();
  std::vector<SoftmaxStats> out(rows * k);
  core::parallel_map(rows, threads, [&](std::size_t i) {
    softmax_row_stats(scores.subspan(i * n, n), alphas, {}, std::span(out).subspan(i * k, k));
    return true;
  });
  return out;
}

void softmax_row_stats(std::span<const double> scores, std::span<const double> alphas,
                       std::span<const std::size_t> chosen, std::span<SoftmaxStats> out) {
  if (scores.empty()) throw core::InputError("scores: a softmax row needs at least one score");
  if (out.size() != alphas.size()) throw core::InputError("softmax_row_stats: out and alphas differ in length");
  SoftmaxAccumulator acc(alphas);
  for (std::size_t j = 0; j < scores.size(); j += softmax_block)
    acc.add(scores.subspan(j, std::min(softmax_block, scores.size() - j)));
  for (std::size_t c : chosen) {
    if (c >= scores.size())
      throw core::InputError("chosen: index " + std::to_string(c) + " is outside the row of " +
                             std::to_string(scores.size()) + " scores");
    acc.add_chosen(scores[c]);
  }
  acc.finish(out);
}

BatchDraws draw_batch(const ScoreBatch& batch) {
  check_batch(batch);
  const std::size_t d = batch.d;
  BatchDraws draws;
  draws.keys.resize(batch.n * d);
  draws.queries.resize(batch.queries * d);
  core::Rng rng = core::rng_stream(batch.seed, batch.stream);
  for (std::size_t j = 0; j < batch.n; ++j) draw_vector(rng, batch.kind, {draws.keys.data() + j * d, d});
  for (std::size_t i = 0; i < batch.queries; ++i) draw_vector(rng, batch.kind, {draws.queries.data() + i * d, d});
  if (batch.needle_rho >= 0) {
    draws.needle_keys.resize(batch.queries * d);
    const double rho = batch.needle_rho, rest = std::sqrt(1 - rho * rho);
    for (std::size_t i = 0; i < batch.queries; ++i) {
      std::span<double> key{draws.needle_keys.data() + i * d, d};
      draw_vector(rng, batch.kind, key);
      const double* q = draws.queries.data() + i * d;
      for (std::size_t k = 0; k < d; ++k) key[k] = rho * q[k] + rest * key[k];
      if (batch.kind == ScoreKind::cosine) {
        const double norm = std::sqrt(dot(key.data(), key.data(), d));
        for (double& x : key) x /= norm;
      }
    }
  }
  return draws;
}

namespace {

std::vector<SoftmaxStats> softmax_stats_cpu(const ScoreBatch& batch, const BatchDraws& draws,
                                            std::span<const double> alphas, unsigned threads) {
  const std::size_t d = batch.d, n = batch.n, rows = batch.queries, na = alphas.size();
  const bool needle = !draws.needle_keys.empty();
  std::vector<SoftmaxStats> result(rows * na);
  const std::size_t tiles = (rows + tile_rows - 1) / tile_rows;
  const ConstMap keys(draws.keys.data(), static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
#pragma omp parallel num_threads(std::max(1u, threads))
  {
    std::vector<SoftmaxAccumulator> acc(tile_rows, SoftmaxAccumulator(alphas));
    RowMatrix scores;
#pragma omp for schedule(dynamic, 1)
    for (std::size_t t = 0; t < tiles; ++t) {
      const std::size_t r0 = t * tile_rows, tr = std::min(tile_rows, rows - r0);
      const ConstMap q(draws.queries.data() + r0 * d, static_cast<Eigen::Index>(tr), static_cast<Eigen::Index>(d));
      for (std::size_t r = 0; r < tr; ++r) acc[r].reset();
      for (std::size_t j0 = 0; j0 < n; j0 += softmax_block) {
        const std::size_t bn = std::min(softmax_block, n - j0);
        scores.noalias() =
            q * keys.middleRows(static_cast<Eigen::Index>(j0), static_cast<Eigen::Index>(bn)).transpose();
        for (std::size_t r = 0; r < tr; ++r) {
          double* row = scores.data() + r * bn;
          if (needle && j0 == 0) {
            row[0] = dot(draws.queries.data() + (r0 + r) * d, draws.needle_keys.data() + (r0 + r) * d, d);
            acc[r].add_chosen(row[0]);
          }
          acc[r].add({row, bn});
        }
      }
      for (std::size_t r = 0; r < tr; ++r) acc[r].finish({result.data() + (r0 + r) * na, na});
    }
  }
  return result;
}

}  // namespace

std::vector<SoftmaxStats> softmax_stats(const ScoreBatch& batch, std::span<const double> alphas, unsigned threads,
                                        core::Device device) {
  check_alphas(alphas);
  return softmax_stats(batch, draw_batch(batch), alphas, threads, device);
}

std::vector<SoftmaxStats> softmax_stats(const ScoreBatch& batch, const BatchDraws& draws,
                                        std::span<const double> alphas, unsigned threads, core::Device device) {
  check_alphas(alphas);
  check_batch(batch);
  if (draws.keys.size() != batch.n * batch.d || draws.queries.size() != batch.queries * batch.d ||
      draws.needle_keys.size() != (batch.needle_rho >= 0 ? batch.queries * batch.d : 0))
    throw core::InputError("softmax_stats: the draws do not match the batch");
  if (device == core::Device::cuda) {
#ifdef ATTN_CUDA
    std::vector<double> flat(batch.queries * alphas.size() * cuda::stats_fields);
    cuda::softmax_stats(draws.keys.data(), draws.queries.data(),
                        draws.needle_keys.empty() ? nullptr : draws.needle_keys.data(), batch.n, batch.d, batch.queries,
                        alphas.data(), alphas.size(), flat.data());
    std::vector<SoftmaxStats> result(batch.queries * alphas.size());
    for (std::size_t i = 0; i < result.size(); ++i) {
      const double* f = flat.data() + i * cuda::stats_fields;
      result[i] = {f[0], f[1], f[2], f[3], f[4], f[5]};
    }
    return result;
#else
    throw core::InputError("--device: cuda: this attn-sweep was built without CUDA (SUITE_CUDA=OFF)");
#endif
  }
  return softmax_stats_cpu(batch, draws, alphas, threads);
}

}  // namespace attn
