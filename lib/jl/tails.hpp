// The two tail lemmas behind the Johnson–Lindenstrauss lemma (Dasgupta & Gupta 1999/2003; the blog
// derivation kexue.fm/archives/8679): for u, v with i.i.d. N(0, 1/n) entries
//   P(|‖u‖² − 1| ≥ ε) ≤ 2 exp(−ε² n / 8)     (n‖u‖² is χ²_n; Chernoff per side)
//   P(|⟨u, v⟩| ≥ ε)  ≤ 4 exp(−ε² n / 8)     (⟨u, v⟩ = (‖a‖² − ‖b‖²)/2 with a, b = (u ± v)/√2)
// Each bound next to the exact tail (Boost.Math's incomplete gamma for χ², a Boost quadrature of the
// exact law of ⟨u, v⟩), the Chernoff forms and a seeded Monte Carlo estimate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/sweep.hpp"

namespace jl {

// P(|‖u‖² − 1| ≥ ε) exactly: Q(n/2, n(1+ε)/2) + P(n/2, n(1−ε)/2) (regularised incomplete gamma, in long
// double: relative 1e-14 where the tail is a normal double).
double norm_tail_exact(unsigned n, double eps);
// The Chernoff forms exp(n(ln(1+ε) − ε)/2) + exp(n(ln(1−ε) + ε)/2), the bound 2 exp(−ε² n/8).
double norm_tail_chernoff(unsigned n, double eps);
double norm_tail_bound(unsigned n, double eps);

struct ExactTail {
  double value = 0;
  double abs_error = 0;  // the quadrature's own error estimate
};

// P(|⟨u, v⟩| ≥ ε) exactly. n⟨u, v⟩ = (A − B)/2 with A, B independent χ²_n, so the tail is
// 2 ∫₀^∞ f_Γ(n/2)(x) Q(n/2, nε + x) dx, integrated by Boost's tanh-sinh quadrature around the peak at
// x = n/2 − nε/2 and exp-sinh beyond it, to a relative tolerance of 1e-13 (docs/jl-entropy.md, Accuracy).
ExactTail ortho_tail_exact(unsigned n, double eps);
// The direct Chernoff bound 2 inf_t e^(−tnε) E[e^(t n⟨u,v⟩)] = 2 exp(−n (tε + ln(1 − t²)/2)) at the
// optimal t = (√(1 + 4ε²) − 1)/(2ε); the proof's route 2 × norm_tail_chernoff; the bound 4 exp(−ε² n/8).
double ortho_tail_chernoff(unsigned n, double eps);
double ortho_tail_chernoff_via_norm(unsigned n, double eps);
double ortho_tail_bound(unsigned n, double eps);

enum class TailKind { norm, ortho };

struct TailConfig {
  TailKind kind = TailKind::norm;
  std::vector<unsigned> dims{4, 8, 16, 32, 64, 128, 256, 512, 1024};
  std::vector<double> eps{0.1, 0.25, 0.5, 0.75};
  std::size_t trials = 20000;  // Monte Carlo draws of u (and v) per n, shared by every ε
  std::uint64_t seed = 1;
  unsigned threads = 1;
};

struct TailRow {
  unsigned n = 0;
  double eps = 0;
  double exact = 0;
  double exact_abs_error = 0;  // 0 for the χ² tail (Boost's long-double incomplete gamma: 1e-14 relative)
  double monte_carlo = 0;      // fraction of the trials in the tail
  double mc_stderr = 0;        // binomial standard error sqrt(p(1 − p)/T)
  double chernoff = 0;
  double chernoff_via_norm = 0;  // ortho only (norm: equal to chernoff)
  double bound = 0;
  bool bound_holds = false;  // exact <= chernoff(s) <= bound
};

// One row per (n, ε), n-major. The draws for dims[i] come from the streams (seed, i·2^32 + chunk), so a
// row depends on (seed, its n's index, trials) alone, never on threads. A sweep whose points are the
// blocks of tail_chunk Monte Carlo draws, n-major (dims.size() × ⌈trials/tail_chunk⌉ of them; a point's row
// is its hit count per ε), which `sweep` shards or merges (core/sweep.hpp); the exact tails, the Chernoff
// forms and the bounds are its finish.
inline constexpr std::size_t tail_chunk = 1000;  // trials per random stream
std::vector<TailRow> tail_study(const TailConfig& config, core::Sweep* sweep = nullptr);

// tail_study's run time on this machine, for core::require_time: trials × sum of n Gaussian draws (2n for
// ortho), shared by the threads over chunks of 1000 draws.
double estimated_seconds(const TailConfig& config);

// Whether every row's bounds hold; the number that fail.
std::size_t failed_bounds(std::span<const TailRow> rows);

}  // namespace jl
