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
  // Measured here: 2.5e-8 s per Monte Carlo key and kernel point (default, 4 x 5 x 10 points of 200000
  // keys: 0.98 s of user time; --samples 800000: 4.0 s); the linear-RNN rows are closed forms.
  const double points = 4.0 * static_cast<double>(c.betas.size()) * static_cast<double>(c.gammas.size());
  return points * static_cast<double>(c.samples) * 2.5e-8 / c.threads;
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
    } else if (p.kernel == 3) {
      row.kernel = "positive_linear";
      row.closed_form = sparsity_positive_linear(p.beta, p.gamma);
      const auto mc = sparsity_monte_carlo_positive_linear(p.beta, p.gamma, p.n, c.seed, i);
      row.estimate = mc.value;
      row.se = mc.se;
      row.se_reliable = static_cast<double>(p.n) >= std::exp(8 * p.gamma * p.gamma);
      row.quadrature = row.closed_form;
    } else {
      const auto kernel = static_cast<SparsityKernel>(p.kernel);
      row.kernel = std::string(to_string(kernel));
      row.closed_form = sparsity_closed_form(kernel, p.beta, p.gamma);
      const auto mc = sparsity_monte_carlo(kernel, p.beta, p.gamma, p.n, c.seed, i);
      row.estimate = mc.value;
      row.se = mc.se;
      row.se_reliable = kernel != SparsityKernel::exp || static_cast<double>(p.n) >= std::exp(8 * p.gamma * p.gamma);
      row.quadrature = sparsity_quadrature(kernel, p.beta, p.gamma);
    }
    if (row.se > 0) row.z = (row.estimate - row.closed_form) / row.se;
    tick();
    return row;
  });
  for (const auto& row : study.rows)
    if (std::isfinite(row.z) && row.se_reliable) {
      study.max_abs_z = std::max(study.max_abs_z, std::abs(row.z));
      study.beyond_band += std::abs(row.z) > mc_agreement_se;
    }
  return study;
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
      {"quadrature", "Gauss-Kronrod for exp, identity, relu2; the closed form elsewhere"}};
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
