#include "attn/scale.hpp"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_bessel.h>

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_0F1.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>

#include "attn/softmax_stats.hpp"
#include "core/errors.hpp"
#include "core/parallel.hpp"

namespace attn {

namespace {

void check_d(std::size_t d) {
  if (d < 2) throw core::InputError("d: expected d >= 2, got " + std::to_string(d));
}

// The vertex of a least-squares parabola through the grid points around the best one (the sample mean
// is smooth in α because every α sees the same samples).
double parabola_vertex(std::span<const double> alphas, std::span<const double> g) {
  const std::size_t k = static_cast<std::size_t>(std::max_element(g.begin(), g.end()) - g.begin());
  const std::size_t lo = std::min(std::max<std::size_t>(k, 2) - 2, g.size() - 5), hi = lo + 5;  // g.size() >= 5
  Eigen::MatrixXd a(static_cast<Eigen::Index>(hi - lo), 3);
  Eigen::VectorXd y(a.rows());
  for (std::size_t i = lo; i < hi; ++i) {
    const double t = alphas[i] - alphas[k];
    a.row(static_cast<Eigen::Index>(i - lo)) << 1, t, t * t;
    y(static_cast<Eigen::Index>(i - lo)) = g[i];
  }
  const Eigen::Vector3d c = a.colPivHouseholderQr().solve(y);
  if (!(c(2) < 0)) return alphas[k];
  return std::clamp(alphas[k] - c(1) / (2 * c(2)), alphas[lo], alphas[hi - 1]);
}

// Per row and scale: Σ p² of the sampled rows (row-major, rows x alphas.size()).
std::vector<double> sampled_sum_p2(ScoreModel model, std::size_t n, std::size_t d, std::span<const double> alphas,
                                   const McScaleSettings& s) {
  const std::size_t na = alphas.size();
  std::vector<double> out(s.rows * na);
  if (model == ScoreModel::cosine) {
    const ScoreBatch batch{
        .kind = ScoreKind::cosine, .d = d, .n = n, .queries = s.rows, .seed = s.seed, .stream = s.stream};
    const auto stats = softmax_stats(batch, alphas, s.threads, s.device);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = stats[i].sum_p2;
    return out;
  }
  // i.i.d. N(0, 1) rows; row r draws from its own stream, keyed by the grid point and the row.
  core::parallel_map(s.rows, s.threads, [&](std::size_t r) {
    core::Rng rng = core::rng_stream(s.seed, (s.stream << 24) + r);
    boost::random::normal_distribution<double> normal;
    SoftmaxAccumulator acc(alphas);
    std::vector<double> block(softmax_block);
    for (std::size_t j = 0; j < n; j += softmax_block) {
      const std::size_t m = std::min(softmax_block, n - j);
      for (std::size_t l = 0; l < m; ++l) block[l] = normal(rng);
      acc.add({block.data(), m});
    }
    std::vector<SoftmaxStats> st(na);
    acc.finish(st);
    for (std::size_t a = 0; a < na; ++a) out[r * na + a] = st[a].sum_p2;
    return 0;
  });
  return out;
}

// The sample mean of α (1 − Σ p²) per scale over the rows not in group `skip` (skip >= groups: all rows).
std::vector<double> mean_gradient(std::span<const double> p2, std::span<const double> alphas, std::size_t rows,
                                  std::size_t groups, std::size_t skip) {
  const std::size_t na = alphas.size();
  std::vector<double> sum(na, 0.0);
  std::size_t used = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    if (r % groups == skip) continue;
    ++used;
    for (std::size_t a = 0; a < na; ++a) sum[a] += p2[r * na + a];
  }
  for (std::size_t a = 0; a < na; ++a) sum[a] = alphas[a] * (1 - sum[a] / static_cast<double>(used));
  return sum;
}

}  // namespace

std::string_view to_string(ScoreModel m) {
  return m == ScoreModel::normal ? "normal" : "cosine";
}

namespace {

// ln 0F1(; b; z) by its series in log space, from k = 0 up: every term is positive, so nothing cancels, and
// the running largest term's scale is carried apart (it overflows or underflows a double where both library
// routes fail: e^(-alpha) I_nu(alpha) underflows for nu >> alpha, e.g. d = 65536 at alpha = 1024, while
// 0F1 itself overflows). Neither Boost nor GSL has a log-scaled 0F1 or I_nu, hence this. Term k+1 over
// term k is z / ((b + k)(k + 1)), falling once k passes the largest term (about sqrt(z) or z / b terms in);
// the sum stops there once a term is below 2^-64 of the largest.
double log_0f1_series(double b, double z) {
  const double log_z = std::log(z), stop = 64 * std::log(2.0);
  double lt = 0, top = 0;  // ln of the current term, ln of the largest so far
  long double sum = 1;     // in units of the largest term
  for (double k = 0;; ++k) {
    const double step = log_z - std::log(b + k) - std::log(k + 1);
    lt += step;
    if (lt > top) {
      sum = sum * std::exp(static_cast<long double>(top - lt)) + 1;
      top = lt;
    } else {
      sum += std::exp(static_cast<long double>(lt - top));
      if (step < 0 && lt < top - stop) break;
    }
  }
  return top + static_cast<double>(std::log(sum));
}

}  // namespace

double log_cosine_mgf(double alpha, std::size_t d) {
  check_d(d);
  const double b = static_cast<double>(d) / 2, nu = b - 1;
  if (alpha == 0) return 0;
  // ₀F₁ overflows near e^α ≈ 1e308; beyond α = 600 use ln I_ν(α) = α + ln(e^(−α) I_ν(α)).
  if (alpha < 600) {
    const double f = boost::math::hypergeometric_0F1(b, alpha * alpha / 4);
    if (std::isfinite(f) && f > 0) return std::log(f);
  }
  gsl_sf_result r;
  int status;
  {
    // GSL's default handler aborts on underflow; switch it off around the call (a global, hence the lock).
    static std::mutex gsl_handler;
    std::lock_guard lock(gsl_handler);
    gsl_error_handler_t* old = gsl_set_error_handler_off();
    status = gsl_sf_bessel_Inu_scaled_e(nu, alpha, &r);
    gsl_set_error_handler(old);
  }
  if (status != GSL_SUCCESS || !(r.val > 0)) return log_0f1_series(b, alpha * alpha / 4);
  return boost::math::lgamma(b) + nu * std::log(2 / alpha) + alpha + std::log(r.val);
}

double approx_sum_p2(ScoreModel model, double alpha, double n, std::size_t d) {
  if (model == ScoreModel::normal) return std::exp(alpha * alpha) / n;
  return std::exp(log_cosine_mgf(2 * alpha, d) - 2 * log_cosine_mgf(alpha, d)) / n;
}

ScaleOptimum approx_optimal_scale(ScoreModel model, double n, std::size_t d) {
  if (!(n >= 2)) throw core::InputError("n: expected n >= 2, got " + std::to_string(n));
  if (model == ScoreModel::cosine) check_d(d);
  auto minus_gradient = [&](double a) { return -a * (1 - approx_sum_p2(model, a, n, d)); };
  // The gradient is positive on (0, A) with Σ p² ≈ 1 at A: bracket A by doubling.
  double hi = 1;
  while (approx_sum_p2(model, hi, n, d) < 1) {
    hi *= 2;
    if (hi > 1e6) throw core::NumericalError("approx_optimal_scale: no upper bracket below alpha = 1e6");
  }
  const auto [alpha, value] = boost::math::tools::brent_find_minima(minus_gradient, 0.0, hi, 52);
  return {alpha, -value};
}

McScaleCurve mc_scale_curve(ScoreModel model, std::size_t n, std::size_t d, double guess, const McScaleSettings& s) {
  if (n < 2) throw core::InputError("n: expected n >= 2, got " + std::to_string(n));
  if (s.groups < 2 || s.rows < 2 * s.groups)
    throw core::InputError("rows: expected at least " + std::to_string(2 * s.groups) + " rows, got " +
                           std::to_string(s.rows));
  if (!(guess > 0)) throw core::InputError("alpha: expected a positive starting scale");
  McScaleCurve curve;
  const std::size_t points = mc_scale_points;
  for (std::size_t i = 0; i < points; ++i)
    curve.alphas.push_back(guess * std::pow(64.0, static_cast<double>(i) / static_cast<double>(points - 1)) / 4);
  const auto p2 = sampled_sum_p2(model, n, d, curve.alphas, s);
  curve.gradient = mean_gradient(p2, curve.alphas, s.rows, s.groups, s.groups);
  for (std::size_t a = 0; a < points; ++a) {
    double mean = 0, sum_sq_dev = 0;
    for (std::size_t r = 0; r < s.rows; ++r) mean += p2[r * points + a] / static_cast<double>(s.rows);
    for (std::size_t r = 0; r < s.rows; ++r) sum_sq_dev += (p2[r * points + a] - mean) * (p2[r * points + a] - mean);
    curve.sum_p2.push_back(mean);
    curve.gradient_se.push_back(curve.alphas[a] *
                                std::sqrt(sum_sq_dev / static_cast<double>(s.rows - 1) / static_cast<double>(s.rows)));
  }
  auto alpha_95 = [&](const std::vector<double>& g) {
    const double target = 0.95 * *std::max_element(g.begin(), g.end());
    std::size_t i = 0;
    while (g[i] < target) ++i;
    if (i == 0) return curve.alphas[0];
    const double t = (target - g[i - 1]) / (g[i] - g[i - 1]);  // linear in ln α between the two scales
    return curve.alphas[i - 1] * std::pow(curve.alphas[i] / curve.alphas[i - 1], t);
  };
  const auto top =
      static_cast<std::size_t>(std::max_element(curve.gradient.begin(), curve.gradient.end()) - curve.gradient.begin());
  curve.interior = top + 2 < points;
  curve.alpha_max = parabola_vertex(curve.alphas, curve.gradient);
  curve.alpha_95 = alpha_95(curve.gradient);
  std::vector<double> max_g, q95_g;
  for (std::size_t grp = 0; grp < s.groups; ++grp) {
    const auto g = mean_gradient(p2, curve.alphas, s.rows, s.groups, grp);
    max_g.push_back(parabola_vertex(curve.alphas, g));
    q95_g.push_back(alpha_95(g));
  }
  auto jackknife_se = [](const std::vector<double>& theta) {
    const double gs = static_cast<double>(theta.size());
    double mean = 0, ss = 0;
    for (double t : theta) mean += t / gs;
    for (double t : theta) ss += (t - mean) * (t - mean);
    return std::sqrt((gs - 1) / gs * ss);
  };
  curve.alpha_max_se = jackknife_se(max_g);
  curve.alpha_95_se = jackknife_se(q95_g);
  return curve;
}

OriginFit fit_through_origin(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size() || x.size() < 2) throw core::InputError("fit: needs at least two points of x and y");
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxx += x[i] * x[i];
    sxy += x[i] * y[i];
  }
  const double c = sxy / sxx;
  double rss = 0;
  for (std::size_t i = 0; i < x.size(); ++i) rss += (y[i] - c * x[i]) * (y[i] - c * x[i]);
  return {c, std::sqrt(rss / static_cast<double>(x.size() - 1) / sxx), x.size()};
}

double scale_law_regressor(ScoreModel model, double n) {
  return model == ScoreModel::normal ? std::sqrt(std::log(n)) : std::log(n);
}

}  // namespace attn
