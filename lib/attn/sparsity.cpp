#include "attn/sparsity.hpp"

#include <gsl/gsl_sf_erf.h>

#include <algorithm>
#include <array>
#include <boost/math/constants/constants.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "core/errors.hpp"
#include "core/rng.hpp"

namespace attn {

namespace {

constexpr std::array<double, 4> q_tilde{1, 0.5, 0.25, 0.125};

void check_gamma(double gamma) {
  if (!(gamma > 0) || !std::isfinite(gamma))
    throw core::InputError("gamma: expected a finite gamma > 0, got " + std::to_string(gamma));
}

double kernel_value(SparsityKernel k, double x) {
  switch (k) {
    case SparsityKernel::exp: return std::exp(x);
    case SparsityKernel::identity: return x;
    case SparsityKernel::relu2: return x > 0 ? x * x : 0;
  }
  return 0;
}

// Monte Carlo S = mean|a| / √mean(a²) over n samples a = draw() >= 0 (or |f| of one), with the delta-method
// standard error from the sample covariance of (|a|, a²).
template <class Draw>
SparsityEstimate monte_carlo_sparsity(std::size_t n, Draw draw) {
  double s1 = 0, s2 = 0, s11 = 0, s22 = 0, s12 = 0;  // Σ|a|, Σa², Σ|a|², Σa⁴, Σ|a|³
  for (std::size_t j = 0; j < n; ++j) {
    const double a = draw(), a2 = a * a;
    s1 += a;
    s2 += a2;
    s11 += a2;
    s22 += a2 * a2;
    s12 += a * a2;
  }
  const double nn = static_cast<double>(n);
  const double m1 = s1 / nn, m2 = s2 / nn;
  if (!(m2 > 0)) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  const double v11 = (s11 / nn - m1 * m1) / nn, v22 = (s22 / nn - m2 * m2) / nn, v12 = (s12 / nn - m1 * m2) / nn;
  const double g1 = 1 / std::sqrt(m2), g2 = -m1 / (2 * m2 * std::sqrt(m2));
  return {m1 / std::sqrt(m2), std::sqrt(std::max(0.0, g1 * g1 * v11 + g2 * g2 * v22 + 2 * g1 * g2 * v12))};
}

// J_k(s) = ∫_0^∞ u^k e^(−s u − u²/2) du for k = 0..4, s > 0. J_0 is the Mills ratio Q(s)/φ(s) (GSL's
// hazard function, accurate far in the tail), J_1 = 1 − s J_0 and J_(k+1) = k J_(k−1) − s J_k (integration
// by parts). That recurrence cancels upwards when s > 0 (J_k ~ k!/s^(k+1) is its minimal solution), so
// above s = 2 it runs downwards from J_(N+1) = 0, J_N = 1 (Miller's algorithm, adding positive terms) and
// is scaled by J_0; the start's error shrinks like e^(−2 s √N) (hand-written: no library has these
// repeated normal-tail integrals, and the recurrence is five lines).
std::array<double, 5> tail_integrals(double s) {
  std::array<double, 5> j{};
  j[0] = 1 / gsl_sf_hazard(s);
  if (s <= 2) {
    j[1] = 1 - s * j[0];
    for (int k = 1; k < 4; ++k) j[k + 1] = k * j[k - 1] - s * j[k];
    return j;
  }
  const int n = 30 + static_cast<int>(std::ceil(900 / (s * s)));
  double above = 0, y = 1;  // y_(k+1), y_k
  for (int k = n; k > 0; --k) {
    const double below = (above + s * y) / k;
    above = y, y = below;
    if (k - 1 <= 4) j[static_cast<std::size_t>(k - 1)] = y;
    if (y > 1e150) {  // rescale: only the ratios matter until J_0 fixes the scale
      above /= 1e150, y /= 1e150;
      for (auto& x : j) x /= 1e150;
    }
  }
  const double scale = j[0] > 0 ? (1 / gsl_sf_hazard(s)) / j[0] : 0;
  for (auto& x : j) x *= scale;
  return j;
}

// S for relu² at t = β/γ. With x = β + γ z, x > 0 iff z > −t, and the truncated moments
// E[x^k; x > 0] = γ^k ∫_(−t)^∞ (z + t)^k φ(z) dz. For t >= 0 they are polynomials in t, Φ(t) and φ(t) with
// positive coefficients: E[x²; x > 0] = γ²((t² + 1)Φ + t φ), E[x⁴; x > 0] = γ⁴((t⁴ + 6t² + 3)Φ + (t³ + 5t)φ).
// For t < 0, s = −t and φ(z) = φ(s) e^(−s u − u²/2) at z = s + u give E[x^k; x > 0] = γ^k φ(s) J_k(s), so
// S = √φ(s) J_2 / √J_4 with √φ(s) = (2π)^(−1/4) e^(−s²/4): no cancellation, and no underflow until S
// itself leaves the normal doubles (s ≈ 53; it is 0 in doubles beyond s ≈ 55).
double relu2_sparsity(double t) {
  using boost::math::constants::one_div_root_two_pi;
  if (t >= 0) {
    // Q(t) < 1e-300 beyond t = 38 (and GSL's Q is nan for huge t).
    const double big_phi = t > 40 ? 1 : 1 - gsl_sf_erf_Q(t), phi = one_div_root_two_pi<double>() * std::exp(-t * t / 2);
    const double t2 = t * t;
    if (t <= 1) return ((t2 + 1) * big_phi + t * phi) / std::sqrt((t2 * t2 + 6 * t2 + 3) * big_phi + (t2 + 5) * t * phi);
    const double u = 1 / t, u2 = u * u;  // divided by t² and t⁴, which overflow for huge t
    return ((1 + u2) * big_phi + u * phi) / std::sqrt((1 + 6 * u2 + 3 * u2 * u2) * big_phi + (1 + 5 * u2) * u * phi);
  }
  const double s = -t;
  if (s > 60) return 0;  // S < e^(-s²/4) < 1e-390: zero in doubles
  const auto j = tail_integrals(s);
  const double root_phi = std::exp(-s * s / 4) / std::sqrt(std::sqrt(2 * boost::math::constants::pi<double>()));
  return root_phi * j[2] / std::sqrt(j[4]);
}

void check_samples(std::size_t n) {
  if (n < 2) throw core::InputError("n: expected at least 2 samples, got " + std::to_string(n));
}

}  // namespace

std::string_view to_string(SparsityKernel k) {
  switch (k) {
    case SparsityKernel::exp: return "exp";
    case SparsityKernel::identity: return "identity";
    case SparsityKernel::relu2: return "relu2";
  }
  return "";
}

double sparsity_closed_form(SparsityKernel kernel, double beta, double gamma) {
  check_gamma(gamma);
  using boost::math::constants::one_div_root_two_pi;
  const double t = beta / gamma;
  const double phi = one_div_root_two_pi<double>() * std::exp(-t * t / 2);  // φ(t)
  switch (kernel) {
    case SparsityKernel::exp: return std::exp(-gamma * gamma / 2);
    case SparsityKernel::identity:
      return (2 * gamma * phi + beta * std::erf(t / std::sqrt(2.0))) / std::hypot(beta, gamma);
    case SparsityKernel::relu2: return relu2_sparsity(t);
  }
  return 0;
}

double sparsity_linear_rnn(double lambda, std::size_t n) {
  if (!(lambda > 0 && lambda <= 1))
    throw core::InputError("lambda: expected a value in (0, 1], got " + std::to_string(lambda));
  if (n < 1) throw core::InputError("n: expected n >= 1, got 0");
  if (lambda == 1) return 1;
  const double lambda_n = std::pow(lambda, static_cast<double>(n));
  return std::sqrt((1 - lambda_n) * (1 + lambda) / (static_cast<double>(n) * (1 - lambda) * (1 + lambda_n)));
}

double sparsity_linear_rnn_direct(double lambda, std::size_t n) {
  sparsity_linear_rnn(lambda, n);  // the same input checks
  double s1 = 0, s2 = 0, w = 1;
  for (std::size_t j = 0; j < n; ++j, w *= lambda) {
    s1 += w;
    s2 += w * w;
  }
  const double nn = static_cast<double>(n);
  return (s1 / nn) / std::sqrt(s2 / nn);
}

double sparsity_quadrature(SparsityKernel kernel, double beta, double gamma) {
  check_gamma(gamma);
  using boost::math::constants::one_div_root_two_pi;
  using boost::math::quadrature::gauss_kronrod;
  const double inf = std::numeric_limits<double>::infinity();
  if (kernel == SparsityKernel::relu2 && beta < 0) {
    // Mostly below zero: E[x^k; x > 0] = γ^k φ(s) ∫_0^∞ u^k e^(−s u − u²/2) du with s = −β/γ (z = s + u), so
    // S = √φ(s) J_2 / √J_4 from two quadratures of positive integrands, which neither under- nor overflow.
    // In v = c u with c = max(1, s) the integrands' width is of order 1 however large s is; the factors
    // c^-(k+1) leave c^(-1/2) in the ratio.
    const double s = -beta / gamma, c = std::max(1.0, s);
    if (s > 60) return 0.0;  // as the closed form: S < 1e-390
    auto j = [s, c, inf](int k) {
      return gauss_kronrod<double, 61>::integrate(
          [s, c, k](double v) { return std::pow(v, k) * std::exp(-(s / c) * v - v * v / (2 * c * c)); }, 0, inf, 15,
          1e-13);
    };
    return std::exp(-s * s / 4) / std::sqrt(std::sqrt(2 * boost::math::constants::pi<double>())) * j(2) /
           std::sqrt(j(4) * c);
  }
  // S is unchanged by a -> c a, so nothing need overflow whatever --betas and --gammas allow: exp drops
  // e^beta and integrates each moment around its peak z = p gamma (for large gamma with the exponent
  // p gamma z - z^2/2 less its maximum p^2 gamma^2/2), the others divide x by max(|beta|, gamma). Every integrand is then negligible beyond 40
  // of its own unit from its peak or from z = 0 (phi(40) = e^-800), so the pieces are finite intervals.
  constexpr double reach = 40;
  if (kernel == SparsityKernel::exp) {
    if (gamma > reach) return 0.0;  // S = e^(-gamma^2/2) < 1e-347: zero in doubles
    auto log_moment = [&](int p) {
      // The shift only where e^(p^2 gamma^2 / 2) would overflow (gamma > 13): below, the integrand is
      // the plain phi(z) e^(p gamma z), and the quadrature owes nothing to the closed form.
      const double peak = p * gamma, top = peak > 26 ? peak * peak / 2 : 0;
      auto f = [&](double z) { return one_div_root_two_pi<double>() * std::exp(p * gamma * z - z * z / 2 - top); };
      return top + std::log(gauss_kronrod<double, 61>::integrate(f, peak - reach, peak + reach, 15, 1e-13));
    };
    return std::exp(log_moment(1) - log_moment(2) / 2);
  }
  const double scale = std::max(std::abs(beta), gamma), b = beta / scale, g = gamma / scale;
  auto moment = [&](int p) {
    auto f = [&](double z) {
      // In logarithms: |f|^p and the density over- and underflow separately far out in the tails.
      const double a = std::abs(kernel_value(kernel, b + g * z));
      return a == 0 ? 0.0 : one_div_root_two_pi<double>() * std::exp(p * std::log(a) - z * z / 2);
    };
    auto piece = [&](double lo, double hi) {
      lo = std::max(lo, -reach), hi = std::min(hi, reach);
      return lo < hi ? gauss_kronrod<double, 61>::integrate(f, lo, hi, 15, 1e-13) : 0.0;
    };
    // Split at the kink z = -beta/gamma of |x| and relu^2 so that both pieces are smooth.
    const double kink = -beta / gamma;
    const double right = piece(kink, inf);
    return kernel == SparsityKernel::relu2 ? right : right + piece(-inf, kink);
  };
  return moment(1) / std::sqrt(moment(2));
}

double sparsity_positive_linear(double beta, double gamma) {
  check_gamma(gamma);
  (void)beta;  // μ̃ scales with e^β and √Σ̃ with it: β cancels
  double q2 = 0, q1 = 0;
  for (double q : q_tilde) {
    q2 += q * q;
    q1 += q;
  }
  return 1 / std::sqrt(1 + std::expm1(gamma * gamma) * q2 / (q1 * q1));
}

SparsityEstimate sparsity_monte_carlo(SparsityKernel kernel, double beta, double gamma, std::size_t n,
                                      std::uint64_t seed, std::uint64_t stream) {
  check_gamma(gamma);
  check_samples(n);
  core::Rng rng = core::rng_stream(seed, stream);
  boost::random::normal_distribution<double> normal(beta, gamma);
  return monte_carlo_sparsity(n, [&] { return std::abs(kernel_value(kernel, normal(rng))); });
}

SparsityEstimate sparsity_monte_carlo_positive_linear(double beta, double gamma, std::size_t n, std::uint64_t seed,
                                                      std::uint64_t stream) {
  check_gamma(gamma);
  check_samples(n);
  core::Rng rng = core::rng_stream(seed, stream);
  boost::random::normal_distribution<double> normal(beta, gamma);
  return monte_carlo_sparsity(n, [&] {
    double a = 0;
    for (double q : q_tilde) a += q * std::exp(normal(rng));
    return a;
  });
}

}  // namespace attn
