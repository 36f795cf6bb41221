// score-w2: the score-matching loss as an upper bound of the W2 distance in diffusion models, after Kwon,
// Fan & Lee, "Score-based Generative Modeling Secretly Minimizes the Wasserstein Distance" (NeurIPS 2022).
// A thin driver: the option table, one call into lib/w2/study.hpp, the CSV rows and the summary's wording.
#include <string>
#include <vector>

#include "core/claims.hpp"
#include "core/cli.hpp"
#include "w2/claims.hpp"
#include "w2/flow.hpp"
#include "w2/study.hpp"

namespace {

using namespace w2;

void declare_mixture(core::Options& o, Mixture& m) {
  o.real_list("weights", m.weights, {0, 1e300}, "mixture weights (>= 0, summing to 1)");
  o.real_list("means", m.means, {-1e300, 1e300}, "component means");
  o.real_list("variances", m.variances, {0, 1e300, true}, "component variances (> 0)");
}

void report_forms(std::ostream& out, const FormTallies& tally) {
  for (LipschitzForm f : lipschitz_forms) {
    const auto& t = tally[f];
    out << "\n  L_t " << to_string(f) << ": W2 <= bound on " << t.held << " of " << t.rows << " rows";
    if (t.ratios) out << "; bound/W2 from " << t.min_ratio << " (median " << t.median_ratio << ")";
  }
}

std::string holds_on(std::size_t failures) {
  return failures ? "FAILS on " + std::to_string(failures) + " rows" : std::string("holds on every row");
}

struct GaussianCmd {
  GaussianSweep s;
  void declare(core::Options& o) { declare_options(o, s); }

  void run(core::Run& r) {
    s.threads = r.threads;
    const auto res = gaussian_study(s, r.ticker("gaussian", s.size()), r.sweep());
    auto& csv = r.csv(gaussian_columns());
    for (const auto& row : res.rows)
      csv.row(
          with_bound_cells({row.input.data.mean.size(), row.input.data.label, to_string(row.input.error), row.input.eta,
                            to_string(row.input.prior), row.result.w2, row.result.w2_coupling, row.result.w2_at_T},
                           row.result.terms, row.verdict,
                           {row.verdict.coupling_holds, row.verdict.chain_holds, row.result.stats.steps}));
    auto& out = r.summary();
    out << "score-w2 gaussian: " << res.rows.size() << " rows (d, data covariance, score error, eta, prior); W2 <= W~2 "
        << holds_on(res.coupling_failures) << "; W2 <= W~2 <= bound with L_t of -g_t (the corrected proof) "
        << holds_on(res.chain_failures) << ".";
    const auto& published = core::find_claim(w2::claims(), "chain_backward");
    out << " Published (" << published.source << "): the bound " << published.published << ".";
    report_forms(out, res.forms);
    for (LipschitzForm f : lipschitz_forms)
      if (const auto i = res.smallest_failure[f]) {
        const auto& x = res.rows[*i];
        out << "\n  smallest counterexample for L_t " << to_string(f) << ": d = " << x.input.data.mean.size()
            << ", Sigma = " << x.input.data.label << " I, " << to_string(x.input.error)
            << " error, eta = " << x.input.eta << ", prior " << to_string(x.input.prior) << ": W2 = " << x.result.w2
            << " > bound = " << x.verdict.bound[f];
      }
    out << "\n";
    if (res.failing_rows)
      r.fail_after_writing("the inequality chain W2 <= W~2 <= bound failed on " + std::to_string(res.failing_rows) +
                           " rows (a bug); see the CSV");
  }
};

struct MixtureCmd {
  MixtureSweep s;
  void declare(core::Options& o) {
    declare_mixture(o, s.data);
    declare_errors(o, s.errors, s.etas);
    o.integer("particles", s.particles, 2, 100000000, "particles M pushed through both probability-flow ODEs");
    declare_schedule(o, s.vp);
  }

  void run(core::Run& r) {
    s.seed = r.seed, s.threads = r.threads;
    const auto res = mixture_study(s, r.ticker("mixture", s.size()), r.sweep());
    auto& csv = r.csv(mixture_columns());
    for (const auto& row : res.rows)
      csv.row(with_bound_cells({to_string(row.input.error), row.input.eta, row.input.particles, row.result.w2,
                                row.result.w2_coupling, row.result.w2_coupling_se},
                               row.result.terms, row.verdict,
                               {row.verdict.coupling_holds, row.verdict.chain_holds, row.result.particle_steps}));
    auto& out = r.summary();
    out << "score-w2 mixture: " << res.rows.size() << " rows, " << s.particles
        << " particles each through both probability-flow ODEs (" << res.particle_steps << " particle-steps; blocks of "
        << flow_block << " neighbouring pairs, each its own adaptive Dormand-Prince 5(4) run with every particle "
        << "within abs " << core::format_sig(s.tol.abs) << " + rel " << core::format_sig(s.tol.rel)
        << " per step, took " << res.min_block_steps << " to " << res.max_block_steps
        << " steps); W2 by sorting, W~2 with Monte Carlo error bars. W2 <= W~2 " << holds_on(res.coupling_failures)
        << " (in 1-D the flows keep the particles' order, so the two agree); W2 <= W~2 <= bound (L_t of -g_t) "
        << holds_on(res.chain_failures) << ".";
    report_forms(out, res.forms);
    out << "\n";
    if (res.failing_rows)
      r.fail_after_writing("W2 <= W~2 failed on " + std::to_string(res.failing_rows) + " rows (a bug); see the CSV");
  }
};

struct Clouds {
  CloudsConfig config;
  void declare(core::Options& o) {
    auto& c = config.mixture;
    declare_mixture(o, c.data);
    o.choice("error", c.error, score_errors, "the score error");
    o.real("eta", c.eta, {0, 1e6}, "its size");
    o.integer("particles", c.particles, 2, 100000000, "particles M");
    o.integer("bins", config.bins, 1u, 100000u, "histogram bins");
    declare_schedule(o, c.vp);
  }

  void run(core::Run& r) {
    auto& c = config.mixture;
    c.seed = r.seed, c.threads = r.threads;
    const auto res = clouds_study(config);
    auto& csv = r.csv(clouds_columns());
    for (const auto& row : res.rows) csv.row({row.x, row.p0_particles, row.q0_particles, row.p0_exact});
    r.summary() << "score-w2 clouds: " << c.particles << " particles through both probability-flow ODEs ("
                << to_string(c.error) << " error, eta = " << c.eta << "): W2[p_0, q_0] = " << res.w2
                << "; histograms of both clouds next to the exact data density.\n";
  }
};

struct Integrand {
  IntegrandConfig c;
  void declare(core::Options& o) {
    o.integer("d", c.d, 1u, 64u, "dimension");
    o.text("variances", c.variances, "V", "data covariance: V (Sigma = V I) or A:B (eigenvalues log-spaced); > 0");
    o.real("mean", c.mean, {-1e6, 1e6}, "every coordinate of the data mean");
    o.choice("error", c.error, score_errors, "the score error");
    o.real("eta", c.eta, {0, 1e6}, "its size");
    o.integer("points", c.points, 1u, 100000u, "intervals of the t grid on [0, T]");
    declare_schedule(o, c.vp);
  }

  void run(core::Run& r) {
    const auto res = integrand_study(c);
    auto& csv = r.csv(integrand_columns());
    for (const auto& p : res.profile) {
      std::vector<core::Cell> cells{p.t, p.rates.drift_error};
      for (LipschitzForm f : lipschitz_forms)
        cells.insert(cells.end(), {p.rates.lipschitz[f], p.growth[f], p.integrand[f]});
      csv.row(cells);
    }
    const auto& growth = res.growth_at_T;
    r.summary() << "score-w2 integrand: d = " << c.d << ", Sigma = " << c.variances << " I, " << to_string(c.error)
                << " error, eta = " << c.eta << ": I_T = " << growth[proof] << " (L of g_t), " << growth[backward]
                << " (L of -g_t), " << growth[two_sided] << " (two-sided).\n";
  }
};

struct Sde {
  SdeSweep s;
  void declare(core::Options& o) {
    o.real_list("variances", s.variances, {0, 1e300, true}, "comma-separated 1-D data variances (> 0)");
    o.real("mean", s.mean, {-1e6, 1e6}, "the data mean");
    declare_errors(o, s.errors, s.etas);
    o.integer("particles", s.particles, 20, 100000000, "Euler-Maruyama particles");
    o.integer("steps", s.steps, 10u, 10000000u, "Euler-Maruyama steps from T to 0");
    declare_schedule(o, s.vp);
  }

  void run(core::Run& r) {
    s.seed = r.seed, s.threads = r.threads;
    const auto res = sde_study(s, r.ticker("sde", s.size()));
    auto& csv = r.csv(sde_columns());
    for (const auto& row : res.rows)
      csv.row(
          with_bound_cells({row.input.variance, to_string(row.input.error), row.input.eta, row.result.w2,
                            row.result.w2_coupling, row.result.w2_em, row.result.w2_em_se, row.result.w2_coupling_em},
                           row.result.terms, row.verdict,
                           {row.bound_paper, row.holds_paper, row.result.min_cross, row.result.t_min_cross}));
    auto& out = r.summary();
    out << "score-w2 sde: reverse SDE with common noise, " << res.rows.size()
        << " rows (1-D Gaussian data; exact moments, Euler-Maruyama with " << s.particles << " particles).";
    report_forms(out, res.forms);
    const auto& worst = res.rows[res.most_negative_row];
    if (res.negative_cross_rows)
      out << "\n  the cross term E[(x - y)(grad log p_t(x) - grad log q_t(y))] is NEGATIVE on "
          << res.negative_cross_rows << " of " << res.rows.size() << " rows; most negative: " << worst.result.min_cross
          << " at t = " << worst.result.t_min_cross << " (variance " << worst.input.variance << ", "
          << to_string(worst.input.error) << " error, eta = " << worst.input.eta
          << "), so the ODE argument does not carry over to the SDE.\n";
    else
      out << "\n  no negative cross term found on this grid.\n";
  }
};

struct Dsm {
  DsmSweep s;
  void declare(core::Options& o) {
    declare_mixture(o, s.mixture);
    o.real("gaussian-mean", s.gaussian_mean, {-1e6, 1e6}, "mean of the Gaussian data set");
    o.real("gaussian-variance", s.gaussian_variance, {0, 1e6, true}, "variance of the Gaussian data set");
    o.real_list("times", s.times, {0, 1e300, true}, "comma-separated diffusion times t (> 0)");
    o.real_list("thetas", s.thetas, {-1e300, 1e300}, "comma-separated theta of the models s_theta(x) = -theta x");
    o.integer("samples", s.samples, 2, 100000000, "Monte Carlo samples per (data, t), shared by every theta");
    declare_schedule(o, s.vp);
  }

  void run(core::Run& r) {
    s.seed = r.seed, s.threads = r.threads;
    const auto res = dsm_study(s, r.ticker("dsm", s.size()));
    auto& csv = r.csv(dsm_columns());
    for (const auto& row : res.rows)
      csv.row({row.data, row.t, row.loss.theta, row.loss.dsm, row.loss.sm, row.loss.gap, row.loss.gap_se, row.gap_exact,
               row.gap_z, row.loss.spread_z});
    r.summary() << "score-w2 dsm: denoising minus plain score-matching loss for " << s.thetas.size()
                << " models s_theta(x) = -theta x at " << s.times.size() << " times, " << s.samples
                << " shared samples each: the gap differs between thetas by at most " << res.max_abs_spread_z
                << " standard errors (theta-independent, as Vincent 2011 shows), and from its closed form "
                << "1/sigma_t^2 - J(p_t) by at most " << res.max_abs_gap_z << " standard errors.\n";
  }
};

const core::Command commands[] = {
    core::command<GaussianCmd>("gaussian",
                               "Gaussian data: exact W2, the coupling W~2 and the bound in its three forms, per eta",
                               core::uses_threads | core::uses_shards, {{"", gaussian_columns()}}, gaussian_notes()),
    core::command<MixtureCmd>(
        "mixture", "1-D Gaussian mixture: particles through both probability-flow ODEs, W2 by sorting, the bound",
        core::uses_threads | core::uses_seed | core::uses_shards, {{"", mixture_columns()}}, mixture_notes()),
    core::command<Sde>("sde", "reverse SDE with common noise: does the ODE bound still hold; the cross term",
                       core::uses_threads | core::uses_seed, {{"", sde_columns()}}, sde_notes()),
    core::command<Dsm>("dsm", "denoising vs plain score matching: the gap is the same for every theta",
                       core::uses_threads | core::uses_seed, {{"", dsm_columns()}}),
    core::command<Integrand>("integrand", "the bound's integrand I_t e_t and L_t against t, for one Gaussian case",
                             core::no_features, {{"", integrand_columns()}}),
    core::command<Clouds>("clouds", "histograms of the particle clouds p_0 and q_0 of one mixture case",
                          core::uses_threads | core::uses_seed, {{"", clouds_columns()}}),
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
