#include "quanta/study.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "core/claims.hpp"
#include "core/data.hpp"
#include "core/errors.hpp"
#include "core/memory.hpp"
#include "core/options.hpp"
#include "quanta/claims.hpp"

namespace quanta {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

double published(std::string_view key) {
  return core::find_claim(claims(), key).value;
}

void tick_or_nothing(const core::Tick& tick) {
  if (tick) tick();
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
  o.integer("exclude-highest", config.exclude, std::uint64_t{0}, std::uint64_t{1000000},
            "drop the N runs with the highest loss before fitting (Epoch AI dropped 5)");
  o.flag("no-comparison", config.no_comparison, "skip the second fit of every run (with --exclude-highest > 0)");
  declare_options(o, config.settings);
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

SimulateResult simulate_study(const SimulateConfig& c, const core::Tick& tick) {
  SimulateResult out{.model = resolve(c)};
  const auto& m = out.model;
  core::require_time(estimated_seconds(m), "--points " + std::to_string(m.points) + " with --seeds " +
                                               std::to_string(m.seeds) + ", --tau " + std::to_string(m.tau) +
                                               " and --to " + core::format_double(m.to));
  auto sim = simulate_scaling(out.model, [&] { tick_or_nothing(tick); });
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

FitResult fit_study(const FitConfig& c, const core::Tick& tick) {
  return fit_study(c, fit_observations(c), tick);
}

FitResult fit_study(const FitConfig& c, const Observations& all, const core::Tick& tick) {
  require_fit_time(c, all.size(), c.exclude > 0 && !c.no_comparison);
  const auto kept = exclude_highest_loss(all, c.exclude);
  auto advance = [&] { tick_or_nothing(tick); };
  FitResult out{.rows_read = all.size(), .main = fit_scaling_law(kept, c.settings, advance)};
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

}  // namespace quanta
