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

}  // namespace attn
