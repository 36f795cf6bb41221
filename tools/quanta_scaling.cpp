// quanta-scaling: scaling laws from the quantization model of neural scaling (Michaud et al. 2023) and a
// scaling-law fitter that reproduces the Chinchilla approach-3 fit the way Epoch AI replicated it
// (../shared/spec/quanta-scaling.md). A thin driver: options, lib/quanta, CSV rows and a summary.
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/claims.hpp"
#include "core/cli.hpp"
#include "core/errors.hpp"
#include "quanta/claims.hpp"
#include "quanta/fit.hpp"
#include "quanta/simulate.hpp"
#include "quanta/zipf.hpp"

namespace {

using quanta::Axis;
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

void check_losses(const quanta::Losses& l) {
  if (!(l.b > l.a))
    throw core::InputError("--b: the loss on a missing quantum must exceed --a (" + core::format_double(l.a) +
                           "), got " + core::format_double(l.b));
}

void check_range(double from, double to) {
  if (from > to)
    throw core::InputError("--from: must not exceed --to, got " + core::format_double(from) + " > " +
                           core::format_double(to));
}

Axis axis_option(const std::string& name) {
  return name == "params" ? Axis::params : name == "steps" ? Axis::steps : Axis::data;
}

void declare_losses(core::Options& o, quanta::Losses& l) {
  o.real("a", l.a, {-1e300, 1e300}, "loss on samples whose quantum the model knows");
  o.real("b", l.b, {-1e300, 1e300}, "loss on samples whose quantum it lacks (> a)");
}

struct Curve {
  std::string gammas = "0.3,0.5,1,2";
  quanta::Losses losses;
  double from = 1, to = 1e9;
  unsigned points = 91;

  void declare(core::Options& o) {
    o.text("gamma", gammas, "LIST", "Zipf exponents g > 0 (p_k ~ k^-(g+1)), comma-separated");
    declare_losses(o, losses);
    o.real("from", from, {1, 1e15}, "first n (quanta learned)");
    o.real("to", to, {1, 1e15}, "last n");
    o.integer("points", points, 2u, 100000u, "n on a log grid (rounded to integers)");
  }

  void run(core::Run& r) {
    const auto gs = core::parse_real_list("--gamma", gammas, {0, inf, true, true});
    check_losses(losses);
    check_range(from, to);
    auto& csv = r.csv({{"gamma"}, {"n"}, {"loss"}, {"loss_asymptotic"}, {"tail_ratio"}, {"n_times_1_minus_ratio"}});
    const auto grid = quanta::integer_log_grid(from, to, points);
    auto& out = r.summary();
    out << "quanta-scaling curve: exact L(n) = a + (b-a) zeta(g+1;n+1)/zeta(g+1) against n^-g/(g zeta(g+1)), n = "
        << core::format_double(grid.front()) << " .. " << core::format_double(grid.back()) << ":";
    for (double g : gs) {
      quanta::CurvePoint first{}, last{};
      for (double n : grid) {
        const auto p = quanta::quanta_loss_curve_point(g, losses, n);
        csv.row({g, n, p.loss, p.loss_asymptotic, p.tail_ratio, n * (1 - p.tail_ratio)});
        if (n == grid.front()) first = p;
        last = p;
      }
      out << "\n  g = " << g << ": ratio " << core::format_sig(first.tail_ratio, 6) << " at n = " << first.n << ", "
          << core::format_sig(last.tail_ratio, 12) << " at n = " << last.n
          << "; n (1 - ratio) = " << core::format_sig(last.n * (1 - last.tail_ratio), 4) << " (-> g/2 = " << g / 2
          << ": the error is O(1/n), as the Euler-Maclaurin expansion says)";
    }
    out << "\n";
  }
};

struct Simulate {
  quanta::SimulationConfig c;
  std::string axis = "data", gammas = "0.3,0.5,1,2";
  double from = 0, to = 0;
  std::uint64_t quanta_k = 0;

  void declare(core::Options& o) {
    o.choice("axis", axis, {"params", "data", "steps"},
             "what grows: parameters N (n = floor(N/C)), data D, or steps S (D = S B)");
    o.text("gamma", gammas, "LIST", "Zipf exponents g > 0, comma-separated");
    o.real("from", from, {0, 1e15}, "first N, D or S (0: 10^6 for params and data, 10^3 for steps)");
    o.real("to", to, {0, 1e15}, "last N, D or S (0: 10^12 for params and data, 10^9 for steps)");
    o.integer("points", c.points, 2u, 10000u, "grid points (log-spaced)");
    o.integer("seeds", c.seeds, 2u, 100000u, "realisations per point (the params axis has no randomness: one)");
    o.integer("tau", c.tau, 1u, 1000000u, "occurrences in the data needed to learn a quantum");
    o.real("per-quantum", c.per_quantum, {0, inf, true, true}, "C: parameters per quantum");
    o.real("batch", c.batch, {1, 1e12}, "B: samples per step (steps axis)");
    o.integer("quanta", quanta_k, std::uint64_t{0}, std::uint64_t{1000000000000000},
              "K: number of quanta; 0: unlimited");
    declare_losses(o, c.losses);
  }

  void run(core::Run& r) {
    c.axis = axis_option(axis);
    c.gammas = core::parse_real_list("--gamma", gammas, {0, inf, true, true});
    check_losses(c.losses);
    c.from = from > 0 ? from : c.axis == Axis::steps ? 1e3 : 1e6;
    c.to = to > 0 ? to : c.axis == Axis::steps ? 1e9 : 1e12;
    check_range(c.from, c.to);
    c.quanta = quanta_k == 0 ? quanta::unlimited : static_cast<double>(quanta_k);
    c.seed = r.seed;
    c.threads = r.threads;
    auto& progress = r.progress("simulate", quanta::simulation_jobs(c));
    const auto result = quanta::simulate_scaling(c, [&] { progress.advance(); });
    auto& csv = r.csv({{"axis"},
                       {"gamma"},
                       {"x"},
                       {"samples"},
                       {"loss_mean"},
                       {"loss_sd"},
                       {"loss_expected"},
                       {"predicted_exponent"},
                       {"fitted_exponent", true},
                       {"fitted_lo95", true},
                       {"fitted_hi95", true}});
    for (const auto& row : result.rows) {
      const auto& f = result.fits[static_cast<std::size_t>(
          std::find_if(result.fits.begin(), result.fits.end(), [&](auto& x) { return x.gamma == row.gamma; }) -
          result.fits.begin())];
      csv.row({axis, row.gamma, row.x, row.samples, row.loss_mean, row.loss_sd, row.loss_expected, f.predicted,
               f.exponent, f.lo95, f.hi95});
    }
    auto& out = r.summary();
    const char* law = c.axis == Axis::params ? "g" : "g/(g+1)";
    out << "quanta-scaling simulate --axis " << axis << ": L - a ~ x^-k fitted over x = " << core::format_double(c.from)
        << " .. " << core::format_double(c.to) << " ("
        << (c.axis == Axis::params ? std::string("no randomness on this axis")
                                   : std::to_string(c.seeds) + " realisations per point")
        << "); the quantization model predicts k = " << law << ":";
    std::size_t covered = 0;
    const bool exact = c.axis == Axis::params;
    for (const auto& f : result.fits) {
      out << "\n  g = " << f.gamma << ": k = " << core::format_sig(f.exponent, 6) << " (95% CI "
          << core::format_sig(f.lo95, 6) << " .. " << core::format_sig(f.hi95, 6) << "), predicted "
          << core::format_sig(f.predicted, 5);
      if (exact)
        out << ", off by " << core::format_sig(f.exponent - f.predicted, 2);
      else
        out << (f.covers() ? " -- inside the interval" : " -- OUTSIDE the interval");
      covered += f.covers();
    }
    if (exact)
      out << "\n  The params axis has no randomness: the interval measures only the curvature of the exact tail,\n"
             "  whose O(g/2n) correction sets the small offset (zero as n grows).\n";
    else
      out << "\n  " << covered << " of " << result.fits.size() << " intervals cover the prediction.\n";
  }
};

struct Emergence {
  quanta::EmergenceConfig c;
  std::string axis = "params";
  double from = 0, to = 0;
  std::uint64_t quanta_k = 10000;

  void declare(core::Options& o) {
    o.choice("axis", axis, {"params", "data"}, "what grows: parameters N or data D");
    o.real("gamma", c.gamma, {0, inf, true, true}, "Zipf exponent g > 0");
    o.integer("quanta", quanta_k, std::uint64_t{1}, std::uint64_t{100000000}, "K: the finite number of quanta");
    o.real("from", from, {0, 1e15}, "first N or D (0: 10^3)");
    o.real("to", to, {0, 1e15}, "last N or D (0: 10^9 for params, 10^10 for data)");
    o.integer("points", c.points, 2u, 10000u, "grid points (log-spaced)");
    o.integer("tau", c.tau, 1u, 1000000u, "occurrences needed to learn a quantum (data axis)");
    o.real("per-quantum", c.per_quantum, {0, inf, true, true}, "C: parameters per quantum (params axis)");
    declare_losses(o, c.losses);
  }

  void run(core::Run& r) {
    c.axis = axis_option(axis);
    check_losses(c.losses);
    c.from = from > 0 ? from : 1e3;
    c.to = to > 0 ? to : c.axis == Axis::params ? 1e9 : 1e10;
    check_range(c.from, c.to);
    c.quanta = static_cast<double>(quanta_k);
    const auto result = quanta::emergence(c);
    auto& csv = r.csv({{"axis"}, {"x"}, {"learned"}, {"loss"}, {"loss_unlimited"}, {"floor"}, {"p_all_learned"}});
    for (const auto& row : result.rows)
      csv.row({axis, row.x, row.learned, row.loss, row.loss_unlimited, result.floor, row.p_all_learned});
    auto& out = r.summary();
    out << "quanta-scaling emergence: with K = " << quanta_k << " quanta (g = " << c.gamma
        << ") the loss stops at its floor a = " << result.floor;
    if (c.axis == Axis::params)
      out << ", reached exactly at N = C K = " << core::format_sig(result.reached, 6)
          << "; with unlimited quanta it keeps falling as N^-" << c.gamma << ".\n";
    else
      out << "; all K quanta are learned (probability 1/2) at D = " << core::format_sig(result.reached, 5)
          << ", set by the rarest quantum (D p_K ~ log K); with unlimited quanta L - a keeps falling as D^-"
          << core::format_sig(c.gamma / (c.gamma + 1), 4) << ".\n";
  }
};

const core::Claim& published(std::string_view key) {
  return core::find_claim(quanta::claims(), key);
}

// The paper's value of a reported quantity, or nan.
double paper_value(const std::string& name, std::string_view prefix) {
  for (const char* n : {"E", "A", "B", "alpha", "beta"})
    if (name == n) return published(std::string(prefix) + n).value;
  if (prefix == "fit_" && name == "a_N") return published("fit_a").value;
  if (prefix == "fit_" && name == "b_D") return 1 - published("fit_a").value;
  return nan;
}

struct Fit {
  std::string csv_path = QUANTA_DEFAULT_CSV, form = "chinchilla", table = "params";
  quanta::ColumnNames columns;
  std::uint64_t exclude = 5;
  bool only_excluded = false;
  quanta::FitSettings s;

  void declare(core::Options& o) {
    o.text("csv", csv_path, "FILE",
           "measured losses, one run per row ('-': stdin); default: data/chinchilla_fig4.csv of this project");
    o.choice("form", form, {"chinchilla", "power", "power0"},
             "chinchilla: L = E + A/N^alpha + B/D^beta; power: L = E + A x^-alpha; power0: L = A x^-alpha");
    o.text("loss-column", columns.loss, "NAME", "column of the loss");
    o.text("x-column", columns.params, "NAME", "column of N (the one variable x of power and power0)");
    o.text("compute-column", columns.compute, "NAME", "column of the training compute C (D = C / (6 N))");
    o.text("tokens-column", columns.tokens, "NAME", "column of D, used instead of --compute-column when given");
    o.integer("exclude-highest", exclude, std::uint64_t{0}, std::uint64_t{1000000},
              "drop the N runs with the highest loss before fitting (Epoch AI dropped 5)");
    o.flag("no-comparison", only_excluded, "skip the second fit of every run (with --exclude-highest > 0)");
    o.integer("bootstrap", s.bootstrap, 0u, 1000000u, "bootstrap resamples (0: none)");
    o.integer("perturbations", s.perturbations, 0u, 100u, "extra starts per resample around the full-data optimum");
    o.real("delta", s.delta, {0, 1, true, false}, "Huber loss threshold on log L");
    o.integer("max-iterations", s.minimizer.max_iterations, 1u, 1000000u, "BFGS iterations per start");
    o.real("gradient-tolerance", s.minimizer.gradient_tolerance, {0, 1, true, false},
           "a start converged when the scaled objective's gradient norm is below this");
    o.choice("table", table, {"params", "surface"},
             "params: the estimates; surface: the data and the fitted law's iso-FLOP curves (no bootstrap)");
  }

  void run(core::Run& r) {
    s.form = form == "chinchilla" ? quanta::LawForm::chinchilla
             : form == "power"    ? quanta::LawForm::power
                                  : quanta::LawForm::power0;
    s.seed = r.seed;
    s.threads = r.threads;
    const auto all =
        quanta::observations_from_csv(core::read_csv_file(csv_path, "--csv"), columns, s.form, "--csv " + csv_path);
    if (all.size() - std::min<std::size_t>(exclude, all.size()) < quanta::parameter_count(s.form))
      throw core::InputError("--exclude-highest: " + std::to_string(exclude) + " of " + std::to_string(all.size()) +
                             " rows leaves fewer rows than the " + std::to_string(quanta::parameter_count(s.form)) +
                             " parameters");
    const auto kept = quanta::exclude_highest_loss(all, exclude);
    if (table == "surface") return surface(r, all, kept);
    const std::size_t starts = quanta::starting_grid(s.form).size();
    const bool compare = exclude > 0 && !only_excluded;
    auto& progress = r.progress("fit", (starts + s.bootstrap) + (compare ? starts : 0));
    const auto main = quanta::fit_scaling_law(kept, s, [&] { progress.advance(); });
    std::optional<quanta::LawFit> other;
    if (compare) {
      auto plain = s;
      plain.bootstrap = 0;
      other = quanta::fit_scaling_law(all, plain, [&] { progress.advance(); });
    }
    auto& csv = r.csv({{"excluded"},
                       {"rows"},
                       {"parameter"},
                       {"estimate"},
                       {"se", true},
                       {"lo95", true},
                       {"hi95", true},
                       {"chinchilla_paper", true},
                       {"epoch_replication", true},
                       {"starts"},
                       {"starts_at_optimum"},
                       {"objective"}});
    const bool chin = s.form == quanta::LawForm::chinchilla;
    auto write = [&](const quanta::LawFit& f, std::uint64_t excluded) {
      for (const auto& e : quanta::law_estimates(f))
        csv.row({excluded, f.rows, e.name, e.value, e.se, e.lo95, e.hi95, chin ? paper_value(e.name, "fit_") : nan,
                 chin ? paper_value(e.name, "epoch_") : nan, f.starts, f.starts_at_optimum, f.objective});
    };
    write(main, exclude);
    if (other) write(*other, 0);
    summarise(r.summary(), main, other);
  }

  void summarise(std::ostream& out, const quanta::LawFit& main, const std::optional<quanta::LawFit>& other) const {
    const auto est = quanta::law_estimates(main);
    out << "quanta-scaling fit (" << form << "; " << csv_path << "): " << main.rows << " rows"
        << (exclude ? " (the " + std::to_string(exclude) + " highest losses excluded)" : std::string()) << "; "
        << main.starts_at_optimum << " of " << main.starts << " starts reached the optimum (" << main.converged_starts
        << " converged); " << main.bootstrap.size() << " bootstrap refits";
    if (main.bootstrap_failed) out << " (" << main.bootstrap_failed << " did not converge)";
    out << ".\n";
    const bool chin = s.form == quanta::LawForm::chinchilla;
    for (const auto& e : est) {
      if (chin && (e.name == "G" || e.name == "gamma_from_alpha" || e.name == "beta_minus_predicted")) continue;
      out << "  " << e.name << " = " << core::format_sig(e.value, 4);
      if (std::isfinite(e.lo95))
        out << " (95% CI " << core::format_sig(e.lo95, 4) << " .. " << core::format_sig(e.hi95, 4) << ")";
      if (chin) {
        const double p = paper_value(e.name, "fit_"), q = paper_value(e.name, "epoch_");
        if (std::isfinite(p))
          out << "; Chinchilla paper " << core::format_sig(p, 4)
              << (e.lo95 <= p && p <= e.hi95 ? " inside" : " OUTSIDE") << " the interval";
        if (std::isfinite(q)) out << "; Epoch AI " << core::format_sig(q, 4);
      }
      out << "\n";
    }
    if (other) {
      const auto o = quanta::law_estimates(*other);
      out << "  Without excluding any run (" << other->rows << " rows): ";
      for (const auto& e : o)
        if (e.name == "E" || e.name == "A" || e.name == "B" || e.name == "alpha" || e.name == "beta")
          out << e.name << " = " << core::format_sig(e.value, 4) << " ";
      out << "-- the highest-loss runs sit far off the surface and pull the fit.\n";
    }
    if (!chin) return;
    const auto& beta = quanta::find_estimate(est, "beta");
    const auto& pred = quanta::find_estimate(est, "beta_predicted");
    const bool holds = beta.lo95 <= pred.value && pred.value <= beta.hi95;
    out << "  Quantization model: gamma = alpha = " << core::format_sig(quanta::find_estimate(est, "alpha").value, 4)
        << " predicts a data exponent gamma/(gamma+1) = " << core::format_sig(pred.value, 4) << "; the fitted beta is "
        << core::format_sig(beta.value, 4) << " -- the prediction "
        << (holds ? "holds (inside beta's 95% interval)." : "does NOT hold on this data (outside beta's 95% interval).")
        << "\n  The paper's values differ because this is the 245-run subset read off its Figure 4, and (Epoch AI) "
           "its optimiser stopped early and its reported values are rounded; the paper's alpha and beta imply "
           "a = 0.46 while this fit gives a_N = "
        << core::format_sig(quanta::find_estimate(est, "a_N").value, 3) << ".\n";
  }

  void surface(core::Run& r, const quanta::Observations& all, const quanta::Observations& kept) {
    if (s.form != quanta::LawForm::chinchilla) throw core::InputError("--table: surface needs --form chinchilla");
    auto settings = s;
    settings.bootstrap = 0;
    const auto f = quanta::fit_scaling_law(kept, settings, [] {});
    auto& csv = r.csv({{"kind"}, {"compute"}, {"N"}, {"D"}, {"loss"}});
    const double cutoff = kept.size() < all.size() ? *std::max_element(kept.loss.begin(), kept.loss.end()) : inf;
    for (std::size_t i = 0; i < all.size(); ++i)
      csv.row({all.loss[i] > cutoff ? "excluded" : "data", 6 * all.n[i] * all.d[i], all.n[i], all.d[i], all.loss[i]});
    // The iso-FLOP budgets of the Chinchilla paper's Figure 4 (its IsoFLOP profiles).
    for (double c : {6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21}) {
      for (double n : quanta::log_grid(1e7, 3e10, 120))
        csv.row({"isoflop", c, n, c / (6 * n), quanta::law_loss(s.form, f.theta, n, c / (6 * n))});
      const double n = quanta::optimal_params(f.theta, c);
      csv.row({"optimum", c, n, c / (6 * n), quanta::law_loss(s.form, f.theta, n, c / (6 * n))});
    }
    r.summary() << "quanta-scaling fit --table surface: " << all.size() << " runs and the fitted law's iso-FLOP "
                << "curves at 9 budgets (6e18 .. 3e21 FLOP), each with its compute-optimal N.\n";
  }
};

const core::Command commands[] = {
    core::command<Curve>("curve", "exact L(n) with the Hurwitz zeta tail next to its asymptotic form",
                         core::no_features,
                         "Columns: gamma, n, loss (exact), loss_asymptotic, tail_ratio (exact/asymptotic L - a),\n"
                         "n_times_1_minus_ratio (tends to g/2: the ratio's error is O(1/n))."),
    core::command<Simulate>(
        "simulate", "Monte Carlo of the model along params, data or steps; fitted exponents vs g and g/(g+1)",
        core::uses_threads | core::uses_seed,
        "Columns: axis, gamma, x (N, D or S), samples (n = floor(N/C) for params; D otherwise), loss_mean and\n"
        "loss_sd over the realisations, loss_expected (exact expectation), predicted_exponent, fitted_exponent\n"
        "with its 95% interval (OLS of log(mean L - a) on log x over the points; nan when a finite K leaves\n"
        "fewer than three points above the floor)."),
    core::command<Emergence>("emergence", "the loss floor with a finite number of quanta K, and where it is reached",
                             core::no_features,
                             "Columns: axis, x (N or D), learned (quanta held; expected on the data axis), loss\n"
                             "(finite K), loss_unlimited (infinitely many quanta), floor (a), p_all_learned."),
    core::command<Fit>(
        "fit", "fit L = E + A/N^alpha + B/D^beta (or one-variable power laws) with bootstrap intervals",
        core::uses_threads | core::uses_seed,
        "Columns (--table params): excluded, rows, parameter, estimate, se, lo95, hi95 (bootstrap), chinchilla_paper,\n"
        "epoch_replication, starts, starts_at_optimum, objective. Rows with excluded = 0 are the fit of every run\n"
        "(no bootstrap: se and intervals nan). --table surface: kind (data, excluded, isoflop, optimum), compute,\n"
        "N, D, loss. A fit none of whose starts converges exits 1 without output."),
    core::reproduce_command(quanta::reproduce, {quanta::claims()}),
};

}  // namespace

int main(int argc, char** argv) {
  const core::ToolInfo tool{
      "quanta-scaling", "scaling laws from the quantization model of neural scaling, and a scaling-law fitter",
      "Model: Michaud et al. 2023. Fit: Hoffmann et al. 2022 approach 3 as replicated by Besiroglu et al. 2024."};
  return core::run_tool(tool, commands, argc, argv);
}
