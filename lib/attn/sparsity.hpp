// How sparse attention can get (Su Jianlin, kexue.fm/archives/9889, 2023, "can attention really
// concentrate?"). Sparsity index S(a) = E|a| / √E[a²] (smaller is sparser) for a_j ∝ f(q·k_j) with q·k_j ~ N(β,
// γ²) as n → ∞ (k ~ N(μ, σ² I), β = q·μ, γ = σ‖q‖):
//   exp:       S = e^(−γ²/2) → 0 as γ grows: softmax can be arbitrarily sparse;
//   identity:  S = (√(2/π) γ e^(−β²/2γ²) + β erf(β/√2γ)) / √(β² + γ²), even in β, bounded below (S >= √(2/π));
//   relu²:     S = m₂ / √m₄ with the truncated normal moments m_k = E[x^k; x > 0] (derived below in the .cpp);
//              S → 0 only as β/γ → −∞;
//   linear RNN a = (λ^(n−1), …, λ, 1):  S = √((1 − λⁿ)(1 + λ) / (n (1 − λ)(1 + λⁿ))) → 0 as n → ∞;
//   non-negative linear attention a = q̃·φ(k):  S = 1 / √(1 + q̃ᵀΣ̃q̃ / (q̃ᵀμ̃)²).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace attn {

enum class SparsityKernel { exp, identity, relu2 };
std::string_view to_string(SparsityKernel k);

// The closed forms (γ > 0 for the kernels; 0 < λ <= 1 and n >= 1 for the RNN).
double sparsity_closed_form(SparsityKernel kernel, double beta, double gamma);
double sparsity_linear_rnn(double lambda, std::size_t n);

// The same S(a) by adaptive Gauss-Kronrod quadrature (Boost.Math) of E|f(x)| and E f(x)² over N(β, γ²).
double sparsity_quadrature(SparsityKernel kernel, double beta, double gamma);

// Non-negative linear attention with the positive feature map φ(k)_i = e^(k_i) of m = 4 features,
// k ~ N(β 1, γ² I) and q̃ = (1, 1/2, 1/4, 1/8): μ̃_i = e^(β + γ²/2), Σ̃ = (e^(γ²) − 1) diag(μ̃²), so
// S = 1 / √(1 + (e^(γ²) − 1) ‖q̃‖² / (Σ q̃_i)²), whatever β.
double sparsity_positive_linear(double beta, double gamma);

// A Monte Carlo estimate agrees with its closed form when it lies within this many standard errors of it
// (attn-sweep sparsity's verdict and exit code, reproduce's sparsity claims, the tests).
inline constexpr double mc_agreement_se = 4;

struct SparsityEstimate {
  double value;  // mean|a| / √mean(a²) over the samples; nan when every sample is 0 (relu² far below 0)
  double se;     // delta-method standard error from the sample covariance of (|a|, a²); nan likewise
};

// Monte Carlo with n keys drawn from core::rng_stream(seed, stream).
SparsityEstimate sparsity_monte_carlo(SparsityKernel kernel, double beta, double gamma, std::size_t n,
                                      std::uint64_t seed, std::uint64_t stream);
SparsityEstimate sparsity_monte_carlo_positive_linear(double beta, double gamma, std::size_t n, std::uint64_t seed,
                                                      std::uint64_t stream);
// The RNN's index computed directly from its n weights (no sampling).
double sparsity_linear_rnn_direct(double lambda, std::size_t n);

// ---- The measures people use beside S (issue 20), of the magnitudes |a| (identity's a can be negative) ----
// mass95: the fraction of the keys, largest |a| first, that holds mass_share of Σ|a|. For the kernels it is the
// n → ∞ limit P(|a| > r) where E[|a|; |a| > r] = mass_share E|a| (smaller is sparser): exp (log-normal weights,
// the Lorenz curve L(u) = Φ(Φ⁻¹(u) − γ)): Φ(z₀.₉₅ − γ); identity (folded normal) and relu² (a squared normal
// with an atom at 0): one root (TOMS 748) of their tail mass in Φ, φ and the Mills-ratio integrals.
// gini: the Gini index E|X − X'| / (2 E X) of X = |a| (0: equal weights, 1: one key; larger is sparser):
// exp erf(γ/2); identity: E min(|D|, |S|) / (2 E|x|) for the independent D = x − x', S = x + x' (since
// ||x| − |x'|| = min(|D|, |S|)), which is elementary in Φ and φ (derived in the .cpp); relu²: none found (nan;
// quadrature). non-negative linear attention (a sum of four
// log-normals) has none of either, and no quadrature here: Monte Carlo only.
inline constexpr double mass_share = 0.95;
double mass95_closed_form(SparsityKernel kernel, double beta, double gamma);
double gini_closed_form(SparsityKernel kernel, double beta, double gamma);  // nan for relu2
// The same by adaptive Gauss-Kronrod quadrature (Boost.Math) of the tail mass, E X and ∫ F (1 − F), with the
// mass root by TOMS 748; independent of the closed forms but for P(|a| > r) at the root, which is Φ.
double mass95_quadrature(SparsityKernel kernel, double beta, double gamma);
double gini_quadrature(SparsityKernel kernel, double beta, double gamma);

// The decaying linear RNN's n weights λ^(n−1), …, λ, 1: the number of keys holding mass_share of the mass,
// ⌈ln(1 − 0.95 (1 − λⁿ)) / ln λ⌉ (⌈0.95 n⌉ at λ = 1; it tends to ⌈ln 0.05 / ln λ⌉ as n → ∞), and their
// Gini index ((n − 1) A − 2 B) / (n A) with A = Σλ^k, B = Σ k λ^k (→ 1 as n → ∞), against direct sums.
std::size_t mass95_keys_linear_rnn(double lambda, std::size_t n);
std::size_t mass95_keys_linear_rnn_direct(double lambda, std::size_t n);
double gini_linear_rnn(double lambda, std::size_t n);
double gini_linear_rnn_direct(double lambda, std::size_t n);

// Monte Carlo of all three measures on the same n keys (the S of sparsity_monte_carlo, bit for bit): mass95 as
// the fraction of the sorted sample holding mass_share of its sum, the Gini index as its U-statistic
// Σ_i (2i − n − 1) x_(i) / ((n − 1) Σx); their standard errors from the influence functions
// IF_mass95(x) = 1{x > r}(1 − x/r) + 0.95 x/r − mass95 and IF_gini(x) = (E|x − X'| − D − G (x − μ)) / μ.
struct ConcentrationEstimate {
  SparsityEstimate s;
  double mass95, mass95_se, gini, gini_se;  // nan when every sample is 0
};
ConcentrationEstimate concentration_monte_carlo(SparsityKernel kernel, double beta, double gamma, std::size_t n,
                                                std::uint64_t seed, std::uint64_t stream);
ConcentrationEstimate concentration_monte_carlo_positive_linear(double beta, double gamma, std::size_t n,
                                                                std::uint64_t seed, std::uint64_t stream);

}  // namespace attn
