// Scaling-law fits the way the Chinchilla paper (Hoffmann et al. 2022, approach 3) and Epoch AI's
// replication (Besiroglu et al. 2024, "Chinchilla Scaling: A replication attempt") fit them:
//     L(N, D) = E + A / N^alpha + B / D^beta,   theta = (a, b, e, alpha, beta) = (log A, log B, log E, ...),
//     minimise  mean_i Huber_delta( LSE(a - alpha log N_i, b - beta log D_i, e) - log L_i ) / delta
// (delta = 1e-3) with analytic gradients by GSL's BFGS2 from a grid of starting points, keep the best;
// bootstrap the rows for standard errors and 95% intervals. The same machinery fits the one-variable
// laws L(x) = E + A x^-alpha ("power") and L(x) = A x^-alpha ("power0"). Dividing by delta and by the
// number of rows does not move the minimiser; it keeps the gradient of order one, so the stopping rule
// means the same for any data set (the Chinchilla paper's optimiser stopped early on its loss scale).
// The compute-optimal allocation for C = 6 N D: N_opt = G (C/6)^a, D_opt = (C/6)^b / G with
// a = beta/(alpha+beta), b = alpha/(alpha+beta), G = (alpha A / (beta B))^(1/(alpha+beta)).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "core/sweep.hpp"

namespace quanta {

enum class LawForm { chinchilla, power, power0 };
std::string_view to_string(LawForm f);

// theta's layout: the log-coefficients, then e (if the form has E), then the exponents.
// chinchilla: a, b, e, alpha, beta; power: a, e, alpha; power0: a, alpha.
std::vector<std::string_view> parameter_names(LawForm f);
std::size_t parameter_count(LawForm f);

// Measured losses with N and D (one-variable forms: x in n, d unused). All positive.
struct Observations {
  std::vector<double> loss, n, d;
  std::size_t size() const { return loss.size(); }
};

// Which CSV columns hold what. D is `tokens` when given, else compute / (6 N).
struct ColumnNames {
  std::string loss = "loss", params = "Model Size", compute = "Training FLOP", tokens;
};

// Validated observations from a parsed CSV: InputError for a missing or non-numeric column, a
// non-positive N, D or loss, or fewer rows than the form has parameters.
Observations observations_from_csv(const core::CsvTable& t, const ColumnNames& names, LawForm form,
                                   std::string_view what);

// The same checks on arrays (the Python module's quanta.fit): entry i is line i + 1 in the messages; d is
// unused (may be empty) for the one-variable forms.
Observations observations_from_arrays(std::span<const double> n, std::span<const double> d,
                                      std::span<const double> loss, LawForm form, std::string_view what);

// The rows without the k highest losses (ties: the later row goes first).
Observations exclude_highest_loss(const Observations& o, std::size_t k);

// The objective above, on log-data held by value (a bootstrap resample is another objective).
class HuberLogObjective {
 public:
  HuberLogObjective(LawForm form, const Observations& o, double delta = 1e-3);
  HuberLogObjective(LawForm form, const Observations& o, std::span<const std::size_t> rows, double delta = 1e-3);
  std::size_t dimension() const { return parameter_count(form_); }
  double value(std::span<const double> theta) const;
  double value_and_gradient(std::span<const double> theta, std::span<double> gradient) const;
  // log of the law's prediction at row i (with `rows`: the i-th distinct row drawn, in the data's order).
  double log_prediction(std::span<const double> theta, std::size_t i) const;

  // The same objective in centred coordinates, where the minimiser works: a - alpha log N is written
  // (a - alpha c_N) - alpha (log N - c_N) with c_N the mean of log N (likewise b, D), which removes the
  // near-collinearity of a and alpha (log N ~ 20) without moving the minimum.
  std::vector<double> to_centred(std::span<const double> theta) const;
  std::vector<double> from_centred(std::span<const double> centred) const;
  double centred_value_and_gradient(std::span<const double> centred, std::span<double> gradient) const;

 private:
  LawForm form_;
  double delta_;
  double centre_n_ = 0, centre_d_ = 0;
  // One entry per distinct row (a bootstrap resample's repeated rows are merged into one with a weight,
  // its multiplicity), padded with weight-0 rows to a multiple of 4 for the vectorised kernel.
  std::vector<double> log_loss_, log_n_, log_d_, weight_;  // log N and log D centred
  double total_weight_ = 0;                                // the number of rows, repeats counted
};

struct MinimizerSettings {
  unsigned max_iterations = 1000;
  double gradient_tolerance = 1e-5;  // on the Euclidean norm of the gradient of the scaled objective
};

struct LocalFit {
  std::vector<double> theta;
  double objective;
  bool converged;
  unsigned iterations;
};

// GSL's BFGS2 (gsl_multimin_fdfminimizer_vector_bfgs2) from `start`.
LocalFit minimize_from(const HuberLogObjective& f, std::span<const double> start, const MinimizerSettings& s);

// ---- The loss scale (issue 20). Epoch AI (Besiroglu et al. 2024) traced the Chinchilla paper's too-narrow
// intervals to the Huber loss being averaged over runs instead of summed: the minimiser does not move, but
// L-BFGS-B's stopping tests are absolute (max |gradient| <= pgtol; relative decrease with a floor of 1 in the
// denominator), so dividing the loss by n loosens them n times and starts stop early. summed = n * averaged,
// averaged being HuberLogObjective's mean (both divided by delta).
enum class LossScale { summed, averaged };
enum class StoppingRule { lbfgsb, bfgs };
std::string_view to_string(LossScale s);
std::string_view to_string(StoppingRule r);
// The factor on HuberLogObjective's value: n (the number of runs) for summed, 1 for averaged.
double loss_scale_factor(LossScale s, std::size_t rows);

// SciPy's L-BFGS-B defaults: pgtol 1e-5, factr 1e7 (times the machine epsilon 2.22e-16).
struct LbfgsbStopping {
  double pgtol = 1e-5, factr = 1e7;
};

// GSL's BFGS2 on factor * f from `start`, in f's centred coordinates like minimize_from. lbfgsb: stop when
// max |gradient| <= pgtol or (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= factr * eps (L-BFGS-B's stopping
// rule, not its bound handling or its limited memory); bfgs: minimize_from's test on the Euclidean norm of
// the gradient of factor * f. Either stops at s.max_iterations or when the line search makes no progress.
// objective: factor * f at the end; converged: the rule's test stopped it.
LocalFit minimize_scaled(const HuberLogObjective& f, double factor, std::span<const double> start, StoppingRule rule,
                         const MinimizerSettings& s, const LbfgsbStopping& lbfgsb = {});

// The starting grid of the Epoch AI replication: log-coefficients 0, 5, .., 25; e -1, -0.5, .., 1;
// exponents 0, 0.5, .., 2 (chinchilla: 6 * 6 * 5 * 5 * 5 = 4,500 starts).
std::vector<std::vector<double>> starting_grid(LawForm f);

struct FitSettings {
  LawForm form = LawForm::chinchilla;
  double delta = 1e-3;
  MinimizerSettings minimizer;
  unsigned bootstrap = 4000;   // resamples; 0: none
  unsigned perturbations = 3;  // extra starts per resample around the full-data optimum
  std::uint64_t seed = 1;
  unsigned threads = 1;
};

struct LawFit {
  LawForm form;
  std::size_t rows;
  std::vector<double> theta;
  double objective;
  std::size_t starts, converged_starts, starts_at_optimum;
  std::vector<std::vector<double>> bootstrap;  // theta of each resample whose refit converged
  std::size_t bootstrap_failed;
};

// Fits, then bootstraps. NumericalError when no start converges or more than 1% of the resamples fail.
// `advance` is called once per start and once per resample. A sweep whose points are the resamples, the row
// of one its refit's theta (empty: none converged); the point estimate and its starts run before the map
// (core/sweep.hpp: `sweep` shards or merges it).
LawFit fit_scaling_law(const Observations& o, const FitSettings& s, const std::function<void()>& advance,
                       core::Sweep* sweep = nullptr);

// fit_scaling_law's run time on this machine for `rows` observations, for core::require_time: every
// start of the grid and 1 + perturbations per resample, each BFGS iteration a few passes over the rows.
// A start stops well before a large --max-iterations (its line search makes no progress), so the
// iterations counted are the cap or what a start takes, whichever is less: about 100 from the grid,
// 30 from the full-data optimum.
double estimated_seconds(const FitSettings& s, std::size_t rows);

// A reported quantity: the full-data estimate with its bootstrap standard error and 95% percentile interval.
struct Estimate {
  std::string name;
  double value, se, lo95, hi95;
};

// The compute budget at which the fit's optimal allocation is reported (C = 10^24 FLOP).
inline constexpr double report_compute = 1e24;

// E, A (B), alpha (beta); for chinchilla also the allocation exponents a_N = beta/(alpha+beta),
// b_D = alpha/(alpha+beta), G, N_opt, D_opt and D_opt/N_opt at C = 10^24, and the quantization model's
// reading: gamma = alpha, the predicted data exponent gamma/(gamma+1) and beta minus it.
std::vector<Estimate> law_estimates(const LawFit& fit);
// Any quantity of the law's parameters as an Estimate: f at the fit, with the standard error and the 95%
// percentile interval of f over the bootstrap resamples (nan with fewer than two).
Estimate estimate_of(const LawFit& fit, std::string name, const std::function<double(std::span<const double>)>& f);
const Estimate& find_estimate(const std::vector<Estimate>& e, std::string_view name);
// "95% CI LO .. HI" to `digits` significant digits, or "" when e has no interval (fewer than two resamples).
std::string interval_text(const Estimate& e, int digits = 4);

// The law's loss at (N, D) (one-variable forms: at x = N).
double law_loss(LawForm form, std::span<const double> theta, double n, double d = 0);

// The compute-optimal N for budget C (chinchilla form).
double optimal_params(std::span<const double> theta, double compute);

}  // namespace quanta
