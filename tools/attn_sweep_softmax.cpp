// attn-sweep's softmax subcommands (Su Jianlin, kexue.fm/archives/9812, 9889, 9593): scale, sparsity,
// noise, and stats (the statistics engine on one batch, for timing and checking). A thin driver over
// lib/attn/study.hpp: options bound to the study's config, one call, the CSV rows, the summary's wording.
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "attn/claims.hpp"
#include "attn/study.hpp"
#include "core/output.hpp"
#include "tools/attn_sweep.hpp"

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr core::Interval finite{-inf, inf, true, true}, positive{0, inf, true, true};

struct Scale {
  attn::ScaleConfig config;
  bool curves = false;

  void declare(core::Options& o) {
    o.integer("d", config.d, 2, 1u << 16, "dimension of the cosine scores (even)");
    o.integer("n-step", config.n_step, 2, 1u << 20, "n = n-step * (1 .. n-count)");
    o.integer("n-count", config.n_count, 1, 100000, "number of n");
    o.integer("mc-every", config.mc_every, 0, 100000,
              "Monte Carlo at the first n and at every mc-every-th n (0: approximation only)");
    o.integer("mc-rows", config.mc_rows, 20, 1000000, "sampled softmax rows per Monte Carlo n");
    o.flag("curves", curves,
           "write the exact and approximate objective against alpha at each Monte Carlo n instead of alpha*(n)");
  }

  void run(core::Run& r) {
    config.seed = r.seed, config.threads = r.threads, config.device = r.device;
    const auto study = attn::scale_study(config, r.ticker("scale", attn::scale_points(config)), r.sweep());
    if (curves) return write_curves(r, study);
    auto& csv = r.csv(attn::scale_columns());
    for (const auto& row : study.rows) {
      const auto& fit = study.fit(row.model);
      const auto& mc = row.mc_figures;
      csv.row({attn::to_string(row.model), config.d, row.n, row.approx.alpha, row.approx.gradient, row.sum_p2_approx,
               mc.alpha_max, mc.alpha_max_se, mc.interior, mc.alpha_95, mc.alpha_95_se, mc.gradient_at_approx,
               mc.sum_p2_at_approx, fit.approx.c, fit.c_mc_95, fit.claim->value});
    }
    const auto &normal = study.fit(attn::ScoreModel::normal), &cosine = study.fit(attn::ScoreModel::cosine);
    auto& out = r.summary();
    out << "attn-sweep scale: the alpha maximising alpha (1 - sum p^2) for n = " << study.rows.front().n << " .. "
        << study.rows.back().n << ". Mean-field approximation: c1 = " << core::format_sig(normal.approx.c)
        << " (published " << normal.claim->published
        << ") in alpha* ~ c1 sqrt(ln n); c2 = " << core::format_sig(cosine.approx.c) << " (published "
        << cosine.claim->published << ") in alpha* ~ c2 ln n (cosine; d = " << config.d << ").";
    if (normal.mc_95)
      out << " Exact Monte Carlo (" << config.mc_rows << " rows per n): the expected gradient has no sharp maximum; it"
          << " reaches 95% of its maximum at c = " << core::format_sig(normal.c_mc_95) << " (normal) and "
          << core::format_sig(cosine.c_mc_95)
          << " (cosine), and its argmax lies several times higher (columns alpha_mc_max): the approximation"
          << " overestimates sum p^2 near its alpha*.";
    out << "\n";
  }

  void write_curves(core::Run& r, const attn::ScaleStudy& study) {
    auto& csv = r.csv(attn::scale_curve_columns());
    for (const auto& p : study.curves)
      csv.row({attn::to_string(p.model), p.n, p.alpha, p.alpha_over_approx, p.gradient_mc, p.gradient_mc_se,
               p.gradient_approx, p.sum_p2_mc, p.sum_p2_approx});
    r.summary() << "attn-sweep scale --curves: the exact mean of alpha (1 - sum p^2) over " << config.mc_rows
                << " sampled rows next to the mean-field approximation, alpha*/4 .. 16 alpha* at each Monte Carlo n."
                << " The approximation overestimates sum p^2 around its alpha* and turns negative beyond it; the"
                << " exact objective keeps rising into a broad plateau.\n";
  }
};

struct Sparsity {
  attn::SparsityConfig config;

  void declare(core::Options& o) {
    o.real_list("betas", config.betas, finite, "beta = q.mu values");
    o.real_list("gammas", config.gammas, positive, "gamma = sigma |q| values (> 0)");
    o.real_list("lambdas", config.lambdas, {0, 1, true, false}, "decay factors of the linear RNN, in (0, 1]");
    o.integer_list("rnn-n", config.rnn_n, 2, attn::max_rnn_length,
                   "sequence lengths of the linear RNN (each summed directly: O(n), so at most 10^8)");
    o.integer("samples", config.samples, 2, 100000000, "Monte Carlo keys per (beta, gamma) point");
  }

  void run(core::Run& r) {
    config.seed = r.seed, config.threads = r.threads;
    const auto study = attn::sparsity_study(config, r.ticker("sparsity", attn::sparsity_points(config)), r.sweep());
    auto& csv = r.csv(attn::sparsity_columns());
    for (const auto& row : study.rows)
      csv.row({row.kernel, row.beta, row.gamma, row.lambda, row.n, row.closed_form, row.estimate, row.se, row.z,
               row.se_reliable, row.quadrature, row.mass95_closed_form, row.mass95_quadrature, row.mass95_estimate,
               row.mass95_se, row.gini_closed_form, row.gini_quadrature, row.gini_estimate, row.gini_se, row.rank_s,
               row.rank_mass95, row.rank_gini});
    const std::string band = core::format_sig(attn::mc_agreement_se) + " se";
    r.summary() << "attn-sweep sparsity: S = E|a| / sqrt(E a^2) for a = f(q.k); closed forms against Monte Carlo with "
                << config.samples << " keys: largest |z| = " << core::format_sig(study.max_abs_z, 3)
                << " where the se is reliable (" << study.beyond_band << " points beyond " << band
                << "), and against Gauss-Kronrod quadrature. exp (softmax) reaches S -> 0 as gamma"
                << " grows and relu^2 as beta -> -inf; the decaying linear RNN reaches it as n -> inf; identity"
                << " (plain linear attention) stays >= sqrt(2/pi) = 0.798 and non-negative linear attention stays at"
                << " 1 / sqrt(1 + q'Sq / (q'mu)^2): neither can focus unless its features' variance dominates.\n";
    summarise_measures(r, study);
    const std::size_t beyond = study.beyond_band + study.beyond_band_mass95 + study.beyond_band_gini;
    if (beyond > 0)
      r.fail_after_writing(std::to_string(beyond) + " Monte Carlo estimates lie beyond " + band +
                           " of the closed form (or quadrature)");
  }
  // The second summary paragraph: the 95%-mass fraction and the Gini index, and how the three measures rank.
  void summarise_measures(core::Run& r, const attn::SparsityStudy& study) const {
    auto& out = r.summary();
    out << "Beside S: mass95 (the fraction of keys holding 95% of sum |a|) and the Gini index of |a|, in closed form"
        << " (exp: Phi(1.645 - gamma) and erf(gamma/2); identity: a root and an expression in Phi and phi; relu2's"
        << " mass95: a root) within " << core::format_sig(study.max_quadrature_gap, 2)
        << " of Gauss-Kronrod quadrature; Monte Carlo within " << core::format_sig(study.max_abs_z_mass95, 3)
        << " se (mass95) and " << core::format_sig(study.max_abs_z_gini, 3)
        << " se (Gini) where the se is reliable. ";
    const auto& k = study.ranking;
    if (k.points > 0) {
      out << "Ranking exp, identity, relu2 and positive_linear at each of the " << k.points
          << " (beta, gamma) points: S, mass95 and Gini give the same order at " << k.same_order
          << " and agree on the sparsest at " << k.same_sparsest << "; sparsest by S / mass95 / Gini:";
      for (std::size_t i = 0; i < attn::ranked_kernels.size(); ++i)
        out << (i ? ";" : "") << " " << attn::ranked_kernels[i] << " " << k.sparsest[i][0] << " / " << k.sparsest[i][1]
            << " / " << k.sparsest[i][2];
      out << ". ";
    }
    // The linear RNN's at its longest n for each lambda.
    const attn::SparsityRow* last = nullptr;
    std::string rnn;
    for (const auto& row : study.rows) {
      if (row.kernel != "linear_rnn") continue;
      if (last && row.lambda != last->lambda)
        rnn += (rnn.empty() ? "" : "; ") + rnn_text(*last);
      last = &row;
    }
    if (last) rnn += (rnn.empty() ? "" : "; ") + rnn_text(*last);
    if (!rnn.empty())
      out << "The decaying linear RNN holds 95% of its mass in a number of keys that stops growing with n (" << rnn
          << "): its mass95 falls like 1/n and its Gini index rises to 1 while S falls only like 1/sqrt(n).";
    out << "\n";
  }

  static std::string rnn_text(const attn::SparsityRow& row) {
    const double keys = row.mass95_closed_form * static_cast<double>(row.n);
    return "lambda = " + core::format_sig(row.lambda) + " at n = " + std::to_string(row.n) + ": " +
           core::format_sig(keys) + " keys, S = " + core::format_sig(row.closed_form, 3) +
           ", Gini = " + core::format_sig(row.gini_closed_form, 3);
  }
};

struct Noise {
  attn::NoiseConfig config;

  void declare(core::Options& o) {
    o.integer_list("n", config.ns, 2, 100000000, "numbers of keys (>= 2)");
    o.real_list("sigmas", config.sigmas, positive, "noise scales (> 0)");
    o.integer("trials", config.settings.trials, 2, 10000000, "independent draws per (n, sigma)");
    o.integer("dv", config.settings.dv, 1, 4096, "value dimension");
    o.integer("fit-from", config.fit_from, 2, 100000000, "fit error ~ n^k on n >= this");
    o.flag("floor", config.floor_only, "write the cosine-softmax entropy floor table instead of the noise errors");
    o.integer_list("floor-n", config.floor_ns, 2, 2000, "n for the entropy floor (>= 2, at most 2000)");
    o.integer("starts", config.floor_starts, 1, 10000, "random starting points of the entropy minimisation");
  }

  void run(core::Run& r) {
    config.settings.seed = r.seed, config.threads = r.threads;
    const auto study = attn::noise_study(config, r.ticker("noise", attn::noise_points(config)), r.sweep());
    const auto& gap = core::find_claim(attn::claims(), "entropy_gap");
    const auto& largest = study.floors.back();
    auto& out = r.summary();
    if (config.floor_only) {
      auto& csv = r.csv(attn::entropy_floor_columns());
      for (const auto& f : study.floors)
        csv.row({f.n, f.ln_n, f.found_gap, f.at_top, f.at_bottom, f.interior, f.two_level_gap, f.best_k, f.gap,
                 f.min_entropy, study.gap_limit, gap.value});
      out << "attn-sweep noise --floor: the smallest entropy of a softmax over scores in [-1, 1] at temperature 1."
          << " BFGS from " << config.floor_starts << " random starts finds only two-level minimisers (interior = 0),"
          << " local ones differing in how many scores sit at +1 (n = " << largest.n << ": " << largest.at_top
          << " at +1, gap " << core::format_sig(largest.found_gap, 6)
          << "); the best two-level configuration (k = " << largest.best_k << ") gives ln n - "
          << core::format_sig(largest.two_level_gap, 6) << ", and n -> inf gives ln n - "
          << core::format_sig(study.gap_limit, 6) << " (published ln n - " << gap.published << ").\n";
      return;
    }
    const auto& exponent = core::find_claim(attn::claims(), "noise_exponent");
    auto& csv = r.csv(attn::noise_columns());
    for (const auto& row : study.rows)
      csv.row({row.n, row.sigma, row.error.mean, row.error.se, row.error.rms, row.rms_asymptote, row.fit.exponent,
               row.fit.exponent_lo95, row.fit.exponent_hi95, exponent.value});
    out << "attn-sweep noise: ||o~ - o|| for i.i.d. N(0, sigma^2) noise on N(0, 1) scores, " << config.settings.trials
        << " trials per point; fitted decay exponents on n >= " << config.fit_from << ":";
    for (const auto& [s, f] : study.fits)
      out << " sigma = " << s << ": " << core::format_sig(f.exponent) << " (95% CI "
          << core::format_sig(f.exponent_lo95) << " .. " << core::format_sig(f.exponent_hi95) << ");";
    out << " expected " << exponent.published
        << " (large sigma reaches it late: the rms approaches sqrt(dv (e^(sigma^2) - 1) e / n), column rms_asymptote)."
        << " Entropy floor of the cosine softmax: ln n - " << core::format_sig(largest.gap, 6)
        << " at n = " << largest.n << " (published ln n - " << gap.published
        << "; attn-sweep noise --floor for the table).\n";
  }
};

struct Stats {
  attn::StatsConfig config;
  std::string dump;

  void declare(core::Options& o) {
    attn::declare_options(o, config);
    o.output_prefix("dump", dump,
                    "also write the draws as raw little-endian float64: PREFIX.keys.f64 (n x d), PREFIX.queries.f64");
  }

  void run(core::Run& r) {
    config.seed = r.seed, config.threads = r.threads, config.device = r.device;
    const auto study = attn::stats_study(config);
    if (!dump.empty()) core::write_binary(dump + ".keys.f64", study.draws.keys, "--dump");
    if (!dump.empty()) core::write_binary(dump + ".queries.f64", study.draws.queries, "--dump");
    auto& csv = r.csv(attn::stats_columns());
    const std::size_t scales = config.alphas.size();
    for (std::size_t i = 0; i < config.queries; ++i)
      for (std::size_t k = 0; k < scales; ++k) {
        const auto& s = study.stats[i * scales + k];
        csv.row({i, config.alphas[k], s.sum_p2, s.entropy, s.max_p, s.mass, s.max_score, s.mean_score});
      }
    r.summary() << "attn-sweep stats: " << config.queries << " rows of " << config.n << " "
                << attn::to_string(config.kind) << " scores in d = " << config.d << " at " << scales << " scales on "
                << core::to_string(r.device) << " (" << r.threads
                << " threads): engine_seconds = " << core::format_sig(study.engine_seconds)
                << " scores_per_second = " << core::format_sig(study.scores_per_second)
                << " gemm_gflops = " << core::format_sig(study.gemm_gflops)
                << " exp_per_second = " << core::format_sig(study.exp_per_second) << "\n";
  }
};

}  // namespace

namespace attn_tool {

std::vector<core::Command> softmax_commands() {
  return {
      core::command<Scale>("scale",
                           "the softmax scale alpha*(n) maximising the gradient; fits c1 sqrt(ln n) and c2 ln n",
                           core::uses_threads | core::uses_seed | core::uses_device | core::uses_shards,
                           {{"", attn::scale_columns()}, {"with --curves", attn::scale_curve_columns()}}),
      core::command<Sparsity>(
          "sparsity",
          "sparsity index S = E|a| / sqrt(E a^2), the 95%-mass fraction and the Gini index: closed forms vs Monte "
          "Carlo and quadrature; how the three rank the attention forms",
          core::uses_threads | core::uses_seed | core::uses_shards, {{"", attn::sparsity_columns()}},
          "Exit code 1 after writing if an estimate (S, mass95 or Gini) lies beyond " +
              core::format_sig(attn::mc_agreement_se) + " se of its closed form (or quadrature where none)."),
      core::command<Noise>("noise",
                           "how far i.i.d. score noise moves the softmax output, against n; the cosine entropy floor",
                           core::uses_threads | core::uses_seed | core::uses_shards,
                           {{"", attn::noise_columns()}, {"with --floor", attn::entropy_floor_columns()}}),
      core::command<Stats>(
          "stats", "the softmax statistics engine on one batch of q.k scores (timing; CPU/GPU check)",
          core::uses_threads | core::uses_seed | core::uses_device, {{"", attn::stats_columns()}},
          "The summary gives engine_seconds (statistics only, draws excluded), scores per second and GFLOP/s."),
  };
}

}  // namespace attn_tool
