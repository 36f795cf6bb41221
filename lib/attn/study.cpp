#include "attn/study.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "attn/claims.hpp"
#include "core/errors.hpp"
#include "core/memory.hpp"
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

ScaleMcFigures mc_figures(const McScaleCurve& mc) {
  return {mc.alpha_max,
          mc.alpha_max_se,
          mc.interior ? 1.0 : 0.0,
          mc.alpha_95,
          mc.alpha_95_se,
          mc.gradient[mc_guess_index],
          mc.sum_p2[mc_guess_index]};
}

void add_curve(const ScaleConfig& c, const ScaleRow& row, std::vector<ScaleCurvePoint>& curves) {
  for (std::size_t i = 0; i < row.mc->alphas.size(); ++i) {
    const double a = row.mc->alphas[i];
    const double p2 = approx_sum_p2(row.model, a, static_cast<double>(row.n), c.d);
    curves.push_back({row.model, row.n, a, a / row.approx.alpha, row.mc->gradient[i], row.mc->gradient_se[i],
                      a * (1 - p2), row.mc->sum_p2[i], p2});
  }
}

}  // namespace

void require_even_d(std::size_t d) {
  if (d < 2 || d % 2 != 0) throw core::InputError("--d: expected an even d >= 2, got " + std::to_string(d));
}

std::size_t scale_points(const ScaleConfig& c) {
  std::size_t mc = 0;
  for (std::size_t k = 1; k <= c.n_count; ++k) mc += mc_at(c, k);
  return 2 * (c.n_count + mc);
}

const ScaleLawFit& ScaleStudy::fit(ScoreModel model) const {
  return fits[model == ScoreModel::normal ? 0 : 1];
}

double scale_estimated_seconds(const ScaleConfig& c) {
  // Measured here (Release, user seconds over both models): the Monte Carlo costs, per key of a Monte Carlo
  // n and per sampled row, 2.9e-7 s for the alpha scan plus 2.5e-10 s per dimension for the cosine scores,
  // plus 1.3e-5 s per key for the draws (default 8.6 s; --mc-rows 1600 35 s; --d 4096 --mc-rows 100 8.8 s);
  // the approximation is microseconds per n.
  double keys = 0;  // the sum of n over the Monte Carlo n
  if (c.mc_every == 1)
    keys = 0.5 * static_cast<double>(c.n_count) * (static_cast<double>(c.n_count) + 1);
  else if (c.mc_every > 0) {
    const double m = static_cast<double>(c.n_count / c.mc_every);
    keys = 1 + static_cast<double>(c.mc_every) * m * (m + 1) / 2;
  }
  keys *= static_cast<double>(c.n_step);
  const double rows = static_cast<double>(c.mc_rows), d = static_cast<double>(c.d);
  return keys * (rows * (2.9e-7 + 2.5e-10 * d) + 1.3e-5) / c.threads + 2e-5 * static_cast<double>(c.n_count);
}

ScaleStudy scale_study(const ScaleConfig& c, const core::Tick& tick, core::Sweep* sweep) {
  require_even_d(c.d);
  if (c.n_step < 2)
    throw core::InputError("--n-step: expected n-step >= 2 (so that n >= 2), got " + std::to_string(c.n_step));
  if (c.mc_every > 0) {  // the largest Monte Carlo n's cosine batch
    const std::size_t k_max = c.n_count < c.mc_every ? 1 : c.n_count / c.mc_every * c.mc_every;
    require_batch_memory({.kind = ScoreKind::cosine, .d = c.d, .n = c.n_step * k_max, .queries = c.mc_rows},
                         "--n-count");
  }
  core::require_time(scale_estimated_seconds(c), "--n-count " + std::to_string(c.n_count) + " with --n-step " +
                                                     std::to_string(c.n_step) + ", --mc-rows " +
                                                     std::to_string(c.mc_rows) + " and --d " + std::to_string(c.d));
  ScaleStudy study;
  // Every n's approximation (microseconds each: every shard computes them), and the rows of the Monte Carlo n
  // among them: the sweep's points. A row's index over both models is its Monte Carlo stream.
  std::vector<std::size_t> mc_points;
  for (ScoreModel model : {ScoreModel::normal, ScoreModel::cosine})
    for (std::size_t k = 1; k <= c.n_count; ++k) {
      const std::size_t n = c.n_step * k;
      const auto optimum = approx_optimal_scale(model, static_cast<double>(n), c.d);
      if (mc_at(c, k)) mc_points.push_back(study.rows.size());
      study.rows.push_back(
          {model, n, optimum, approx_sum_p2(model, optimum.alpha, static_cast<double>(n), c.d), std::nullopt, {}});
      tick();
    }
  // One point at a time: each spreads its rows over the threads (or runs on the device).
  auto curves = core::sweep_map(sweep, mc_points.size(), 1, [&](std::size_t i) {
    const ScaleRow& row = study.rows[mc_points[i]];
    const McScaleSettings s{
        .rows = c.mc_rows, .seed = c.seed, .stream = mc_points[i], .threads = c.threads, .device = c.device};
    auto curve = mc_scale_curve(row.model, row.n, c.d, row.approx.alpha, s);
    tick();
    return curve;
  });
  for (std::size_t i = 0; i < mc_points.size(); ++i) {
    ScaleRow& row = study.rows[mc_points[i]];
    row.mc = std::move(curves[i]);
    row.mc_figures = mc_figures(*row.mc);
    add_curve(c, row, study.curves);
  }
  for (ScoreModel model : {ScoreModel::normal, ScoreModel::cosine}) {
    std::vector<double> ns, approx, mc_n, mc_max, mc_95;
    for (const ScaleRow& row : study.rows) {
      if (row.model != model) continue;
      ns.push_back(static_cast<double>(row.n));
      approx.push_back(row.approx.alpha);
      if (!row.mc) continue;
      mc_n.push_back(static_cast<double>(row.n));
      mc_max.push_back(row.mc->alpha_max);
      mc_95.push_back(row.mc->alpha_95);
    }
    ScaleLawFit fit{model,        law_fit(model, ns, approx),
                    std::nullopt, std::nullopt,
                    no_value,     &core::find_claim(claims(), model == ScoreModel::normal ? "scale_c1" : "scale_c2")};
    if (mc_n.size() >= 2) {
      fit.mc_max = law_fit(model, mc_n, mc_max);
      fit.mc_95 = law_fit(model, mc_n, mc_95);
      fit.c_mc_95 = fit.mc_95->c;
    }
    study.fits.push_back(fit);
  }
  return study;
}

const std::vector<core::Column>& scale_columns() {
  static const std::vector<core::Column> columns{
      {"model", "normal or cosine scores"},
      {"d", "dimension of the cosine scores"},
      {"n", "scores per softmax row"},
      {"alpha_approx", "alpha* maximising the mean-field approximation of alpha (1 - sum p^2)"},
      {"gradient_approx", "the approximation's alpha (1 - sum p^2) at alpha*"},
      {"sum_p2_approx", "the approximation's sum p^2 at alpha*"},
      {"alpha_mc_max", "argmax of the exact (Monte Carlo) mean of alpha (1 - sum p^2); nan off the Monte Carlo n",
       true},
      {"alpha_mc_max_se", "its jackknife standard error", true},
      {"mc_max_interior", "1: the argmax lies inside the scanned range alpha*/4 .. 16 alpha*", true},
      {"alpha_mc_95", "where the exact mean first reaches 95% of its maximum", true},
      {"alpha_mc_95_se", "its jackknife standard error", true},
      {"gradient_mc_at_approx", "the exact mean of alpha (1 - sum p^2) at the approximation's alpha*", true},
      {"sum_p2_mc_at_approx", "the exact mean of sum p^2 there", true},
      {"c_approx", "c in alpha* ~ c sqrt(ln n) (normal) or c ln n (cosine): least squares through the origin"},
      {"c_mc_95", "the same fit of alpha_mc_95", true},
      {"c_published", "the published c (claims scale_c1 and scale_c2)"}};
  return columns;
}

const std::vector<core::Column>& scale_curve_columns() {
  static const std::vector<core::Column> columns{
      {"model", "normal or cosine scores"},
      {"n", "a Monte Carlo n"},
      {"alpha", "the scale"},
      {"alpha_over_approx", "alpha / the approximation's alpha*"},
      {"gradient_mc", "the exact (Monte Carlo) mean of alpha (1 - sum p^2)"},
      {"gradient_mc_se", "its standard error"},
      {"gradient_approx", "the approximation's alpha (1 - sum p^2); -inf where e^(alpha^2) overflows", true},
      {"sum_p2_mc", "the exact mean of sum p^2"},
      {"sum_p2_approx", "the approximation's sum p^2; inf where e^(alpha^2) overflows", true}};
  return columns;
}

std::size_t sparsity_points(const SparsityConfig& c) {
  return 4 * c.betas.size() * c.gammas.size() + c.lambdas.size() * c.rnn_n.size();
}

double sparsity_estimated_seconds(const SparsityConfig& c) {
  // Measured here: 1.0e-7 s per Monte Carlo key and kernel point (draws, sort, the three measures; default,
  // 4 x 5 x 10 points of 200000 keys: 3.9 s of user time; --samples 800000: 16.6 s) plus the quadratures, about
  // 1e-4 s per point;
  // the linear-RNN rows are closed forms and O(n) sums.
  const double points = 4.0 * static_cast<double>(c.betas.size()) * static_cast<double>(c.gammas.size());
  return points * (static_cast<double>(c.samples) * 1.0e-7 + 1e-4) / c.threads;
}

SparsityStudy sparsity_study(const SparsityConfig& c, const core::Tick& tick, core::Sweep* sweep) {
  core::require_time(sparsity_estimated_seconds(c), "--samples " + std::to_string(c.samples) + " over " +
                                                        std::to_string(4 * c.betas.size() * c.gammas.size()) +
                                                        " kernel points");
  struct Point {
    int kernel;  // 0..2: SparsityKernel, 3: positive linear, 4: linear RNN
    double beta, gamma, lambda;
    std::size_t n;
  };
  std::vector<Point> points;
  for (int k = 0; k < 4; ++k)
    for (double beta : c.betas)
      for (double gamma : c.gammas) points.push_back({k, beta, gamma, no_value, c.samples});
  for (double lambda : c.lambdas)
    for (std::size_t n : c.rnn_n) points.push_back({4, no_value, no_value, lambda, n});
  core::require_memory(static_cast<double>(std::min<std::size_t>(c.threads, points.size())) *
                           static_cast<double>(c.samples) * 2 * sizeof(double),
                       "--samples " + std::to_string(c.samples) + " with --threads " + std::to_string(c.threads));
  SparsityStudy study;
  study.rows = core::sweep_map(sweep, points.size(), c.threads, [&](std::size_t i) {
    const Point& p = points[i];
    SparsityRow row;
    row.n = p.n;
    row.beta = p.beta;
    row.gamma = p.gamma;
    row.lambda = p.lambda;
    if (p.kernel == 4) {
      row.kernel = "linear_rnn";
      row.closed_form = sparsity_linear_rnn(p.lambda, p.n);
      row.estimate = sparsity_linear_rnn_direct(p.lambda, p.n);
      row.quadrature = row.closed_form;
      const double n = static_cast<double>(p.n);
      row.mass95_closed_form = row.mass95_quadrature = static_cast<double>(mass95_keys_linear_rnn(p.lambda, p.n)) / n;
      row.mass95_estimate = static_cast<double>(mass95_keys_linear_rnn_direct(p.lambda, p.n)) / n;
      row.gini_closed_form = row.gini_quadrature = gini_linear_rnn(p.lambda, p.n);
      row.gini_estimate = gini_linear_rnn_direct(p.lambda, p.n);
    } else {
      ConcentrationEstimate mc;
      if (p.kernel == 3) {
        row.kernel = "positive_linear";
        row.closed_form = sparsity_positive_linear(p.beta, p.gamma);
        mc = concentration_monte_carlo_positive_linear(p.beta, p.gamma, p.n, c.seed, i);
        row.se_reliable = static_cast<double>(p.n) >= std::exp(8 * p.gamma * p.gamma);
        row.quadrature = row.closed_form;
      } else {
        const auto kernel = static_cast<SparsityKernel>(p.kernel);
        row.kernel = std::string(to_string(kernel));
        row.closed_form = sparsity_closed_form(kernel, p.beta, p.gamma);
        mc = concentration_monte_carlo(kernel, p.beta, p.gamma, p.n, c.seed, i);
        row.se_reliable = kernel != SparsityKernel::exp || static_cast<double>(p.n) >= std::exp(8 * p.gamma * p.gamma);
        row.quadrature = sparsity_quadrature(kernel, p.beta, p.gamma);
        row.mass95_closed_form = mass95_closed_form(kernel, p.beta, p.gamma);
        row.mass95_quadrature = mass95_quadrature(kernel, p.beta, p.gamma);
        row.gini_closed_form = gini_closed_form(kernel, p.beta, p.gamma);
        row.gini_quadrature = gini_quadrature(kernel, p.beta, p.gamma);
      }
      row.estimate = mc.s.value;
      row.se = mc.s.se;
      row.mass95_estimate = mc.mass95;
      row.mass95_se = mc.mass95_se;
      row.gini_estimate = mc.gini;
      row.gini_se = mc.gini_se;
    }
    if (row.se > 0) row.z = (row.estimate - row.closed_form) / row.se;
    tick();
    return row;
  });
  for (const auto& row : study.rows) {
    if (std::isfinite(row.z) && row.se_reliable) {
      study.max_abs_z = std::max(study.max_abs_z, std::abs(row.z));
      study.beyond_band += std::abs(row.z) > mc_agreement_se;
    }
    if (!row.se_reliable) continue;
    // mass95 and Gini against the closed form, else the quadrature (positive_linear has neither).
    auto tally = [&](double closed, double quad, double estimate, double se, double& max_z, std::size_t& beyond) {
      const double exact = std::isfinite(closed) ? closed : quad;
      if (std::isfinite(closed) && std::isfinite(quad) && closed > 0)
        study.max_quadrature_gap = std::max(study.max_quadrature_gap, std::abs(quad - closed) / closed);
      if (!(se > 0) || !std::isfinite(exact) || !std::isfinite(estimate)) return;
      const double z = std::abs(estimate - exact) / se;
      max_z = std::max(max_z, z);
      beyond += z > mc_agreement_se;
    };
    tally(row.mass95_closed_form, row.mass95_quadrature, row.mass95_estimate, row.mass95_se, study.max_abs_z_mass95,
          study.beyond_band_mass95);
    tally(row.gini_closed_form, row.gini_quadrature, row.gini_estimate, row.gini_se, study.max_abs_z_gini,
          study.beyond_band_gini);
  }
  study.ranking = rank_sparsity(study.rows, c.betas.size(), c.gammas.size());
  return study;
}

double SparsityRow::mass95_value() const {
  if (std::isfinite(mass95_closed_form)) return mass95_closed_form;
  return std::isfinite(mass95_quadrature) ? mass95_quadrature : mass95_estimate;
}

double SparsityRow::gini_value() const {
  if (std::isfinite(gini_closed_form)) return gini_closed_form;
  return std::isfinite(gini_quadrature) ? gini_quadrature : gini_estimate;
}

SparsityRanking rank_sparsity(std::vector<SparsityRow>& rows, std::size_t betas, std::size_t gammas) {
  SparsityRanking ranking;
  const std::size_t per_kernel = betas * gammas, kernels = ranked_kernels.size();
  ranking.sparsest.assign(kernels, {0, 0, 0});
  if (rows.size() < kernels * per_kernel) return ranking;
  ranking.points = per_kernel;
  // Sparser: smaller S, smaller mass95, larger Gini. A kernel's rank is 1 + the number of kernels decidedly
  // sparser than it: by more than rank_tie_se standard errors of the difference where a value is Monte Carlo
  // (positive_linear's mass95 and Gini), by anything at all between exact values. A nan value has rank 0.
  const auto key = [](const SparsityRow& r, int measure) {
    return measure == 0 ? r.closed_form : measure == 1 ? r.mass95_value() : -r.gini_value();
  };
  const auto error = [](const SparsityRow& r, int measure) {
    if (measure == 1) return std::isfinite(r.mass95_closed_form) || std::isfinite(r.mass95_quadrature) ? 0.0 : r.mass95_se;
    if (measure == 2) return std::isfinite(r.gini_closed_form) || std::isfinite(r.gini_quadrature) ? 0.0 : r.gini_se;
    return 0.0;
  };
  for (std::size_t p = 0; p < per_kernel; ++p) {
    std::array<std::array<int, 4>, 3> ranks{};
    for (int m = 0; m < 3; ++m)
      for (std::size_t k = 0; k < kernels; ++k) {
        const auto& row = rows[k * per_kernel + p];
        const double v = key(row, m);
        int rank = 0;
        if (std::isfinite(v)) {
          rank = 1;
          for (std::size_t j = 0; j < kernels; ++j) {
            const auto& other = rows[j * per_kernel + p];
            rank += key(other, m) < v - rank_tie_se * std::hypot(error(row, m), error(other, m));
          }
        }
        ranks[static_cast<std::size_t>(m)][k] = rank;
        if (rank == 1) ++ranking.sparsest[k][static_cast<std::size_t>(m)];
      }
    for (std::size_t k = 0; k < kernels; ++k) {
      auto& r = rows[k * per_kernel + p];
      r.rank_s = ranks[0][k], r.rank_mass95 = ranks[1][k], r.rank_gini = ranks[2][k];
    }
    ranking.same_order += ranks[0] == ranks[1] && ranks[1] == ranks[2];
    bool same_first = true;
    for (std::size_t k = 0; k < kernels; ++k)
      same_first = same_first && (ranks[0][k] == 1) == (ranks[1][k] == 1) && (ranks[1][k] == 1) == (ranks[2][k] == 1);
    ranking.same_sparsest += same_first;
  }
  return ranking;
}

const std::vector<core::Column>& sparsity_columns() {
  static const std::vector<core::Column> columns{
      {"kernel", "exp, identity, relu2, positive_linear or linear_rnn"},
      {"beta", "q.mu (nan for linear_rnn)", true},
      {"gamma", "sigma |q| (nan for linear_rnn)", true},
      {"lambda", "the RNN's decay (linear_rnn only)", true},
      {"n", "Monte Carlo keys, or the RNN's length"},
      {"closed_form", "S = E|a| / sqrt(E a^2) in closed form"},
      {"estimate", "Monte Carlo (the direct finite sum for linear_rnn); nan when no sample was nonzero", true},
      {"se", "its delta-method standard error (0 for linear_rnn)", true},
      {"z", "(estimate - closed_form) / se; nan when se = 0", true},
      {"se_reliable",
       "0 where the se needs E a^4 ~ e^(8 gamma^2) > n samples (exp and positive_linear at large gamma)"},
      {"quadrature", "Gauss-Kronrod for exp, identity, relu2; the closed form elsewhere"},
      {"mass95_closed_form",
       "the fraction of the keys (largest |a| first) holding 95% of sum |a|: for the kernels the n -> inf limit "
       "(exp: Phi(1.645 - gamma); identity, relu2: the root of a closed-form tail mass); nan for positive_linear (no "
       "closed form); for linear_rnn keys / n at its finite n, keys = ceil(ln(1 - 0.95 (1 - lambda^n)) / ln lambda)",
       true},
      {"mass95_quadrature",
       "the same by Gauss-Kronrod and a TOMS 748 root (exp, identity, relu2); nan for positive_linear; the closed "
       "form for linear_rnn",
       true},
      {"mass95_estimate", "Monte Carlo over the n keys (the direct count / n for linear_rnn); nan with no nonzero key",
       true},
      {"mass95_se", "its influence-function standard error (0 for linear_rnn)", true},
      {"gini_closed_form",
       "Gini index of |a| (0: equal weights; 1: one key), n -> inf: exp erf(gamma/2); identity in Phi and phi; nan "
       "for relu2 and positive_linear (none); linear_rnn: its n weights' Gini",
       true},
      {"gini_quadrature", "the same by Gauss-Kronrod (exp, identity, relu2); nan for positive_linear; the closed form "
                          "for linear_rnn",
       true},
      {"gini_estimate", "Monte Carlo (U-statistic) over the n keys (the direct sum for linear_rnn)", true},
      {"gini_se", "its influence-function standard error (0 for linear_rnn)", true},
      {"rank_s", "rank by S (1 = sparsest) among exp, identity, relu2, positive_linear at this (beta, gamma): 1 + the "
                 "forms sparser than it (where a value is Monte Carlo, by more than 2 se of the difference); 0 for "
                 "linear_rnn"},
      {"rank_mass95", "the same by mass95 (closed form, else quadrature, else Monte Carlo; smaller is sparser)"},
      {"rank_gini", "the same by the Gini index (larger is sparser)"}};
  return columns;
}

std::size_t noise_points(const NoiseConfig& c) {
  return (c.floor_only ? 0 : c.ns.size() * c.sigmas.size()) + c.floor_ns.size();
}

double noise_estimated_seconds(const NoiseConfig& c) {
  // Measured here (user seconds): the noise grid costs (1.13e-8 dv + 4.7e-8) s per key, sigma and trial
  // (default 4.0 s; --dv 256 52 s; --trials 400 8.1 s); the entropy floor 1.1e-6 s per key and start.
  double keys = 0, floor_keys = 0;
  for (std::size_t n : c.ns) keys += static_cast<double>(n);
  for (std::size_t n : c.floor_ns) floor_keys += static_cast<double>(n);
  const double grid = c.floor_only
                          ? 0
                          : keys * static_cast<double>(c.sigmas.size()) * static_cast<double>(c.settings.trials) *
                                (1.13e-8 * static_cast<double>(c.settings.dv) + 4.7e-8);
  return (grid + floor_keys * static_cast<double>(c.floor_starts) * 1.1e-6) / c.threads;
}

NoiseStudy noise_study(const NoiseConfig& c, const core::Tick& tick, core::Sweep* sweep) {
  core::require_time(noise_estimated_seconds(c), "--trials " + std::to_string(c.settings.trials) + " with --dv " +
                                                     std::to_string(c.settings.dv) + " and --starts " +
                                                     std::to_string(c.floor_starts));
  NoiseStudy study;
  // The entropy floor: the sweep itself with floor_only, otherwise the finish's (milliseconds at the defaults).
  const auto floors = [&](core::Sweep* floor_sweep) {
    return core::sweep_map(floor_sweep, c.floor_ns.size(), c.threads, [&](std::size_t i) {
      auto f = cosine_entropy_floor(c.floor_ns[i], c.floor_starts, c.settings.seed);
      tick();
      return f;
    });
  };
  if (c.floor_only) {
    study.floors = floors(sweep);
    study.gap_limit = entropy_gap_limit();
    return study;
  }
  // The noise grid, sigma-major: point i is (sigmas[i / ns], ns[i % ns]), stream i. One point at a time: each
  // spreads its trials over the threads.
  const std::size_t ns = c.ns.size();
  const auto errors = core::sweep_map(sweep, c.sigmas.size() * ns, 1, [&](std::size_t i) {
    NoiseSettings s = c.settings;
    s.stream = i;
    s.threads = c.threads;
    const auto e = softmax_noise_error(c.ns[i % ns], c.sigmas[i / ns], s);
    tick();
    return e;
  });
  for (std::size_t si = 0; si < c.sigmas.size(); ++si) {
    const double sigma = c.sigmas[si];
    const std::size_t first_row = study.rows.size();
    std::vector<double> x, y;
    for (std::size_t ni = 0; ni < ns; ++ni) {
      const std::size_t n = c.ns[ni];
      const NoiseError& e = errors[si * ns + ni];
      study.rows.push_back({n, sigma, e, noise_rms_asymptote(n, sigma, c.settings.dv), {}});
      if (n >= c.fit_from) {
        x.push_back(static_cast<double>(n));
        y.push_back(e.mean);
      }
    }
    core::PowerLawFit fit{no_value, no_value, no_value, no_value, no_value, 0};
    if (x.size() >= 3) {
      fit = core::fit_power_law(x, y);
      study.fits.emplace_back(sigma, fit);
    }
    for (std::size_t i = first_row; i < study.rows.size(); ++i) study.rows[i].fit = fit;
  }
  study.floors = floors(nullptr);
  study.gap_limit = entropy_gap_limit();
  return study;
}

const std::vector<core::Column>& noise_columns() {
  static const std::vector<core::Column> columns{
      {"n", "keys"},
      {"sigma", "noise scale"},
      {"error_mean", "mean ||o~ - o|| over the trials"},
      {"error_se", "its standard error"},
      {"error_rms", "root mean square of ||o~ - o||"},
      {"rms_asymptote", "sqrt(dv (e^(sigma^2) - 1) e / n)"},
      {"fit_exponent", "k in error ~ n^k over n >= --fit-from, per sigma; nan with fewer than 3 such n", true},
      {"fit_exponent_lo95", "its 95% interval", true},
      {"fit_exponent_hi95", true},
      {"expected_exponent", "the published k (claim noise_exponent)"}};
  return columns;
}

const std::vector<core::Column>& entropy_floor_columns() {
  static const std::vector<core::Column> columns{
      {"n", "scores in [-1, 1]"},
      {"ln_n", "the entropy of the uniform softmax"},
      {"found_gap", "ln n - the least entropy BFGS found"},
      {"at_top", "scores of that minimiser at +1"},
      {"at_bottom", "at -1"},
      {"interior", "strictly inside (0: two-level)"},
      {"two_level_gap", "ln n - the best two-level entropy (best_k scores at +1, the rest at -1)"},
      {"best_k"},
      {"gap", "the larger of found_gap and two_level_gap"},
      {"min_entropy", "ln n - gap"},
      {"gap_limit", "the gap as n -> inf"},
      {"gap_published", "the published gap (claim entropy_gap)"}};
  return columns;
}

void declare_options(core::Options& o, StatsConfig& config) {
  o.choice("kind", config.kind, score_kinds, "score distribution: q.k of N(0, I) or of unit vectors");
  o.integer("d", config.d, 2, 1u << 16, "dimension (even)");
  o.integer("n", config.n, 2, std::size_t{1} << 30, "keys per row");
  o.integer("queries", config.queries, 1, std::size_t{1} << 30, "query rows");
  o.real_list("alphas", config.alphas, core::positive_reals, "scales (> 0), all in one pass");
  o.real("needle-rho", config.needle_rho, {-1, 1}, "key 0 of row i = rho q_i + sqrt(1 - rho^2) z_i; -1: no needle");
}

double stats_estimated_seconds(const StatsConfig& c) {
  // Measured here: 1.9e-10 s per query, key and dimension for the scores plus 5.4e-9 s per query, key and
  // alpha for the statistics (default 0.06 s of user time; --d 1024 0.24 s).
  const double pairs = static_cast<double>(c.queries) * static_cast<double>(c.n);
  return pairs * (1.9e-10 * static_cast<double>(c.d) + 5.4e-9 * static_cast<double>(c.alphas.size())) / c.threads;
}

StatsStudy stats_study(const StatsConfig& c) {
  require_even_d(c.d);
  if (c.needle_rho < 0 && c.needle_rho != -1)
    throw core::InputError("--needle-rho: expected -1 (no needle) or a value in [0, 1], got " +
                           core::format_double(c.needle_rho));
  if (static_cast<long double>(c.queries) * c.alphas.size() > 1e8L)
    throw core::InputError("--queries: queries x alphas would be more than 10^8 CSV rows");
  const ScoreBatch batch{.kind = c.kind,
                         .d = c.d,
                         .n = c.n,
                         .queries = c.queries,
                         .needle_rho = c.needle_rho,
                         .seed = c.seed,
                         .stream = 0};
  require_batch_memory(batch, "--n");
  core::require_time(stats_estimated_seconds(c), "--n " + std::to_string(c.n) + " with --queries " +
                                                     std::to_string(c.queries) + " and --d " + std::to_string(c.d));
  StatsStudy study;
  study.draws = draw_batch(batch);
  const auto start = std::chrono::steady_clock::now();
  study.stats = softmax_stats(batch, study.draws, c.alphas, c.threads, c.device);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double scores = static_cast<double>(c.n) * static_cast<double>(c.queries);
  study.engine_seconds = seconds;
  study.scores_per_second = scores / seconds;
  study.gemm_gflops = 2.0 * static_cast<double>(c.d) * scores / seconds / 1e9;
  study.exp_per_second = scores * static_cast<double>(c.alphas.size()) / seconds;
  return study;
}

const std::vector<core::Column>& stats_columns() {
  static const std::vector<core::Column> columns{{"row", "query row"},
                                                 {"alpha", "scale"},
                                                 {"sum_p2"},
                                                 {"entropy", "natural log"},
                                                 {"max_p"},
                                                 {"mass", "p of key 0 with --needle-rho (0 without)"},
                                                 {"max_score"},
                                                 {"mean_score"}};
  return columns;
}

}  // namespace attn
