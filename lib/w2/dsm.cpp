#include "w2/dsm.hpp"

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "core/rng.hpp"

namespace w2 {

double dsm_gap_exact(const VpSchedule& vp, const Mixture& data, double t) {
  const double m = vp.mean_scale(t), s2 = vp.noise_var(t);
  if (data.weights.size() == 1) return 1 / s2 - 1 / (m * m * data.variances[0] + s2);
  double lo = INFINITY, hi = -INFINITY;
  std::vector<double> cuts;
  for (std::size_t i = 0; i < data.means.size(); ++i) {
    const double sd = std::sqrt(m * m * data.variances[i] + s2);
    lo = std::min(lo, m * data.means[i] - 12 * sd);
    hi = std::max(hi, m * data.means[i] + 12 * sd);
    cuts.push_back(m * data.means[i]);
  }
  cuts.push_back(lo);
  cuts.push_back(hi);
  std::sort(cuts.begin(), cuts.end());
  auto fisher = [&](double x) {
    const double s = mixture_score(data, m, s2, x).score;
    return mixture_density(data, m, s2, x) * s * s;
  };
  double j = 0;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i)
    if (cuts[i + 1] > cuts[i])
      j += boost::math::quadrature::gauss_kronrod<double, 31>::integrate(fisher, cuts[i], cuts[i + 1], 15, 1e-12);
  return 1 / s2 - j;
}

DsmResult dsm_losses(const DsmCase& c) {
  const double m = c.vp.mean_scale(c.t), s2 = c.vp.noise_var(c.t), sigma = std::sqrt(s2);
  core::Rng rng = core::rng_stream(c.seed, c.stream);
  boost::random::discrete_distribution<std::size_t> pick(c.data.weights.begin(), c.data.weights.end());
  boost::random::normal_distribution<double> normal;
  const std::size_t k = c.thetas.size(), n = c.samples;
  // Per theta: sums of the two losses, of the gap, of its square, and of (gap - gap_0) and its square.
  std::vector<double> dsm(k), sm(k), gap(k), gap_sq(k), spread(k), spread_sq(k);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t comp = pick(rng);
    const double x0 = c.data.means[comp] + std::sqrt(c.data.variances[comp]) * normal(rng);
    const double eps = normal(rng), xt = m * x0 + sigma * eps;
    const double cond = -eps / sigma, exact = mixture_score(c.data, m, s2, xt).score;
    double gap0 = 0;
    for (std::size_t j = 0; j < k; ++j) {
      const double s = -c.thetas[j] * xt;
      const double a = (cond - s) * (cond - s), b = (exact - s) * (exact - s), g = a - b;
      if (j == 0) gap0 = g;
      dsm[j] += a;
      sm[j] += b;
      gap[j] += g;
      gap_sq[j] += g * g;
      spread[j] += g - gap0;
      spread_sq[j] += (g - gap0) * (g - gap0);
    }
  }
  DsmResult out;
  out.gap_exact = dsm_gap_exact(c.vp, c.data, c.t);
  const double nn = double(n);
  for (std::size_t j = 0; j < k; ++j) {
    const double g = gap[j] / nn, var = std::max(gap_sq[j] / nn - g * g, 0.0);
    const double d = spread[j] / nn, var_d = std::max(spread_sq[j] / nn - d * d, 0.0);
    const double se_d = std::sqrt(var_d / (nn - 1));
    out.rows.push_back({c.thetas[j], dsm[j] / nn, sm[j] / nn, g, std::sqrt(var / (nn - 1)), se_d > 0 ? d / se_d : 0});
  }
  return out;
}

}  // namespace w2
