// The studies behind quanta-scaling's subcommands, one function each: the exact loss curve of the
// quantization model against its asymptotic form, the Monte Carlo of the model along parameters, data
// or steps with fitted exponents (Michaud et al. 2023, "The Quantization Model of Neural Scaling"), the
// loss floor with finitely many quanta, and the Chinchilla approach-3 fit (Hoffmann et al. 2022) as
// Epoch AI replicated it (Besiroglu et al. 2024), with its iso-FLOP surface, and approach 2 on the same runs. Each
// returns the rows the tool writes and what its summary and verdicts need; the columns are declared here.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "core/options.hpp"
#include "core/progress.hpp"
#include "quanta/fit.hpp"
#include "quanta/isoflop.hpp"
#include "quanta/simulate.hpp"
#include "quanta/zipf.hpp"

namespace quanta {

// InputError (naming --b) unless the loss on a missing quantum exceeds the loss on a known one.
void check_losses(const Losses& l);

// ---- curve: L(n) exactly (Hurwitz zeta) and asymptotically ----
// The n that curve (and the Python module's zipf_tail_loss) accepts.
inline constexpr core::Interval curve_n_range{1, 1e15};

struct CurveConfig {
  std::vector<double> gammas{0.3, 0.5, 1, 2};
  Losses losses;
  double from = 1, to = 1e9;  // n, quanta learned
  unsigned points = 91;       // on a log grid rounded to integers
};

struct CurveRow {
  double gamma;
  CurvePoint point;
  double n_times_1_minus_ratio;  // n (1 - tail_ratio): tends to g/2, the ratio's error is O(1/n)
};

// The first and last point of one gamma's curve, and the limit n (1 - ratio) tends to.
struct CurveEnds {
  double gamma;
  CurvePoint first, last;
  double last_n_error;  // n (1 - ratio) at the last point
  double limit;         // g/2 (Euler-Maclaurin)
};

struct CurveResult {
  std::vector<CurveRow> rows;  // gamma-major, then n
  std::vector<CurveEnds> ends;
  double n_first, n_last;  // the grid's ends after rounding
};

// The options of curve (--gamma, --a, --b, --from, --to, --points), of every study's losses (--a, --b),
// the fit's --form and its settings (--bootstrap, ... --gradient-tolerance): shared with the Python module.
void declare_options(core::Options& o, CurveConfig& config);
void declare_losses(core::Options& o, Losses& l);
void declare_form(core::Options& o, LawForm& form);
void declare_options(core::Options& o, FitSettings& s);
// --exclude-highest alone (fit declares it with its form; synthetic and allocate, which have none, alone).
void declare_exclude(core::Options& o, std::uint64_t& exclude);
// fit's --form, --exclude-highest, --no-comparison and the settings (not its CSV options).
struct FitConfig;
void declare_options(core::Options& o, FitConfig& config);

CurveResult curve_study(const CurveConfig& c);
const std::vector<core::Column>& curve_columns();

// ---- simulate: the Monte Carlo along one axis ----
// The command line's spelling of SimulationConfig: from, to and quanta 0 mean the axis's default range
// and unlimited quanta; simulate_study resolves them into `model` (whose from, to and quanta it sets).
struct SimulateConfig {
  SimulationConfig model;
  double from = 0, to = 0;   // 0: 10^6 .. 10^12 for params and data, 10^3 .. 10^9 for steps
  std::uint64_t quanta = 0;  // K; 0: unlimited
};

inline constexpr std::array simulate_axes{Axis::params, Axis::data, Axis::steps};

// The model configuration the study runs; InputError when --from exceeds --to (after resolving 0).
SimulationConfig resolve(const SimulateConfig& c);

struct SimulateRow {
  SimulationRow point;
  ExponentFit fit;  // of the row's gamma
};

struct SimulateResult {
  SimulationConfig model;  // resolved
  std::vector<SimulateRow> rows;
  std::vector<ExponentFit> fits;  // one per gamma
  bool exact;                     // the params axis: no randomness, the offset is the tail's curvature
  std::size_t covered;            // fits whose 95% interval covers the prediction
};

std::size_t simulate_steps(const SimulateConfig& c);  // ticks simulate_study makes
// A sweep whose points are the (gamma, grid point) pairs (simulate_scaling; `sweep` shards or merges it).
SimulateResult simulate_study(const SimulateConfig& c, const core::Tick& tick = {}, core::Sweep* sweep = nullptr);
const std::vector<core::Column>& simulate_columns();

// ---- emergence: finitely many quanta ----
struct EmergenceStudyConfig {
  EmergenceConfig model;
  double from = 0, to = 0;       // 0: 10^3 .. 10^9 for params, 10^3 .. 10^10 for data
  std::uint64_t quanta = 10000;  // K
};

inline constexpr std::array emergence_axes{Axis::params, Axis::data};

EmergenceConfig resolve(const EmergenceStudyConfig& c);  // InputError when --from exceeds --to

struct EmergenceStudyResult {
  EmergenceConfig model;  // resolved
  EmergenceResult result;
  double unlimited_exponent;  // L - a ~ x^-k with infinitely many quanta: g (params), g/(g+1) (data)
};

EmergenceStudyResult emergence_study(const EmergenceStudyConfig& c);
const std::vector<core::Column>& emergence_columns();

// ---- fit: the scaling-law fit and its surface ----
enum class FitTable { params, surface };
std::string_view to_string(FitTable t);
inline constexpr std::array fit_tables{FitTable::params, FitTable::surface};
inline constexpr std::array law_forms{LawForm::chinchilla, LawForm::power, LawForm::power0};

struct FitConfig {
  std::string csv_path;  // '-': stdin; empty: default_csv_path()
  ColumnNames columns;
  std::uint64_t exclude = 5;   // the highest-loss runs dropped before fitting (Epoch AI dropped 5)
  bool no_comparison = false;  // skip the second fit of every run
  FitSettings settings;
  FitTable table = FitTable::params;
};

// The Chinchilla data that comes with the suite (data/chinchilla_fig4.csv, installed as
// share/mlderiv/chinchilla_fig4.csv and found relative to the executable: core/data.hpp).
std::string default_csv_path();
// c.csv_path, or default_csv_path() when it is empty.
std::string fit_csv_path(const FitConfig& c);

// E, A, B, alpha or beta: the law's own parameters, the names the paper and Epoch AI report.
bool law_parameter(std::string_view name);

// The Chinchilla paper's value and Epoch AI's of an estimate (E, A, B, alpha, beta; the paper's a_N and
// b_D from its allocation exponent a), or nan.
double paper_value(std::string_view estimate);
double epoch_value(std::string_view estimate);

// Whether x lies in e's bootstrap 95% interval; none when there is no interval (--bootstrap 0, or too few
// resamples converged).
std::optional<bool> within_interval(double x, const Estimate& e);

// One estimate of one fit, with the fit's bookkeeping (rows, starts, objective).
struct FitRow {
  std::uint64_t excluded;
  std::size_t rows, starts, starts_at_optimum;
  double objective;
  Estimate estimate;
  double paper, epoch;               // nan where there is no published value (and for the one-variable forms)
  std::optional<bool> paper_inside;  // the paper's value lies in the bootstrap 95% interval; none without one
};

// The quantization model read off a chinchilla fit: gamma = alpha predicts beta = gamma/(gamma+1).
struct BetaPrediction {
  double alpha, predicted, beta;
  std::optional<bool> holds;  // predicted inside beta's 95% interval; none without one (--bootstrap 0)
  double a_N;                 // this fit's allocation exponent
  double paper_a;             // the paper's allocation exponent (its alpha and beta imply it)
};

struct FitResult {
  std::size_t rows_read;
  LawFit main;                      // without the `exclude` highest losses
  std::optional<LawFit> every_run;  // the comparison fit of every run (no bootstrap)
  std::vector<Estimate> estimates, every_run_estimates;
  std::vector<FitRow> rows;            // main's estimates, then every_run's
  std::optional<BetaPrediction> beta;  // chinchilla form only
};

struct SurfaceRow {
  std::string_view kind;  // data, excluded, isoflop, optimum
  double compute, n, d, loss;
};

// The iso-FLOP budgets of the Chinchilla paper's Figure 4 (its IsoFLOP profiles), and the N grid.
inline constexpr std::array isoflop_budgets{6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21};
inline constexpr double isoflop_n_from = 1e7, isoflop_n_to = 3e10;
inline constexpr unsigned isoflop_points = 120;  // N on a log grid per budget, then the budget's optimum

struct SurfaceResult {
  std::size_t runs;
  std::vector<SurfaceRow> rows;
};

// Reads the CSV (InputError for bad data, or when --exclude-highest leaves fewer rows than parameters).
Observations fit_observations(const FitConfig& c);
std::size_t fit_steps(const FitConfig& c);  // ticks fit_study makes: one per start and per resample
// A sweep whose points are the main fit's bootstrap resamples (fit_scaling_law; `sweep` shards or merges it;
// the comparison fit without the exclusion has no bootstrap and runs in the finish).
FitResult fit_study(const FitConfig& c, const core::Tick& tick = {}, core::Sweep* sweep = nullptr);
// The same on observations given (the Python module's quanta.fit); c's CSV settings are unused.
FitResult fit_study(const FitConfig& c, const Observations& all, const core::Tick& tick = {},
                    core::Sweep* sweep = nullptr);
SurfaceResult surface_study(const FitConfig& c);    // InputError unless the form is chinchilla
const std::vector<core::ColumnSet>& fit_columns();  // [0] --table params, [1] --table surface

// ---- synthetic: does the fit recover a law it is given? ----
// Losses drawn from a known L = E + A/N^alpha + B/D^beta at the N and D of the runs of --csv (the Chinchilla
// grid by default), times log-normal noise exp(sigma z); each draw fitted as `fit` fits (the same starts,
// bootstrap and intervals); over the draws, each parameter's bias and RMSE, and how often its 95% interval
// covered the truth (the coverage a correct interval has: 0.95). Each draw loses its --exclude-highest
// highest losses before the fit, as fit's data does.
struct SyntheticConfig {
  // --csv gives the grid of N and D (its loss column is not used); 200 bootstrap resamples per draw (fit's
  // 4,000 are for one fit, not twenty).
  FitConfig fit = [] {
    FitConfig f;
    f.settings.bootstrap = 200;
    return f;
  }();
  double e = epoch_value("E"), a = epoch_value("A"), b = epoch_value("B"), alpha = epoch_value("alpha"),
         beta = epoch_value("beta");  // the truth: Epoch AI's estimates on the Chinchilla data
  // sd of log L around the law: the Chinchilla runs' residuals about Epoch AI's fit have a robust sd
  // (1.4826 median |r|) of 0.005, and 0.03 with the few far-off runs that a log-normal does not model.
  double sigma = 0.005;
  unsigned draws = 20;

  std::vector<double> theta() const;  // in parameter_names' order
};

struct SyntheticRow {
  std::string parameter;  // E, A, B, alpha, beta, a_N
  double truth, mean, bias, rmse;
  std::size_t draws, covered;    // draws fitted, and those whose 95% interval held the truth
  double coverage, coverage_se;  // covered / draws and its binomial standard error
};

struct SyntheticResult {
  std::size_t runs;  // losses fitted per draw: the grid's points less the excluded
  std::vector<SyntheticRow> rows;
};

std::size_t synthetic_steps(const SyntheticConfig& c);  // ticks: one per start and resample of every draw
// Draw k's losses: the law at each (N, D) times exp(sigma z), z from the stream (seed, 2^63 + k); its fit
// bootstraps with the seed seed * 1000003 + k + 1 (streams of their own).
Observations synthetic_draw(const SyntheticConfig& c, const Observations& grid, std::size_t k);
SyntheticResult synthetic_study(const SyntheticConfig& c, const core::Tick& tick = {});
const std::vector<core::Column>& synthetic_columns();

// ---- allocate: given a FLOP budget, how big a model and how many tokens ----
// From the fitted chinchilla law L = E + A/N^alpha + B/D^beta under C = 6 N D: N_opt = G (C/6)^a_N,
// D_opt = C / (6 N_opt), with G = (alpha A / (beta B))^(1/(alpha+beta)) and a_N = beta/(alpha+beta)
// (Hoffmann et al. 2022, eq. 4); each with its bootstrap 95% interval from the fit's resamples.

// The Chinchilla paper's own budget: Gopher's and Chinchilla's 5.76e23 FLOP (70B parameters, 1.4T tokens).
inline constexpr double chinchilla_compute = 5.76e23;
// Its rule of thumb: about 20 training tokens per parameter at the compute optimum.
inline constexpr double chinchilla_tokens_per_param = 20;

struct AllocateConfig {
  FitConfig fit;  // the data and the fit's settings; its form must be chinchilla
  std::vector<double> computes{1e20, 1e21, 1e22, 1e23, chinchilla_compute, 1e24, 1e25, 1e26};
};

struct AllocationRow {
  double compute;
  Estimate n_opt, d_opt, tokens_per_param;
  double loss;  // the law's loss at (N_opt, D_opt), from the full-data fit
};

struct AllocateResult {
  std::size_t rows_read;
  LawFit fit;                       // without the --exclude-highest runs, with its bootstrap
  Estimate a_N;                     // N_opt grows as C^a_N; D_opt as C^(1 - a_N)
  std::vector<AllocationRow> rows;  // in the order of computes
};

// The allocation at one budget from a chinchilla fit (the intervals from its bootstrap resamples).
AllocationRow allocation_at(const LawFit& fit, double compute);

// InputError "--form: SUBCOMMAND needs chinchilla (the law of N and D), got 'FORM'" for a one-variable law:
// synthetic draws from, and allocate splits C between, N and D.
void check_chinchilla(const FitConfig& c, std::string_view subcommand);
std::size_t allocate_steps(const AllocateConfig& c);  // ticks allocate_study makes: one per start and resample
AllocateResult allocate_study(const AllocateConfig& c, const core::Tick& tick = {});
const std::vector<core::Column>& allocate_columns();

// ---- loss-scale: the Huber loss summed over runs against averaged (issue 20) ----
inline constexpr std::array loss_scales{LossScale::summed, LossScale::averaged};
inline constexpr std::array stopping_rules{StoppingRule::lbfgsb, StoppingRule::bfgs};

struct LossScaleConfig {
  FitConfig fit;  // the data, --exclude-highest, --delta, --max-iterations, --gradient-tolerance (bfgs)
  LbfgsbStopping lbfgsb;
  std::size_t grid_stride = 1;  // every k-th start of the grid (the tests: a subset)
};

// A start stops early when its objective, in the summed scale, exceeds the best over all four
// configurations by more than a relative 1e-6, or any parameter of theta differs from the best's by more
// than 1e-3 (relative above 1).
inline constexpr double early_objective_tolerance = 1e-6, early_parameter_tolerance = 1e-3;

struct LossScaleRow {
  LossScale scale;
  StoppingRule rule;
  std::size_t starts, converged, early;
  std::vector<double> theta;  // the best start's (lowest objective)
  double objective_summed;    // the best start's objective in the summed scale
  double relative_gap;        // (objective_summed - best of all four) / best of all four
  double iterations_mean;     // per start
  unsigned iterations_best;   // the best start's
};

struct LossScaleResult {
  std::size_t rows_read, rows;
  double best_summed;               // the lowest summed-scale objective over all four configurations
  std::vector<LossScaleRow> rows_;  // summed-lbfgsb, summed-bfgs, averaged-lbfgsb, averaged-bfgs
  const LossScaleRow& row(LossScale s, StoppingRule r) const;
};

LossScaleResult loss_scale_study(const LossScaleConfig& c);
// The same on observations given (the --exclude-highest runs are dropped here); c's CSV settings unused.
LossScaleResult loss_scale_study(const LossScaleConfig& c, const Observations& all);
const std::vector<core::Column>& loss_scale_columns();

// ---- isoflop: the Chinchilla approach 2 on the same runs (issue 20) ----
enum class IsoflopTable { bands, curves };
std::string_view to_string(IsoflopTable t);
inline constexpr std::array isoflop_tables{IsoflopTable::bands, IsoflopTable::curves};

struct IsoflopConfig {
  FitConfig fit;  // the data and --exclude-highest (the same runs as fit); approach 3's fit without bootstrap
  std::vector<double> budgets{isoflop_budgets.begin(), isoflop_budgets.end()};
  // Half-width of a band in log10 C. The budgets 6e18 and 1e19 are 0.22 dex apart, so up to 0.11 the bands
  // are disjoint; beyond it a run still joins only its nearest budget.
  double band_width = 0.15;
  BandCompute at = BandCompute::mean;
  bool no_comparison = false;  // skip approach 3's fit
  IsoflopTable table = IsoflopTable::bands;
};

// --table curves: what the plot draws. kind: run (in a band), outside (in none), excluded (--exclude-highest),
// parabola (a band's fit over its N range), vertex (a kept band's minimum), approach2 (k C^a), approach3
// (the chinchilla fit's N_opt).
struct IsoflopCurveRow {
  std::string_view kind;
  double budget, compute, n, loss;
};

// A band with both laws' N_opt at its C.
struct IsoflopBandRow {
  BandFit band;
  double n_opt_approach2;  // k C^a; nan unless the band is kept
  double n_opt_approach3;  // the chinchilla fit's; nan without it or without runs
};

struct IsoflopResult {
  std::size_t rows_read, runs, in_bands;  // runs: after --exclude-highest; in_bands: of those, in some band
  Approach2Fit approach2;
  std::vector<IsoflopBandRow> bands;  // --table bands
  std::optional<LawFit> approach3;    // the chinchilla fit of the same runs (none with --no-comparison)
  double approach3_a;                 // its a_N = beta/(alpha+beta); nan without it
  std::vector<IsoflopCurveRow> curves;
};

std::size_t isoflop_steps(const IsoflopConfig& c);  // ticks: one per start of approach 3's fit
// NumericalError when fewer than approach2_min_bands bands have an interior minimum (fit_approach2).
IsoflopResult isoflop_study(const IsoflopConfig& c, const core::Tick& tick = {});
// The same on observations given; c's CSV settings are unused.
IsoflopResult isoflop_study(const IsoflopConfig& c, const Observations& all, const core::Tick& tick = {});
const std::vector<core::ColumnSet>& isoflop_columns();  // [0] --table bands, [1] --table curves

}  // namespace quanta
