// jl-entropy: the JL lemma and its tail lemmas (kexue.fm/archives/8679; Dasgupta & Gupta 2003), n > 8.33 ln N
// (kexue.fm/archives/7695, 8706) and the log n attention scale (kexue.fm/archives/8823). A thin driver: the
// option table, one call into lib/jl/study.hpp per subcommand, the CSV rows and the summary's wording.
#include <string>

#include "core/claims.hpp"
#include "core/cli.hpp"
#include "jl/claims.hpp"
#include "jl/study.hpp"

namespace {

struct Project {
  jl::ProjectStudyConfig config;
  void declare(core::Options& o) {
    o.integer("points", config.points, 2, 1u << 24, "N Gaussian points (ignored with --input)");
    o.integer("dim", config.dim, 1, jl::max_dim, "their dimension m (ignored with --input)");
    o.text("input", config.input, "FILE",
           "a CSV of vectors instead: a header row, then one point per row ('-': stdin)");
    o.integer_list("n", config.projection.dims, 1, jl::max_dim,
                   "target dimensions n, comma-separated (each in [1, 2^24])");
    o.real("eps", config.projection.eps, {0, 1, true, true}, "report the fraction of pairs within this distortion");
  }

  void run(core::Run& r) {
    config.projection.seed = r.seed, config.projection.threads = r.threads;
    const auto result = jl::project_study(config, r.ticker("project", config.projection.dims.size()));
    auto& csv = r.csv(jl::project_columns());
    for (const auto& w : result.rows)
      csv.row({w.n, result.points, w.pairs, config.projection.eps, w.within_eps, w.mean, w.q50, w.q90, w.q99, w.max,
               w.law_q50, w.law_q90, w.law_q99, w.ip_mean, w.ip_q50, w.ip_q99, w.ip_max, result.jl24});
    const auto& last = result.rows.back();
    auto& out = r.summary() << "jl-entropy project: " << result.points << " points in " << result.dim
                            << " dimensions projected to n = ";
    for (const char* comma = ""; auto n : config.projection.dims) out << comma << n, comma = ",";
    out << ". At n = " << last.n << " the median distance distortion is " << last.q50
        << " (chi-squared law of one pair: " << last.law_q50 << "), the largest " << last.max << "; "
        << 100 * last.within_eps << "% of pairs stay within eps = " << config.projection.eps
        << " (the JL bound asks for n > 24 ln N/eps^2 = " << result.jl24 << ").\n";
  }
};

struct MinDim {
  jl::MinDimConfig config;
  void declare(core::Options& o) {
    o.real("eps", config.eps, {0, 1, true, true}, "allowed distortion of every squared distance");
    o.real("delta", config.delta, {0, 1, true, true}, "allowed failure fraction of the trials");
    o.integer_list("points", config.points, 2, 1u << 24, "the numbers of points N, comma-separated (each >= 2)");
    o.integer("dim", config.dim, 1, jl::max_dim, "dimension m of the Gaussian points");
    o.integer("trials", config.trials, 1, 100000, "random projections per candidate n");
  }

  void run(core::Run& r) {
    config.seed = r.seed, config.threads = r.threads;
    const auto result = jl::min_dim_study(config, r.ticker("min-dim", config.points.size()), r.sweep());
    auto& csv = r.csv(jl::min_dim_columns());
    const auto& c = config;
    for (const auto& [w, ln_n, over_jl24, prediction] : result.rows)
      csv.row({w.points, ln_n, c.eps, c.delta, c.trials, w.n_min, w.success_at_min, w.success_below, w.evaluated,
               w.jl24, w.jl16, w.dg, w.entropy833, over_jl24, result.c, result.c_se, prediction});
    r.summary() << "jl-entropy min-dim: eps = " << c.eps << ", delta = " << c.delta << ", " << c.trials
                << " trials per n: the empirical minimum dimension is at most " << 100 * result.worst_over_jl24
                << "% of 24 ln N/eps^2 (" << (result.far_below ? "far below it, as published" : "NOT far below it")
                << "); fitted n_min ~ c ln N/eps^2 with c = " << result.c << " +- " << result.c_se
                << " (the bounds use 24, 16 and 4/(1/2 - eps/3) = " << result.dasgupta_gupta_factor << ").\n";
  }
};

template <jl::TailKind Kind>
struct Tail {
  static constexpr bool norm = Kind == jl::TailKind::norm;
  jl::TailConfig config{.kind = Kind};
  void declare(core::Options& o) { jl::declare_options(o, config); }

  void run(core::Run& r) {
    config.seed = r.seed, config.threads = r.threads;
    const auto result = jl::tail_bounds_study(config, r.ticker(norm ? "norm-tail" : "ortho-tail", 1), r.sweep());
    auto& csv = r.csv(jl::tail_columns(Kind));
    for (const auto& w : result.rows)
      csv.row({w.n, w.eps, w.exact, w.exact_abs_error, w.monte_carlo, w.mc_stderr, w.chernoff, w.chernoff_via_norm,
               w.bound, w.bound_holds});
    const auto& claim = core::find_claim(jl::claims(), jl::tail_claim_key(Kind));
    r.summary() << "jl-entropy " << (norm ? "norm-tail: P(| |u|^2 - 1 | >= eps)" : "ortho-tail: P(|<u, v>| >= eps)")
                << " for u" << (norm ? "" : ", v") << " with N(0, 1/n) entries at " << result.rows.size()
                << " (n, eps) points: exact "
                << (norm ? "(chi-squared CDF, Boost.Math)" : "(quadrature of the exact law)")
                << " <= Chernoff <= " << (norm ? "2" : "4") << " exp(-eps^2 n/8) "
                << (result.bounds_hold ? std::string("holds at every point")
                                       : "FAILS at " + std::to_string(result.failed_bounds) + " points")
                << " (published: " << claim.published << "). Monte Carlo (" << config.trials
                << " draws per n) lies within " << jl::mc_band_sigmas << " standard errors of the exact value at "
                << result.within_band << " of " << result.rows.size() << " points.\n";
    if (!result.bounds_hold) r.fail_after_writing("a bound is below the exact tail; see the bound_holds column");
  }
};

// The options entropy and positions share: the grid of key counts (`what` names it), the queries, the needle.
void declare_sweep(core::Options& o, jl::EntropyConfig& s, bool& needle, double& rho, const std::string& what) {
  o.integer("d", s.d, 1, 1u << 16, "key and query dimension d");
  o.integer("log2-from", s.log2_from, 1u, 30u, ("smallest " + what).c_str());
  o.integer("log2-to", s.log2_to, 1u, 30u, ("largest " + what).c_str());
  o.integer("work", s.work, 1, std::uint64_t{1} << 40, "queries per n = work/n, clamped to [min-queries, max-queries]");
  o.integer("min-queries", s.min_queries, 1, 1u << 24, "fewest queries per n");
  o.integer("max-queries", s.max_queries, 1, 1u << 24, "most queries per n");
  o.flag("needle", needle, "replace key 0 by a key correlated with the query and report its attention mass");
  o.real("rho", rho, {0, 1}, "the needle's correlation: key 0 = rho q + sqrt(1 - rho^2) z");
  o.require_order("log2-from", s.log2_from, "log2-to", s.log2_to);
  o.require_order("min-queries", s.min_queries, "max-queries", s.max_queries);
}

struct Entropy {
  jl::EntropyStudyConfig config;
  void declare(core::Options& o) {
    declare_sweep(o, config.sweep, config.needle, config.rho, "n = 2^k keys");
    o.real("kappa", config.sweep.kappa, {0, 1e6, true, false},
           "the scale kappa ln n/d (sqrt(d)/ln 512 gives log_512 n/sqrt d)");
  }

  void run(core::Run& r) {
    auto& s = config.sweep;
    s.seed = r.seed, s.threads = r.threads, s.device = r.device;
    const auto result = jl::entropy_study(config, r.ticker("entropy", s.keys().size()), r.sweep());
    auto& csv = r.csv(jl::entropy_columns());
    for (const auto& [w, ln_n, needle_rho, f] : result.rows)
      csv.row({w.n, ln_n, jl::to_string(w.scale), w.lambda, w.queries, w.entropy_mean, w.entropy_sd,
               w.entropy_over_ln_n, w.meanfield_mean, w.max_p_mean, needle_rho, w.needle_mass_mean, w.needle_mass_sd,
               f.slope, f.meanfield_slope, f.needle_slope});
    auto& out = r.summary() << "jl-entropy entropy: softmax over n = 2^" << s.log2_from << " .. 2^" << s.log2_to
                            << " Gaussian keys, d = " << s.d << ". Fitted dH/d ln n:";
    for (const auto& f : result.slopes)
      out << " " << jl::to_string(f.scale) << " " << f.slope << " (+- " << f.slope_se << "; mean-field estimate "
          << f.meanfield_slope << ");";
    out << " published: ~linear (slope " << core::find_claim(jl::claims(), "entropy_slope_inv_sqrt_d").published
        << ") under 1/sqrt(d) and far slower under log_512(n)/sqrt(d).";
    if (config.needle) {
      out << " Needle (rho = " << config.rho << ") mass ~ n^k with k:";
      for (const auto& f : result.slopes) out << " " << jl::to_string(f.scale) << " " << f.needle_slope << ";";
      out << " published: fades under 1/sqrt(d); kept under the log n scale.";
    }
    out << "\n";
  }
};

struct Dims {
  jl::DimsConfig config;
  void declare(core::Options& o) {
    o.integer_list("points", config.points, 2, 1000000000000000000ull,
                   "numbers of points (tokens) N, comma-separated (each in [2, 10^18])");
    o.real("eps", config.eps, {0, 1, true, true}, "distortion for the JL bounds");
    o.integer("d", config.d, 1, 1u << 20, "head size tuned at n = 512, for d log_512 N");
  }

  void run(core::Run& r) {
    const auto rows = jl::dims_study(config);
    auto& csv = r.csv(jl::dims_columns());
    for (const auto& w : rows)
      csv.row({w.n, w.ln_n, w.entropy833, w.jl24, w.jl16, w.dasgupta_gupta, config.eps, w.log512, w.d_log512});
    auto& out = r.summary() << "jl-entropy dims: 8.33 ln N =";
    for (const auto& w : rows) out << " " << w.entropy833 << " (N = " << w.n << ")";
    out << "; published (" << core::find_claim(jl::claims(), jl::dims_claim_keys[0]).source << "): ";
    for (const char* semicolon = ""; auto key : jl::dims_claim_keys)
      out << semicolon << core::find_claim(jl::claims(), key).published, semicolon = "; ";
    out << " for N = 512; 10^5; 5*10^6. The JL bound 24 ln N/eps^2 at eps = " << config.eps << " asks for "
        << rows[0].jl24 << " dimensions for N = " << rows[0].n << "; d log_512 N rescales a head of size " << config.d
        << " tuned at N = 512.\n";
  }
};

constexpr auto threads_seed = core::uses_threads | core::uses_seed;
constexpr auto sharded = threads_seed | core::uses_shards;
const char* const tail_notes = "Exit code 1 after writing if a bound is below the exact tail.";

struct Positions {
  jl::PositionsConfig config;
  void declare(core::Options& o) {
    declare_sweep(o, config.sweep, config.needle, config.rho,
                  "query position i = 2^k (largest: the sequence length L)");
    o.real("train-length", config.train_length, {2, 1e300},
           "T of the per-position scale max(1, log_T i)/sqrt(d): 512 is the article's; Qwen uses its training length");
  }

  void run(core::Run& r) {
    auto& s = config.sweep;
    s.seed = r.seed, s.threads = r.threads, s.device = r.device;
    const auto result = jl::positions_study(config, r.ticker("positions", s.keys().size()), r.sweep());
    auto& csv = r.csv(jl::positions_columns());
    for (const auto& [w, scale, ln_i, needle_rho] : result.rows)
      csv.row({w.n, ln_i, jl::to_string(scale), w.lambda, w.queries, w.entropy_mean, w.entropy_sd, w.entropy_over_ln_n,
               w.max_p_mean, needle_rho, w.needle_mass_mean, w.needle_mass_sd});
    auto& out = r.summary() << "jl-entropy positions: a causal sequence of L = " << result.length
                            << " tokens, d = " << s.d << "; entropy / ln i at positions " << s.keys().front() << " and "
                            << result.length << " (needle mass with --needle):";
    // Position-major rows, one per scale: the first position's are the first, the last position's the last.
    const std::size_t scales = std::size(jl::all_position_scales);
    for (std::size_t k = 0; k < scales; ++k) {
      const auto& first = result.rows[k];
      const auto& last = result.rows[result.rows.size() - scales + k];
      out << " " << jl::to_string(first.scale) << " " << core::format_sig(first.row.entropy_over_ln_n, 3) << " -> "
          << core::format_sig(last.row.entropy_over_ln_n, 3);
      if (config.needle)
        out << " (mass " << core::format_sig(first.row.needle_mass_mean, 3) << " -> "
            << core::format_sig(last.row.needle_mass_mean, 3) << ")";
      out << ";";
    }
    out << " (the constant scale is log_512(L)/sqrt(d) at every position; the per-position one is 1/sqrt(d) up to "
           "T = "
        << core::format_double(config.train_length) << " and log_T(i)/sqrt(d) beyond).\n";
  }
};

const core::Command commands[] = {
    core::command<Project>("project",
                           "project N points to n dims: distance distortion and inner-product error quantiles",
                           threads_seed, {{"", jl::project_columns()}}),
    core::command<MinDim>("min-dim",
                          "the smallest n keeping every pair within eps, against the JL bounds and 8.33 ln N", sharded,
                          {{"", jl::min_dim_columns()}}),
    core::command<Tail<jl::TailKind::norm>>(
        "norm-tail", "P(| |u|^2 - 1 | >= eps): exact chi-squared, Monte Carlo, Chernoff, 2 exp(-eps^2 n/8)", sharded,
        {{"", jl::tail_columns(jl::TailKind::norm)}}, tail_notes),
    core::command<Tail<jl::TailKind::ortho>>("ortho-tail",
                                             "P(|<u, v>| >= eps): exact law, Monte Carlo, Chernoff, 4 exp(-eps^2 n/8)",
                                             sharded, {{"", jl::tail_columns(jl::TailKind::ortho)}}, tail_notes),
    core::command<Entropy>("entropy",
                           "attention entropy against n under 1/sqrt(d), log_512(n)/sqrt(d) and kappa ln n/d",
                           sharded | core::uses_device, {{"", jl::entropy_columns()}}),
    core::command<Positions>("positions",
                             "entropy and needle mass against the query position of a causal sequence: constant "
                             "log_512(L)/sqrt(d) against Qwen-style max(1, log_T i)/sqrt(d)",
                             sharded | core::uses_device, {{"", jl::positions_columns()}}),
    core::command<Dims>("dims", "dimension formulas side by side: 8.33 ln N, the JL bounds, d log_512 N",
                        core::no_features, {{"", jl::dims_columns()}}),
    core::reproduce_command(jl::reproduce, {jl::claims()}),
};

}  // namespace

int main(int argc, char** argv) {
  const core::ToolInfo tool{
      "jl-entropy", "Johnson-Lindenstrauss experiments and the log n (entropy-invariant) attention scale",
      "Random Gaussian projections (Eigen), exact tails (Boost.Math), the softmax statistics engine of lib/attn."};
  return core::run_tool(tool, commands, argc, argv);
}
