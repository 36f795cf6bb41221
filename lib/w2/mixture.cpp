#include "w2/mixture.hpp"

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

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
    case ScoreError::wrong_gaussian: return mixture_score(c.data, p.m, p.s2, x, c.eta, 1 + c.eta);
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

namespace {

// A component of the diffused mixture: log(w / sqrt(v)), centre m (mu + shift), variance m^2 scale v0 + s2
// (v0 the data variance, kept so that differences of variances are formed without cancellation).
struct LogComponent {
  double log_coef, centre, var, data_var;
};

struct DiffusedMixture {
  std::vector<LogComponent> comps;  // only the components of positive weight
  double var_scale;                 // m^2 var_scale: v_j - v_k = var_scale (v0_j - v0_k)
};

DiffusedMixture log_mixture(const Mixture& data, double m, double s2, double shift, double var_scale) {
  DiffusedMixture d{{}, m * m * var_scale};
  for (std::size_t i = 0; i < data.weights.size(); ++i) {
    if (!(data.weights[i] > 0)) continue;
    const double v = m * m * var_scale * data.variances[i] + s2;
    d.comps.push_back(
        {std::log(data.weights[i]) - 0.5 * std::log(v), m * (data.means[i] + shift), v, data.variances[i]});
  }
  return d;
}

// s'(x) = Var_gamma(z) - E_gamma[1/v] with z_k = -(x - c_k)/v_k, written around the component of largest
// responsibility (index `top`): the plain form sum gamma (z^2 - 1/v) - s^2 cancels z^2 ~ (x/v)^2 against
// s^2, which costs ~1e-9 absolute at x ~ -500, more than the tail effects this range must see.
double stable_slope(const DiffusedMixture& d, double x) {
  const std::size_t k = d.comps.size();
  std::size_t top = 0;
  std::vector<double> r(k);
  for (std::size_t i = 0; i < k; ++i) {
    const double u = x - d.comps[i].centre;
    r[i] = d.comps[i].log_coef - 0.5 * u * u / d.comps[i].var;
    if (r[i] > r[top]) top = i;
  }
  const LogComponent& t = d.comps[top];
  const double u_top = x - t.centre;
  double z = 0, mean_dz = 0, mean_dinv = 0;
  std::vector<double> gamma(k), dz(k);
  for (std::size_t i = 0; i < k; ++i) {
    const LogComponent& c = d.comps[i];
    // 1/v_i - 1/v_top from the data variances, and log gamma_i - log gamma_top with u_i^2/v_i - u_top^2/v_top
    // = (u_i - u_top)(u_i + u_top)/v_i + u_top^2 (1/v_i - 1/v_top): each of the two squares is ~(x/sd)^2, and
    // their plain difference would carry that much rounding into the weights.
    const double dinv = d.var_scale * (t.data_var - c.data_var) / (c.var * t.var), u = x - c.centre;
    gamma[i] = i == top ? 1
                        : std::exp(c.log_coef - t.log_coef -
                                   0.5 * ((t.centre - c.centre) * (u + u_top) / c.var + u_top * u_top * dinv));
    z += gamma[i];
    // z_i - z_top = x (1/v_top - 1/v_i) + c_i/v_i - c_top/v_top.
    dz[i] = -x * dinv + (c.centre / c.var - t.centre / t.var);
    mean_dinv += gamma[i] * dinv;
    mean_dz += gamma[i] * dz[i];
  }
  mean_dz /= z;
  double var_dz = 0;
  for (std::size_t i = 0; i < k; ++i) var_dz += gamma[i] * (dz[i] - mean_dz) * (dz[i] - mean_dz);
  return var_dz / z - 1 / t.var - mean_dinv / z;
}

// Between components j and k, D(x) = log gamma_j - log gamma_k = A x^2 + B x + C0, and s' can only move
// where some |D| is moderate. Beyond |D| > transition_log_ratio the smaller of the two carries a relative
// weight below e^-60 ~ 1e-26, and its share of s' (gamma (D'^2 + |1/v_j - 1/v_k|), D' = z_j - z_k) stays
// far below double rounding unless the means are ~10^10 standard deviations apart.
constexpr double transition_log_ratio = 60;

struct PairWindow {
  double a, b;    // A and B of D(x) for this pair (D'(x) = 2 A x + B)
  double lo, hi;  // one interval of x where |D(x)| <= transition_log_ratio
};

// The real roots of a x^2 + b x + c = 0, by the cancellation-free formula (a may be 0).
std::vector<double> quadratic_roots(double a, double b, double c) {
  if (a == 0) return b == 0 ? std::vector<double>{} : std::vector<double>{-c / b};
  const double disc = b * b - 4 * a * c;
  if (disc < 0) return {};
  const double q = -0.5 * (b + std::copysign(std::sqrt(disc), b));
  if (q == 0) return {0.0};
  return {q / a, c / q};
}

std::vector<PairWindow> pair_windows(const DiffusedMixture& d) {
  std::vector<PairWindow> out;
  for (std::size_t j = 0; j < d.comps.size(); ++j)
    for (std::size_t k = j + 1; k < d.comps.size(); ++k) {
      const LogComponent &p = d.comps[j], &q = d.comps[k];
      const double a = 0.5 * d.var_scale * (p.data_var - q.data_var) / (p.var * q.var);  // 1/(2v_k) - 1/(2v_j)
      const double b = p.centre / p.var - q.centre / q.var;
      const double c = p.log_coef - q.log_coef - 0.5 * p.centre * p.centre / p.var + 0.5 * q.centre * q.centre / q.var;
      if (a == 0 && b == 0) continue;  // the same Gaussian twice: no transition between them
      std::vector<double> roots = quadratic_roots(a, b, c - transition_log_ratio);
      for (double x : quadratic_roots(a, b, c + transition_log_ratio)) roots.push_back(x);
      std::sort(roots.begin(), roots.end());
      for (std::size_t i = 0; i + 1 < roots.size(); ++i) {
        const double mid = 0.5 * (roots[i] + roots[i + 1]);
        if (std::abs((a * mid + b) * mid + c) <= transition_log_ratio) out.push_back({a, b, roots[i], roots[i + 1]});
      }
    }
  return out;
}

// The points where s' is sampled: every window's ends, and inside the windows steps of at most
// step_fraction / (sqrt|A| + |D'(x)|/2) for each window that holds x. In the variable tau = sqrt|A| (x - x*)
// the pair's share of s' is a function of tau^2 + D_min, smooth on the scale 1 / (1 + |tau|); the step
// moves D by at most 2 step_fraction. Outside every window s' is constant to rounding (one component holds
// all the weight), so the windows' ends see it.
constexpr double step_fraction = 0.1;

std::vector<double> slope_grid(const DiffusedMixture& d, const std::vector<PairWindow>& windows) {
  std::vector<double> ends;
  for (const auto& w : windows) ends.insert(ends.end(), {w.lo, w.hi});
  if (ends.empty()) return {d.comps.front().centre};
  std::sort(ends.begin(), ends.end());
  std::vector<double> x{ends.front()};
  for (std::size_t i = 0; i + 1 < ends.size(); ++i) {
    const double stop = ends[i + 1];
    for (double at = ends[i]; at < stop;) {
      double step = INFINITY;
      for (const auto& w : windows)
        if (w.lo <= at && at < w.hi)
          step = std::min(step, step_fraction / (std::sqrt(std::abs(w.a)) + 0.5 * std::abs(2 * w.a * at + w.b)));
      at = std::min(stop, at + step);
      if (at > x.back()) x.push_back(at);
    }
  }
  return x;
}

}  // namespace

SlopeRange mixture_slope_range(const Mixture& data, double m, double s2, double shift, double var_scale) {
  // The limit at +-infinity: there the component of largest variance (of those, the one with the extreme
  // mean on that side) takes all the weight, so s' -> -1/v_max. It is approached from above: with the other
  // components' weights gamma_o -> 0, s' + 1/v_max = sum_o gamma_o ((z_o - z_max)^2 + 1/v_max - 1/v_o) + O(gamma^2),
  // where (z_o - z_max)^2 grows like x^2 when v_o < v_max and is the constant ((c_o - c_max)/v)^2 > 0 when the
  // variances are equal, while 1/v_max - 1/v_o <= 0 is bounded. So the supremum is attained at a finite
  // critical point, and the infimum is either attained or is the limit -1/v_max itself.
  const DiffusedMixture d = log_mixture(data, m, s2, shift, var_scale);
  double v_max = 0;
  for (const auto& c : d.comps) v_max = std::max(v_max, c.var);
  const std::vector<double> x = slope_grid(d, pair_windows(d));
  std::vector<double> s(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) s[i] = stable_slope(d, x[i]);
  SlopeRange out{std::min(-1 / v_max, *std::min_element(s.begin(), s.end())), *std::max_element(s.begin(), s.end())};
  // Brent's method on the few best local extrema of the grid (the grid's value is within a small fraction
  // of a bump's height of its peak, so the best peaks are among them); in the plateaus rounding makes
  // spurious local extrema, which lie at plateau values and can only tie.
  constexpr std::size_t polished = 4;
  for (const double sign : {1.0, -1.0}) {
    std::vector<std::size_t> peaks;
    for (std::size_t i = 1; i + 1 < x.size(); ++i)
      if (sign * s[i] >= sign * s[i - 1] && sign * s[i] >= sign * s[i + 1]) peaks.push_back(i);
    const std::size_t n = std::min(polished, peaks.size());
    std::partial_sort(peaks.begin(), peaks.begin() + n, peaks.end(),
                      [&](std::size_t i, std::size_t j) { return sign * s[i] > sign * s[j]; });
    for (std::size_t p = 0; p < n; ++p) {
      const std::size_t i = peaks[p];
      // In the offset from the grid point: Brent's tolerance is relative to the argument, and at x ~ 70 a
      // relative 1.5e-8 would cost ~1e-11 of a narrow peak's height.
      const auto best =
          boost::math::tools::brent_find_minima([&](double y) { return -sign * stable_slope(d, x[i] + y); },
                                                x[i - 1] - x[i], x[i + 1] - x[i], std::numeric_limits<double>::digits);
      const double v = -sign * best.second;
      if (sign > 0)
        out.hi = std::max(out.hi, v);
      else
        out.lo = std::min(out.lo, v);
    }
  }
  return out;
}

SlopeRange model_slope_range(const MixtureCase& c, double t) {
  const Marginal p = marginal(c, t);
  switch (c.error) {
    case ScoreError::bias: return mixture_slope_range(c.data, p.m, p.s2);
    case ScoreError::scale: {
      const SlopeRange r = mixture_slope_range(c.data, p.m, p.s2);
      const double f = 1 + c.eta;
      return f >= 0 ? SlopeRange{f * r.lo, f * r.hi} : SlopeRange{f * r.hi, f * r.lo};
    }
    case ScoreError::wrong_gaussian: return mixture_slope_range(c.data, p.m, p.s2, c.eta, 1 + c.eta);
    case ScoreError::time_linear: {
      const SlopeRange r = mixture_slope_range(c.data, p.m, p.s2);
      const double a = c.eta * p.t / c.vp.t_end;
      return {r.lo + a, r.hi + a};
    }
  }
  throw std::logic_error("unknown score error");
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
