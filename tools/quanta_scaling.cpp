// quanta-scaling: scaling laws from the quantization model of neural scaling (Michaud et al. 2023) and a
// scaling-law fitter that reproduces the Chinchilla approach-3 fit (Hoffmann et al. 2022) the way Epoch AI
// replicated it (Besiroglu et al. 2024). The studies are lib/quanta/study.hpp; here are the option tables,
// the rows and the summaries' wording.
#include <cmath>
#include <limits>
#include <span>
#include <string>

#include "core/claims.hpp"
#include "core/cli.hpp"
#include "quanta/claims.hpp"
#include "quanta/study.hpp"

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr core::Interval positive{0, inf, true, true};

using quanta::declare_losses;

struct Curve {
  quanta::CurveConfig config;

  void declare(core::Options& o) { quanta::declare_options(o, config); }

  void run(core::Run& r) {
    const auto s = quanta::curve_study(config);
    auto& csv = r.csv(quanta::curve_columns());
    for (const auto& row : s.rows)
      csv.row({row.gamma, row.point.n, row.point.loss, row.point.loss_asymptotic, row.point.tail_ratio,
               row.n_times_1_minus_ratio});
    auto& out = r.summary();
    out << "quanta-scaling curve: exact L(n) = a + (b-a) zeta(g+1;n+1)/zeta(g+1) against n^-g/(g zeta(g+1)), n = "
        << core::format_double(s.n_first) << " .. " << core::format_double(s.n_last) << ":";
    for (const auto& e : s.ends)
      out << "\n  g = " << e.gamma << ": ratio " << core::format_sig(e.first.tail_ratio, 6) << " at n = " << e.first.n
          << ", " << core::format_sig(e.last.tail_ratio, 12) << " at n = " << e.last.n
          << "; n (1 - ratio) = " << core::format_sig(e.last_n_error, 4) << " (-> g/2 = " << e.limit
          << ": the error is O(1/n), as the Euler-Maclaurin expansion says)";
    out << "\n";
  }
};

struct Simulate {
  quanta::SimulateConfig config;

  void declare(core::Options& o) {
    auto& m = config.model;
    o.choice("axis", m.axis, quanta::simulate_axes,
             "what grows: parameters N (n = floor(N/C)), data D, or steps S (D = S B)");
    o.real_list("gamma", m.gammas, positive, "Zipf exponents g > 0, comma-separated");
    o.real("from", config.from, {0, 1e15}, "first N, D or S (0: 10^6 for params and data, 10^3 for steps)");
    o.real("to", config.to, {0, 1e15}, "last N, D or S (0: 10^12 for params and data, 10^9 for steps)");
    o.integer("points", m.points, 2u, 10000u, "grid points (log-spaced)");
    o.integer("seeds", m.seeds, 2u, 100000u, "realisations per point (the params axis has no randomness: one)");
    o.integer("tau", m.tau, 1u, 1000000u, "occurrences in the data needed to learn a quantum");
    o.real("per-quantum", m.per_quantum, positive, "C: parameters per quantum");
    o.real("batch", m.batch, {1, 1e12}, "B: samples per step (steps axis)");
    o.integer("quanta", config.quanta, std::uint64_t{0}, std::uint64_t{1000000000000000},
              "K: number of quanta; 0: unlimited");
    declare_losses(o, m.losses);
    o.check([&] { quanta::resolve(config); });
  }

  void run(core::Run& r) {
    config.model.seed = r.seed;
    config.model.threads = r.threads;
    const auto s = quanta::simulate_study(config, r.ticker("simulate", quanta::simulate_steps(config)), r.sweep());
    auto& csv = r.csv(quanta::simulate_columns());
    const auto axis = to_string(s.model.axis);
    for (const auto& [p, f] : s.rows)
      csv.row({axis, p.gamma, p.x, p.samples, p.loss_mean, p.loss_sd, p.loss_expected, f.predicted, f.exponent, f.lo95,
               f.hi95});
    auto& out = r.summary();
    out << "quanta-scaling simulate --axis " << axis
        << ": L - a ~ x^-k fitted over x = " << core::format_double(s.model.from) << " .. "
        << core::format_double(s.model.to) << " ("
        << (s.exact ? std::string("no randomness on this axis")
                    : std::to_string(s.model.seeds) + " realisations per point")
        << "); the quantization model predicts k = " << (s.exact ? "g" : "g/(g+1)") << ":";
    for (const auto& f : s.fits) {
      out << "\n  g = " << f.gamma << ": k = " << core::format_sig(f.exponent, 6) << " (95% CI "
          << core::format_sig(f.lo95, 6) << " .. " << core::format_sig(f.hi95, 6) << "), predicted "
          << core::format_sig(f.predicted, 5);
      if (s.exact)
        out << ", off by " << core::format_sig(f.offset(), 2);
      else
        out << (f.covers() ? " -- inside the interval" : " -- OUTSIDE the interval");
    }
    if (s.exact)
      out << "\n  The params axis has no randomness: the interval measures only the curvature of the exact tail,\n"
             "  whose O(g/2n) correction sets the small offset (zero as n grows).\n";
    else
      out << "\n  " << s.covered << " of " << s.fits.size() << " intervals cover the prediction.\n";
  }
};

struct Emergence {
  quanta::EmergenceStudyConfig config;

  void declare(core::Options& o) {
    auto& m = config.model;
    o.choice("axis", m.axis, quanta::emergence_axes, "what grows: parameters N or data D");
    o.real("gamma", m.gamma, positive, "Zipf exponent g > 0");
    o.integer("quanta", config.quanta, std::uint64_t{1}, std::uint64_t{100000000}, "K: the finite number of quanta");
    o.real("from", config.from, {0, 1e15}, "first N or D (0: 10^3)");
    o.real("to", config.to, {0, 1e15}, "last N or D (0: 10^9 for params, 10^10 for data)");
    o.integer("points", m.points, 2u, 10000u, "grid points (log-spaced)");
    o.integer("tau", m.tau, 1u, 1000000u, "occurrences needed to learn a quantum (data axis)");
    o.real("per-quantum", m.per_quantum, positive, "C: parameters per quantum (params axis)");
    declare_losses(o, m.losses);
    o.check([&] { quanta::resolve(config); });
  }

  void run(core::Run& r) {
    const auto s = quanta::emergence_study(config);
    auto& csv = r.csv(quanta::emergence_columns());
    const auto axis = to_string(s.model.axis);
    for (const auto& row : s.result.rows)
      csv.row({axis, row.x, row.learned, row.loss, row.loss_unlimited, s.result.floor, row.p_all_learned});
    auto& out = r.summary();
    out << "quanta-scaling emergence: with K = " << config.quanta << " quanta (g = " << s.model.gamma
        << ") the loss stops at its floor a = " << s.result.floor;
    if (s.model.axis == quanta::Axis::params)
      out << ", reached exactly at N = C K = " << core::format_sig(s.result.reached, 6)
          << "; with unlimited quanta it keeps falling as N^-" << s.unlimited_exponent << ".\n";
    else
      out << "; all K quanta are learned (probability 1/2) at D = " << core::format_sig(s.result.reached, 5)
          << ", set by the rarest quantum (D p_K ~ log K); with unlimited quanta L - a keeps falling as D^-"
          << core::format_sig(s.unlimited_exponent, 4) << ".\n";
  }
};

// The options fit, synthetic and allocate share: where the runs are read from (the fit's own options are the
// library's: quanta::declare_options).
void declare_fit_data(core::Options& o, quanta::FitConfig& config) {
  o.text("csv", config.csv_path, "FILE",
         "measured losses, one run per row ('-': stdin); default: the Chinchilla data of the suite, "
         "share/mlderiv/chinchilla_fig4.csv beside the executable's bin/");
  o.text("loss-column", config.columns.loss, "NAME", "column of the loss");
  o.text("x-column", config.columns.params, "NAME", "column of N (the one variable x of power and power0)");
  o.text("compute-column", config.columns.compute, "NAME", "column of the training compute C (D = C / (6 N))");
  o.text("tokens-column", config.columns.tokens, "NAME", "column of D, used instead of --compute-column when given");
}

// synthetic and allocate: the data and the fit's settings, the form being chinchilla (fit adds --form and
// --no-comparison through quanta::declare_options).
void declare_chinchilla_fit(core::Options& o, quanta::FitConfig& fit) {
  declare_fit_data(o, fit);
  quanta::declare_exclude(o, fit.exclude);
  quanta::declare_options(o, fit.settings);
}

// --seed and --threads into the fit's settings.
void use_run(const core::Run& r, quanta::FitSettings& s) {
  s.seed = r.seed;
  s.threads = r.threads;
}

struct Fit {
  quanta::FitConfig config;

  void declare(core::Options& o) {
    declare_fit_data(o, config);
    quanta::declare_options(o, config);
    o.choice("table", config.table, quanta::fit_tables,
             "params: the estimates; surface: the data and the fitted law's iso-FLOP curves (no bootstrap)");
  }

  void run(core::Run& r) {
    use_run(r, config.settings);
    if (config.table == quanta::FitTable::surface) return surface(r);
    const auto s = quanta::fit_study(config, r.ticker("fit", quanta::fit_steps(config)), r.sweep());
    auto& csv = r.csv(quanta::fit_columns()[0].columns);
    for (const auto& row : s.rows) {
      const auto& e = row.estimate;
      csv.row({row.excluded, row.rows, e.name, e.value, e.se, e.lo95, e.hi95, row.paper, row.epoch, row.starts,
               row.starts_at_optimum, row.objective});
    }
    summarise(r.summary(), s);
  }

  void summarise(std::ostream& out, const quanta::FitResult& s) const {
    const auto& m = s.main;
    out << "quanta-scaling fit (" << to_string(config.settings.form) << "; " << quanta::fit_csv_path(config)
        << "): " << m.rows << " rows"
        << (config.exclude ? " (the " + std::to_string(config.exclude) + " highest losses excluded)" : std::string())
        << "; " << m.starts_at_optimum << " of " << m.starts << " starts reached the optimum (" << m.converged_starts
        << " converged); " << m.bootstrap.size() << " bootstrap refits";
    if (m.bootstrap_failed) out << " (" << m.bootstrap_failed << " did not converge)";
    out << ".\n";
    for (const auto& row : std::span(s.rows).first(s.estimates.size())) {  // the main fit's rows
      const auto& e = row.estimate;
      if (s.beta && (e.name == "G" || e.name == "gamma_from_alpha" || e.name == "beta_minus_predicted")) continue;
      out << "  " << e.name << " = " << core::format_sig(e.value, 4);
      if (const auto interval = quanta::interval_text(e); !interval.empty()) out << " (" << interval << ")";
      if (std::isfinite(row.paper))
        out << "; Chinchilla paper " << core::format_sig(row.paper, 4)
            << (!row.paper_inside   ? " (no interval to compare with)"
                : *row.paper_inside ? " inside the interval"
                                    : " OUTSIDE the interval");
      if (std::isfinite(row.epoch)) out << "; Epoch AI " << core::format_sig(row.epoch, 4);
      out << "\n";
    }
    if (s.every_run) {
      out << "  Without excluding any run (" << s.every_run->rows << " rows): ";
      for (const auto& e : s.every_run_estimates)
        if (quanta::law_parameter(e.name)) out << e.name << " = " << core::format_sig(e.value, 4) << " ";
      out << "-- the highest-loss runs sit far off the surface and pull the fit.\n";
    }
    if (!s.beta) return;
    const auto& b = *s.beta;
    out << "  Quantization model: gamma = alpha = " << core::format_sig(b.alpha, 4)
        << " predicts a data exponent gamma/(gamma+1) = " << core::format_sig(b.predicted, 4) << "; the fitted beta is "
        << core::format_sig(b.beta, 4) << " -- the prediction "
        << (!b.holds   ? "cannot be tested: beta has no interval (--bootstrap 0)."
            : *b.holds ? "holds (inside beta's 95% interval)."
                       : "does NOT hold on this data (outside beta's 95% interval).")
        << "\n  The paper's values differ because this is the 245-run subset read off its Figure 4, and (Epoch AI) "
           "its optimiser stopped early and its reported values are rounded; the paper's alpha and beta imply "
           "a = "
        << core::format_double(b.paper_a) << " while this fit gives a_N = " << core::format_sig(b.a_N, 3) << ".\n";
  }

  void surface(core::Run& r) {
    const auto s = quanta::surface_study(config);
    auto& csv = r.csv(quanta::fit_columns()[1].columns);
    for (const auto& row : s.rows) csv.row({row.kind, row.compute, row.n, row.d, row.loss});
    r.summary() << "quanta-scaling fit --table surface: " << s.runs << " runs and the fitted law's iso-FLOP "
                << "curves at " << quanta::isoflop_budgets.size() << " budgets ("
                << core::format_double(quanta::isoflop_budgets.front()) << " .. "
                << core::format_double(quanta::isoflop_budgets.back()) << " FLOP), each with its compute-optimal N.\n";
  }
};

struct Synthetic {
  quanta::SyntheticConfig config;

  void declare(core::Options& o) {
    declare_chinchilla_fit(o, config.fit);
    o.real("E", config.e, positive, "the true law's E (default: Epoch AI's estimate)");
    o.real("A", config.a, positive, "the true law's A");
    o.real("B", config.b, positive, "the true law's B");
    o.real("alpha", config.alpha, positive, "the true law's alpha");
    o.real("beta", config.beta, positive, "the true law's beta");
    o.real("sigma", config.sigma, {0, 10, false, false}, "log-normal noise: sd of log L around the law");
    o.integer("draws", config.draws, 1u, 100000u, "independent draws of the losses, each fitted");
  }

  void run(core::Run& r) {
    use_run(r, config.fit.settings);
    const auto s = quanta::synthetic_study(config, r.ticker("draws", quanta::synthetic_steps(config)));
    auto& csv = r.csv(quanta::synthetic_columns());
    for (const auto& row : s.rows)
      csv.row({row.parameter, row.truth, row.mean, row.bias, row.rmse, row.draws, row.covered, row.coverage,
               row.coverage_se});
    auto& out = r.summary();
    out << "quanta-scaling synthetic: " << config.draws << " draws of " << s.runs
        << " losses from L = E + A/N^alpha + B/D^beta with log-normal noise sd " << core::format_sig(config.sigma, 3)
        << ", each fitted with " << config.fit.settings.bootstrap << " bootstrap resamples:\n";
    for (const auto& row : s.rows) {
      out << "  " << row.parameter << ": truth " << core::format_sig(row.truth, 4) << ", mean estimate "
          << core::format_sig(row.mean, 4) << " (bias " << core::format_sig(row.bias, 2) << ", rmse "
          << core::format_sig(row.rmse, 2) << ")";
      if (std::isfinite(row.coverage))
        out << "; the 95% interval covered it in " << row.covered << " of " << row.draws << " draws ("
            << core::format_sig(row.coverage, 3) << " +- " << core::format_sig(row.coverage_se, 2) << ")";
      out << "\n";
    }
  }
};

struct Allocate {
  quanta::AllocateConfig config;

  void declare(core::Options& o) {
    declare_chinchilla_fit(o, config.fit);
    o.real_list("compute", config.computes, positive, "FLOP budgets C (> 0)");
  }

  void run(core::Run& r) {
    use_run(r, config.fit.settings);
    const auto s = quanta::allocate_study(config, r.ticker("fit", quanta::allocate_steps(config)));
    auto& csv = r.csv(quanta::allocate_columns());
    for (const auto& row : s.rows)
      csv.row({row.compute, row.n_opt.value, row.n_opt.lo95, row.n_opt.hi95, row.d_opt.value, row.d_opt.lo95,
               row.d_opt.hi95, row.tokens_per_param.value, row.tokens_per_param.lo95, row.tokens_per_param.hi95,
               row.loss});
    auto& out = r.summary();
    const auto interval = [](const quanta::Estimate& e) {
      const auto text = quanta::interval_text(e, 3);
      return text.empty() ? std::string(" (no interval: --bootstrap 0)") : " (" + text + ")";
    };
    out << "quanta-scaling allocate (" << quanta::fit_csv_path(config.fit) << ", " << s.fit.rows << " runs, "
        << s.fit.bootstrap.size() << " bootstrap refits): N_opt grows as C^" << core::format_sig(s.a_N.value, 3)
        << interval(s.a_N) << " and D_opt as C^" << core::format_sig(1 - s.a_N.value, 3)
        << "; equal growth (0.5) would keep tokens per parameter constant.\n";
    for (const auto& row : s.rows) {
      out << "  C = " << core::format_sig(row.compute, 3) << " FLOP: N_opt = " << core::format_sig(row.n_opt.value, 3)
          << interval(row.n_opt) << ", D_opt = " << core::format_sig(row.d_opt.value, 3) << interval(row.d_opt) << ", "
          << core::format_sig(row.tokens_per_param.value, 3) << " tokens per parameter"
          << interval(row.tokens_per_param);
      if (const auto inside = quanta::within_interval(quanta::chinchilla_tokens_per_param, row.tokens_per_param))
        out << (*inside ? ": Chinchilla's 20 inside" : ": Chinchilla's 20 OUTSIDE");
      out << "\n";
    }
  }
};

struct LossScaleCmd {
  quanta::LossScaleConfig config;

  void declare(core::Options& o) {
    auto& s = config.fit.settings;
    declare_fit_data(o, config.fit);
    quanta::declare_exclude(o, config.fit.exclude);
    o.real("delta", s.delta, {0, 1, true, false}, "Huber loss threshold on log L");
    o.integer("max-iterations", s.minimizer.max_iterations, 1u, 1000000u, "BFGS iterations per start");
    o.real("gradient-tolerance", s.minimizer.gradient_tolerance, {0, 1, true, false},
           "the bfgs rule: a start converged when the gradient norm of the objective (in its scale) is below this");
    o.real("pgtol", config.lbfgsb.pgtol, {0, 1, true, false},
           "the lbfgsb rule: stop when max |gradient| <= this (SciPy's default 1e-5)");
    o.real("factr", config.lbfgsb.factr, {0, 1e15, true, false},
           "the lbfgsb rule: stop when the relative decrease <= this * 2.22e-16 (SciPy's default 1e7)");
  }

  void run(core::Run& r) {
    config.fit.settings.threads = r.threads;
    const auto s = quanta::loss_scale_study(config);
    auto& csv = r.csv(quanta::loss_scale_columns());
    const auto law = [](const quanta::LossScaleRow& row, const char* name) {
      if (row.theta.empty()) return std::numeric_limits<double>::quiet_NaN();
      const quanta::LawFit fit{.form = quanta::LawForm::chinchilla, .rows = 0, .theta = row.theta};
      return quanta::find_estimate(quanta::law_estimates(fit), name).value;
    };
    for (const auto& row : s.rows_)
      csv.row({std::string(to_string(row.scale)), std::string(to_string(row.rule)), row.starts, row.converged,
               row.early, law(row, "E"), law(row, "A"), law(row, "B"), law(row, "alpha"), law(row, "beta"),
               row.objective_summed, row.relative_gap, row.iterations_mean, row.iterations_best});
    auto& out = r.summary();
    out << "quanta-scaling loss-scale (" << quanta::fit_csv_path(config.fit) << ", " << s.rows
        << " runs): the Huber loss summed over runs against averaged, each from the " << s.rows_.front().starts
        << " starts, stopped by L-BFGS-B's rule (pgtol " << core::format_sig(config.lbfgsb.pgtol, 3) << ", factr "
        << core::format_sig(config.lbfgsb.factr, 3) << ") or the fit's BFGS rule; best summed objective "
        << core::format_sig(s.best_summed, 8) << ":\n";
    for (const auto& row : s.rows_)
      out << "  " << to_string(row.scale) << ", " << to_string(row.rule) << ": " << row.early << " of " << row.starts
          << " starts stop early; best E = " << core::format_sig(law(row, "E"), 5)
          << ", alpha = " << core::format_sig(law(row, "alpha"), 5)
          << ", beta = " << core::format_sig(law(row, "beta"), 5) << " (objective "
          << core::format_sig(row.relative_gap, 2) << " above the best, relative)\n";
  }
};

struct Isoflop {
  quanta::IsoflopConfig config;

  void declare(core::Options& o) {
    declare_fit_data(o, config.fit);
    quanta::declare_exclude(o, config.fit.exclude);
    o.real_list("budgets", config.budgets, positive,
                "compute budgets C in FLOP, increasing, at least 3; the default is the Chinchilla paper's nine");
    o.real("band-width", config.band_width, {0, 10, true, false},
           "a run belongs to the nearest budget when its log10 C lies within this many dex of it");
    o.choice("band-compute", config.at, quanta::band_computes,
             "the C of a band's minimum: mean (geometric mean of its runs' C) or budget (the nominal one)");
    o.flag("no-comparison", config.no_comparison, "skip approach 3 (the chinchilla fit of the same runs)");
    o.choice("table", config.table, quanta::isoflop_tables,
             "bands: one row per budget; curves: the runs, parabolas, minima and both laws (for the plot)");
    o.check([&] { quanta::check_budgets(config.budgets); });
  }

  void run(core::Run& r) {
    config.fit.settings.threads = r.threads;
    const auto s = quanta::isoflop_study(config, r.ticker("approach 3", quanta::isoflop_steps(config)));
    const bool bands = config.table == quanta::IsoflopTable::bands;
    auto& csv = r.csv(quanta::isoflop_columns()[bands ? 0 : 1].columns);
    if (bands)
      for (const auto& [b, approach2, approach3] : s.bands) {
        const auto& p = b.parabola;
        csv.row({b.budget, b.compute, b.runs, b.n_min, b.n_max, std::string(to_string(b.status)), p.centre, p.c0, p.c1,
                 p.c2, b.n_opt, b.d_opt, b.loss_opt, approach2, approach3});
      }
    else
      for (const auto& row : s.curves) csv.row({std::string(row.kind), row.budget, row.compute, row.n, row.loss});
    summarise(r.summary(), s);
  }

  void summarise(std::ostream& out, const quanta::IsoflopResult& s) const {
    const auto& f = s.approach2;
    const auto& a_claim = core::find_claim(quanta::claims(), "approach2_a");
    const auto& b_claim = core::find_claim(quanta::claims(), "approach2_b");
    const auto ci = [](const core::PowerLawFit& p) {
      return "95% CI " + core::format_sig(p.exponent_lo95, 3) + " .. " + core::format_sig(p.exponent_hi95, 3);
    };
    out << "quanta-scaling isoflop (Chinchilla approach 2; " << quanta::fit_csv_path(config.fit) << ", " << s.runs
        << " runs"
        << (config.fit.exclude ? " after excluding the " + std::to_string(config.fit.exclude) + " highest losses" : "")
        << "): " << s.in_bands << " runs lie within " << core::format_sig(config.band_width, 3) << " dex of one of "
        << f.bands.size() << " budgets; " << f.kept << " of " << f.bands.size()
        << " bands have an interior minimum of their parabola in ln N.\n";
    for (const auto& b : f.bands)
      if (b.status != quanta::BandStatus::kept)
        out << "  refused: C = " << core::format_sig(b.budget, 3) << " (" << b.runs << " runs): " << to_string(b.status)
            << "\n";
    out << "  N_opt ~ C^a: a = " << core::format_sig(f.n_opt.exponent, 3) << " (" << ci(f.n_opt) << "; 80% "
        << core::format_sig(f.a_lo80, 3) << " .. " << core::format_sig(f.a_hi80, 3) << ", over " << f.kept
        << " minima); the Chinchilla paper's approach 2: " << a_claim.published << " (10th-90th percentiles)"
        << (f.n_opt.exponent_lo95 <= a_claim.value && a_claim.value <= f.n_opt.exponent_hi95
                ? ", inside our 95% interval"
                : ", OUTSIDE our 95% interval")
        << ".\n  D_opt ~ C^b: b = " << core::format_sig(f.d_opt.exponent, 3) << " (" << ci(f.d_opt)
        << "); the paper: " << b_claim.published << ".\n";
    if (s.approach3)
      out << "  Approach 3 on the same runs (quanta-scaling fit, no bootstrap): a = beta/(alpha+beta) = "
          << core::format_sig(s.approach3_a, 3) << "; the paper's approach 3 gave "
          << core::format_double(core::find_claim(quanta::claims(), "fit_a").value) << ".\n";
  }
};

const core::Command commands[] = {
    core::command<Curve>("curve", "exact L(n) with the Hurwitz zeta tail next to its asymptotic form",
                         core::no_features, {{"", quanta::curve_columns()}}),
    core::command<Simulate>(
        "simulate", "Monte Carlo of the model along params, data or steps; fitted exponents vs g and g/(g+1)",
        core::uses_threads | core::uses_seed | core::uses_shards, {{"", quanta::simulate_columns()}}),
    core::command<Emergence>("emergence", "the loss floor with a finite number of quanta K, and where it is reached",
                             core::no_features, {{"", quanta::emergence_columns()}}),
    core::command<Fit>("fit", "fit L = E + A/N^alpha + B/D^beta (or one-variable power laws) with bootstrap intervals",
                       core::uses_threads | core::uses_seed | core::uses_shards, quanta::fit_columns(),
                       "A fit none of whose starts converges exits 1 without output."),
    core::command<Synthetic>("synthetic",
                             "fit losses drawn from a known law on the Chinchilla grid: bias, RMSE and how often "
                             "the 95% intervals cover the truth",
                             core::uses_threads | core::uses_seed, {{"", quanta::synthetic_columns()}},
                             "The recovery test of the fit: a correct 95% interval covers the truth in about 95% "
                             "of the draws."),
    core::command<Allocate>("allocate",
                            "the compute-optimal N and D (and tokens per parameter) for FLOP budgets, from the fitted "
                            "law, with bootstrap intervals",
                            core::uses_threads | core::uses_seed, {{"", quanta::allocate_columns()}},
                            "The budget 5.76e23 is Chinchilla's (70B parameters, 1.4T tokens: 20 tokens per "
                            "parameter)."),
    core::command<LossScaleCmd>(
        "loss-scale",
        "the Chinchilla fit with the Huber loss summed over runs against averaged, under "
        "L-BFGS-B's stopping rule and the fit's: where each stops and how many starts stop early",
        core::uses_threads, {{"", quanta::loss_scale_columns()}},
        "Epoch AI (Besiroglu et al. 2024): averaging loosens L-BFGS-B's absolute tolerances n "
        "times, so starts stop early and the intervals come out too narrow."),
    core::command<Isoflop>(
        "isoflop",
        "Chinchilla approach 2: a parabola in ln N per compute band, its vertex N_opt(C), then N_opt ~ C^a and "
        "D_opt ~ C^b; approach 3's a beside it",
        core::uses_threads, quanta::isoflop_columns(),
        "A band whose parabola opens downward or whose vertex lies outside its N range is refused (a row with the "
        "reason); fewer than 3 kept bands exit 1."),
    core::reproduce_command(quanta::reproduce, {quanta::claims()}),
};

}  // namespace

int main(int argc, char** argv) {
  const core::ToolInfo tool{
      "quanta-scaling", "scaling laws from the quantization model of neural scaling, and a scaling-law fitter",
      "Model: Michaud et al. 2023. Fit: Hoffmann et al. 2022 approach 3 as replicated by Besiroglu et al. 2024."};
  return core::run_tool(tool, commands, argc, argv);
}
