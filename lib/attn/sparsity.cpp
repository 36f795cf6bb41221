#include "attn/sparsity.hpp"

#include <gsl/gsl_sf_erf.h>

#include <algorithm>
#include <array>
#include <boost/math/constants/constants.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/tools/toms748_solve.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/rng.hpp"

namespace attn {

namespace {

constexpr std::array<double, 4> q_tilde{1, 0.5, 0.25, 0.125};

// One key's weight q'e^k under non-negative linear attention, k ~ N(beta, gamma^2 I) in 4 dimensions.
double positive_linear_weight(core::Rng& rng, boost::random::normal_distribution<double>& normal) {
  double a = 0;
  for (double q : q_tilde) a += q * std::exp(normal(rng));
  return a;
}

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
    if (t <= 1)
      return ((t2 + 1) * big_phi + t * phi) / std::sqrt((t2 * t2 + 6 * t2 + 3) * big_phi + (t2 + 5) * t * phi);
    const double u = 1 / t, u2 = u * u;  // divided by t² and t⁴, which overflow for huge t
    return ((1 + u2) * big_phi + u * phi) / std::sqrt((1 + 6 * u2 + 3 * u2 * u2) * big_phi + (1 + 5 * u2) * u * phi);
  }
  const double s = -t;
  if (s > 60) return 0;  // S < e^(-s²/4) < 1e-390: zero in doubles
  const auto j = tail_integrals(s);
  const double root_phi = std::exp(-s * s / 4) / std::sqrt(std::sqrt(2 * boost::math::constants::pi<double>()));
  return root_phi * j[2] / std::sqrt(j[4]);
}

// ---- mass95 and the Gini index ----

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

double upper_q(double x) {  // Q(x) = P(Z > x), accurate far into the upper tail
  return 0.5 * std::erfc(x / std::numbers::sqrt2);
}
double normal_pdf(double x) {
  return boost::math::constants::one_div_root_two_pi<double>() * std::exp(-x * x / 2);
}
double log_upper_q(double x) {  // ln Q(x) without underflow (GSL's ln erfc)
  return gsl_sf_log_erfc(x / std::numbers::sqrt2) - std::numbers::ln2;
}
double z_share() {  // Φ⁻¹(mass_share) = 1.6449
  return -std::numbers::sqrt2 * boost::math::erfc_inv(2 * mass_share);
}

// Adaptive Gauss-Kronrod over [lo, hi] (0 when empty).
template <class F>
double integrate(F f, double lo, double hi) {
  if (!(lo < hi)) return 0.0;
  return boost::math::quadrature::gauss_kronrod<double, 61>::integrate(f, lo, hi, 15, 1e-13);
}

// The root of a decreasing f on [lo, hi] with f(lo) >= 0 >= f(hi) (TOMS 748, Boost.Math).
template <class F>
double decreasing_root(F f, double lo, double hi) {
  const double flo = f(lo), fhi = f(hi);
  if (!(flo > 0)) return lo;
  if (!(fhi < 0)) return hi;
  std::uintmax_t iterations = 300;
  const auto [a, b] =
      boost::math::tools::toms748_solve(f, lo, hi, flo, fhi, boost::math::tools::eps_tolerance<double>(50), iterations);
  return a + (b - a) / 2;
}

// Beyond this many standard deviations every integrand here is below e^-800 of its peak.
constexpr double far = 40;

// identity, t = |beta|/gamma >= 0, X/gamma = |t + z|, thresholds r = t + h for h >= -t:
// E[X; X > r]/gamma = E[t + z; z > h] + E[-(t + z); z < -h - 2t] = t Q(h) + phi(h) + phi(u) - t Q(u), u = h + 2t,
// where phi(u) - t Q(u) = (phi(u) - u Q(u)) + (h + t) Q(u) = phi(u) J_1(u) + (h + t) Q(u) (both terms >= 0).
double identity_mean(double t) {
  return t * std::erf(t / std::numbers::sqrt2) + 2 * normal_pdf(t);
}
double identity_tail(double t, double h) {
  const double u = h + 2 * t;
  // Beyond u = 60 the mirrored piece is below phi(60) < 1e-780 (and the Mills-ratio recurrence is not needed).
  if (u > 60) return t * upper_q(h) + normal_pdf(h);
  return t * upper_q(h) + normal_pdf(h) + normal_pdf(u) * tail_integrals(u)[1] + (h + t) * upper_q(u);
}

// I(a) = int_0^inf Q(s) Q(s + a) ds = E[max(0, min(Z1, Z2 - a))]
//      = phi(0) Q(a) + phi(a)/2 - sqrt2 phi(b) Q(b) - (a/2)(Q(a) - Q(b)^2), b = a/sqrt2,
// integrating u against the density of the minimum by parts; the last term is a P(W > a, Z > W - a), a
// bivariate normal orthant whose Owen's T terms reduce to T(h, 0) = 0 and T(k, 1) = Phi(k) Q(k)/2. For a < 0
// Q(a) - Q(b)^2 = 2 Q(c) - Q(c)^2 - Q(-a) with c = -b, which does not cancel.
double min_tail_integral(double a) {
  const double b = a / std::numbers::sqrt2;
  const double common =
      normal_pdf(0) * upper_q(a) + normal_pdf(a) / 2 - std::numbers::sqrt2 * normal_pdf(b) * upper_q(b);
  if (a >= 0) return common - a / 2 * (upper_q(a) - upper_q(b) * upper_q(b));
  const double qc = upper_q(-b);
  return common - a / 2 * (2 * qc - qc * qc - upper_q(-a));
}

// relu², t = beta/gamma >= 0, X/gamma^2 = (t + z)^2 on z > -t, scaled by c^2 = (1 + t)^2:
// E[X; z > h]/(gamma c)^2 for h >= -t: (t^2 + 1) Q(h) + (2t + h) phi(h) when h < 0 (then t > -h > 0: no
// cancellation), phi(h) (r^2 J_0 + 2 r J_1 + J_2)(h) with r = t + h when h >= 0.
double relu2_tail_scaled(double t, double h) {
  const double c = 1 + t;
  if (h < 0) {
    const double tc = t / c;
    return (tc * tc + 1 / (c * c)) * upper_q(h) + (2 * t + h) / c / c * normal_pdf(h);
  }
  const auto j = tail_integrals(h);
  const double rc = (t + h) / c;
  return normal_pdf(h) * (rc * rc * j[0] + 2 * rc * j[1] / c + j[2] / (c * c));
}
// relu², t = -s < 0: with z = s + delta, E[X; z > s + delta]/(gamma^2 phi(s))
//   = e^(-delta (2s + delta)/2) (delta^2 J_0 + 2 delta J_1 + J_2)(s + delta).
double relu2_tail_below(double s, double delta) {
  const auto j = tail_integrals(s + delta);
  return std::exp(-delta * (2 * s + delta) / 2) * (delta * delta * j[0] + 2 * delta * j[1] + j[2]);
}

// The Monte Carlo of the three measures on n stored draws x >= 0: S exactly as monte_carlo_sparsity (the same
// sums in the same order), then mass95 and the Gini index of the sorted sample with influence-function errors.
template <class Draw>
ConcentrationEstimate monte_carlo_concentration(std::size_t n, Draw draw) {
  std::vector<double> x(n);
  for (auto& v : x) v = draw();
  std::size_t next = 0;
  ConcentrationEstimate e{monte_carlo_sparsity(n, [&] { return x[next++]; }), nan_value, nan_value, nan_value,
                          nan_value};
  std::sort(x.begin(), x.end());
  double total = 0;
  for (double v : x) total += v;
  if (!(total > 0)) return e;
  const double nn = static_cast<double>(n), mu = total / nn;
  // mass95: the fewest of the largest draws whose sum reaches mass_share of the total; r the smallest of them.
  std::size_t i = n;
  double top = 0;
  while (i > 0) {
    top += x[--i];
    if (top >= mass_share * total) break;
  }
  // The last of them counted by the fraction of it the 95% needs (the sample's Lorenz curve inverted linearly
  // within a key): the whole-key count overshoots the n -> inf limit by up to 1/n, beyond the se for small gamma.
  const double r = x[i];
  const double part = r > 0 ? (mass_share * total - (top - r)) / r : 1;
  e.mass95 = (static_cast<double>(n - i - 1) + std::clamp(part, 0.0, 1.0)) / nn;
  // Gini: the U-statistic; its influence function needs h1(x_i) = mean_j |x_i - x_j| (prefix sums).
  double weighted = 0, below = 0, d_v = 0;
  std::vector<double> h1(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double fk = static_cast<double>(k);
    weighted += (2 * fk - nn + 1) * x[k];
    h1[k] = (x[k] * fk - below + (total - below - x[k]) - x[k] * (nn - 1 - fk)) / nn;
    d_v += h1[k];
    below += x[k];
  }
  d_v /= nn;
  e.gini = weighted / ((nn - 1) * total);
  const double g_v = d_v / (2 * mu);
  double m1 = 0, m2 = 0, g2 = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double im = (x[k] > r ? 1 - x[k] / r : 0.0) + mass_share * x[k] / r - e.mass95;
    m1 += im;
    m2 += im * im;
    const double ig = (h1[k] - d_v - g_v * (x[k] - mu)) / mu;
    g2 += ig * ig;
  }
  m1 /= nn;
  e.mass95_se = r > 0 ? std::sqrt(std::max(0.0, m2 / nn - m1 * m1) / nn) : nan_value;
  e.gini_se = std::sqrt(g2 / nn / nn);
  return e;
}

void check_samples(std::size_t n) {
  if (n < 2) throw core::InputError("n: expected at least 2 samples, got " + std::to_string(n));
}

// measure(n, draw) on n keys drawn from the stream (seed, stream): |f(s)| of `kernel` for s ~ N(beta, gamma^2),
// or, without a kernel, non-negative linear attention's weights. Every Monte Carlo here draws through it, so the
// measures of one stream see the same keys.
template <class Measure>
auto monte_carlo_keys(std::optional<SparsityKernel> kernel, double beta, double gamma, std::size_t n,
                      std::uint64_t seed, std::uint64_t stream, Measure measure) {
  check_gamma(gamma);
  check_samples(n);
  core::Rng rng = core::rng_stream(seed, stream);
  boost::random::normal_distribution<double> normal(beta, gamma);
  if (kernel) return measure(n, [&] { return std::abs(kernel_value(*kernel, normal(rng))); });
  return measure(n, [&] { return positive_linear_weight(rng, normal); });
}

constexpr auto sparsity_of = [](std::size_t n, auto draw) { return monte_carlo_sparsity(n, draw); };
constexpr auto concentration_of = [](std::size_t n, auto draw) { return monte_carlo_concentration(n, draw); };

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
  // p gamma z - z^2/2 less its maximum p^2 gamma^2/2), the others divide x by max(|beta|, gamma). Every integrand is
  // then negligible beyond 40 of its own unit from its peak or from z = 0 (phi(40) = e^-800), so the pieces are finite
  // intervals.
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
  return monte_carlo_keys(kernel, beta, gamma, n, seed, stream, sparsity_of);
}

SparsityEstimate sparsity_monte_carlo_positive_linear(double beta, double gamma, std::size_t n, std::uint64_t seed,
                                                      std::uint64_t stream) {
  return monte_carlo_keys(std::nullopt, beta, gamma, n, seed, stream, sparsity_of);
}

double gini_quadrature_unclamped(SparsityKernel kernel, double beta, double gamma);

double mass95_closed_form(SparsityKernel kernel, double beta, double gamma) {
  check_gamma(gamma);
  const double t = beta / gamma;
  switch (kernel) {
    case SparsityKernel::exp: return upper_q(gamma - z_share());  // Φ(z₀.₉₅ − γ)
    case SparsityKernel::identity: {
      const double a = std::abs(t);
      if (!std::isfinite(a)) return mass_share;  // the limit: every weight |beta|
      const double mean = identity_mean(a);
      const double h =
          decreasing_root([&](double x) { return identity_tail(a, x) / mean - mass_share; }, std::max(-a, -far), far);
      return upper_q(h) + upper_q(h + 2 * a);
    }
    case SparsityKernel::relu2: {
      if (t >= 0) {
        if (!std::isfinite(t)) return mass_share;
        const double total = relu2_tail_scaled(t, -t);
        const double h = decreasing_root([&](double x) { return relu2_tail_scaled(t, x) / total - mass_share; },
                                         std::max(-t, -far), far);
        return upper_q(h);
      }
      const double s = -t;
      if (s > far) return 0.0;  // below Q(40) < 1e-349: zero in doubles
      const double total = relu2_tail_below(s, 0);
      const double delta =
          decreasing_root([&](double d) { return relu2_tail_below(s, d) / total - mass_share; }, 0, far);
      return upper_q(s + delta);
    }
  }
  return nan_value;
}

double gini_closed_form(SparsityKernel kernel, double beta, double gamma) {
  check_gamma(gamma);
  switch (kernel) {
    case SparsityKernel::exp: return std::erf(gamma / 2);
    case SparsityKernel::identity: {
      // G = E||x| - |x'|| / (2 E|x|) = E min(|D|, |S|) / (2 E|x|) with D ~ N(0, 2 gamma^2) and S ~ N(2 beta,
      // 2 gamma^2) independent: E min = sqrt2 gamma int_0^inf 2 Q(u)(Q(u - m) + Q(u + m)) du, m = sqrt2 t.
      const double a = std::abs(beta / gamma);
      if (!std::isfinite(a)) return 0.0;
      const double m = std::numbers::sqrt2 * a;
      return std::numbers::sqrt2 * (min_tail_integral(m) + min_tail_integral(-m)) / identity_mean(a);
    }
    case SparsityKernel::relu2: return nan_value;
  }
  return nan_value;
}

double mass95_quadrature(SparsityKernel kernel, double beta, double gamma) {
  check_gamma(gamma);
  using boost::math::constants::one_div_root_two_pi;
  const double t = beta / gamma;
  switch (kernel) {
    case SparsityKernel::exp: {
      // The mass of e^x beyond x = beta + gamma h over E e^x: int_h phi(w) e^(gamma w) dw / int phi(w) e^(gamma w) dw,
      // both with e^(-gamma^2/2) taken out of the exponent.
      if (gamma > far) return 0.0;  // the fraction is below Q(38) < 1e-315
      const auto f = [gamma](double w) {
        return one_div_root_two_pi<double>() * std::exp(gamma * w - w * w / 2 - gamma * gamma / 2);
      };
      const double lo = gamma - far, hi = gamma + far, total = integrate(f, lo, hi);
      const double h = decreasing_root([&](double x) { return integrate(f, x, hi) / total - mass_share; }, lo, hi);
      return upper_q(h);
    }
    case SparsityKernel::identity: {
      const double a = std::abs(t);
      if (!std::isfinite(a)) return mass_share;
      const double c = 1 / (1 + a);
      const auto tail = [&](double h) {  // E[|t + z|; |t + z| > t + h] / (1 + t)
        const double upper = integrate([&](double z) { return (a + z) * c * normal_pdf(z); }, std::max(h, -far), far);
        const double lower =
            integrate([&](double z) { return -(a + z) * c * normal_pdf(z); }, -far, std::min(-h - 2 * a, far));
        return upper + lower;
      };
      const double lo = std::max(-a, -far), mean = tail(-a);
      const double h = decreasing_root([&](double x) { return tail(x) / mean - mass_share; }, lo, far);
      return upper_q(h) + upper_q(h + 2 * a);
    }
    case SparsityKernel::relu2: {
      if (t >= 0) {
        if (!std::isfinite(t)) return mass_share;
        const double c = 1 + t;
        const auto tail = [&](double h) {
          return integrate(
              [&](double z) {
                const double x = (t + z) / c;
                return x * x * normal_pdf(z);
              },
              std::max(h, -far), far);
        };
        const double lo = std::max(-t, -far), total = tail(-t);
        return upper_q(decreasing_root([&](double x) { return tail(x) / total - mass_share; }, lo, far));
      }
      const double s = -t;
      if (s > far) return 0.0;
      const auto tail = [s](double delta) {  // E[X; z > s + delta] / (gamma^2 phi(s)), z = s + u
        return integrate([s](double u) { return u * u * std::exp(-s * u - u * u / 2); }, delta, far);
      };
      const double total = tail(0);
      return upper_q(s + decreasing_root([&](double d) { return tail(d) / total - mass_share; }, 0, far));
    }
  }
  return nan_value;
}

double gini_quadrature(SparsityKernel kernel, double beta, double gamma) {
  // Rounding may carry a Gini index of 1 - 1e-17 a hair above 1.
  return std::min(1.0, gini_quadrature_unclamped(kernel, beta, gamma));
}

double gini_quadrature_unclamped(SparsityKernel kernel, double beta, double gamma) {
  check_gamma(gamma);
  using boost::math::constants::one_div_root_two_pi;
  // G = int_0^inf F(y)(1 - F(y)) dy / E X for X = |a| >= 0 (E|X - X'| = 2 int F (1 - F)), in a variable where
  // F is a normal probability.
  const double t = beta / gamma;
  switch (kernel) {
    case SparsityKernel::exp: {
      // y = e^(beta + gamma w): F = Phi(w), dy = gamma y dw; e^(beta - gamma^2/2) cancels. In logarithms: the
      // integrand peaks near w = gamma.
      if (gamma > 60) return 1.0;  // 1 - G = erfc(gamma/2) < 1e-780
      const auto f = [gamma](double w) {
        return std::exp(std::log(gamma) + log_upper_q(-w) + log_upper_q(w) + gamma * w - gamma * gamma / 2);
      };
      const auto mean = [gamma](double w) {
        return one_div_root_two_pi<double>() * std::exp(gamma * w - w * w / 2 - gamma * gamma / 2);
      };
      const double num = integrate(f, -far, gamma / 2) + integrate(f, gamma / 2, gamma + far);
      return num / integrate(mean, gamma - far, gamma + far);
    }
    case SparsityKernel::identity: {
      // y = gamma (t + v): F = Phi(v) - Q(v + 2t), 1 - F = Q(v) + Q(v + 2t), v >= -t.
      const double a = std::abs(t);
      if (!std::isfinite(a)) return 0.0;
      const auto g = [a](double v) {
        const double big_f = upper_q(-v) - upper_q(v + 2 * a);
        return big_f * (upper_q(v) + upper_q(v + 2 * a));
      };
      const double lo = std::max(-a, -far);
      const double num = integrate(g, lo, std::max(lo, 0.0)) + integrate(g, std::max(lo, 0.0), far);
      const double c = 1 / (1 + a);
      const double mean = (integrate([&](double z) { return (a + z) * c * normal_pdf(z); }, lo, far) +
                           integrate([&](double z) { return -(a + z) * c * normal_pdf(z); }, -far, std::min(-a, far))) /
                          c;
      return num / mean;
    }
    case SparsityKernel::relu2: {
      // y = gamma^2 r^2, r >= 0: F = Phi(r - t), dy = 2 gamma^2 r dr.
      if (t >= 0) {
        if (!std::isfinite(t)) return 0.0;
        const double c = 1 + t, lo = std::max(-t, -far);  // r = t + v
        const double num = integrate([&](double v) { return 2 * (t + v) / c * upper_q(-v) * upper_q(v) / c; }, lo, far);
        const double den = integrate(
            [&](double z) {
              const double x = (t + z) / c;
              return x * x * normal_pdf(z);
            },
            lo, far);
        return num / den;
      }
      const double s = -t;
      if (s > far) return 1.0;  // 1 - G is of the order of Q(s) < 1e-349
      // Divided by phi(s): Q(u + s)/phi(s) = e^(ln Q(u + s) + s^2/2) sqrt(2 pi).
      const double log_root_two_pi = 0.5 * std::log(2 * std::numbers::pi);
      const double num = integrate(
          [&](double u) {
            return 2 * u * upper_q(-(u + s)) * std::exp(log_upper_q(u + s) + s * s / 2 + log_root_two_pi);
          },
          0, far);
      const double den = integrate([s](double u) { return u * u * std::exp(-s * u - u * u / 2); }, 0, far);
      return num / den;
    }
  }
  return nan_value;
}

std::size_t mass95_keys_linear_rnn(double lambda, std::size_t n) {
  sparsity_linear_rnn(lambda, n);  // the input checks
  const double nn = static_cast<double>(n);
  // The k largest weights 1, lambda, ..., lambda^(k-1) hold (1 - lambda^k)/(1 - lambda^n) of the mass.
  const double k =
      lambda == 1 ? mass_share * nn : std::log1p(mass_share * std::expm1(nn * std::log(lambda))) / std::log(lambda);
  const double keys = std::ceil(k - 1e-9 * std::max(1.0, k));  // a k on an integer up to rounding counts as it
  return static_cast<std::size_t>(std::clamp(keys, 1.0, nn));
}

std::size_t mass95_keys_linear_rnn_direct(double lambda, std::size_t n) {
  sparsity_linear_rnn(lambda, n);
  double total = 0, w = 1;
  for (std::size_t j = 0; j < n; ++j, w *= lambda) total += w;
  double top = 0;
  w = 1;
  for (std::size_t k = 1; k <= n; ++k, w *= lambda) {
    top += w;
    if (top >= mass_share * total * (1 - 1e-12)) return k;
  }
  return n;
}

double gini_linear_rnn(double lambda, std::size_t n) {
  sparsity_linear_rnn(lambda, n);
  if (lambda == 1 || n == 1) return 0.0;
  // Σ_k (n − 1 − 2k) λ^k = P / (1 − λ)² with P = (n − 1) a_(n+1) − (n + 1)(a_n − a_1), a_m = 1 − λ^m (expm1), and
  // A = a_n / a_1: G = P / (n a_1 a_n). P vanishes like (n mu)^3 as mu = −ln λ → 0, so its rounding grows like
  // eps / (n mu)^2; below n mu = 1e-3 the pairs (k, n − 1 − k) are summed instead, every term positive.
  const double nn = static_cast<double>(n), mu = -std::log(lambda);
  const auto a = [mu](double m) { return -std::expm1(-m * mu); };
  if (nn * mu >= 1e-3) return ((nn - 1) * a(nn + 1) - (nn + 1) * (a(nn) - a(1))) / (nn * a(1) * a(nn));
  double num = 0;
  for (std::size_t k = 0; 2 * k + 1 < n; ++k) {
    const double gap = nn - 1 - 2 * static_cast<double>(k);
    num += gap * std::exp(-static_cast<double>(k) * mu) * a(gap);
  }
  return num * a(1) / (nn * a(nn));
}

double gini_linear_rnn_direct(double lambda, std::size_t n) {
  sparsity_linear_rnn(lambda, n);
  // Σ_(i<j) (λ^i − λ^j) = Σ_k (n − 1 − 2k) λ^k over the weights sorted from the largest.
  const double nn = static_cast<double>(n);
  double num = 0, total = 0, w = 1;
  for (std::size_t k = 0; k < n; ++k, w *= lambda) {
    num += (nn - 1 - 2 * static_cast<double>(k)) * w;
    total += w;
  }
  return num / (nn * total);
}

ConcentrationEstimate concentration_monte_carlo(SparsityKernel kernel, double beta, double gamma, std::size_t n,
                                                std::uint64_t seed, std::uint64_t stream) {
  return monte_carlo_keys(kernel, beta, gamma, n, seed, stream, concentration_of);
}

ConcentrationEstimate concentration_monte_carlo_positive_linear(double beta, double gamma, std::size_t n,
                                                                std::uint64_t seed, std::uint64_t stream) {
  return monte_carlo_keys(std::nullopt, beta, gamma, n, seed, stream, concentration_of);
}

}  // namespace attn
