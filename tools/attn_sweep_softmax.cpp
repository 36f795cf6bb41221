// attn-sweep's softmax subcommands (../shared/spec/attn-sweep.md §1-3): scale, sparsity, noise, and stats
// (the statistics engine on one batch, for timing and checking). A thin driver over lib/attn: options,
// CSV rows, a summary.
#include <charconv>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "attn/claims.hpp"
#include "attn/softmax_stats.hpp"
#include "attn/study.hpp"
#include "core/errors.hpp"
#include "tools/attn_sweep.hpp"

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr core::Interval finite{-inf, inf, true, true}, positive{0, inf, true, true};

void check_even_d(std::uint64_t d) {
  if (d < 2 || d % 2 != 0) throw core::InputError("--d: expected an even d >= 2, got " + std::to_string(d));
}

const core::Claim& claim(std::string_view key) {
  return core::find_claim(attn::claims(), key);
}

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
    check_even_d(config.d);
    const long double n_max = static_cast<long double>(config.n_step) * config.n_count;
    if (config.mc_every > 0 && n_max * config.d > 1073741824.0L)
      throw core::InputError("--n-count: the largest n = " + std::to_string(static_cast<double>(n_max)) +
                             " keys in d = " + std::to_string(config.d) +
                             " would not fit in memory (at most 2^30 numbers: n d <= 2^30)");
    config.seed = r.seed;
    config.threads = r.threads;
    config.device = r.device;
    auto& progress = r.progress("scale", attn::scale_points(config));
    const auto study = attn::scale_study(config, [&] { progress.advance(); });
    if (curves) return write_curves(r, study);
    auto& csv = r.csv({{"model"},
                       {"d"},
                       {"n"},
                       {"alpha_approx"},
                       {"gradient_approx"},
                       {"sum_p2_approx"},
                       {"alpha_mc_max", true},
                       {"alpha_mc_max_se", true},
                       {"mc_max_interior", true},
                       {"alpha_mc_95", true},
                       {"alpha_mc_95_se", true},
                       {"gradient_mc_at_approx", true},
                       {"sum_p2_mc_at_approx", true},
                       {"c_approx"},
                       {"c_mc_95", true},
                       {"c_published"}});
    for (const auto& row : study.rows) {
      const auto& fit = study.fits[row.model == attn::ScoreModel::normal ? 0 : 1];
      const double published = claim(row.model == attn::ScoreModel::normal ? "scale_c1" : "scale_c2").value;
      const auto& mc = row.mc;
      csv.row({attn::to_string(row.model), config.d, row.n, row.approx.alpha, row.approx.gradient,
               attn::approx_sum_p2(row.model, row.approx.alpha, static_cast<double>(row.n), config.d),
               mc ? mc->alpha_max : nan, mc ? mc->alpha_max_se : nan, mc ? (mc->interior ? 1.0 : 0.0) : nan,
               mc ? mc->alpha_95 : nan, mc ? mc->alpha_95_se : nan, mc ? mc->gradient[attn::mc_guess_index] : nan,
               mc ? mc->sum_p2[attn::mc_guess_index] : nan, fit.approx.c, fit.mc_95 ? fit.mc_95->c : nan, published});
    }
    auto& out = r.summary();
    out << "attn-sweep scale: the alpha maximising alpha (1 - sum p^2) for n = " << config.n_step << " .. "
        << config.n_step * config.n_count << ". Mean-field approximation: c1 = " << format(study.fits[0].approx.c)
        << " (published " << claim("scale_c1").published
        << ") in alpha* ~ c1 sqrt(ln n); c2 = " << format(study.fits[1].approx.c) << " (published "
        << claim("scale_c2").published << ") in alpha* ~ c2 ln n (cosine; d = " << config.d << ").";
    if (study.fits[0].mc_95)
      out << " Exact Monte Carlo (" << config.mc_rows << " rows per n): the expected gradient has no sharp maximum; it"
          << " reaches 95% of its maximum at c = " << format(study.fits[0].mc_95->c) << " (normal) and "
          << format(study.fits[1].mc_95->c)
          << " (cosine), and its argmax lies several times higher (columns alpha_mc_max): the approximation"
          << " overestimates sum p^2 near its alpha*.";
    out << "\n";
  }

  static std::string format(double x) { return core::format_sig(x, 4); }

  void write_curves(core::Run& r, const attn::ScaleStudy& study) {
    auto& csv = r.csv({{"model"},
                       {"n"},
                       {"alpha"},
                       {"alpha_over_approx"},
                       {"gradient_mc"},
                       {"gradient_mc_se"},
                       {"gradient_approx", true},
                       {"sum_p2_mc"},
                       {"sum_p2_approx", true}});
    for (const auto& row : study.rows) {
      if (!row.mc) continue;
      for (std::size_t i = 0; i < row.mc->alphas.size(); ++i) {
        const double a = row.mc->alphas[i], n = static_cast<double>(row.n);
        const double p2 = attn::approx_sum_p2(row.model, a, n, config.d);
        csv.row({attn::to_string(row.model), row.n, a, a / row.approx.alpha, row.mc->gradient[i],
                 row.mc->gradient_se[i], a * (1 - p2), row.mc->sum_p2[i], p2});
      }
    }
    r.summary() << "attn-sweep scale --curves: the exact mean of alpha (1 - sum p^2) over " << config.mc_rows
                << " sampled rows next to the mean-field approximation, alpha*/4 .. 16 alpha* at each Monte Carlo n."
                << " The approximation overestimates sum p^2 around its alpha* and turns negative beyond it; the"
                << " exact objective keeps rising into a broad plateau.\n";
  }
};

struct Sparsity {
  std::string betas = "-2,-1,0,1,2", gammas = "0.125,0.25,0.375,0.5,0.625,0.75,0.875,1,1.125,1.25",
              lambdas = "0.5,0.9,0.99", lengths = "2,5,10,20,50,100,200,500,1000,2000,5000,10000";
  std::uint64_t samples = 200000;

  void declare(core::Options& o) {
    o.text("betas", betas, "LIST", "beta = q.mu values");
    o.text("gammas", gammas, "LIST", "gamma = sigma |q| values (> 0)");
    o.text("lambdas", lambdas, "LIST", "decay factors of the linear RNN, in (0, 1]");
    o.text("rnn-n", lengths, "LIST", "sequence lengths of the linear RNN (>= 2)");
    o.integer("samples", samples, 2, 100000000, "Monte Carlo keys per (beta, gamma) point");
  }

  void run(core::Run& r) {
    attn::SparsityConfig c;
    c.betas = core::parse_real_list("--betas", betas, finite);
    c.gammas = core::parse_real_list("--gammas", gammas, positive);
    c.lambdas = core::parse_real_list("--lambdas", lambdas, {0, 1, true, false});
    c.rnn_n = core::parse_integer_list("--rnn-n", lengths, 2, ~std::uint64_t{0});
    c.samples = samples;
    c.seed = r.seed;
    c.threads = r.threads;
    auto& progress = r.progress("sparsity", attn::sparsity_points(c));
    const auto rows = attn::sparsity_study(c, [&] { progress.advance(); });
    auto& csv = r.csv({{"kernel"},
                       {"beta", true},
                       {"gamma", true},
                       {"lambda", true},
                       {"n"},
                       {"closed_form"},
                       {"estimate", true},
                       {"se", true},
                       {"z", true},
                       {"se_reliable"},
                       {"quadrature"}});
    double max_z = 0;
    std::size_t outside = 0;
    for (const auto& row : rows) {
      const bool rnn = row.kernel == "linear_rnn";
      const double z = row.se > 0 ? (row.estimate - row.closed_form) / row.se : nan;
      if (std::isfinite(z) && row.se_reliable) {
        max_z = std::max(max_z, std::abs(z));
        outside += std::abs(z) > 4;
      }
      csv.row({row.kernel, rnn ? nan : row.beta, rnn ? nan : row.gamma, rnn ? row.lambda : nan, row.n, row.closed_form,
               row.estimate, row.se, z, row.se_reliable, row.quadrature});
    }
    r.summary() << "attn-sweep sparsity: S = E|a| / sqrt(E a^2) for a = f(q.k); closed forms against Monte Carlo with "
                << samples << " keys: largest |z| = " << core::format_sig(max_z, 3) << " where the se is reliable ("
                << outside
                << " points beyond 4 se), and against Gauss-Kronrod quadrature. exp (softmax) reaches S -> 0 as gamma"
                << " grows and relu^2 as beta -> -inf; the decaying linear RNN reaches it as n -> inf; identity"
                << " (plain linear attention) stays >= sqrt(2/pi) = 0.798 and non-negative linear attention stays at"
                << " 1 / sqrt(1 + q'Sq / (q'mu)^2): neither can focus unless its features' variance dominates.\n";
    if (outside > 0)
      r.fail_after_writing(std::to_string(outside) + " Monte Carlo estimates lie beyond 4 se of the closed form");
  }
};

struct Noise {
  std::string lengths = "16,64,256,1024,4096,16384", sigmas = "0.1,0.5,1,2", floor_n = "2,5,10,50,200,1000";
  std::uint64_t trials = 200, dv = 16, starts = 20, fit_from = 256;
  bool floor = false;

  void declare(core::Options& o) {
    o.text("n", lengths, "LIST", "numbers of keys (>= 2)");
    o.text("sigmas", sigmas, "LIST", "noise scales (> 0)");
    o.integer("trials", trials, 2, 10000000, "independent draws per (n, sigma)");
    o.integer("dv", dv, 1, 4096, "value dimension");
    o.integer("fit-from", fit_from, 2, 100000000, "fit error ~ n^k on n >= this");
    o.flag("floor", floor, "write the cosine-softmax entropy floor table instead of the noise errors");
    o.text("floor-n", floor_n, "LIST", "n for the entropy floor (>= 2, at most 2000)");
    o.integer("starts", starts, 1, 10000, "random starting points of the entropy minimisation");
  }

  void run(core::Run& r) {
    attn::NoiseConfig c;
    c.ns = core::parse_integer_list("--n", lengths, 2, 100000000);
    c.sigmas = core::parse_real_list("--sigmas", sigmas, positive);
    c.floor_ns = core::parse_integer_list("--floor-n", floor_n, 2, 2000);
    c.floor_starts = starts;
    c.fit_from = fit_from;
    c.settings.trials = trials;
    c.settings.dv = dv;
    c.settings.seed = r.seed;
    c.threads = r.threads;
    if (floor) c.ns.clear(), c.sigmas.clear();
    auto& progress = r.progress("noise", attn::noise_points(c));
    const auto study = attn::noise_study(c, [&] { progress.advance(); });
    const auto& gap = claim("entropy_gap");
    auto& out = r.summary();
    if (floor) {
      auto& csv = r.csv({{"n"},
                         {"ln_n"},
                         {"found_gap"},
                         {"at_top"},
                         {"at_bottom"},
                         {"interior"},
                         {"two_level_gap"},
                         {"best_k"},
                         {"gap"},
                         {"min_entropy"},
                         {"gap_limit"},
                         {"gap_published"}});
      for (const auto& f : study.floors) {
        const double ln_n = std::log(static_cast<double>(f.n));
        csv.row({f.n, ln_n, f.found_gap, f.at_top, f.at_bottom, f.interior, f.two_level_gap, f.best_k, f.gap,
                 ln_n - f.gap, study.gap_limit, gap.value});
      }
      const auto& last = study.floors.back();
      out << "attn-sweep noise --floor: the smallest entropy of a softmax over scores in [-1, 1] at temperature 1."
          << " BFGS from " << starts << " random starts finds only two-level minimisers (interior = 0), local ones"
          << " differing in how many scores sit at +1 (n = " << last.n << ": " << last.at_top << " at +1, gap "
          << core::format_sig(last.found_gap, 6) << "); the best two-level configuration (k = " << last.best_k
          << ") gives ln n - " << core::format_sig(last.two_level_gap, 6) << ", and n -> inf gives ln n - "
          << core::format_sig(study.gap_limit, 6) << " (published ln n - " << gap.published << ").\n";
      return;
    }
    auto& csv = r.csv({{"n"},
                       {"sigma"},
                       {"error_mean"},
                       {"error_se"},
                       {"error_rms"},
                       {"rms_asymptote"},
                       {"fit_exponent", true},
                       {"fit_exponent_lo95", true},
                       {"fit_exponent_hi95", true},
                       {"expected_exponent"}});
    for (const auto& row : study.rows) {
      core::PowerLawFit fit{nan, nan, nan, nan, nan, 0};
      for (const auto& [s, f] : study.fits)
        if (s == row.sigma) fit = f;
      csv.row({row.n, row.sigma, row.error.mean, row.error.se, row.error.rms,
               attn::noise_rms_asymptote(row.n, row.sigma, dv), fit.exponent, fit.exponent_lo95, fit.exponent_hi95,
               claim("noise_exponent").value});
    }
    out << "attn-sweep noise: ||o~ - o|| for i.i.d. N(0, sigma^2) noise on N(0, 1) scores, " << trials
        << " trials per point; fitted decay exponents on n >= " << fit_from << ":";
    for (const auto& [s, f] : study.fits)
      out << " sigma = " << s << ": " << core::format_sig(f.exponent, 4) << " (95% CI "
          << core::format_sig(f.exponent_lo95, 4) << " .. " << core::format_sig(f.exponent_hi95, 4) << ");";
    out << " expected " << claim("noise_exponent").published
        << " (large sigma reaches it late: the rms approaches sqrt(dv (e^(sigma^2) - 1) e / n), column rms_asymptote)."
        << " Entropy floor of the cosine softmax: ln n - " << core::format_sig(study.floors.back().gap, 6)
        << " at n = " << study.floors.back().n << " (published ln n - " << gap.published
        << "; attn-sweep noise --floor for the table).\n";
  }
};

struct Stats {
  std::string kind = "cosine", alphas = "1,2,4,8,16,32";
  std::uint64_t d = 128, n = 4096, queries = 256;
  double needle_rho = -1;
  std::string dump;

  void declare(core::Options& o) {
    o.choice("kind", kind, {"gaussian", "cosine"}, "score distribution: q.k of N(0, I) or of unit vectors");
    o.integer("d", d, 2, 1u << 16, "dimension (even)");
    o.integer("n", n, 2, std::uint64_t{1} << 30, "keys per row");
    o.integer("queries", queries, 1, std::uint64_t{1} << 30, "query rows");
    o.text("alphas", alphas, "LIST", "scales (> 0), all in one pass");
    o.real("needle-rho", needle_rho, {-1, 1}, "key 0 of row i = rho q_i + sqrt(1 - rho^2) z_i; -1: no needle");
    o.text("dump", dump, "PREFIX",
           "also write the draws as raw little-endian float64: PREFIX.keys.f64 (n x d), PREFIX.queries.f64");
  }

  void run(core::Run& r) {
    check_even_d(d);
    const auto a = core::parse_real_list("--alphas", alphas, positive);
    if (needle_rho < 0 && needle_rho != -1)
      throw core::InputError("--needle-rho: expected -1 (no needle) or a value in [0, 1], got " +
                             core::format_double(needle_rho));
    if (static_cast<long double>(queries) * a.size() > 1e8L)
      throw core::InputError("--queries: queries x alphas would be more than 10^8 CSV rows");
    const attn::ScoreBatch batch{.kind = kind == "cosine" ? attn::ScoreKind::cosine : attn::ScoreKind::gaussian,
                                 .d = d,
                                 .n = n,
                                 .queries = queries,
                                 .needle_rho = needle_rho,
                                 .seed = r.seed,
                                 .stream = 0};
    const auto draws = attn::draw_batch(batch);
    if (!dump.empty()) {
      write_raw(dump + ".keys.f64", draws.keys);
      write_raw(dump + ".queries.f64", draws.queries);
    }
    const auto start = std::chrono::steady_clock::now();
    const auto stats = attn::softmax_stats(batch, draws, a, r.threads, r.device);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto& csv =
        r.csv({{"row"}, {"alpha"}, {"sum_p2"}, {"entropy"}, {"max_p"}, {"mass"}, {"max_score"}, {"mean_score"}});
    for (std::size_t i = 0; i < queries; ++i)
      for (std::size_t k = 0; k < a.size(); ++k) {
        const auto& s = stats[i * a.size() + k];
        csv.row({i, a[k], s.sum_p2, s.entropy, s.max_p, s.mass, s.max_score, s.mean_score});
      }
    const double scores = static_cast<double>(n) * static_cast<double>(queries);
    r.summary() << "attn-sweep stats: " << queries << " rows of " << n << " " << kind << " scores in d = " << d
                << " at " << a.size() << " scales on " << core::to_string(r.device) << " (" << r.threads
                << " threads): engine_seconds = " << core::format_sig(seconds, 4)
                << " scores_per_second = " << core::format_sig(scores / seconds, 4)
                << " gemm_gflops = " << core::format_sig(2.0 * static_cast<double>(d) * scores / seconds / 1e9, 4)
                << " exp_per_second = " << core::format_sig(scores * static_cast<double>(a.size()) / seconds, 4)
                << "\n";
  }

  static void write_raw(const std::string& path, const std::vector<double>& v) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(double)));
    if (!f) throw core::InputError("--dump: cannot write '" + path + "'");
  }
};

}  // namespace

namespace attn_tool {

std::vector<core::Command> softmax_commands() {
  return {
      core::command<Scale>(
          "scale", "the softmax scale alpha*(n) maximising the gradient; fits c1 sqrt(ln n) and c2 ln n",
          core::uses_threads | core::uses_seed | core::uses_device,
          "Columns: model (normal, cosine), d, n, alpha_approx / gradient_approx / sum_p2_approx (the mean-field\n"
          "approximation's optimum), then on the Monte Carlo n (nan elsewhere): alpha_mc_max (argmax of the exact\n"
          "mean of alpha (1 - sum p^2)) and its jackknife se, mc_max_interior (1: inside the scanned range\n"
          "alpha*/4 .. 16 alpha*), alpha_mc_95 (where the exact mean first reaches 95% of its maximum) and se,\n"
          "gradient_mc_at_approx and sum_p2_mc_at_approx (the exact values at the approximation's alpha*),\n"
          "c_approx and c_mc_95 (least squares through the origin on sqrt(ln n) or ln n), c_published.\n"
          "With --curves: model, n, alpha, alpha_over_approx, gradient_mc (exact mean) and its se, gradient_approx,\n"
          "sum_p2_mc, sum_p2_approx (inf / -inf where e^(alpha^2) overflows), on the Monte Carlo n only."),
      core::command<Sparsity>(
          "sparsity", "sparsity index S = E|a| / sqrt(E a^2): closed forms vs Monte Carlo and quadrature",
          core::uses_threads | core::uses_seed,
          "Columns: kernel (exp, identity, relu2, positive_linear, linear_rnn), beta, gamma (nan for linear_rnn),\n"
          "lambda (linear_rnn only), n (Monte Carlo keys, or the RNN's length), closed_form, estimate (Monte Carlo;\n"
          "the direct finite sum for linear_rnn; nan when no sample was nonzero), se, z = (estimate - closed_form) / "
          "se (nan when se = 0),\n"
          "se_reliable (0 where the se needs E a^4 ~ e^(8 gamma^2) > n samples: exp and positive_linear at large "
          "gamma),\n"
          "quadrature (Gauss-Kronrod for exp, identity, relu2; the closed form elsewhere).\n"
          "Exit code 1 after writing if an estimate lies beyond 4 se of its closed form."),
      core::command<Noise>(
          "noise", "how far i.i.d. score noise moves the softmax output, against n; the cosine entropy floor",
          core::uses_threads | core::uses_seed,
          "Columns: n, sigma, error_mean (mean ||o~ - o|| over trials), error_se, error_rms, rms_asymptote\n"
          "(sqrt(dv (e^(sigma^2) - 1) e / n)), the fitted exponent of error ~ n^k per sigma (n >= --fit-from) with\n"
          "its 95% interval (nan with fewer than 3 such n), expected_exponent (-1/2).\n"
          "With --floor: n, ln_n, found_gap (ln n - the least entropy BFGS found), at_top / at_bottom / interior\n"
          "(scores of that minimiser), two_level_gap and best_k (the best k scores at +1, the rest at -1), gap (the\n"
          "larger), min_entropy = ln n - gap, gap_limit (n -> inf), gap_published."),
      core::command<Stats>(
          "stats", "the softmax statistics engine on one batch of q.k scores (timing; CPU/GPU check)",
          core::uses_threads | core::uses_seed | core::uses_device,
          "Columns: row, alpha, sum_p2, entropy, max_p, mass (p of key 0 with --needle-rho), max_score, mean_score.\n"
          "The summary gives engine_seconds (statistics only, draws excluded), scores per second and GFLOP/s."),
  };
}

}  // namespace attn_tool
