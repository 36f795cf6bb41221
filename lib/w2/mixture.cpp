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

ScoreValue true_score(const MixtureCase& c, double t, double x) {
  return mixture_score(c.data, c.vp.mean_scale(t), c.vp.noise_var(t), x);
}

ScoreValue model_score(const MixtureCase& c, double t, double x) {
  switch (c.error) {
    case ScoreError::bias: {
      const auto s = true_score(c, t, x);
      return {s.score + c.eta, s.slope};
    }
    case ScoreError::scale: {
      const auto s = true_score(c, t, x);
      return {(1 + c.eta) * s.score, (1 + c.eta) * s.slope};
    }
    case ScoreError::wrong_gaussian:
      return mixture_score(c.data, c.vp.mean_scale(t), c.vp.noise_var(t), x, c.eta, 1 + c.eta);
    case ScoreError::time_linear: {
      const auto s = true_score(c, t, x);
      const double a = c.eta * t / c.vp.t_end;
      return {s.score + a * x, s.slope + a};
    }
  }
  throw std::logic_error("unknown score error");
}

SlopeRange model_slope_range(const MixtureCase& c, double t) {
  // The slope varies on the scale of the narrowest component's standard deviation: the grid puts 20
  // points on each such length (at least 200, at most 20000 cells), and Brent's method then polishes the
  // best cell to ~2^-40 relative. Outside the grid (+-12 standard deviations of every component) the
  // slope is within e^-72 of its tail value -1/v of the widest component, which the grid ends see.
  const auto [lo, hi] = support(c, t);
  double sd_min = INFINITY;
  const double m = c.vp.mean_scale(t), s2 = c.vp.noise_var(t);
  for (double v : c.data.variances) sd_min = std::min(sd_min, std::sqrt(m * m * v + s2));
  const int cells = static_cast<int>(std::clamp(std::ceil(20 * (hi - lo) / sd_min), 200.0, 20000.0));
  const double h = (hi - lo) / cells;
  int arg_lo = 0, arg_hi = 0;
  double v_lo = INFINITY, v_hi = -INFINITY;
  for (int i = 0; i <= cells; ++i) {
    const double v = model_score(c, t, lo + i * h).slope;
    if (v < v_lo) v_lo = v, arg_lo = i;
    if (v > v_hi) v_hi = v, arg_hi = i;
  }
  auto polish = [&](int i, double sign) {
    const double a = lo + std::max(i - 1, 0) * h, b = lo + std::min(i + 1, cells) * h;
    const auto best =
        boost::math::tools::brent_find_minima([&](double x) { return -sign * model_score(c, t, x).slope; }, a, b, 40);
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
  const double m = c.vp.mean_scale(t), s2 = c.vp.noise_var(t);
  const auto [lo, hi] = support(c, t);
  std::vector<double> cuts{lo, hi};
  for (double mu : c.data.means) cuts.push_back(std::clamp(m * mu, lo, hi));
  std::sort(cuts.begin(), cuts.end());
  auto integrand = [&](double x) {
    const double d = true_score(c, t, x).score - model_score(c, t, x).score;
    return mixture_density(c.data, m, s2, x) * d * d;
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
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
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

namespace {

// A component of the mixture diffused to time t, as the particle loop needs it.
struct Component {
  double coef, mean, inv_var;  // w / sqrt(v), m_t (mu + shift), 1 / v
};

std::vector<Component> diffuse(const Mixture& data, double m, double s2, double shift, double var_scale) {
  std::vector<Component> out;
  for (std::size_t i = 0; i < data.weights.size(); ++i) {
    const double v = m * m * var_scale * data.variances[i] + s2;
    if (data.weights[i] > 0) out.push_back({data.weights[i] / std::sqrt(v), m * (data.means[i] + shift), 1 / v});
  }
  return out;
}

// The same softmax as mixture_score, without the slope; the largest term needs no exp (it is 1).
inline double score_at(const std::vector<Component>& comps, double x) {
  std::size_t arg = 0;
  double top = -INFINITY;
  for (std::size_t k = 0; k < comps.size(); ++k) {
    const double u = x - comps[k].mean, e = -0.5 * u * u * comps[k].inv_var;
    if (e > top) top = e, arg = k;
  }
  double z = 0, s = 0;
  for (std::size_t k = 0; k < comps.size(); ++k) {
    const auto& c = comps[k];
    const double u = x - c.mean, g = c.coef * (k == arg ? 1.0 : std::exp(-0.5 * u * u * c.inv_var - top));
    z += g;
    s -= g * u * c.inv_var;
  }
  return s / z;
}

}  // namespace

MixtureResult mixture_w2(const MixtureCase& c) {
  const std::vector<double> start = sample_prior(c);
  const std::size_t n = start.size();
  MixtureResult out;
  // The whole cloud (true flow, then model flow) is one state under one adaptive step size, controlled in
  // the max norm over every particle; each particle's derivative is computed on its own, so the result
  // does not depend on the number of threads.
  std::vector<double> state(2 * n);
  std::copy(start.begin(), start.end(), state.begin());
  std::copy(start.begin(), start.end(), state.begin() + static_cast<std::ptrdiff_t>(n));
  const bool wrong = c.error == ScoreError::wrong_gaussian;
  auto system = [&](const std::vector<double>& x, std::vector<double>& dxdt, double t) {
    const double half_beta = 0.5 * c.vp.beta(t), m = c.vp.mean_scale(t), s2 = c.vp.noise_var(t);
    const auto truth = diffuse(c.data, m, s2, 0, 1);
    const auto model = wrong ? diffuse(c.data, m, s2, c.eta, 1 + c.eta) : truth;
    const double bias = c.error == ScoreError::bias ? c.eta : 0, scale = c.error == ScoreError::scale ? 1 + c.eta : 1;
    const double linear = c.error == ScoreError::time_linear ? c.eta * t / c.vp.t_end : 0;
#pragma omp parallel for schedule(static) num_threads(c.threads)
    for (std::size_t i = 0; i < n; ++i) {
      const double xi = x[i], yi = x[n + i];
      dxdt[i] = -half_beta * (xi + score_at(truth, xi));
      dxdt[n + i] = -half_beta * (yi + scale * score_at(model, yi) + bias + linear * yi);
    }
  };
  const auto stats = integrate_checked(system, state, c.vp.t_end, 0.0, c.tol, "the particle flow");
  out.p0.assign(state.begin(), state.begin() + static_cast<std::ptrdiff_t>(n));
  out.q0.assign(state.begin() + static_cast<std::ptrdiff_t>(n), state.end());
  out.particle_steps = stats.steps * n;
  const auto rms = root_mean_square(out.p0, out.q0);
  out.w2_coupling = rms.value;
  out.w2_coupling_se = rms.se;
  out.w2 = sorted_w2(out.p0, out.q0);
  out.terms = bound_terms(
      c.vp.t_end, [&](double t) { return mixture_rates(c, t); }, bound_tolerance);
  return out;
}

}  // namespace w2
