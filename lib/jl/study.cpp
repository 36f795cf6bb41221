#include "jl/study.hpp"

#include <algorithm>
#include <cmath>

#include "attn/softmax_stats.hpp"
#include "core/errors.hpp"
#include "core/memory.hpp"
#include "core/parse.hpp"

namespace jl {

namespace {

void require_list(bool empty, const char* option) {
  if (empty) throw core::InputError(std::string(option) + ": expected at least one value, got none");
}

void require_open_unit(double x, const char* option) {
  if (!(x > 0 && x < 1))
    throw core::InputError(std::string(option) + ": expected a number in (0, 1), got " + core::format_double(x));
}

}  // namespace

// ---- project

ProjectStudyResult project_study(const ProjectStudyConfig& c, const core::Tick& tick) {
  const auto& dims = c.projection.dims;
  require_list(dims.empty(), "--n");
  for (std::size_t n : dims)
    if (n < 1 || n > max_dim) throw core::InputError("--n: expected dimensions in [1, 2^24], got " + std::to_string(n));
  require_open_unit(c.projection.eps, "--eps");
  const std::size_t largest = *std::max_element(dims.begin(), dims.end());
  Points x;
  if (c.input.empty()) {
    if (c.points < 2) throw core::InputError("--points: expected N >= 2, got " + std::to_string(c.points));
    if (c.dim < 1) throw core::InputError("--dim: expected m >= 1, got 0");
    check_projection_fits(c.points, c.dim, largest);
    x = gaussian_points(c.points, c.dim, c.projection.seed, 0);
  } else {
    x = points_from_table(core::read_csv_file(c.input, "--input"), "--input " + c.input);
    check_projection_fits(static_cast<std::size_t>(x.cols()), static_cast<std::size_t>(x.rows()), largest);
  }
  ProjectStudyResult result;
  result.rows = distortion_sweep(x, c.projection);
  result.points = static_cast<std::size_t>(x.cols());
  result.dim = static_cast<std::size_t>(x.rows());
  result.jl24 = jl_bound_24(static_cast<double>(x.cols()), c.projection.eps);
  for (std::size_t i = 0; i < dims.size(); ++i) core::tick_if(tick);
  return result;
}

const std::vector<core::Column>& project_columns() {
  static const std::vector<core::Column> columns = {
      {"n", "the target dimension"},
      {"points", "N"},
      {"pairs", "N (N - 1)/2"},
      {"eps"},
      {"within_eps", "fraction of pairs with distortion <= eps"},
      {"distortion_mean", "the mean of |‖Av_i - Av_j‖²/‖v_i - v_j‖² - 1| over all pairs"},
      {"distortion_q50", "its 50%, 90% and 99% quantiles"},
      {"distortion_q90"},
      {"distortion_q99"},
      {"distortion_max", "its largest value"},
      {"chi2_q50", "the same quantiles of one pair's exact law |chi2_n/n - 1|"},
      {"chi2_q90"},
      {"chi2_q99"},
      {"ip_error_mean", "the mean of |<Au_i, Au_j> - <u_i, u_j>| over pairs of unit u"},
      {"ip_error_q50", "its 50% and 99% quantiles"},
      {"ip_error_q99"},
      {"ip_error_max", "its largest value"},
      {"jl24_dims", "24 ln N/eps^2"}};
  return columns;
}

// ---- min-dim

MinDimStudyResult min_dim_study(const MinDimConfig& c, const core::Tick& tick, core::Sweep* sweep) {
  require_list(c.points.empty(), "--points");
  require_open_unit(c.eps, "--eps");
  require_open_unit(c.delta, "--delta");
  if (c.dim < 1 || c.dim > max_dim)
    throw core::InputError("--dim: expected a dimension in [1, 2^24], got " + std::to_string(c.dim));
  if (c.trials < 1) throw core::InputError("--trials: expected at least 1 trial, got 0");
  for (std::size_t n : c.points) {
    if (n < 2) throw core::InputError("--points: expected N >= 2, got " + std::to_string(n));
    check_projection_fits(n, c.dim, static_cast<std::size_t>(std::ceil(jl_bound_24(static_cast<double>(n), c.eps))));
  }
  core::require_time(estimated_seconds(c), "--trials " + std::to_string(c.trials) + " with " +
                                               core::list_extent("--points", c.points) + ", --dim " +
                                               std::to_string(c.dim) + " and --eps " + core::format_double(c.eps));
  const auto search = min_dimension(c, tick, sweep);
  MinDimStudyResult result;
  result.c = search.c;
  result.c_se = search.c_se;
  result.dasgupta_gupta_factor = 4 / (0.5 - c.eps / 3);
  for (const auto& w : search.rows) {
    const double ln_n = std::log(static_cast<double>(w.points));
    const double over = static_cast<double>(w.n_min) / w.jl24;
    result.worst_over_jl24 = std::max(result.worst_over_jl24, over);
    result.rows.push_back({w, ln_n, over, search.c * ln_n / (c.eps * c.eps)});
  }
  result.far_below = result.worst_over_jl24 <= far_below_fraction;
  return result;
}

const std::vector<core::Column>& min_dim_columns() {
  static const std::vector<core::Column> columns = {
      {"N", "the number of points"},
      {"ln_N"},
      {"eps"},
      {"delta"},
      {"trials"},
      {"n_min", "bisection: the smallest n with success >= 1 - delta"},
      {"success_at_min", "the fraction of trials keeping every pair within eps at n_min"},
      {"success_below", "the same at n_min - 1"},
      {"n_evaluated", "values of n the search tried"},
      {"jl24", "24 ln N/eps^2"},
      {"jl16", "16 ln N/eps^2"},
      {"dasgupta_gupta", "4 ln N/(eps^2/2 - eps^3/3)"},
      {"entropy_833", "8.33 ln N"},
      {"n_min_over_jl24"},
      {"c_fit", "c in n_min ~ c ln N/eps^2, fitted over all N"},
      {"c_fit_se", "its standard error"},
      {"c_fit_prediction", "c ln N/eps^2"}};
  return columns;
}

// ---- norm-tail and ortho-tail

double monte_carlo_band(double exact, std::size_t trials, double sigmas) {
  const double se = std::sqrt(exact * (1 - exact) / static_cast<double>(trials));
  return sigmas * se + 1.0 / static_cast<double>(trials);
}

bool within_monte_carlo_band(const TailRow& row, std::size_t trials, double sigmas) {
  return !(std::abs(row.monte_carlo - row.exact) > monte_carlo_band(row.exact, trials, sigmas));
}

void declare_options(core::Options& o, TailConfig& config) {
  o.integer_list("n", config.dims, 1u, 1u << 20, "dimensions n, comma-separated (each in [1, 2^20])");
  o.real_list("eps", config.eps, {0, 1, true, true}, "deviations eps, comma-separated (each in (0, 1))");
  o.integer("trials", config.trials, 1, 100000000, "Monte Carlo draws per n");
}

TailStudyResult tail_bounds_study(const TailConfig& c, const core::Tick& tick, core::Sweep* sweep) {
  require_list(c.dims.empty(), "--n");
  require_list(c.eps.empty(), "--eps");
  for (unsigned n : c.dims)
    if (n < 1 || n > (1u << 20))
      throw core::InputError("--n: expected dimensions in [1, 2^20], got " + std::to_string(n));
  if (c.trials < 1) throw core::InputError("--trials: expected at least 1 draw, got 0");
  core::require_time(estimated_seconds(c),
                     "--trials " + std::to_string(c.trials) + " with " + core::list_extent("--n", c.dims));
  TailStudyResult result;
  result.rows = tail_study(c, sweep);
  result.failed_bounds = failed_bounds(result.rows);
  result.bounds_hold = result.failed_bounds == 0;
  for (const auto& row : result.rows) result.within_band += within_monte_carlo_band(row, c.trials);
  core::tick_if(tick);
  return result;
}

std::string_view tail_claim_key(TailKind kind) {
  return kind == TailKind::norm ? "norm_bound" : "ortho_bound";
}

const std::vector<core::Column>& tail_columns(TailKind kind) {
  static const std::vector<core::Column> norm = {
      {"n", "the dimension"},
      {"eps"},
      {"exact", "P(| |u|^2 - 1 | >= eps): Boost.Math's regularised incomplete gamma"},
      {"exact_abs_error", "0"},
      {"monte_carlo", "the fraction of the draws in the tail"},
      {"mc_stderr", "its binomial standard error"},
      {"chernoff", "the Chernoff bound, both sides"},
      {"chernoff_via_norm", "= chernoff"},
      {"bound", "2 exp(-eps^2 n/8)"},
      {"bound_holds", "exact <= chernoff <= bound"}};
  static const std::vector<core::Column> ortho = {
      {"n", "the dimension"},
      {"eps"},
      {"exact", "P(|<u, v>| >= eps): tanh-sinh and exp-sinh quadrature of the law of (chi2_n - chi2_n)/2n"},
      {"exact_abs_error", "the quadrature's estimate of its error"},
      {"monte_carlo", "the fraction of the draws in the tail"},
      {"mc_stderr", "its binomial standard error"},
      {"chernoff", "direct, at the optimal t"},
      {"chernoff_via_norm", "the proof's 2 x norm Chernoff"},
      {"bound", "4 exp(-eps^2 n/8)"},
      {"bound_holds", "exact <= both Chernoff forms <= bound"}};
  return kind == TailKind::norm ? norm : ortho;
}

// ---- entropy

namespace {

// What entropy and positions check before any draw: the ranges, the needle's rho, every batch's memory and
// the whole sweep's time.
void check_entropy_sweep(const EntropyConfig& s, bool needle, double rho) {
  if (s.log2_from > s.log2_to)
    throw core::InputError("--log2-from: must not exceed --log2-to, got --log2-from " + std::to_string(s.log2_from) +
                           " > --log2-to " + std::to_string(s.log2_to));
  if (s.min_queries > s.max_queries)
    throw core::InputError("--min-queries: must not exceed --max-queries, got --min-queries " +
                           std::to_string(s.min_queries) + " > --max-queries " + std::to_string(s.max_queries));
  if (needle && !(rho >= 0 && rho <= 1))
    throw core::InputError("--rho: expected a number in [0, 1], got " + core::format_double(rho));
  for (std::size_t n : s.keys()) {  // every batch must fit before the first is drawn, and before the time check
    attn::ScoreBatch batch;
    batch.d = s.d;
    batch.n = n;
    batch.queries = s.queries(n);
    attn::require_batch_memory(batch, "--log2-to/--d: n");
  }
  core::require_time(estimated_seconds(s), "--log2-to " + std::to_string(s.log2_to) + " with --d " +
                                               std::to_string(s.d) + ", --work " + std::to_string(s.work) +
                                               " and --max-queries " + std::to_string(s.max_queries));
}

}  // namespace

EntropyStudyResult entropy_study(const EntropyStudyConfig& c, const core::Tick& tick, core::Sweep* sweep) {
  const auto& s = c.sweep;
  check_entropy_sweep(s, c.needle, c.rho);
  EntropyConfig run = s;
  run.needle_rho = c.needle ? c.rho : -1;
  auto swept = entropy_sweep(run, tick, sweep);
  EntropyStudyResult result;
  for (const auto& w : swept.rows) {
    const auto fit =
        *std::find_if(swept.slopes.begin(), swept.slopes.end(), [&](const auto& f) { return f.scale == w.scale; });
    result.rows.push_back({w, std::log(static_cast<double>(w.n)), c.needle ? c.rho : 0.0, fit});
  }
  result.slopes = std::move(swept.slopes);
  return result;
}

std::string_view to_string(PositionScale s) {
  switch (s) {
    case PositionScale::inv_sqrt_d: return "inv_sqrt_d";
    case PositionScale::constant: return "log512_L_over_sqrt_d";
    case PositionScale::per_position: return "max1_logT_i_over_sqrt_d";
  }
  return "?";
}

double position_scale(PositionScale s, double i, double length, double d, double train_length) {
  switch (s) {
    case PositionScale::inv_sqrt_d: return 1 / std::sqrt(d);
    case PositionScale::constant: return softmax_scale(Scale::log512, length, d, 0);
    case PositionScale::per_position: return std::max(1.0, std::log(i) / std::log(train_length)) / std::sqrt(d);
  }
  return 0;
}

PositionsResult positions_study(const PositionsConfig& c, const core::Tick& tick, core::Sweep* sweep) {
  if (!(c.train_length >= 2))
    throw core::InputError("--train-length: expected a number >= 2, got " + core::format_double(c.train_length));
  check_entropy_sweep(c.sweep, c.needle, c.rho);
  EntropyConfig run = c.sweep;
  run.needle_rho = c.needle ? c.rho : -1;
  const auto positions = run.keys();
  PositionsResult out{.length = positions.back(), .rows = {}};
  const auto length = static_cast<double>(out.length), d = static_cast<double>(run.d);
  // One position at a time (the outer map on one thread): each engine call uses every thread.
  const auto per_position = core::sweep_map(sweep, positions.size(), 1, [&](std::size_t p) {
    const auto i = static_cast<double>(positions[p]);
    std::vector<double> alphas;
    for (const auto s : all_position_scales) alphas.push_back(position_scale(s, i, length, d, c.train_length));
    auto rows = entropy_at(run, positions[p], p, alphas);
    core::tick_if(tick);
    return rows;
  });
  for (std::size_t p = 0; p < positions.size(); ++p) {
    const auto i = static_cast<double>(positions[p]);
    const auto& rows = per_position[p];
    for (std::size_t a = 0; a < rows.size(); ++a)
      out.rows.push_back({rows[a], all_position_scales[a], std::log(i), c.needle ? c.rho : 0.0});
  }
  return out;
}

const std::vector<core::Column>& positions_columns() {
  static const std::vector<core::Column> columns = {
      {"position", "query position i of the causal sequence: it attends to keys 1 .. i"},
      {"ln_i"},
      {"scale", "inv_sqrt_d, log512_L_over_sqrt_d (the article's, fixed for the sequence) or max1_logT_i_over_sqrt_d"},
      {"lambda", "the softmax scale at this position"},
      {"queries"},
      {"entropy_mean", "of the attention's entropy over the queries"},
      {"entropy_sd"},
      {"entropy_over_ln_i"},
      {"max_p_mean", "mean of the largest attention weight"},
      {"needle_rho", "0 without --needle"},
      {"needle_mass_mean", "the needle's attention mass"},
      {"needle_mass_sd"}};
  return columns;
}

const std::vector<core::Column>& entropy_columns() {
  static const std::vector<core::Column> columns = {{"n", "the number of keys"},
                                                    {"ln_n"},
                                                    {"scale", "inv_sqrt_d, log512_n_over_sqrt_d or kappa_ln_n_over_d"},
                                                    {"lambda", "the softmax scale"},
                                                    {"queries"},
                                                    {"entropy_mean", "of the attention's entropy over the queries"},
                                                    {"entropy_sd"},
                                                    {"entropy_over_ln_n"},
                                                    {"meanfield", "mean of ln n - lambda (s_max - s_mean)"},
                                                    {"max_p_mean", "mean of the largest attention weight"},
                                                    {"needle_rho", "0 without --needle"},
                                                    {"needle_mass_mean", "the needle's attention mass"},
                                                    {"needle_mass_sd"},
                                                    {"slope_dH_dln_n", "least-squares fits over the grid, per scale"},
                                                    {"meanfield_slope"},
                                                    {"needle_log_slope", "d ln mass/d ln n"}};
  return columns;
}

// ---- dims

std::vector<DimsRow> dims_study(const DimsConfig& c) {
  require_list(c.points.empty(), "--points");
  require_open_unit(c.eps, "--eps");
  std::vector<DimsRow> rows;
  for (std::uint64_t n : c.points) {
    if (n < 2) throw core::InputError("--points: expected N >= 2, got " + std::to_string(n));
    const auto x = static_cast<double>(n);
    rows.push_back({n, std::log(x), entropy_dimension(x), jl_bound_24(x, c.eps), jl_bound_16(x, c.eps),
                    dasgupta_gupta_bound(x, c.eps), log512_factor(x), static_cast<double>(c.d) * log512_factor(x)});
  }
  return rows;
}

const std::vector<core::Column>& dims_columns() {
  static const std::vector<core::Column> columns = {{"N", "the number of points (tokens)"},
                                                    {"ln_N"},
                                                    {"entropy_833", "8.33 ln N"},
                                                    {"jl24", "24 ln N/eps^2"},
                                                    {"jl16", "16 ln N/eps^2"},
                                                    {"dasgupta_gupta", "4 ln N/(eps^2/2 - eps^3/3)"},
                                                    {"eps"},
                                                    {"log512_N", "log_512 N"},
                                                    {"d_log512_N", "d log_512 N"}};
  return columns;
}

}  // namespace jl
