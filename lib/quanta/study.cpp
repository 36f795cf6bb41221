#include "quanta/study.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include "core/claims.hpp"
#include "core/data.hpp"
#include "core/errors.hpp"
#include "core/memory.hpp"
#include "core/options.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "quanta/claims.hpp"

namespace quanta {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

double published(std::string_view key) {
  return core::find_claim(claims(), key).value;
}

}  // namespace

void check_losses(const Losses& l) {
  if (!(l.b > l.a))
    throw core::InputError("--b: the loss on a missing quantum must exceed --a (" + core::format_double(l.a) +
                           "), got " + core::format_double(l.b));
}

// ---- curve ----

void declare_losses(core::Options& o, Losses& l) {
  o.real("a", l.a, {-1e300, 1e300}, "loss on samples whose quantum the model knows");
  o.real("b", l.b, {-1e300, 1e300}, "loss on samples whose quantum it lacks (> a)");
}

void declare_options(core::Options& o, CurveConfig& config) {
  o.real_list("gamma", config.gammas, core::positive_reals, "Zipf exponents g > 0 (p_k ~ k^-(g+1)), comma-separated");
  declare_losses(o, config.losses);
  o.real("from", config.from, curve_n_range, "first n (quanta learned)");
  o.real("to", config.to, curve_n_range, "last n");
  o.integer("points", config.points, 2u, 100000u, "n on a log grid (rounded to integers)");
  o.check([&] { check_losses(config.losses); }).require_order("from", config.from, "to", config.to);
}

void declare_form(core::Options& o, LawForm& form) {
  o.choice("form", form, law_forms,
           "chinchilla: L = E + A/N^alpha + B/D^beta; power: L = E + A x^-alpha; power0: L = A x^-alpha");
}

void declare_options(core::Options& o, FitConfig& config) {
  declare_form(o, config.settings.form);
  declare_exclude(o, config.exclude);
  o.flag("no-comparison", config.no_comparison, "skip the second fit of every run (with --exclude-highest > 0)");
  declare_options(o, config.settings);
}

void declare_exclude(core::Options& o, std::uint64_t& exclude) {
  o.integer("exclude-highest", exclude, std::uint64_t{0}, std::uint64_t{1000000},
            "drop the N runs with the highest loss before fitting (Epoch AI dropped 5)");
}

void declare_options(core::Options& o, FitSettings& s) {
  o.integer("bootstrap", s.bootstrap, 0u, 1000000u, "bootstrap resamples (0: none)");
  o.integer("perturbations", s.perturbations, 0u, 100u, "extra starts per resample around the full-data optimum");
  o.real("delta", s.delta, {0, 1, true, false}, "Huber loss threshold on log L");
  o.integer("max-iterations", s.minimizer.max_iterations, 1u, 1000000u, "BFGS iterations per start");
  o.real("gradient-tolerance", s.minimizer.gradient_tolerance, {0, 1, true, false},
         "a start converged when the scaled objective's gradient norm is below this");
}

CurveResult curve_study(const CurveConfig& c) {
  check_losses(c.losses);
  core::check_order("from", c.from, "to", c.to);
  const auto grid = integer_log_grid(c.from, c.to, c.points);
  CurveResult out{.n_first = grid.front(), .n_last = grid.back()};
  for (double g : c.gammas) {
    CurveEnds ends{.gamma = g, .limit = g / 2};
    for (double n : grid) {
      const auto p = quanta_loss_curve_point(g, c.losses, n);
      out.rows.push_back({g, p, n * (1 - p.tail_ratio)});
      if (n == grid.front()) ends.first = p;
      ends.last = p;
    }
    ends.last_n_error = ends.last.n * (1 - ends.last.tail_ratio);
    out.ends.push_back(ends);
  }
  return out;
}

const std::vector<core::Column>& curve_columns() {
  static const std::vector<core::Column> columns{
      {"gamma", "the Zipf exponent g"},
      {"n", "quanta learned"},
      {"loss", "exact: a + (b-a) zeta(g+1; n+1) / zeta(g+1)"},
      {"loss_asymptotic", "a + (b-a) n^-g / (g zeta(g+1))"},
      {"tail_ratio", "exact / asymptotic L - a"},
      {"n_times_1_minus_ratio", "tends to g/2: the ratio's error is O(1/n)"}};
  return columns;
}

// ---- simulate ----

SimulationConfig resolve(const SimulateConfig& c) {
  auto m = c.model;
  m.from = c.from > 0 ? c.from : m.axis == Axis::steps ? 1e3 : 1e6;
  m.to = c.to > 0 ? c.to : m.axis == Axis::steps ? 1e9 : 1e12;
  m.quanta = c.quanta == 0 ? unlimited : static_cast<double>(c.quanta);
  check_losses(m.losses);
  core::check_order("from", m.from, "to", m.to);
  return m;
}

std::size_t simulate_steps(const SimulateConfig& c) {
  return simulation_jobs(resolve(c));
}

SimulateResult simulate_study(const SimulateConfig& c, const core::Tick& tick, core::Sweep* sweep) {
  SimulateResult out{.model = resolve(c)};
  const auto& m = out.model;
  core::require_time(estimated_seconds(m), "--points " + std::to_string(m.points) + " with --seeds " +
                                               std::to_string(m.seeds) + ", --tau " + std::to_string(m.tau) +
                                               " and --to " + core::format_double(m.to));
  const auto advance = [&] { core::tick_if(tick); };
  auto sim = simulate_scaling(out.model, advance, sweep);
  for (const auto& row : sim.rows) {
    const auto fit = std::find_if(sim.fits.begin(), sim.fits.end(), [&](auto& f) { return f.gamma == row.gamma; });
    out.rows.push_back({row, *fit});
  }
  out.fits = std::move(sim.fits);
  out.exact = out.model.axis == Axis::params;
  out.covered =
      static_cast<std::size_t>(std::count_if(out.fits.begin(), out.fits.end(), [](auto& f) { return f.covers(); }));
  return out;
}

const std::vector<core::Column>& simulate_columns() {
  static const std::vector<core::Column> columns{
      {"axis", "params, data or steps"},
      {"gamma", "the Zipf exponent g"},
      {"x", "N, D or S"},
      {"samples", "n = floor(N/C) for params; D otherwise"},
      {"loss_mean", "mean L over the realisations"},
      {"loss_sd", "its standard deviation"},
      {"loss_expected", "the exact expectation"},
      {"predicted_exponent", "g (params) or g/(g+1) (data, steps)"},
      {"fitted_exponent", "OLS of log(mean L - a) on log x; nan when a finite K leaves < 3 points above the floor",
       true},
      {"fitted_lo95", "its 95% interval", true},
      {"fitted_hi95", "", true}};
  return columns;
}

// ---- emergence ----

EmergenceConfig resolve(const EmergenceStudyConfig& c) {
  auto m = c.model;
  m.from = c.from > 0 ? c.from : 1e3;
  m.to = c.to > 0 ? c.to : m.axis == Axis::params ? 1e9 : 1e10;
  m.quanta = static_cast<double>(c.quanta);
  check_losses(m.losses);
  core::check_order("from", m.from, "to", m.to);
  return m;
}

EmergenceStudyResult emergence_study(const EmergenceStudyConfig& c) {
  const auto m = resolve(c);
  return {m, emergence(m), predicted_exponent(m.axis, m.gamma)};
}

const std::vector<core::Column>& emergence_columns() {
  static const std::vector<core::Column> columns{{"axis", "params or data"},
                                                 {"x", "N or D"},
                                                 {"learned", "quanta held (expected on the data axis)"},
                                                 {"loss", "with K quanta"},
                                                 {"loss_unlimited", "with infinitely many quanta"},
                                                 {"floor", "a"},
                                                 {"p_all_learned", "P(all K quanta learned)"}};
  return columns;
}

// ---- fit ----

std::string_view to_string(FitTable t) {
  return t == FitTable::params ? "params" : "surface";
}

std::optional<bool> within_interval(double x, const Estimate& e) {
  if (!std::isfinite(e.lo95) || !std::isfinite(e.hi95)) return std::nullopt;
  return e.lo95 <= x && x <= e.hi95;
}

bool law_parameter(std::string_view name) {
  return name == "E" || name == "A" || name == "B" || name == "alpha" || name == "beta";
}

double paper_value(std::string_view estimate) {
  if (law_parameter(estimate)) return published("fit_" + std::string(estimate));
  if (estimate == "a_N") return published("fit_a");
  if (estimate == "b_D") return 1 - published("fit_a");
  return nan;
}

double epoch_value(std::string_view estimate) {
  return law_parameter(estimate) ? published("epoch_" + std::string(estimate)) : nan;
}

std::size_t fit_steps(const FitConfig& c) {
  const std::size_t starts = starting_grid(c.settings.form).size();
  return starts + c.settings.bootstrap + (c.exclude > 0 && !c.no_comparison ? starts : 0);
}

std::string default_csv_path() {
  return core::data_file("chinchilla_fig4.csv");
}

std::string fit_csv_path(const FitConfig& c) {
  return c.csv_path.empty() ? default_csv_path() : c.csv_path;
}

Observations fit_observations(const FitConfig& c) {
  const std::string path = fit_csv_path(c);
  if (c.csv_path.empty() && !std::filesystem::exists(path))
    throw core::InputError("--csv: the suite's Chinchilla data is not at " + path +
                           " (share/mlderiv/ beside the executable's bin/); give --csv FILE");
  const auto all =
      observations_from_csv(core::read_csv_file(path, "--csv"), c.columns, c.settings.form, "--csv " + path);
  const std::size_t parameters = parameter_count(c.settings.form);
  if (all.size() - std::min<std::size_t>(c.exclude, all.size()) < parameters)
    throw core::InputError("--exclude-highest: " + std::to_string(c.exclude) + " of " + std::to_string(all.size()) +
                           " rows leaves fewer rows than the " + std::to_string(parameters) + " parameters");
  return all;
}

namespace {

void add_rows(FitResult& out, const LawFit& f, const std::vector<Estimate>& estimates, std::uint64_t excluded) {
  const bool chinchilla = f.form == LawForm::chinchilla;
  for (const auto& e : estimates) {
    const double paper = chinchilla ? paper_value(e.name) : nan;
    out.rows.push_back({excluded, f.rows, f.starts, f.starts_at_optimum, f.objective, e, paper,
                        chinchilla ? epoch_value(e.name) : nan, within_interval(paper, e)});
  }
}

// The fit's time check, once the rows are known. `comparison`: the second fit of every run (no bootstrap).
void require_fit_time(const FitConfig& c, std::size_t rows, bool comparison) {
  auto plain = c.settings;
  plain.bootstrap = 0;
  const double seconds = estimated_seconds(c.settings, rows) + (comparison ? estimated_seconds(plain, rows) : 0.0);
  core::require_time(seconds, "--bootstrap " + std::to_string(c.settings.bootstrap) + " with --perturbations " +
                                  std::to_string(c.settings.perturbations) + ", --max-iterations " +
                                  std::to_string(c.settings.minimizer.max_iterations) + " and " + std::to_string(rows) +
                                  " rows");
}

}  // namespace

FitResult fit_study(const FitConfig& c, const core::Tick& tick, core::Sweep* sweep) {
  return fit_study(c, fit_observations(c), tick, sweep);
}

FitResult fit_study(const FitConfig& c, const Observations& all, const core::Tick& tick, core::Sweep* sweep) {
  require_fit_time(c, all.size(), c.exclude > 0 && !c.no_comparison);
  const auto kept = exclude_highest_loss(all, c.exclude);
  auto advance = [&] { core::tick_if(tick); };
  FitResult out{.rows_read = all.size(), .main = fit_scaling_law(kept, c.settings, advance, sweep)};
  out.estimates = law_estimates(out.main);
  if (c.exclude > 0 && !c.no_comparison) {
    auto plain = c.settings;
    plain.bootstrap = 0;
    out.every_run = fit_scaling_law(all, plain, advance);
    out.every_run_estimates = law_estimates(*out.every_run);
  }
  add_rows(out, out.main, out.estimates, c.exclude);
  if (out.every_run) add_rows(out, *out.every_run, out.every_run_estimates, 0);
  if (c.settings.form == LawForm::chinchilla) {
    const auto& beta = find_estimate(out.estimates, "beta");
    const double predicted = find_estimate(out.estimates, "beta_predicted").value;
    out.beta = BetaPrediction{.alpha = find_estimate(out.estimates, "alpha").value,
                              .predicted = predicted,
                              .beta = beta.value,
                              .holds = within_interval(predicted, beta),
                              .a_N = find_estimate(out.estimates, "a_N").value,
                              .paper_a = published("fit_a")};
  }
  return out;
}

SurfaceResult surface_study(const FitConfig& c) {
  if (c.settings.form != LawForm::chinchilla) throw core::InputError("--table: surface needs --form chinchilla");
  const auto all = fit_observations(c);
  auto settings = c.settings;
  settings.bootstrap = 0;
  require_fit_time({.settings = settings}, all.size(), false);
  const auto kept = exclude_highest_loss(all, c.exclude);
  const auto f = fit_scaling_law(kept, settings, [] {});
  SurfaceResult out{.runs = all.size()};
  const double cutoff = kept.size() < all.size() ? *std::max_element(kept.loss.begin(), kept.loss.end()) : inf;
  for (std::size_t i = 0; i < all.size(); ++i)
    out.rows.push_back(
        {all.loss[i] > cutoff ? "excluded" : "data", 6 * all.n[i] * all.d[i], all.n[i], all.d[i], all.loss[i]});
  for (double budget : isoflop_budgets) {
    auto point = [&](std::string_view kind, double n) {
      const double d = budget / (6 * n);  // C = 6 N D
      out.rows.push_back({kind, budget, n, d, law_loss(settings.form, f.theta, n, d)});
    };
    for (double n : log_grid(isoflop_n_from, isoflop_n_to, isoflop_points)) point("isoflop", n);
    point("optimum", optimal_params(f.theta, budget));
  }
  return out;
}

std::vector<double> SyntheticConfig::theta() const {
  return {std::log(a), std::log(b), std::log(e), alpha, beta};
}

std::size_t synthetic_steps(const SyntheticConfig& c) {
  return std::size_t{c.draws} * (starting_grid(LawForm::chinchilla).size() + c.fit.settings.bootstrap);
}

Observations synthetic_draw(const SyntheticConfig& c, const Observations& grid, std::size_t k) {
  auto rng = core::rng_stream(c.fit.settings.seed, (std::uint64_t{1} << 63) + k);
  boost::random::normal_distribution<double> z;
  const auto theta = c.theta();
  Observations o = grid;
  for (std::size_t i = 0; i < o.size(); ++i)
    o.loss[i] = law_loss(LawForm::chinchilla, theta, o.n[i], o.d[i]) * std::exp(c.sigma * z(rng));
  return o;
}

SyntheticResult synthetic_study(const SyntheticConfig& c, const core::Tick& tick) {
  check_chinchilla(c.fit, "synthetic");
  const auto grid = fit_observations(c.fit);
  auto settings = c.fit.settings;
  core::require_time(c.draws * estimated_seconds(settings, grid.size()),
                     "--draws " + std::to_string(c.draws) + " with --bootstrap " +
                         std::to_string(c.fit.settings.bootstrap) + " and " + std::to_string(grid.size()) + " runs");
  const auto truth_fit = LawFit{.form = LawForm::chinchilla, .rows = grid.size(), .theta = c.theta()};
  const auto truths = law_estimates(truth_fit);
  const std::vector<std::string> names{"E", "A", "B", "alpha", "beta", "a_N"};
  std::vector<std::vector<Estimate>> per_draw;
  for (std::size_t k = 0; k < c.draws; ++k) {
    settings.seed = c.fit.settings.seed * 1000003 + k + 1;
    const auto draw = exclude_highest_loss(synthetic_draw(c, grid, k), c.fit.exclude);
    const auto fit = fit_scaling_law(draw, settings, [&] { core::tick_if(tick); });
    per_draw.push_back(law_estimates(fit));
  }
  SyntheticResult out{.runs = grid.size() - std::min<std::size_t>(c.fit.exclude, grid.size()), .rows = {}};
  for (const auto& name : names) {
    SyntheticRow row{.parameter = name,
                     .truth = find_estimate(truths, name).value,
                     .mean = 0,
                     .bias = 0,
                     .rmse = 0,
                     .draws = per_draw.size(),
                     .covered = 0,
                     .coverage = nan,
                     .coverage_se = nan};
    for (const auto& est : per_draw) {
      const auto& e = find_estimate(est, name);
      row.mean += e.value / static_cast<double>(per_draw.size());
      row.rmse += (e.value - row.truth) * (e.value - row.truth) / static_cast<double>(per_draw.size());
      row.covered += within_interval(row.truth, e).value_or(false);
    }
    row.bias = row.mean - row.truth;
    row.rmse = std::sqrt(row.rmse);
    if (c.fit.settings.bootstrap >= 2 && !per_draw.empty()) {
      row.coverage = static_cast<double>(row.covered) / static_cast<double>(row.draws);
      row.coverage_se = std::sqrt(row.coverage * (1 - row.coverage) / static_cast<double>(row.draws));
    }
    out.rows.push_back(row);
  }
  return out;
}

const std::vector<core::Column>& synthetic_columns() {
  static const std::vector<core::Column> columns{
      {"parameter", "E, A, B, alpha, beta, a_N = beta/(alpha+beta)"},
      {"truth", "the law the losses were drawn from"},
      {"mean", "the estimates' mean over the draws"},
      {"bias", "mean - truth"},
      {"rmse", "root mean square of estimate - truth"},
      {"draws", "fits (one per draw)"},
      {"covered", "draws whose bootstrap 95% interval held the truth"},
      {"coverage", "covered / draws (nan with --bootstrap below 2); a correct interval: 0.95", true},
      {"coverage_se", "its binomial standard error", true}};
  return columns;
}

AllocationRow allocation_at(const LawFit& fit, double compute) {
  const auto n_opt = [compute](std::span<const double> th) { return optimal_params(th, compute); };
  const auto d_opt = [compute](std::span<const double> th) { return compute / (6 * optimal_params(th, compute)); };
  const auto ratio = [compute](std::span<const double> th) {
    const double n = optimal_params(th, compute);
    return compute / (6 * n * n);
  };
  const double n = n_opt(fit.theta), d = d_opt(fit.theta);
  return {compute, estimate_of(fit, "N_opt", n_opt), estimate_of(fit, "D_opt", d_opt),
          estimate_of(fit, "tokens_per_param", ratio), law_loss(LawForm::chinchilla, fit.theta, n, d)};
}

void check_chinchilla(const FitConfig& c, std::string_view subcommand) {
  if (c.settings.form != LawForm::chinchilla)
    throw core::InputError("--form: " + std::string(subcommand) + " needs chinchilla (the law of N and D), got '" +
                           std::string(to_string(c.settings.form)) + "'");
}

std::size_t allocate_steps(const AllocateConfig& c) {
  return starting_grid(c.fit.settings.form).size() + c.fit.settings.bootstrap;
}

AllocateResult allocate_study(const AllocateConfig& c, const core::Tick& tick) {
  check_chinchilla(c.fit, "allocate");
  const auto all = fit_observations(c.fit);
  require_fit_time(c.fit, all.size(), false);
  const auto kept = exclude_highest_loss(all, c.fit.exclude);
  AllocateResult out{.rows_read = all.size(),
                     .fit = fit_scaling_law(kept, c.fit.settings, [&] { core::tick_if(tick); }),
                     .a_N = {},
                     .rows = {}};
  out.a_N = find_estimate(law_estimates(out.fit), "a_N");
  for (const double compute : c.computes) out.rows.push_back(allocation_at(out.fit, compute));
  return out;
}

const std::vector<core::Column>& allocate_columns() {
  static const std::vector<core::Column> columns{
      {"compute", "the budget C in FLOP (C = 6 N D)"},
      {"N_opt", "the compute-optimal parameters: G (C/6)^a_N"},
      {"N_opt_lo95", "bootstrap 95% interval (nan with --bootstrap 0)", true},
      {"N_opt_hi95", "", true},
      {"D_opt", "the compute-optimal tokens: C / (6 N_opt)"},
      {"D_opt_lo95", "bootstrap 95% interval", true},
      {"D_opt_hi95", "", true},
      {"tokens_per_param", "D_opt / N_opt (Chinchilla's rule of thumb: about 20)"},
      {"tokens_per_param_lo95", "bootstrap 95% interval", true},
      {"tokens_per_param_hi95", "", true},
      {"loss", "the fitted law's loss at (N_opt, D_opt)"}};
  return columns;
}

const std::vector<core::ColumnSet>& fit_columns() {
  static const std::vector<core::ColumnSet> sets{
      {"--table params",
       {{"excluded", "highest-loss runs left out (0: the fit of every run, no bootstrap)"},
        {"rows", "runs fitted"},
        {"parameter", "E, A, B, alpha, beta, and what follows from them"},
        {"estimate", "the full-data value"},
        {"se", "bootstrap standard error", true},
        {"lo95", "bootstrap 95% interval", true},
        {"hi95", "", true},
        {"chinchilla_paper", "Hoffmann et al. 2022 (nan: not reported)", true},
        {"epoch_replication", "Besiroglu et al. 2024 (nan: not reported)", true},
        {"starts", "BFGS starts"},
        {"starts_at_optimum", "starts that reached the best objective"},
        {"objective", "the best Huber objective"}}},
      {"--table surface",
       {{"kind", "data, excluded, isoflop or optimum"},
        {"compute", "C = 6 N D"},
        {"N", "parameters"},
        {"D", "tokens"},
        {"loss", "measured (data, excluded) or the fitted law's"}}}};
  return sets;
}

const LossScaleRow& LossScaleResult::row(LossScale s, StoppingRule r) const {
  for (const auto& x : rows_)
    if (x.scale == s && x.rule == r) return x;
  throw std::logic_error("loss_scale: no row");
}

LossScaleResult loss_scale_study(const LossScaleConfig& c) {
  check_chinchilla(c.fit, "loss-scale");
  return loss_scale_study(c, fit_observations(c.fit));
}

LossScaleResult loss_scale_study(const LossScaleConfig& c, const Observations& all) {
  check_chinchilla(c.fit, "loss-scale");
  auto plain = c.fit.settings;
  plain.bootstrap = 0;
  core::require_time(
      4 * estimated_seconds(plain, all.size()) / static_cast<double>(std::max<std::size_t>(1, c.grid_stride)),
      "loss-scale: 4 x " + std::to_string(starting_grid(LawForm::chinchilla).size()) +
          " starts with --max-iterations " + std::to_string(plain.minimizer.max_iterations) + " and " +
          std::to_string(all.size()) + " rows");
  const auto kept = exclude_highest_loss(all, c.fit.exclude);
  const HuberLogObjective f(LawForm::chinchilla, kept, plain.delta);
  std::vector<std::vector<double>> grid;
  const auto full = starting_grid(LawForm::chinchilla);
  for (std::size_t i = 0; i < full.size(); i += std::max<std::size_t>(1, c.grid_stride)) grid.push_back(full[i]);
  struct Runs {
    LossScale scale;
    StoppingRule rule;
    std::vector<LocalFit> fits;
  };
  std::vector<Runs> runs;
  const double n = static_cast<double>(kept.size());
  for (const auto scale : loss_scales)
    for (const auto rule : stopping_rules) {
      const double factor = loss_scale_factor(scale, kept.size());
      auto fits = core::parallel_map(grid.size(), plain.threads, [&](std::size_t i) {
        auto r = minimize_scaled(f, factor, grid[i], rule, plain.minimizer, c.lbfgsb);
        r.objective *= n / factor;  // in the summed scale
        return r;
      });
      runs.push_back({scale, rule, std::move(fits)});
    }
  LossScaleResult out{.rows_read = all.size(), .rows = kept.size(), .best_summed = inf, .rows_ = {}};
  const std::vector<double>* best_theta = nullptr;
  for (const auto& r : runs)
    for (const auto& x : r.fits)
      if (std::isfinite(x.objective) && x.objective < out.best_summed) {
        out.best_summed = x.objective;
        best_theta = &x.theta;
      }
  if (!best_theta) throw core::NumericalError("loss-scale: no start reached a finite objective");
  const auto early = [&](const LocalFit& x) {
    if (!(x.objective <= out.best_summed * (1 + early_objective_tolerance))) return true;
    for (std::size_t j = 0; j < x.theta.size(); ++j)
      if (std::abs(x.theta[j] - (*best_theta)[j]) >
          early_parameter_tolerance * std::max(1.0, std::abs((*best_theta)[j])))
        return true;
    return false;
  };
  for (const auto& r : runs) {
    LossScaleRow row{r.scale, r.rule, r.fits.size(), 0, 0, {}, inf, nan, 0, 0};
    const LocalFit* best = nullptr;
    double iterations = 0;
    for (const auto& x : r.fits) {
      row.converged += x.converged;
      row.early += early(x);
      iterations += x.iterations;
      if (std::isfinite(x.objective) && (!best || x.objective < best->objective)) best = &x;
    }
    row.iterations_mean = iterations / static_cast<double>(r.fits.size());
    if (best) {
      row.theta = best->theta;
      row.objective_summed = best->objective;
      row.relative_gap = (best->objective - out.best_summed) / out.best_summed;
      row.iterations_best = best->iterations;
    }
    out.rows_.push_back(std::move(row));
  }
  return out;
}

const std::vector<core::Column>& loss_scale_columns() {
  static const std::vector<core::Column> columns{
      {"loss_scale", "summed: the Huber loss (/ delta) summed over the runs; averaged: its mean (the fit's objective)"},
      {"stopping",
       "lbfgsb: L-BFGS-B's stopping rule with SciPy's defaults (max |gradient| <= pgtol, or the relative "
       "decrease (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1) <= factr * 2.22e-16) on GSL's BFGS2 iterations; "
       "bfgs: the fit's rule (gradient norm below --gradient-tolerance)"},
      {"starts", "starts from the 4500-point grid"},
      {"converged", "starts the rule's test stopped (not the iteration cap or a stalled line search)"},
      {"stopped_early",
       "starts whose end is not the best optimum of all four configurations: its summed-scale objective more than a "
       "relative 1e-6 above the best, or a parameter (log A, log B, log E, alpha, beta) off the best's by more "
       "than 1e-3 (relative above 1)"},
      {"E", "the best start's E (its lowest objective)", true},
      {"A", "the best start's A", true},
      {"B", "the best start's B", true},
      {"alpha", "the best start's alpha", true},
      {"beta", "the best start's beta", true},
      {"objective", "the best start's objective in the summed scale (sum over runs of Huber / delta)", true},
      {"relative_gap", "(objective - the best of all four) / the best of all four", true},
      {"iterations_mean", "BFGS iterations per start"},
      {"iterations_best", "BFGS iterations of the best start"}};
  return columns;
}

// ---- isoflop ----

std::string_view to_string(IsoflopTable t) {
  return t == IsoflopTable::bands ? "bands" : "curves";
}

std::size_t isoflop_steps(const IsoflopConfig& c) {
  return c.no_comparison ? 0 : starting_grid(LawForm::chinchilla).size();
}

IsoflopResult isoflop_study(const IsoflopConfig& c, const core::Tick& tick) {
  return isoflop_study(c, fit_observations(c.fit), tick);
}

namespace {

// The plot's rows: the runs by band, each fitted parabola, the kept minima and the two laws of N_opt(C).
std::vector<IsoflopCurveRow> isoflop_curves(const IsoflopConfig& c, const Observations& all, const Observations& kept,
                                            const IsoflopResult& r) {
  constexpr unsigned parabola_points = 40, law_points = 30;
  std::vector<IsoflopCurveRow> out;
  const auto bands = isoflop_bands(kept, c.budgets, c.band_width);
  std::vector<double> band_of(kept.size(), nan);
  for (std::size_t j = 0; j < bands.size(); ++j)
    for (const auto i : bands[j]) band_of[i] = c.budgets[j];
  for (std::size_t i = 0; i < kept.size(); ++i)
    out.push_back(
        {std::isnan(band_of[i]) ? "outside" : "run", band_of[i], 6 * kept.n[i] * kept.d[i], kept.n[i], kept.loss[i]});
  const double cutoff = kept.size() < all.size() ? *std::max_element(kept.loss.begin(), kept.loss.end()) : inf;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all.loss[i] > cutoff) out.push_back({"excluded", nan, 6 * all.n[i] * all.d[i], all.n[i], all.loss[i]});
  for (const auto& b : r.approach2.bands) {
    if (std::isnan(b.parabola.c2)) continue;
    for (double n : log_grid(b.n_min, b.n_max, parabola_points))
      out.push_back({"parabola", b.budget, b.compute, n, b.parabola(std::log(n))});
    if (b.status == BandStatus::kept) out.push_back({"vertex", b.budget, b.compute, b.n_opt, b.loss_opt});
  }
  const auto& law = r.approach2.n_opt;
  const auto computes = log_grid(c.budgets.front() / 2, c.budgets.back() * 2, law_points);
  for (double compute : computes)
    out.push_back({"approach2", nan, compute, law.prefactor * std::pow(compute, law.exponent), nan});
  if (r.approach3)
    for (double compute : computes)
      out.push_back({"approach3", nan, compute, optimal_params(r.approach3->theta, compute), nan});
  return out;
}

}  // namespace

IsoflopResult isoflop_study(const IsoflopConfig& c, const Observations& all, const core::Tick& tick) {
  const auto kept = exclude_highest_loss(all, c.fit.exclude);
  IsoflopResult out{.rows_read = all.size(),
                    .runs = kept.size(),
                    .in_bands = 0,
                    .approach2 = fit_approach2(kept, c.budgets, c.band_width, c.at),
                    .bands = {},
                    .approach3 = std::nullopt,
                    .approach3_a = nan,
                    .curves = {}};
  for (const auto& b : out.approach2.bands) out.in_bands += b.runs;
  if (!c.no_comparison) {
    auto plain = c.fit.settings;
    plain.form = LawForm::chinchilla;
    plain.bootstrap = 0;
    require_fit_time({.settings = plain}, kept.size(), false);
    out.approach3 = fit_scaling_law(kept, plain, [&] { core::tick_if(tick); });
    out.approach3_a = find_estimate(law_estimates(*out.approach3), "a_N").value;
  }
  const auto& law = out.approach2.n_opt;
  for (const auto& b : out.approach2.bands)
    out.bands.push_back(
        {b, b.status == BandStatus::kept ? law.prefactor * std::pow(b.compute, law.exponent) : nan,
         out.approach3 && std::isfinite(b.compute) ? optimal_params(out.approach3->theta, b.compute) : nan});
  out.curves = isoflop_curves(c, all, kept, out);
  return out;
}

const std::vector<core::ColumnSet>& isoflop_columns() {
  static const std::vector<core::ColumnSet> sets{
      {"--table bands",
       {{"budget", "the nominal compute budget (FLOP) the band is centred on"},
        {"compute", "the band's C: the geometric mean of its runs' C (--band-compute mean) or the budget; nan: no runs",
         true},
        {"runs", "runs within --band-width dex of the budget, nearer to it than to any other"},
        {"N_min", "the band's smallest N; nan: no runs", true},
        {"N_max", "its largest N", true},
        {"status",
         "kept; no_runs; too_few_sizes (fewer than 3 distinct N); opens_downward (curvature <= 0); "
         "vertex_below_range or vertex_above_range (the vertex outside [N_min, N_max]): no interior minimum"},
        {"ln_N_centre", "x0, the mean ln N of the band's runs; the parabola: loss = c0 + c1 t + c2 t^2, t = ln N - x0",
         true},
        {"c0", "nan: fewer than 3 distinct N", true},
        {"c1", "", true},
        {"c2", "the curvature (> 0 for a minimum)", true},
        {"N_opt", "the vertex, the band's compute-optimal N; nan unless kept", true},
        {"D_opt", "C / (6 N_opt)", true},
        {"loss_opt", "the parabola's loss at the vertex", true},
        {"N_opt_approach2", "k C^a at the band's C: the power law fitted to the kept vertices; nan unless kept", true},
        {"N_opt_approach3", "the chinchilla fit's N_opt at the band's C (nan with --no-comparison or no runs)", true}}},
      {"--table curves",
       {{"kind",
         "run (in a band), outside (in no band), excluded (--exclude-highest), parabola (a band's fit over its N "
         "range), vertex (a kept band's minimum), approach2 (k C^a), approach3 (the chinchilla fit's N_opt)"},
        {"budget", "the band's budget; nan for outside, excluded and the two laws", true},
        {"compute", "C = 6 N D for runs; the band's C for parabola and vertex; the law's C"},
        {"N", "parameters"},
        {"loss", "measured (runs) or the parabola's; nan for the two laws", true}}}};
  return sets;
}

}  // namespace quanta
