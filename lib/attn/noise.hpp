// Softmax resists i.i.d. noise on the scores (Su Jianlin, kexue.fm/archives/9593, 2023, on softmax's
// robustness to score noise and the cosine softmax's entropy). o = Σ e^(s_i) v_i / Σ e^(s_i): adding i.i.d. ε_i to the
// scores multiplies numerator and denominator by nearly the same E[e^ε] for large n, so ‖õ − o‖ shrinks like 1/√n. And
// a softmax over cosine scores s_i ∈ [−1, 1] at temperature 1 cannot focus: its entropy stays above ln n − 0.4745 (the
// two-level bound, fraction 0.2055 of the scores at +1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace attn {

struct NoiseSettings {
  std::size_t dv = 16;       // value dimension
  std::size_t trials = 200;  // independent (scores, values, noise) draws per point
  std::uint64_t seed = 1;
  std::uint64_t stream = 0;  // the grid point's index
  unsigned threads = 1;
};

struct NoiseError {
  double mean;  // mean over trials of ‖õ − o‖ (scores s ~ N(0, 1), v ~ N(0, I_dv), ε ~ N(0, σ²))
  double se;    // its standard error
  double rms;   // √(mean of ‖õ − o‖²)
};

// Its members for a shard file (core/row_codec.hpp): a (σ, n) is a point of noise's sweep.
template <class Io>
void fields(Io& io, NoiseError& e) {
  io(e.mean, e.se, e.rms);
}

// The large-n root mean square √(dv (e^(σ²) − 1) e / n): õ − o ≈ Σ p_i (w_i / E w − 1) v_i with
// w = e^ε, and E Σ p² ≈ e^(α²) / n = e / n for N(0, 1) scores at α = 1.
double noise_rms_asymptote(std::size_t n, double sigma, std::size_t dv);

// The output perturbation for n keys at noise scale sigma > 0.
NoiseError softmax_noise_error(std::size_t n, double sigma, const NoiseSettings& settings);

struct EntropyFloor {
  std::size_t n;
  double ln_n;            // ln n, the entropy of the uniform softmax
  double found_gap;       // ln n − the smallest entropy BFGS found over s ∈ [−1, 1]^n (multi-start, GSL)
  std::size_t at_top;     // scores at +1 in that minimiser (within 1e-6)
  std::size_t at_bottom;  // scores at −1
  std::size_t interior;   // scores strictly inside: 0 means the minimiser is two-level
  double two_level_gap;   // ln n − the best two-level entropy (k at +1, n − k at −1, every k)
  std::size_t best_k;     // its k
  double gap;             // ln n − the minimum entropy: the larger of the two gaps
  double min_entropy;     // ln n − gap
};

// Its members for a shard file (core/row_codec.hpp): an n is a point of noise --floor's sweep.
template <class Io>
void fields(Io& io, EntropyFloor& f) {
  io(f.n, f.ln_n, f.found_gap, f.at_top, f.at_bottom, f.interior, f.two_level_gap, f.best_k, f.gap, f.min_entropy);
}

// The minimum entropy of softmax(s) over s ∈ [−1, 1]^n, by GSL's BFGS on s = sin(u) from `starts`
// random starting points (core::rng_stream(seed, n)). Every local minimum it finds is two-level, as it
// must be: ∂H/∂s_j = −p_j (s_j − Σ p_i s_i), so an interior stationary s_j is a maximum of H along s_j.
// Local minima differ in k, so the global one is then the best of the n − 1 two-level configurations.
EntropyFloor cosine_entropy_floor(std::size_t n, std::size_t starts, std::uint64_t seed);

// The n → ∞ gap: max over f ∈ [0, 1] of the two-level limit (Boost's Brent maximiser); 0.474474…
double entropy_gap_limit();

}  // namespace attn
