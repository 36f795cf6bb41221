#include "quanta/isoflop.hpp"

#include <gsl/gsl_multifit.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <string>

#include "core/csv.hpp"
#include "core/errors.hpp"

namespace quanta {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::size_t distinct(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  return static_cast<std::size_t>(std::unique(x.begin(), x.end()) - x.begin());
}

}  // namespace

std::string_view to_string(BandCompute b) {
  return b == BandCompute::mean ? "mean" : "budget";
}

std::string_view to_string(BandStatus s) {
  switch (s) {
    case BandStatus::kept: return "kept";
    case BandStatus::no_runs: return "no_runs";
    case BandStatus::too_few_sizes: return "too_few_sizes";
    case BandStatus::opens_downward: return "opens_downward";
    case BandStatus::vertex_below: return "vertex_below_range";
    case BandStatus::vertex_above: return "vertex_above_range";
  }
  return "?";
}

Parabola fit_parabola(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = x.size();
  if (y.size() != n || distinct({x.begin(), x.end()}) < 3)
    throw core::InputError("parabola fit: needs at least three distinct x");
  const double centre = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(n);
  const auto free_matrix = [](gsl_matrix* m) { gsl_matrix_free(m); };
  const auto free_vector = [](gsl_vector* v) { gsl_vector_free(v); };
  std::unique_ptr<gsl_matrix, decltype(free_matrix)> design(gsl_matrix_alloc(n, 3), free_matrix),
      cov(gsl_matrix_alloc(3, 3), free_matrix);
  std::unique_ptr<gsl_vector, decltype(free_vector)> rhs(gsl_vector_alloc(n), free_vector),
      c(gsl_vector_alloc(3), free_vector);
  std::unique_ptr<gsl_multifit_linear_workspace, decltype(&gsl_multifit_linear_free)> work(
      gsl_multifit_linear_alloc(n, 3), &gsl_multifit_linear_free);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = x[i] - centre;
    gsl_matrix_set(design.get(), i, 0, 1);
    gsl_matrix_set(design.get(), i, 1, t);
    gsl_matrix_set(design.get(), i, 2, t * t);
    gsl_vector_set(rhs.get(), i, y[i]);
  }
  double chisq = 0;
  if (gsl_multifit_linear(design.get(), rhs.get(), c.get(), cov.get(), &chisq, work.get()) != 0)
    throw core::NumericalError("parabola fit: GSL's least squares failed");
  return {centre, gsl_vector_get(c.get(), 0), gsl_vector_get(c.get(), 1), gsl_vector_get(c.get(), 2)};
}

void check_budgets(std::span<const double> budgets) {
  if (budgets.size() < approach2_min_bands)
    throw core::InputError("--budgets: the power law of the minima needs at least " +
                           std::to_string(approach2_min_bands) + " budgets, got " + std::to_string(budgets.size()));
  for (std::size_t j = 0; j < budgets.size(); ++j)
    if (!(budgets[j] > 0) || (j > 0 && !(budgets[j] > budgets[j - 1])))
      throw core::InputError("--budgets: must be positive and strictly increasing, got " +
                             core::format_double(budgets[j]) +
                             (j > 0 ? " after " + core::format_double(budgets[j - 1]) : ""));
}

std::vector<std::vector<std::size_t>> isoflop_bands(const Observations& o, std::span<const double> budgets,
                                                    double half_width_dex) {
  check_budgets(budgets);
  std::vector<std::vector<std::size_t>> bands(budgets.size());
  for (std::size_t i = 0; i < o.size(); ++i) {
    const double lc = std::log10(6 * o.n[i] * o.d[i]);
    std::size_t nearest = 0;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < budgets.size(); ++j)
      if (const double dist = std::abs(lc - std::log10(budgets[j])); dist < best) {
        best = dist;
        nearest = j;
      }
    if (best <= half_width_dex) bands[nearest].push_back(i);
  }
  return bands;
}

BandFit fit_band(const Observations& o, std::span<const std::size_t> rows, double budget, BandCompute at) {
  BandFit b{.budget = budget,
            .compute = nan,
            .runs = rows.size(),
            .n_min = nan,
            .n_max = nan,
            .status = BandStatus::no_runs,
            .parabola = {nan, nan, nan, nan},
            .n_opt = nan,
            .d_opt = nan,
            .loss_opt = nan};
  if (rows.empty()) return b;
  std::vector<double> x, y;
  double log_c = 0;
  for (const auto i : rows) {
    x.push_back(std::log(o.n[i]));
    y.push_back(o.loss[i]);
    log_c += std::log(6 * o.n[i] * o.d[i]);
  }
  b.compute = at == BandCompute::budget ? budget : std::exp(log_c / static_cast<double>(rows.size()));
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  b.n_min = std::exp(*lo);
  b.n_max = std::exp(*hi);
  if (distinct(x) < 3) {
    b.status = BandStatus::too_few_sizes;
    return b;
  }
  b.parabola = fit_parabola(x, y);
  const double v = b.parabola.vertex();
  b.status = !(b.parabola.c2 > 0) ? BandStatus::opens_downward
             : v < *lo            ? BandStatus::vertex_below
             : v > *hi            ? BandStatus::vertex_above
                                  : BandStatus::kept;
  if (b.status != BandStatus::kept) return b;
  b.n_opt = std::exp(v);
  b.d_opt = b.compute / (6 * b.n_opt);
  b.loss_opt = b.parabola(v);
  return b;
}

Approach2Fit fit_approach2(const Observations& o, std::span<const double> budgets, double half_width_dex,
                           BandCompute at) {
  const auto bands = isoflop_bands(o, budgets, half_width_dex);
  Approach2Fit out{};
  std::vector<double> c, n, d;
  std::string refused;
  for (std::size_t j = 0; j < budgets.size(); ++j) {
    out.bands.push_back(fit_band(o, bands[j], budgets[j], at));
    const auto& b = out.bands.back();
    if (b.status != BandStatus::kept) {
      refused +=
          (refused.empty() ? "" : "; ") + core::format_double(b.budget) + ": " + std::string(to_string(b.status));
      continue;
    }
    c.push_back(b.compute);
    n.push_back(b.n_opt);
    d.push_back(b.d_opt);
  }
  out.kept = c.size();
  if (out.kept < approach2_min_bands || distinct(c) < 2)
    throw core::NumericalError("approach 2: " + std::to_string(out.kept) + " of " + std::to_string(budgets.size()) +
                               " compute bands have an interior minimum at distinct C (refused: " +
                               (refused.empty() ? std::string("none") : refused) +
                               "); the power law of the minima needs " + std::to_string(approach2_min_bands));
  out.n_opt = core::fit_power_law(c, n);
  out.d_opt = core::fit_power_law(c, d);
  const double t = boost::math::quantile(boost::math::students_t(static_cast<double>(out.kept - 2)), 0.9);
  out.a_lo80 = out.n_opt.exponent - t * out.n_opt.exponent_se;
  out.a_hi80 = out.n_opt.exponent + t * out.n_opt.exponent_se;
  return out;
}

}  // namespace quanta
