// score-w2: the score-matching loss as an upper bound of the W2 distance in diffusion models (Kwon, Fan &
// Lee, NeurIPS 2022; ../shared/spec/score-w2.md). A thin driver: options, calls into lib/w2, CSV rows and
// a summary.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/claims.hpp"
#include "core/cli.hpp"
#include "core/errors.hpp"
#include "w2/claims.hpp"
#include "w2/flow.hpp"
#include "w2/study.hpp"

namespace {

using namespace w2;

std::vector<ScoreError> error_list(const std::string& text) {
  std::vector<ScoreError> out;
  for (const auto& item : core::split_list("--errors", text)) out.push_back(parse_score_error(item, "--errors"));
  if (out.empty()) throw core::InputError("--errors: expected at least one score error, got ''");
  return out;
}

void declare_schedule(core::Options& o, VpSchedule& vp) {
  o.real("beta-min", vp.beta_min, {-1e300, 1e6}, "beta(0) of the VP schedule (> 0)");
  o.real("beta-max", vp.beta_max, {-1e300, 1e6}, "beta(1) of the VP schedule (> --beta-min); beta is linear in t");
  o.real("T", vp.t_end, {-1e300, 100}, "the time the reverse process starts from (> 0)");
}

const char* errors_help = "comma-separated score errors: bias, scale, wrong_gaussian, time_linear";

void add_bound_columns(std::vector<core::Column>& cols) {
  for (LipschitzForm f : lipschitz_forms) {
    const std::string n(to_string(f));
    cols.push_back({"drift_term_" + n});
    cols.push_back({"growth_" + n});
    cols.push_back({"bound_" + n});
    cols.push_back({"ratio_" + n, true});
    cols.push_back({"holds_" + n});
  }
}

void add_bound_cells(std::vector<core::Cell>& cells, const BoundTerms& terms, const Verdict& v) {
  for (LipschitzForm f : lipschitz_forms) {
    cells.emplace_back(terms.drift_term[f]);
    cells.emplace_back(terms.growth[f]);
    cells.emplace_back(v.bound[f]);
    cells.emplace_back(v.ratio[f]);
    cells.emplace_back(v.holds[f]);
  }
}

// Per form: how many rows held, and the smallest and median ratio bound / W2 over the rows with W2 > 0.
struct FormTally {
  std::size_t held = 0, rows = 0;
  std::vector<double> ratios;
};

void report_forms(std::ostream& out, const std::array<FormTally, 3>& tally) {
  for (LipschitzForm f : lipschitz_forms) {
    auto r = tally[f].ratios;
    std::sort(r.begin(), r.end());
    out << "\n  L_t " << to_string(f) << ": W2 <= bound on " << tally[f].held << " of " << tally[f].rows << " rows";
    if (!r.empty()) out << "; bound/W2 from " << r.front() << " (median " << r[r.size() / 2] << ")";
  }
}

template <class Row>
std::array<FormTally, 3> tally_forms(const std::vector<Row>& rows) {
  std::array<FormTally, 3> t;
  for (const auto& row : rows)
    for (LipschitzForm f : lipschitz_forms) {
      t[f].rows++;
      t[f].held += row.v.holds[f];
      if (std::isfinite(row.v.ratio[f])) t[f].ratios.push_back(row.v.ratio[f]);
    }
  return t;
}

struct GaussianCmd {
  GaussianSweep s;
  std::string dims = "1,4,16,64", variances = "0.25,4,0.1:4", errors = "bias,scale,wrong_gaussian,time_linear",
              etas = "0.001,0.01,0.1,0.3,1", priors = "exact,standard";

  void declare(core::Options& o) {
    o.text("dims", dims, "LIST", "comma-separated dimensions d (1 .. 64)");
    o.text("variances", variances, "LIST",
           "comma-separated data covariances: V (Sigma = V I) or A:B (eigenvalues log-spaced from A to B); > 0");
    o.real("mean", s.mean, {-1e6, 1e6}, "every coordinate of the data mean");
    o.text("errors", errors, "LIST", errors_help);
    o.text("etas", etas, "LIST", "comma-separated error sizes eta (finite, >= 0)");
    o.text("priors", priors, "LIST", "where the model starts: exact (q_T = p_T), standard (q_T = N(0, I))");
    declare_schedule(o, s.vp);
  }

  void parse(const core::Run& r) {
    check(s.vp);
    s.dims.clear();
    for (double d : core::parse_real_list("--dims", dims, {1, 1e300})) {
      if (d != std::floor(d) || d > 64)
        throw core::InputError("--dims: expected integers in [1, 64], got '" + dims + "'");
      s.dims.push_back(static_cast<unsigned>(d));
    }
    s.variances = core::split_list("--variances", variances);
    if (s.variances.empty()) throw core::InputError("--variances: expected at least one covariance, got ''");
    for (const auto& v : s.variances) gaussian_data(1, v, 0);  // validates
    s.errors = error_list(errors);
    s.etas = core::parse_real_list("--etas", etas, {0, 1e300});
    s.priors.clear();
    for (const auto& p : core::split_list("--priors", priors)) {
      if (p != "exact" && p != "standard")
        throw core::InputError("--priors: expected a comma-separated list of exact, standard, got '" + priors + "'");
      s.priors.push_back(p == "exact" ? Prior::exact : Prior::standard);
    }
    if (s.priors.empty()) throw core::InputError("--priors: expected exact and/or standard, got ''");
    s.threads = r.threads;
  }

  void run(core::Run& r) {
    parse(r);
    auto& progress = r.progress("gaussian", s.size());
    const auto rows = gaussian_sweep(s, [&] { progress.advance(); });
    std::vector<core::Column> cols{{"d"},     {"variances"}, {"error"},       {"eta"},
                                   {"prior"}, {"W2"},        {"W2_coupling"}, {"W2_T"}};
    add_bound_columns(cols);
    cols.insert(cols.end(), {{"coupling_holds"}, {"chain_holds"}, {"ode_steps"}});
    auto& csv = r.csv(cols);
    std::size_t coupling_bad = 0, chain_bad = 0;
    const GaussianRow* smallest[3] = {nullptr, nullptr, nullptr};
    for (const auto& row : rows) {
      std::vector<core::Cell> cells{static_cast<unsigned>(row.c.data.mean.size()),
                                    row.c.data.label,
                                    to_string(row.c.error),
                                    row.c.eta,
                                    to_string(row.c.prior),
                                    row.r.w2,
                                    row.r.w2_coupling,
                                    row.r.w2_at_T};
      add_bound_cells(cells, row.r.terms, row.v);
      cells.insert(cells.end(), {row.v.coupling_holds, row.v.chain_holds, row.r.stats.steps});
      csv.row(cells);
      coupling_bad += !row.v.coupling_holds;
      chain_bad += !row.v.chain_holds;
      for (LipschitzForm f : lipschitz_forms) {
        const auto* best = smallest[f];
        const auto key = [](const GaussianRow* x) { return std::make_pair(x->c.data.mean.size(), x->c.eta); };
        if (!row.v.holds[f] && (!best || key(&row) < key(best))) smallest[f] = &row;
      }
    }
    auto& out = r.summary();
    out << "score-w2 gaussian: " << rows.size() << " rows (d, data covariance, score error, eta, prior); W2 <= W~2 "
        << (coupling_bad ? "FAILS on " + std::to_string(coupling_bad) + " rows" : std::string("holds on every row"))
        << "; W2 <= W~2 <= bound with L_t of -g_t (the corrected proof) "
        << (chain_bad ? "FAILS on " + std::to_string(chain_bad) + " rows" : std::string("holds on every row")) << ".";
    const auto& published = core::find_claim(w2::claims(), "chain_backward");
    out << " Published (" << published.source << "): the bound " << published.published << ".";
    report_forms(out, tally_forms(rows));
    for (LipschitzForm f : lipschitz_forms)
      if (smallest[f]) {
        const auto& x = *smallest[f];
        out << "\n  smallest counterexample for L_t " << to_string(f) << ": d = " << x.c.data.mean.size()
            << ", Sigma = " << x.c.data.label << " I, " << to_string(x.c.error) << " error, eta = " << x.c.eta
            << ", prior " << to_string(x.c.prior) << ": W2 = " << x.r.w2 << " > bound = " << x.v.bound[f];
      }
    out << "\n";
    if (coupling_bad || chain_bad)
      r.fail_after_writing("the inequality chain W2 <= W~2 <= bound failed on " +
                           std::to_string(std::max(coupling_bad, chain_bad)) + " rows (a bug); see the CSV");
  }
};

Mixture parse_mixture(const std::string& w, const std::string& m, const std::string& v) {
  Mixture mix{
      core::parse_real_list("--weights", w, {0, 1e300}), {}, core::parse_real_list("--variances", v, {0, 1e300, true})};
  for (const auto& item : core::split_list("--means", m)) {
    double x = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), x);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() || !std::isfinite(x))
      throw core::InputError("--means: expected a comma-separated list of finite numbers, got '" + m + "'");
    mix.means.push_back(x);
  }
  check(mix);
  return mix;
}

struct MixtureOptions {
  std::string weights = "0.3,0.7", means = "-1.5,1", variances = "0.04,0.25";
  void declare(core::Options& o) {
    o.text("weights", weights, "LIST", "mixture weights (>= 0, summing to 1)");
    o.text("means", means, "LIST", "component means");
    o.text("variances", variances, "LIST", "component variances (> 0)");
  }
};

struct MixtureCmd {
  MixtureSweep s;
  MixtureOptions mix;
  std::string errors = "bias,scale,wrong_gaussian,time_linear", etas = "0.01,0.1,1";
  std::uint64_t particles = 100000;

  void declare(core::Options& o) {
    mix.declare(o);
    o.text("errors", errors, "LIST", errors_help);
    o.text("etas", etas, "LIST", "comma-separated error sizes eta (finite, >= 0)");
    o.integer("particles", particles, 2, 100000000, "particles M pushed through both probability-flow ODEs");
    declare_schedule(o, s.vp);
  }

  void run(core::Run& r) {
    check(s.vp);
    s.data = parse_mixture(mix.weights, mix.means, mix.variances);
    s.errors = error_list(errors);
    s.etas = core::parse_real_list("--etas", etas, {0, 1e300});
    s.particles = particles;
    s.seed = r.seed;
    s.threads = r.threads;
    auto& progress = r.progress("mixture", s.size());
    const auto rows = mixture_sweep(s, [&] { progress.advance(); });
    std::vector<core::Column> cols{{"error"}, {"eta"}, {"particles"}, {"W2"}, {"W2_coupling"}, {"W2_coupling_se"}};
    add_bound_columns(cols);
    cols.insert(cols.end(), {{"coupling_holds"}, {"chain_holds"}, {"particle_steps"}});
    auto& csv = r.csv(cols);
    std::size_t coupling_bad = 0, chain_bad = 0, steps = 0, fewest = SIZE_MAX, most = 0;
    for (const auto& row : rows) {
      std::vector<core::Cell> cells{to_string(row.c.error), row.c.eta,           row.c.particles, row.r.w2,
                                    row.r.w2_coupling,      row.r.w2_coupling_se};
      add_bound_cells(cells, row.r.terms, row.v);
      cells.insert(cells.end(), {row.v.coupling_holds, row.v.chain_holds, row.r.particle_steps});
      csv.row(cells);
      coupling_bad += !row.v.coupling_holds;
      chain_bad += !row.v.chain_holds;
      steps += row.r.particle_steps;
      fewest = std::min(fewest, row.r.min_block_steps);
      most = std::max(most, row.r.max_block_steps);
    }
    auto& out = r.summary();
    const OdeTolerance tol = MixtureCase{}.tol;
    out << "score-w2 mixture: " << rows.size() << " rows, " << particles
        << " particles each through both probability-flow ODEs (" << steps << " particle-steps; blocks of "
        << flow_block << " neighbouring pairs, each its own adaptive Dormand-Prince 5(4) run with every particle "
        << "within abs " << core::format_sig(tol.abs) << " + rel " << core::format_sig(tol.rel) << " per step, took "
        << fewest << " to " << most << " steps); W2 by sorting, W~2 with Monte Carlo error bars. W2 <= W~2 "
        << (coupling_bad ? "FAILS on " + std::to_string(coupling_bad) + " rows" : std::string("holds on every row"))
        << " (in 1-D the flows keep the particles' order, so the two agree); W2 <= W~2 <= bound (L_t of -g_t) "
        << (chain_bad ? "FAILS on " + std::to_string(chain_bad) + " rows" : std::string("holds on every row")) << ".";
    report_forms(out, tally_forms(rows));
    out << "\n";
    if (coupling_bad)
      r.fail_after_writing("W2 <= W~2 failed on " + std::to_string(coupling_bad) + " rows (a bug); see the CSV");
  }
};

struct Clouds {
  MixtureCase c;
  MixtureOptions mix;
  std::string error = "scale";
  std::uint64_t particles = 100000;
  unsigned bins = 120;

  void declare(core::Options& o) {
    mix.declare(o);
    o.choice("error", error, {"bias", "scale", "wrong_gaussian", "time_linear"}, "the score error");
    o.real("eta", c.eta, {0, 1e6}, "its size");
    o.integer("particles", particles, 2, 100000000, "particles M");
    o.integer("bins", bins, 1u, 100000u, "histogram bins");
    declare_schedule(o, c.vp);
  }

  void run(core::Run& r) {
    check(c.vp);
    c.data = parse_mixture(mix.weights, mix.means, mix.variances);
    c.error = parse_score_error(error, "--error");
    c.particles = particles;
    c.seed = r.seed;
    c.threads = r.threads;
    const auto res = mixture_w2(c);
    const auto [lo_p, hi_p] = std::minmax_element(res.p0.begin(), res.p0.end());
    const auto [lo_q, hi_q] = std::minmax_element(res.q0.begin(), res.q0.end());
    const double lo = std::min(*lo_p, *lo_q), hi = std::max(*hi_p, *hi_q) * (1 + 1e-12) + 1e-12;
    const auto hp = density_histogram(res.p0, lo, hi, bins), hq = density_histogram(res.q0, lo, hi, bins);
    auto& csv = r.csv({{"x"}, {"p0_particles"}, {"q0_particles"}, {"p0_exact"}});
    const double width = (hi - lo) / bins;
    for (unsigned i = 0; i < bins; ++i) {
      const double x = lo + (i + 0.5) * width;
      csv.row({x, hp[i], hq[i], mixture_density(c.data, 1, 0, x)});
    }
    r.summary() << "score-w2 clouds: " << particles << " particles through both probability-flow ODEs ("
                << to_string(c.error) << " error, eta = " << c.eta << "): W2[p_0, q_0] = " << res.w2
                << "; histograms of both clouds next to the exact data density.\n";
  }
};

struct Integrand {
  GaussianCase c;
  unsigned d = 1, points = 200;
  std::string variances = "4", error = "bias";
  double mean = 0.5;

  void declare(core::Options& o) {
    o.integer("d", d, 1u, 64u, "dimension");
    o.text("variances", variances, "V", "data covariance: V (Sigma = V I) or A:B (eigenvalues log-spaced); > 0");
    o.real("mean", mean, {-1e6, 1e6}, "every coordinate of the data mean");
    o.choice("error", error, {"bias", "scale", "wrong_gaussian", "time_linear"}, "the score error");
    o.real("eta", c.eta, {0, 1e6}, "its size");
    o.integer("points", points, 1u, 100000u, "intervals of the t grid on [0, T]");
    declare_schedule(o, c.vp);
  }

  void run(core::Run& r) {
    check(c.vp);
    c.data = gaussian_data(d, variances, mean);
    c.error = parse_score_error(error, "--error");
    const auto profile = bound_profile(
        c.vp.t_end, [&](double t) { return gaussian_rates(c, t); }, points);
    std::vector<core::Column> cols{{"t"}, {"drift_error"}};
    for (LipschitzForm f : lipschitz_forms) {
      const std::string n(to_string(f));
      cols.insert(cols.end(), {{"L_" + n}, {"I_" + n}, {"integrand_" + n}});
    }
    auto& csv = r.csv(cols);
    for (const auto& p : profile) {
      std::vector<core::Cell> cells{p.t, p.rates.drift_error};
      for (LipschitzForm f : lipschitz_forms)
        cells.insert(cells.end(), {p.rates.lipschitz[f], p.growth[f], p.integrand[f]});
      csv.row(cells);
    }
    const auto& last = profile.back();
    r.summary() << "score-w2 integrand: d = " << d << ", Sigma = " << variances << " I, " << error
                << " error, eta = " << c.eta << ": I_T = " << last.growth[proof] << " (L of g_t), "
                << last.growth[backward] << " (L of -g_t), " << last.growth[two_sided] << " (two-sided).\n";
  }
};

struct Sde {
  SdeSweep s;
  std::string variances = "0.25,4", errors = "bias,scale,wrong_gaussian,time_linear", etas = "0.1,1";
  std::uint64_t particles = 20000;

  void declare(core::Options& o) {
    o.text("variances", variances, "LIST", "comma-separated 1-D data variances (> 0)");
    o.real("mean", s.mean, {-1e6, 1e6}, "the data mean");
    o.text("errors", errors, "LIST", errors_help);
    o.text("etas", etas, "LIST", "comma-separated error sizes eta (finite, >= 0)");
    o.integer("particles", particles, 20, 100000000, "Euler-Maruyama particles");
    o.integer("steps", s.steps, 10u, 10000000u, "Euler-Maruyama steps from T to 0");
    declare_schedule(o, s.vp);
  }

  void run(core::Run& r) {
    check(s.vp);
    s.variances = core::parse_real_list("--variances", variances, {0, 1e300, true});
    s.errors = error_list(errors);
    s.etas = core::parse_real_list("--etas", etas, {0, 1e300});
    s.particles = particles;
    s.seed = r.seed;
    s.threads = r.threads;
    auto& progress = r.progress("sde", s.size());
    const auto rows = sde_sweep(s, [&] { progress.advance(); });
    std::vector<core::Column> cols{{"variance"},    {"error"}, {"eta"},      {"W2"},
                                   {"W2_coupling"}, {"W2_em"}, {"W2_em_se"}, {"W2_coupling_em"}};
    add_bound_columns(cols);
    cols.insert(cols.end(), {{"bound_paper"}, {"holds_paper"}, {"min_cross_term"}, {"t_min_cross_term"}});
    auto& csv = r.csv(cols);
    const SdeRow* worst = nullptr;
    std::size_t negative = 0;
    for (const auto& row : rows) {
      std::vector<core::Cell> cells{row.c.variance, to_string(row.c.error), row.c.eta,
                                    row.r.w2,       row.r.w2_coupling,      row.r.w2_em,
                                    row.r.w2_em_se, row.r.w2_coupling_em};
      add_bound_cells(cells, row.r.terms, row.v);
      const double paper = 2 * row.r.terms.drift_term[backward];
      cells.insert(cells.end(), {paper, at_most(row.r.w2, paper), row.r.min_cross, row.r.t_min_cross});
      csv.row(cells);
      negative += row.r.min_cross < 0;
      if (!worst || row.r.min_cross < worst->r.min_cross) worst = &row;
    }
    auto& out = r.summary();
    out << "score-w2 sde: reverse SDE with common noise, " << rows.size()
        << " rows (1-D Gaussian data; exact moments, Euler-Maruyama with " << particles << " particles).";
    report_forms(out, tally_forms(rows));
    if (worst && worst->r.min_cross < 0)
      out << "\n  the cross term E[(x - y)(grad log p_t(x) - grad log q_t(y))] is NEGATIVE on " << negative << " of "
          << rows.size() << " rows; most negative: " << worst->r.min_cross << " at t = " << worst->r.t_min_cross
          << " (variance " << worst->c.variance << ", " << to_string(worst->c.error) << " error, eta = " << worst->c.eta
          << "), so the ODE argument does not carry over to the SDE.";
    else
      out << "\n  no negative cross term found on this grid.";
    out << "\n";
  }
};

struct Dsm {
  DsmSweep s;
  MixtureOptions mix;
  std::string times = "0.05,0.2,0.5", thetas = "0,0.5,1,2";
  double gaussian_mean = 0.5, gaussian_variance = 0.25;
  std::uint64_t samples = 200000;

  void declare(core::Options& o) {
    mix.declare(o);
    o.real("gaussian-mean", gaussian_mean, {-1e6, 1e6}, "mean of the Gaussian data set");
    o.real("gaussian-variance", gaussian_variance, {0, 1e6, true}, "variance of the Gaussian data set");
    o.text("times", times, "LIST", "comma-separated diffusion times t (> 0)");
    o.text("thetas", thetas, "LIST", "comma-separated theta of the models s_theta(x) = -theta x");
    o.integer("samples", samples, 2, 100000000, "Monte Carlo samples per (data, t), shared by every theta");
    declare_schedule(o, s.vp);
  }

  void run(core::Run& r) {
    check(s.vp);
    s.mixture = parse_mixture(mix.weights, mix.means, mix.variances);
    s.gaussian = {{1}, {gaussian_mean}, {gaussian_variance}};
    s.times = core::parse_real_list("--times", times, {0, 1e300, true});
    s.thetas = core::parse_real_list("--thetas", thetas, {-1e300, 1e300});
    s.samples = samples;
    s.seed = r.seed;
    s.threads = r.threads;
    auto& progress = r.progress("dsm", 2 * s.times.size());
    const auto blocks = dsm_sweep(s, [&] { progress.advance(); });
    auto& csv = r.csv({{"data"},
                       {"t"},
                       {"theta"},
                       {"dsm_loss"},
                       {"sm_loss"},
                       {"gap"},
                       {"gap_se"},
                       {"gap_exact"},
                       {"gap_z"},
                       {"spread_z"}});
    double worst_z = 0, worst_spread = 0;
    for (const auto& b : blocks)
      for (const auto& row : b.r.rows) {
        const double z = (row.gap - b.r.gap_exact) / row.gap_se;
        csv.row({b.data, b.t, row.theta, row.dsm, row.sm, row.gap, row.gap_se, b.r.gap_exact, z, row.spread_z});
        worst_z = std::max(worst_z, std::abs(z));
        worst_spread = std::max(worst_spread, std::abs(row.spread_z));
      }
    r.summary() << "score-w2 dsm: denoising minus plain score-matching loss for " << s.thetas.size()
                << " models s_theta(x) = -theta x at " << s.times.size() << " times, " << samples
                << " shared samples each: the gap differs between thetas by at most " << worst_spread
                << " standard errors (theta-independent, as Vincent 2011 shows), and from its closed form 1/sigma_t^2 "
                   "- J(p_t) by at most "
                << worst_z << " standard errors.\n";
  }
};

static_assert(flow_block == 64, "the mixture's help text below names the block size");

const core::Command commands[] = {
    core::command<GaussianCmd>(
        "gaussian", "Gaussian data: exact W2, the coupling W~2 and the bound in its three forms, per eta",
        core::uses_threads,
        "Columns: d, variances, error, eta, prior; W2 (Bures), W2_coupling (W~2(0)), W2_T (W2[p_T, q_T]);\n"
        "per form F of L_t (proof: of g_t as the proof states it; backward: of -g_t; twosided: |Dg_t|):\n"
        "drift_term_F (int I_t e_t dt), growth_F (I_T), bound_F, ratio_F (bound/W2; inf when W2 = 0), holds_F\n"
        "(W2 <= bound); coupling_holds (W2 <= W~2), chain_holds (W2 <= W~2 <= bound_backward), ode_steps.\n"
        "ODEs: Boost.Odeint Dormand-Prince 5(4), abs 1e-12 / rel 1e-10 (the bound's integral rel 1e-8);\n"
        "comparisons allow a relative slack of 1e-6. Exit code 1 after writing if the chain fails."),
    core::command<MixtureCmd>(
        "mixture", "1-D Gaussian mixture: particles through both probability-flow ODEs, W2 by sorting, the bound",
        core::uses_threads | core::uses_seed,
        "Columns: error, eta, particles, W2 (sorted clouds), W2_coupling and its standard error, the bound\n"
        "columns of `gaussian` (L_t = sup_x g_t'(x), found on a grid and polished by Brent), coupling_holds,\n"
        "chain_holds, particle_steps (accepted steps x pairs, summed over blocks). The pairs, sorted by\n"
        "starting point, are integrated in blocks of 64 neighbours, each block by its own adaptive\n"
        "Dormand-Prince 5(4) (Boost.Odeint) with every particle's error per step within abs 1e-9 + rel 1e-7\n"
        "(max norm over the block); the clouds depend on the block size, not on --threads."),
    core::command<Sde>("sde", "reverse SDE with common noise: does the ODE bound still hold; the cross term",
                       core::uses_threads | core::uses_seed,
                       "Columns: variance, error, eta, W2 and W2_coupling (exact moment ODE), W2_em, W2_em_se,\n"
                       "W2_coupling_em (Euler-Maruyama), the bound columns of `gaussian` (the ODE bound of the same\n"
                       "score error), bound_paper (the paper's g_t^2 weighting, L of -g_t), holds_paper,\n"
                       "min_cross_term (the most negative E[(x-y)(grad log p_t(x) - grad log q_t(y))] on the path)\n"
                       "and t_min_cross_term."),
    core::command<Dsm>("dsm", "denoising vs plain score matching: the gap is the same for every theta",
                       core::uses_threads | core::uses_seed,
                       "Columns: data (mixture or gaussian), t, theta, dsm_loss, sm_loss, gap, gap_se, gap_exact\n"
                       "(1/sigma_t^2 - Fisher information of p_t), gap_z ((gap - exact)/se), spread_z ((gap - gap at\n"
                       "the first theta)/its standard error on the shared samples)."),
    core::command<Integrand>("integrand", "the bound's integrand I_t e_t and L_t against t, for one Gaussian case",
                             core::no_features,
                             "Columns: t, drift_error (e_t), and per form F: L_F, I_F (I_t), integrand_F (I_t e_t)."),
    core::command<Clouds>("clouds", "histograms of the particle clouds p_0 and q_0 of one mixture case",
                          core::uses_threads | core::uses_seed,
                          "Columns: x (bin centre), p0_particles, q0_particles (densities), p0_exact."),
    core::reproduce_command(w2::reproduce, {w2::claims()}),
};

}  // namespace

int main(int argc, char** argv) {
  const core::ToolInfo tool{
      "score-w2", "the score-matching loss as an upper bound of the W2 distance (Kwon, Fan & Lee 2022)",
      "VP diffusion, beta linear from 0.1 to 20 on [0, 1]. The bound is checked with three Lipschitz constants;\n"
      "a form of the bound that fails is a finding, a failure of W2 <= W~2 a bug (exit 1)."};
  return core::run_tool(tool, commands, argc, argv);
}
