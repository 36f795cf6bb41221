#include "w2/sde.hpp"

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <vector>

#include "core/csv.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "w2/mixture.hpp"

namespace w2 {

GaussianCase as_gaussian_case(const SdeCase& c) {
  GaussianCase g;
  g.vp = c.vp;
  g.data = gaussian_data(1, core::format_double(c.variance), c.mean);
  g.error = c.error;
  g.eta = c.eta;
  g.tol = c.tol;
  return g;
}

namespace {

// The 1-D score s(x) = -S x + c behind a linear flow field J x + h (J = 1/2 beta (S - 1), h = -1/2 beta c).
struct LinearScore {
  double slope, offset;  // s(x) = -slope x + offset
};

LinearScore score_of(const LinearField& f, double beta) {
  return {2 * f.jacobian(0, 0) / beta + 1, -2 * f.offset(0) / beta};
}

constexpr std::size_t chunk = 1024;  // particles per random stream

}  // namespace

SdeResult sde_w2(const SdeCase& c) {
  const GaussianCase g = as_gaussian_case(c);
  SdeResult out;
  // Exact moments of (x_t, y_t): state mx, my, Pxx, Pxy, Pyy. In reverse time the drift is a x + b with
  // a = beta (1/2 - S), b = beta c, and both share the noise sqrt(beta) dW.
  const Gaussian p_end = forward_marginal(g, c.vp.t_end);
  std::vector<double> m{p_end.mean(0), p_end.mean(0), p_end.cov(0, 0), p_end.cov(0, 0), p_end.cov(0, 0)};
  auto system = [&](const std::vector<double>& s, std::vector<double>& ds, double t) {
    const double beta = c.vp.beta(t);
    const LinearScore sx = score_of(true_field(g, t), beta), sy = score_of(model_field(g, t), beta);
    const double ax = beta * (0.5 - sx.slope), ay = beta * (0.5 - sy.slope);
    ds[0] = -(ax * s[0] + beta * sx.offset);
    ds[1] = -(ay * s[1] + beta * sy.offset);
    ds[2] = -(2 * ax * s[2] + beta);
    ds[3] = -((ax + ay) * s[3] + beta);
    ds[4] = -(2 * ay * s[4] + beta);
  };
  out.min_cross = 0;
  out.t_min_cross = c.vp.t_end;
  auto observe = [&](const std::vector<double>& s, double t) {
    // E[(x - y)(grad log p_t(x) - grad log q_t(y))] with both marginals Gaussian.
    const double cross = -(s[2] - s[3]) / s[2] + (s[3] - s[4]) / s[4];
    if (cross < out.min_cross) out.min_cross = cross, out.t_min_cross = t;
  };
  integrate_checked(system, m, c.vp.t_end, 0.0, c.tol, "the reverse-SDE moment ODE", observe);
  const double dm = m[0] - m[1];
  out.w2_coupling = std::sqrt(std::max(dm * dm + m[2] + m[4] - 2 * m[3], 0.0));
  const double sd_x = std::sqrt(c.variance), sd_y = std::sqrt(m[4]);
  out.w2 = std::sqrt((c.mean - m[1]) * (c.mean - m[1]) + (sd_x - sd_y) * (sd_x - sd_y));

  // Euler-Maruyama with common noise; chunk k of the particles draws from stream (row, k).
  const std::size_t chunks = (c.particles + chunk - 1) / chunk;
  std::vector<double> x(c.particles), y(c.particles);
  const double h = c.vp.t_end / c.steps;
  core::parallel_map(chunks, c.threads, [&](std::size_t k) {
    core::Rng rng = core::rng_stream(c.seed, (c.stream << 24) | k);
    boost::random::normal_distribution<double> normal;
    const std::size_t lo = k * chunk, hi = std::min(c.particles, lo + chunk);
    const double sd_end = std::sqrt(p_end.cov(0, 0));
    for (std::size_t i = lo; i < hi; ++i) x[i] = y[i] = p_end.mean(0) + sd_end * normal(rng);
    for (unsigned n = 0; n < c.steps; ++n) {
      const double t = c.vp.t_end - n * h, beta = c.vp.beta(t);
      const LinearScore sx = score_of(true_field(g, t), beta), sy = score_of(model_field(g, t), beta);
      const double noise = std::sqrt(beta * h);
      for (std::size_t i = lo; i < hi; ++i) {
        const double z = normal(rng);
        x[i] += h * (0.5 * beta * x[i] + beta * (sx.offset - sx.slope * x[i])) + noise * z;
        y[i] += h * (0.5 * beta * y[i] + beta * (sy.offset - sy.slope * y[i])) + noise * z;
      }
    }
    return 0;
  });
  out.w2_em = sorted_w2(x, y);
  out.w2_coupling_em = root_mean_square(x, y).value;
  // The sorted estimate's standard error from 10 disjoint batches.
  constexpr std::size_t batches = 10;
  const std::size_t per = c.particles / batches;
  double sum = 0, sum_sq = 0;
  for (std::size_t b = 0; b < batches; ++b) {
    const double w =
        sorted_w2({x.begin() + b * per, x.begin() + (b + 1) * per}, {y.begin() + b * per, y.begin() + (b + 1) * per});
    sum += w;
    sum_sq += w * w;
  }
  const double mean_b = sum / batches;
  out.w2_em_se = std::sqrt(std::max(sum_sq / batches - mean_b * mean_b, 0.0) / (batches - 1));
  out.terms = gaussian_bound_terms(g);
  return out;
}

}  // namespace w2
