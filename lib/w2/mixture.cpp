#include "w2/mixture.hpp"

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <numeric>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "w2/flow.hpp"

namespace w2 {

void check(const Mixture& m) {
  const std::size_t k = m.weights.size();
  if (k == 0 || m.means.size() != k || m.variances.size() != k)
    throw core::InputError("--weights: expected as many weights as --means and --variances (at least one), got " +
                           std::to_string(k) + ", " + std::to_string(m.means.size()) + " and " +
                           std::to_string(m.variances.size()));
  double sum = 0;
  for (double w : m.weights) {
    if (!(w >= 0) || !std::isfinite(w))
      throw core::InputError("--weights: expected finite weights >= 0, got " + core::format_double(w));
    sum += w;
  }
  if (std::abs(sum - 1) > 1e-9)
    throw core::InputError("--weights: expected weights that sum to 1, got a sum of " + core::format_double(sum));
  for (double v : m.variances)
    if (!(v > 0) || !std::isfinite(v))
      throw core::InputError("--variances: expected finite variances > 0, got " + core::format_double(v));
  for (double mu : m.means)
    if (!std::isfinite(mu)) throw core::InputError("--means: expected finite means, got " + core::format_double(mu));
}

ScoreValue mixture_score(const Mixture& data, double m, double s2, double x, double shift, double var_scale) {
  // gamma_k = softmax over k of log(w_k / sqrt(v_k)) - u_k^2 / (2 v_k), with the largest exponent taken out
  // (one sqrt and one exp per component); s = sum gamma_k z_k with z_k = -u_k / v_k, and
  // s' = sum gamma_k (z_k^2 - 1/v_k) - s^2.
  constexpr std::size_t small = 16;
  const std::size_t k = data.weights.size();
  std::array<double, small> e_small{}, v_small{};
  std::vector<double> e_big(k > small ? k : 0), v_big(k > small ? k : 0);
  double* e = k > small ? e_big.data() : e_small.data();
  double* v = k > small ? v_big.data() : v_small.data();
  double top = -INFINITY;
  for (std::size_t i = 0; i < k; ++i) {
    v[i] = m * m * var_scale * data.variances[i] + s2;
    const double u = x - m * (data.means[i] + shift);
    e[i] = -0.5 * u * u / v[i];
    if (data.weights[i] > 0) top = std::max(top, e[i]);
  }
  double z = 0, s = 0, second = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double g = data.weights[i] / std::sqrt(v[i]) * std::exp(e[i] - top);
    const double zi = -(x - m * (data.means[i] + shift)) / v[i];
    z += g;
    s += g * zi;
    second += g * (zi * zi - 1 / v[i]);
  }
  s /= z;
  return {s, second / z - s * s};
}

double mixture_density(const Mixture& data, double m, double s2, double x) {
  double p = 0;
  for (std::size_t i = 0; i < data.weights.size(); ++i) {
    const double v = m * m * data.variances[i] + s2, u = x - m * data.means[i];
    p += data.weights[i] * std::exp(-0.5 * u * u / v) / std::sqrt(2 * M_PI * v);
  }
  return p;
}

namespace {

Mixture wrong_mixture(const Mixture& data, double eta) {
  Mixture w = data;
  for (auto& mu : w.means) mu += eta;
  for (auto& v : w.variances) v *= 1 + eta;
  return w;
}

// The [lo, hi] that holds every component of p_t and of the wrong mixture to +-12 standard deviations.
std::pair<double, double> support(const MixtureCase& c, double t) {
  const double m = c.vp.mean_scale(t), s2 = c.vp.noise_var(t);
  double lo = INFINITY, hi = -INFINITY;
  const Mixture wrong = wrong_mixture(c.data, std::abs(c.eta));
  for (const Mixture* mix : {&c.data, &wrong})
    for (std::size_t i = 0; i < mix->means.size(); ++i) {
      const double sd = std::sqrt(m * m * mix->variances[i] + s2);
      lo = std::min(lo, m * mix->means[i] - 12 * sd);
      hi = std::max(hi, m * mix->means[i] + 12 * sd);
    }
  return {lo, hi};
}

}  // namespace

namespace {

// m_t and sigma_t^2 at one t, computed once for the many x that the grid and the quadrature visit.
struct Marginal {
  double t, m, s2;
};

Marginal marginal(const MixtureCase& c, double t) {
  return {t, c.vp.mean_scale(t), c.vp.noise_var(t)};
}

ScoreValue true_score(const MixtureCase& c, const Marginal& p, double x) {
  return mixture_score(c.data, p.m, p.s2, x);
}

ScoreValue model_score(const MixtureCase& c, const Marginal& p, double x) {
  switch (c.error) {
    case ScoreError::bias: {
      const auto s = true_score(c, p, x);
      return {s.score + c.eta, s.slope};
    }
    case ScoreError::scale: {
      const auto s = true_score(c, p, x);
      return {(1 + c.eta) * s.score, (1 + c.eta) * s.slope};
    }
    case ScoreError::wrong_gaussian:
      return mixture_score(c.data, p.m, p.s2, x, c.eta, 1 + c.eta);
    case ScoreError::time_linear: {
      const auto s = true_score(c, p, x);
      const double a = c.eta * p.t / c.vp.t_end;
      return {s.score + a * x, s.slope + a};
    }
  }
  throw std::logic_error("unknown score error");
}

}  // namespace

ScoreValue true_score(const MixtureCase& c, double t, double x) {
  return true_score(c, marginal(c, t), x);
}

ScoreValue model_score(const MixtureCase& c, double t, double x) {
  return model_score(c, marginal(c, t), x);
}

SlopeRange model_slope_range(const MixtureCase& c, double t) {
  // The slope varies on the scale of the narrowest component's standard deviation: the grid puts 20
  // points on each such length (at least 200, at most 20000 cells), and Brent's method then polishes the
  // best cell to ~2^-40 relative. Outside the grid (+-12 standard deviations of every component) the
  // slope is within e^-72 of its tail value -1/v of the widest component, which the grid ends see.
  const auto [lo, hi] = support(c, t);
  double sd_min = INFINITY;
  const Marginal p = marginal(c, t);
  for (double v : c.data.variances) sd_min = std::min(sd_min, std::sqrt(p.m * p.m * v + p.s2));
  const int cells = static_cast<int>(std::clamp(std::ceil(20 * (hi - lo) / sd_min), 200.0, 20000.0));
  const double h = (hi - lo) / cells;
  int arg_lo = 0, arg_hi = 0;
  double v_lo = INFINITY, v_hi = -INFINITY;
  for (int i = 0; i <= cells; ++i) {
    const double v = model_score(c, p, lo + i * h).slope;
    if (v < v_lo) v_lo = v, arg_lo = i;
    if (v > v_hi) v_hi = v, arg_hi = i;
  }
  auto polish = [&](int i, double sign) {
    const double a = lo + std::max(i - 1, 0) * h, b = lo + std::min(i + 1, cells) * h;
    const auto best =
        boost::math::tools::brent_find_minima([&](double x) { return -sign * model_score(c, p, x).slope; }, a, b, 40);
    return -sign * best.second;
  };
  return {std::min(v_lo, polish(arg_lo, -1)), std::max(v_hi, polish(arg_hi, 1))};
}

LocalRates mixture_rates(const MixtureCase& c, double t) {
  const double beta = c.vp.beta(t);
  const SlopeRange s = model_slope_range(c, t);
  // g'(x) = -1/2 beta (1 + s'(x)); the slope range is polished to far below this relative margin.
  constexpr double margin = 1e-9;
  const double g_hi = -0.5 * beta * (1 + s.lo), g_lo = -0.5 * beta * (1 + s.hi);
  LocalRates r;
  r.lipschitz[proof] = g_hi + margin * std::abs(g_hi);
  r.lipschitz[backward] = -g_lo + margin * std::abs(g_lo);
  r.lipschitz[two_sided] = std::max(std::abs(g_hi), std::abs(g_lo)) * (1 + margin);
  // e_t = 1/2 beta (int p_t (s* - s)^2)^1/2 by adaptive Gauss-Kronrod, split at the component means.
  const Marginal p = marginal(c, t);
  const auto [lo, hi] = support(c, t);
  std::vector<double> cuts{lo, hi};
  for (double mu : c.data.means) cuts.push_back(std::clamp(p.m * mu, lo, hi));
  std::sort(cuts.begin(), cuts.end());
  auto integrand = [&](double x) {
    const double d = true_score(c, p, x).score - model_score(c, p, x).score;
    return mixture_density(c.data, p.m, p.s2, x) * d * d;
  };
  double sq = 0;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i)
    if (cuts[i + 1] > cuts[i])
      sq += boost::math::quadrature::gauss_kronrod<double, 31>::integrate(integrand, cuts[i], cuts[i + 1], 15, 1e-11);
  r.drift_error = 0.5 * beta * std::sqrt(std::max(sq, 0.0));
  return r;
}

std::vector<double> sample_prior(const MixtureCase& c) {
  core::Rng rng = core::rng_stream(c.seed, c.stream);
  boost::random::discrete_distribution<std::size_t> pick(c.data.weights.begin(), c.data.weights.end());
  boost::random::normal_distribution<double> normal;
  const double m = c.vp.mean_scale(c.vp.t_end), s = std::sqrt(c.vp.noise_var(c.vp.t_end));
  std::vector<double> x(c.particles);
  for (auto& xi : x) {
    const std::size_t k = pick(rng);
    const double x0 = c.data.means[k] + std::sqrt(c.data.variances[k]) * normal(rng);
    xi = m * x0 + s * normal(rng);
  }
  return x;
}

RootMeanSquare root_mean_square(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t n = a.size();
  double mean = 0, m2 = 0;  // Welford over d_i^2
  for (std::size_t i = 0; i < n; ++i) {
    const double d2 = (a[i] - b[i]) * (a[i] - b[i]), delta = d2 - mean;
    mean += delta / double(i + 1);
    m2 += delta * (d2 - mean);
  }
  const double value = std::sqrt(mean), se_sq = n > 1 ? std::sqrt(m2 / double(n - 1) / double(n)) : 0;
  return {value, value > 0 ? se_sq / (2 * value) : std::sqrt(se_sq)};
}

double sorted_w2(std::vector<double> a, std::vector<double> b) {
  for (auto* v : {&a, &b})
    if (!std::is_sorted(v->begin(), v->end())) std::sort(v->begin(), v->end());
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum / double(a.size()));
}

std::vector<double> density_histogram(const std::vector<double>& values, double lo, double hi, unsigned bins) {
  std::vector<double> out(bins, 0.0);
  const double width = (hi - lo) / bins;
  for (double v : values) {
    const double k = std::floor((v - lo) / width);
    if (k >= 0 && k < bins) out[static_cast<std::size_t>(k)] += 1;
  }
  for (auto& o : out) o /= double(values.size()) * width;
  return out;
}

MixtureResult mixture_w2(const MixtureCase& c) {
  MixtureResult out;
  // The bound needs no particles: it runs beside the blocks.
  FlowResult flow = particle_flow(c, sample_prior(c), best_simd(), [&] {
    out.terms = bound_terms(
        c.vp.t_end, [&](double t) { return mixture_rates(c, t); }, bound_tolerance);
  });
  out.p0 = std::move(flow.p0);
  out.q0 = std::move(flow.q0);
  out.particle_steps = flow.particle_steps;
  out.min_block_steps = flow.min_steps;
  out.max_block_steps = flow.max_steps;
  const auto rms = root_mean_square(out.p0, out.q0);
  out.w2_coupling = rms.value;
  out.w2_coupling_se = rms.se;
  // Read in the order of the starting points, the clouds are already sorted unless the flow crossed two
  // particles (it cannot in exact arithmetic), so sorted_w2 has nothing left to sort.
  auto by_start = [&](const std::vector<double>& cloud) {
    std::vector<double> v(cloud.size());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = cloud[flow.order[i]];
    return v;
  };
  out.w2 = sorted_w2(by_start(out.p0), by_start(out.q0));
  return out;
}

}  // namespace w2
