#include "attn/study.hpp"

#include <cmath>
#include <string>

#include "core/errors.hpp"
#include "core/parallel.hpp"

namespace attn {

namespace {

bool mc_at(const ScaleConfig& c, std::size_t k) {
  return c.mc_every > 0 && (k == 1 || k % c.mc_every == 0);
}

OriginFit law_fit(ScoreModel model, const std::vector<double>& n, const std::vector<double>& alpha) {
  std::vector<double> x;
  for (double v : n) x.push_back(scale_law_regressor(model, v));
  return fit_through_origin(x, alpha);
}

}  // namespace

std::size_t scale_points(const ScaleConfig& c) {
  std::size_t mc = 0;
  for (std::size_t k = 1; k <= c.n_count; ++k) mc += mc_at(c, k);
  return 2 * (c.n_count + mc);
}

ScaleStudy scale_study(const ScaleConfig& c, const Tick& tick) {
  if (c.d < 2 || c.d % 2 != 0) throw core::InputError("--d: expected an even d >= 2, got " + std::to_string(c.d));
  if (c.n_step < 2)
    throw core::InputError("--n-step: expected n-step >= 2 (so that n >= 2), got " + std::to_string(c.n_step));
  ScaleStudy study;
  std::size_t point = 0;
  for (ScoreModel model : {ScoreModel::normal, ScoreModel::cosine}) {
    std::vector<double> ns, approx, mc_n, mc_max, mc_95;
    for (std::size_t k = 1; k <= c.n_count; ++k, ++point) {
      const std::size_t n = c.n_step * k;
      ScaleRow row{model, n, approx_optimal_scale(model, static_cast<double>(n), c.d), std::nullopt};
      tick();
      if (mc_at(c, k)) {
        const McScaleSettings s{
            .rows = c.mc_rows, .seed = c.seed, .stream = point, .threads = c.threads, .device = c.device};
        row.mc = mc_scale_curve(model, n, c.d, row.approx.alpha, s);
        mc_n.push_back(static_cast<double>(n));
        mc_max.push_back(row.mc->alpha_max);
        mc_95.push_back(row.mc->alpha_95);
        tick();
      }
      ns.push_back(static_cast<double>(n));
      approx.push_back(row.approx.alpha);
      study.rows.push_back(std::move(row));
    }
    ScaleLawFit fit{model, law_fit(model, ns, approx), std::nullopt, std::nullopt};
    if (mc_n.size() >= 2) {
      fit.mc_max = law_fit(model, mc_n, mc_max);
      fit.mc_95 = law_fit(model, mc_n, mc_95);
    }
    study.fits.push_back(fit);
  }
  return study;
}

std::size_t sparsity_points(const SparsityConfig& c) {
  return 4 * c.betas.size() * c.gammas.size() + c.lambdas.size() * c.rnn_n.size();
}

std::vector<SparsityRow> sparsity_study(const SparsityConfig& c, const Tick& tick) {
  struct Point {
    int kernel;  // 0..2: SparsityKernel, 3: positive linear, 4: linear RNN
    double a, b;
    std::size_t n;
  };
  std::vector<Point> points;
  for (int k = 0; k < 4; ++k)
    for (double beta : c.betas)
      for (double gamma : c.gammas) points.push_back({k, beta, gamma, c.samples});
  for (double lambda : c.lambdas)
    for (std::size_t n : c.rnn_n) points.push_back({4, lambda, 0, n});
  return core::parallel_map(points.size(), c.threads, [&](std::size_t i) {
    const Point& p = points[i];
    SparsityRow row;
    row.n = p.n;
    if (p.kernel == 4) {
      row.kernel = "linear_rnn";
      row.lambda = p.a;
      row.closed_form = sparsity_linear_rnn(p.a, p.n);
      row.estimate = sparsity_linear_rnn_direct(p.a, p.n);
      row.quadrature = row.closed_form;
    } else if (p.kernel == 3) {
      row.kernel = "positive_linear";
      row.beta = p.a;
      row.gamma = p.b;
      row.closed_form = sparsity_positive_linear(p.a, p.b);
      const auto mc = sparsity_monte_carlo_positive_linear(p.a, p.b, p.n, c.seed, i);
      row.estimate = mc.value;
      row.se = mc.se;
      row.se_reliable = static_cast<double>(p.n) >= std::exp(8 * p.b * p.b);
      row.quadrature = row.closed_form;
    } else {
      const auto kernel = static_cast<SparsityKernel>(p.kernel);
      row.kernel = std::string(to_string(kernel));
      row.beta = p.a;
      row.gamma = p.b;
      row.closed_form = sparsity_closed_form(kernel, p.a, p.b);
      const auto mc = sparsity_monte_carlo(kernel, p.a, p.b, p.n, c.seed, i);
      row.estimate = mc.value;
      row.se = mc.se;
      row.se_reliable = kernel != SparsityKernel::exp || static_cast<double>(p.n) >= std::exp(8 * p.b * p.b);
      row.quadrature = sparsity_quadrature(kernel, p.a, p.b);
    }
    tick();
    return row;
  });
}

std::size_t noise_points(const NoiseConfig& c) {
  return c.ns.size() * c.sigmas.size() + c.floor_ns.size();
}

NoiseStudy noise_study(const NoiseConfig& c, const Tick& tick) {
  NoiseStudy study;
  std::size_t point = 0;
  for (double sigma : c.sigmas) {
    std::vector<double> x, y;
    for (std::size_t n : c.ns) {
      NoiseSettings s = c.settings;
      s.stream = point++;
      s.threads = c.threads;
      const auto e = softmax_noise_error(n, sigma, s);
      study.rows.push_back({n, sigma, e});
      if (n >= c.fit_from) {
        x.push_back(static_cast<double>(n));
        y.push_back(e.mean);
      }
      tick();
    }
    if (x.size() >= 3) study.fits.emplace_back(sigma, core::fit_power_law(x, y));
  }
  study.floors = core::parallel_map(c.floor_ns.size(), c.threads, [&](std::size_t i) {
    auto f = cosine_entropy_floor(c.floor_ns[i], c.floor_starts, c.settings.seed);
    tick();
    return f;
  });
  study.gap_limit = entropy_gap_limit();
  return study;
}

}  // namespace attn
