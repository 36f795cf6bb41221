#include "jl/tails.hpp"

#include <algorithm>
#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"

namespace jl {

namespace {

// Below e^-800 a term is 0 in double (and Boost's series for a tiny x, x^a/Γ(a + 1), overflows Γ and
// throws for a ≳ 1755: n = 4096, eps = 1 - 2^-53 did). P(a, x) ≤ x^a e^-x/Γ(a + 1)/(1 - x/(a + 1)) for
// x < a + 1, and f_Γ(a)(x) = x^(a-1) e^-x/Γ(a).
constexpr long double negligible_log = -800;

long double lower_gamma_tail(long double a, long double x) {
  const long double log_bound = a * std::log(x) - x - std::lgamma(a + 1) - std::log1p(-x / (a + 1));
  return log_bound < negligible_log ? 0.0L : boost::math::gamma_p(a, x);
}

}  // namespace

double norm_tail_exact(unsigned n, double eps) {
  // In long double: Boost's double incomplete gamma loses up to 2e-12 relative for large n/2 in the far
  // tail (n = 555718, eps = 0.07: 1.1e-286), its long double one 4e-15 (tests/jl/test_tail_accuracy.cpp).
  const long double k = n / 2.0L, e = eps;
  const long double upper = boost::math::gamma_q(k, k * (1 + e));
  const long double lower = eps < 1 ? lower_gamma_tail(k, k * (1 - e)) : 0.0L;
  return static_cast<double>(upper + lower);
}

double norm_tail_chernoff(unsigned n, double eps) {
  const double upper = std::exp(n * (std::log1p(eps) - eps) / 2);
  const double lower = eps < 1 ? std::exp(n * (std::log1p(-eps) + eps) / 2) : 0.0;
  return upper + lower;
}

double norm_tail_bound(unsigned n, double eps) {
  return 2 * std::exp(-eps * eps * n / 8);
}

ExactTail ortho_tail_exact(unsigned n, double eps) {
  const double k = n / 2.0, shift = n * eps;
  // x = B/2 ~ Gamma(k, 1); P(A/2 >= nε + x) = Q(k, nε + x).
  // The density is skipped where it is below e^-800 (tanh-sinh samples x down to ~1e-300, where
  // gamma_p_derivative overflows Γ for large k and throws: n = 4096, eps = 1e-300 did).
  const double log_gamma_k = std::lgamma(k);
  auto f = [k, shift, log_gamma_k](double x) {
    if ((k - 1) * std::log(x) - x - log_gamma_k < negligible_log) return 0.0;
    return boost::math::gamma_p_derivative(k, x) * boost::math::gamma_q(k, shift + x);
  };
  // The integrand peaks near x = c = k − nε/2 (where the two Gaussian-like factors balance) with width
  // ~√k: tanh-sinh on [0, c − w], [c − w, c] and [c, c + w] (w = 10√k), or on [0, c + w] when c < w (it
  // takes the x^(k−1) endpoint singularity for n = 1), exp-sinh beyond. One tanh-sinh over [0, k] missed
  // the peak when it is narrow and far from both ends (n = 362825, eps = 0.036: no convergence, exit 1).
  boost::math::quadrature::tanh_sinh<double> near;
  boost::math::quadrature::exp_sinh<double> far;
  const double w = 10 * std::sqrt(k), c = std::max(0.0, k - shift / 2), lo = std::max(0.0, c - w);
  double half = 0, error = 0;
  auto piece = [&](double a, double b) {
    if (b <= a) return;
    double e = 0;
    half += near.integrate(f, a, b, 1e-13, &e);
    error += e;
  };
  if (lo > 0) {
    piece(0, lo);
    piece(lo, c);
    piece(c, c + w);
  } else {
    piece(0, c + w);  // a peak within w of 0 (c can be ~1e-16: n = 1, eps = 1 - 2^-53)
  }
  double e_far = 0;
  half += far.integrate(f, c + w, std::numeric_limits<double>::infinity(), 1e-13, &e_far);
  error += e_far;
  if (!std::isfinite(half) || error > 1e-9 * half + 1e-300)
    throw core::NumericalError("ortho-tail: the quadrature of the exact law did not converge at n = " +
                               std::to_string(n) + ", eps = " + std::to_string(eps));
  return {2 * half, 2 * error};
}

double ortho_tail_chernoff(unsigned n, double eps) {
  const double t = (std::sqrt(1 + 4 * eps * eps) - 1) / (2 * eps);
  return 2 * std::exp(-static_cast<double>(n) * (t * eps + std::log1p(-t * t) / 2));
}

double ortho_tail_chernoff_via_norm(unsigned n, double eps) {
  return 2 * norm_tail_chernoff(n, eps);
}

double ortho_tail_bound(unsigned n, double eps) {
  return 4 * std::exp(-eps * eps * n / 8);
}

namespace {

constexpr std::size_t chunk = tail_chunk;

// How many of `trials` draws land in the tail, for each ε (norm: |‖u‖² − 1|, ortho: |⟨u, v⟩|).
std::vector<std::size_t> count_chunk(const TailConfig& c, std::size_t point, std::size_t chunk_index,
                                     std::size_t trials) {
  core::Rng rng = core::rng_stream(c.seed, (std::uint64_t{point} << 32) | chunk_index);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  const unsigned n = c.dims[point];
  std::vector<std::size_t> hits(c.eps.size(), 0);
  for (std::size_t t = 0; t < trials; ++t) {
    double s = 0;
    if (c.kind == TailKind::norm) {
      for (unsigned i = 0; i < n; ++i) {
        const double x = normal(rng);
        s += x * x;
      }
      s = std::abs(s / n - 1);
    } else {
      for (unsigned i = 0; i < n; ++i) {
        const double x = normal(rng), y = normal(rng);
        s += x * y;
      }
      s = std::abs(s / n);
    }
    for (std::size_t e = 0; e < c.eps.size(); ++e) hits[e] += s >= c.eps[e];
  }
  return hits;
}

}  // namespace

std::vector<TailRow> tail_study(const TailConfig& c, core::Sweep* sweep) {
  for (unsigned n : c.dims)
    if (n < 1) throw core::InputError("--n: expected dimensions >= 1, got 0");
  for (double e : c.eps)
    if (!(e > 0 && e < 1)) throw core::InputError("--eps: expected values in (0, 1), got " + std::to_string(e));
  const std::size_t chunks = (c.trials + chunk - 1) / chunk;
  const auto counts = core::sweep_map(sweep, c.dims.size() * chunks, c.threads, [&](std::size_t job) {
    const std::size_t point = job / chunks, k = job % chunks;
    return count_chunk(c, point, k, std::min(chunk, c.trials - k * chunk));
  });
  std::vector<TailRow> rows;
  for (std::size_t p = 0; p < c.dims.size(); ++p) {
    const unsigned n = c.dims[p];
    for (std::size_t e = 0; e < c.eps.size(); ++e) {
      std::size_t hits = 0;
      for (std::size_t k = 0; k < chunks; ++k) hits += counts[p * chunks + k][e];
      TailRow r;
      r.n = n;
      r.eps = c.eps[e];
      r.monte_carlo = static_cast<double>(hits) / static_cast<double>(c.trials);
      r.mc_stderr = std::sqrt(r.monte_carlo * (1 - r.monte_carlo) / static_cast<double>(c.trials));
      if (c.kind == TailKind::norm) {
        r.exact = norm_tail_exact(n, r.eps);
        r.chernoff = r.chernoff_via_norm = norm_tail_chernoff(n, r.eps);
        r.bound = norm_tail_bound(n, r.eps);
      } else {
        const auto exact = ortho_tail_exact(n, r.eps);
        r.exact = exact.value;
        r.exact_abs_error = exact.abs_error;
        r.chernoff = ortho_tail_chernoff(n, r.eps);
        r.chernoff_via_norm = ortho_tail_chernoff_via_norm(n, r.eps);
        r.bound = ortho_tail_bound(n, r.eps);
      }
      r.bound_holds = r.exact <= r.chernoff && r.chernoff <= r.bound && r.exact <= r.chernoff_via_norm &&
                      r.chernoff_via_norm <= r.bound;
      rows.push_back(r);
    }
  }
  return rows;
}

double estimated_seconds(const TailConfig& c) {
  // Measured with the Release build on --threads 2 (2 cores shared, load 3-6): the default (4.1e7 draws
  // for norm-tail, 8.2e7 for ortho-tail) took 0.2 and 0.4 s, --trials 200000 6.5 and 12.7 s: 1-3e-8 s per
  // draw and thread; at load 1.4 --trials 100000 (norm) and 50000 (ortho) about 1.0 s: 2e-8 s counted.
  constexpr double seconds_per_draw = 2e-8;
  double draws = 0;
  for (unsigned n : c.dims) draws += (c.kind == TailKind::ortho ? 2.0 : 1.0) * n * static_cast<double>(c.trials);
  const double jobs = static_cast<double>(c.dims.size()) * std::ceil(static_cast<double>(c.trials) / chunk);
  return draws * seconds_per_draw / std::clamp(jobs, 1.0, static_cast<double>(std::max(1u, c.threads)));
}

std::size_t failed_bounds(std::span<const TailRow> rows) {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [](const TailRow& r) { return !r.bound_holds; }));
}

}  // namespace jl
