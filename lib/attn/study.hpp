// The sweeps of attn-sweep scale, sparsity and noise as library calls (the tool writes their rows, the
// claims read their figures): every grid point draws from core::rng_stream(seed, its index), so rows do
// not depend on threads or on which other points ran.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "attn/noise.hpp"
#include "attn/scale.hpp"
#include "attn/sparsity.hpp"
#include "core/fit.hpp"

namespace attn {

using Tick = std::function<void()>;  // one grid point done (progress)

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

struct ScaleRow {
  ScoreModel model;
  std::size_t n;
  ScaleOptimum approx;
  std::optional<McScaleCurve> mc;
};

struct ScaleLawFit {
  ScoreModel model;
  OriginFit approx;                 // α* ≈ c x over every n
  std::optional<OriginFit> mc_max;  // the Monte Carlo argmax over the Monte Carlo n
  std::optional<OriginFit> mc_95;   // the Monte Carlo 95%-of-maximum scale
};

struct ScaleStudy {
  std::vector<ScaleRow> rows;  // normal rows, then cosine rows, n ascending
  std::vector<ScaleLawFit> fits;
};

std::size_t scale_points(const ScaleConfig& c);
ScaleStudy scale_study(const ScaleConfig& c, const Tick& tick);

// ---- sparsity ----
struct SparsityConfig {
  std::vector<double> betas{-2, -1, 0, 1, 2};
  std::vector<double> gammas{0.25, 0.5, 0.75, 1, 1.25};
  std::vector<double> lambdas{0.5, 0.9, 0.99};
  std::vector<std::size_t> rnn_n{1, 10, 100, 1000, 10000};
  std::size_t samples = 200000;  // Monte Carlo keys per point
  std::uint64_t seed = 1;
  unsigned threads = 1;
};

struct SparsityRow {
  std::string kernel;  // exp, identity, relu2, positive_linear, linear_rnn
  double beta = 0, gamma = 0, lambda = 0;
  std::size_t n = 0;  // samples (kernels) or sequence length (linear_rnn)
  double closed_form = 0;
  double estimate = 0;  // Monte Carlo (kernels) or the direct finite sum (linear_rnn)
  double se = 0;        // 0 for the direct sum
  // The delta-method se needs E a⁴; for exp and positive_linear that is ∝ e^(8γ²), and below that many
  // samples the sample rarely holds the tail that dominates it, so the se (and z) is not trusted.
  bool se_reliable = true;
  double quadrature = 0;  // exp, identity, relu2; the closed form itself elsewhere
};

std::size_t sparsity_points(const SparsityConfig& c);
std::vector<SparsityRow> sparsity_study(const SparsityConfig& c, const Tick& tick);

// ---- noise ----
struct NoiseConfig {
  std::vector<std::size_t> ns{16, 64, 256, 1024, 4096, 16384};
  std::size_t fit_from = 256;  // fit the decay on n >= fit_from
  std::vector<double> sigmas{0.1, 0.5, 1, 2};
  std::vector<std::size_t> floor_ns{2, 5, 10, 50, 200};
  std::size_t floor_starts = 20;
  NoiseSettings settings;  // dv, trials, seed (stream and threads set per point)
  unsigned threads = 1;
};

struct NoiseRow {
  std::size_t n;
  double sigma;
  NoiseError error;
};

struct NoiseStudy {
  std::vector<NoiseRow> rows;
  std::vector<std::pair<double, core::PowerLawFit>> fits;  // per sigma: ‖õ − o‖ ~ n^k
  std::vector<EntropyFloor> floors;
  double gap_limit;
};

std::size_t noise_points(const NoiseConfig& c);
NoiseStudy noise_study(const NoiseConfig& c, const Tick& tick);

}  // namespace attn
