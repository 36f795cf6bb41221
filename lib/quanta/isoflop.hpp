// The Chinchilla paper's approach 2 (Hoffmann et al. 2022, section 3.2, "IsoFLOP profiles"): at each of a
// few compute budgets, fit a parabola to the loss against log N over the runs of that budget; its vertex is
// the compute-optimal N_opt(C); then N_opt ~ k C^a and D_opt = C/(6 N_opt) ~ C^b by least squares on the
// logs (b = 1 - a). Runs whose compute only clusters around the budgets (the 245 runs read off the paper's
// Figure 4) are assigned to the nearest budget in log10 C within a half-width; a band whose parabola opens
// downward, or whose vertex lies outside the band's N range, has no interior minimum and is refused.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "core/fit.hpp"
#include "quanta/fit.hpp"

namespace quanta {

// The C a band's minimum is placed at: the geometric mean of its runs' C (the compute the parabola was
// fitted on), or the nominal budget.
enum class BandCompute { mean, budget };
std::string_view to_string(BandCompute b);
inline constexpr std::array band_computes{BandCompute::mean, BandCompute::budget};

// Why a band has (or has no) interior minimum.
enum class BandStatus { kept, no_runs, too_few_sizes, opens_downward, vertex_below, vertex_above };
std::string_view to_string(BandStatus s);

// loss = c0 + c1 t + c2 t^2 with t = x - centre, x = ln N: fitted about the band's mean ln N, where the
// columns 1, t, t^2 are far from collinear (about ln N ~ 20 they are not).
struct Parabola {
  double centre, c0, c1, c2;
  double operator()(double x) const {
    const double t = x - centre;
    return c0 + (c1 + c2 * t) * t;
  }
  double vertex() const { return centre - c1 / (2 * c2); }
};

// The least-squares parabola through (x_i, y_i), centred at the mean x (GSL's gsl_multifit_linear).
// InputError unless there are three distinct x.
Parabola fit_parabola(std::span<const double> x, std::span<const double> y);

// The smallest number of kept bands the power law of the minima is fitted on: two points give a slope but
// no interval.
inline constexpr std::size_t approach2_min_bands = 3;

// InputError naming --budgets unless there are approach2_min_bands budgets or more, positive and strictly
// increasing.
void check_budgets(std::span<const double> budgets);

// The runs of each budget: row i of o goes to the budget nearest its C = 6 N D in log10, when it lies within
// half_width_dex of it (else to none). check_budgets first.
std::vector<std::vector<std::size_t>> isoflop_bands(const Observations& o, std::span<const double> budgets,
                                                    double half_width_dex);

struct BandFit {
  double budget;
  double compute;       // the band's C (BandCompute); nan without runs
  std::size_t runs;     // in the band
  double n_min, n_max;  // the band's range of N; nan without runs
  BandStatus status;
  Parabola parabola;              // nan without three distinct N
  double n_opt, d_opt, loss_opt;  // at the vertex, D_opt = C/(6 N_opt); nan unless kept
};

// One band's parabola and its verdict (rows: the band's rows of o).
BandFit fit_band(const Observations& o, std::span<const std::size_t> rows, double budget, BandCompute at);

struct Approach2Fit {
  std::vector<BandFit> bands;  // one per budget, kept or not
  std::size_t kept;
  core::PowerLawFit n_opt, d_opt;  // N_opt ~ k C^a and D_opt ~ C^b over the kept bands (b = 1 - a)
  double a_lo80, a_hi80;           // a's 80% Student-t interval (the paper's brackets are 10th-90th percentiles)
};

// Bands, parabolas, and the power laws of their minima. NumericalError (naming each refused band and why)
// when fewer than approach2_min_bands bands have an interior minimum.
Approach2Fit fit_approach2(const Observations& o, std::span<const double> budgets, double half_width_dex,
                           BandCompute at = BandCompute::mean);

}  // namespace quanta
