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
    case SparsityKernel::relu2: {
      // x = β + γ z; x > 0 iff z > −t. Truncated moments M_k = E[z^k; z > −t] follow from integrating
      // by parts: M_0 = Φ(t), M_1 = φ(t), M_k = (k − 1) M_(k−2) + (−t)^(k−1) φ(t). Then
      // E[a] = E[x²; x > 0] = γ² Σ C(2,k) t^(2−k) M_k and E[a²] = E[x⁴; x > 0] = γ⁴ Σ C(4,k) t^(4−k) M_k.
      // Every M_k is φ(t) times a polynomial in t and the Mills ratio R = Φ(t) / φ(t) (GSL's hazard
      // function of −t, accurate far in the tail), so S = √φ(t) · (E[a] / γ²φ) / √(E[a²] / γ⁴φ) survives
      // where Φ(t) and φ(t) underflow; for t < 0 the brackets cancel, losing about |t|^5 ε (1e-9 at t = −10).
      const double r = 1 / gsl_sf_hazard(-t);
      const double m0 = r, m1 = 1, m2 = r - t, m3 = 2 + t * t, m4 = 3 * m2 - t * t * t;
      const double ea = t * t * m0 + 2 * t * m1 + m2;
      const double ea2 = t * t * t * t * m0 + 4 * t * t * t * m1 + 6 * t * t * m2 + 4 * t * m3 + m4;
      return std::sqrt(phi) * ea / std::sqrt(ea2);
    }
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
  auto moment = [&](int power) {
    auto f = [&](double z) {
      // In logarithms: |f|^power and the density over- and underflow separately far out in the tails.
      const double a = std::abs(kernel_value(kernel, beta + gamma * z));
      const double log_a = kernel == SparsityKernel::exp ? beta + gamma * z : std::log(a);
      if (a == 0 && kernel != SparsityKernel::exp) return 0.0;
      return one_div_root_two_pi<double>() * std::exp(power * log_a - z * z / 2);
    };
    // Split at the kink z = −β/γ of |x| and relu² so that both pieces are smooth.
    if (kernel == SparsityKernel::exp) return gauss_kronrod<double, 61>::integrate(f, -inf, inf, 15, 1e-13);
    const double kink = -beta / gamma;
    const double right = gauss_kronrod<double, 61>::integrate(f, kink, inf, 15, 1e-13);
    return kernel == SparsityKernel::relu2 ? right
                                           : right + gauss_kronrod<double, 61>::integrate(f, -inf, kink, 15, 1e-13);
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
