// jl-entropy: Johnson–Lindenstrauss experiments and the log n attention scale (../shared/spec/jl-entropy.md).
// A thin driver: parses the command line, calls lib/jl, writes CSV rows and a summary.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "core/claims.hpp"
#include "core/cli.hpp"
#include "core/errors.hpp"
#include "jl/claims.hpp"
#include "jl/entropy.hpp"
#include "jl/projection.hpp"
#include "jl/tails.hpp"

namespace {

constexpr std::size_t max_dim = 1u << 24;

struct Project {
  std::uint64_t points = 200, dim = 1000;
  std::string input, dims = "8,16,32,64,128,256,512";
  double eps = 0.1;

  void declare(core::Options& o) {
    o.integer("points", points, 2, 1u << 24, "N Gaussian points (ignored with --input)");
    o.integer("dim", dim, 1, max_dim, "their dimension m (ignored with --input)");
    o.text("input", input, "FILE", "a CSV of vectors instead: a header row, then one point per row ('-': stdin)");
    o.text("n", dims, "LIST", "target dimensions n, comma-separated (each in [1, 2^24])");
    o.real("eps", eps, {0, 1, true, true}, "report the fraction of pairs within this distortion");
  }

  void run(core::Run& r) {
    jl::ProjectConfig c;
    const auto ns = core::parse_integer_list("--n", dims, 1, max_dim);
    c.dims.assign(ns.begin(), ns.end());
    c.eps = eps;
    c.seed = r.seed;
    c.threads = r.threads;
    const std::size_t largest = *std::max_element(c.dims.begin(), c.dims.end());
    jl::Points x;
    if (input.empty()) {
      jl::check_projection_fits(points, dim, largest);
      x = jl::gaussian_points(points, dim, r.seed, 0);
    } else {
      x = jl::points_from_table(core::read_csv_file(input, "--input"), "--input " + input);
      jl::check_projection_fits(static_cast<std::size_t>(x.cols()), static_cast<std::size_t>(x.rows()), largest);
    }
    auto& progress = r.progress("project", c.dims.size());
    const auto rows = jl::distortion_sweep(x, c);
    progress.advance(c.dims.size());
    auto& csv = r.csv({{"n"},
                       {"points"},
                       {"pairs"},
                       {"eps"},
                       {"within_eps"},
                       {"distortion_mean"},
                       {"distortion_q50"},
                       {"distortion_q90"},
                       {"distortion_q99"},
                       {"distortion_max"},
                       {"chi2_q50"},
                       {"chi2_q90"},
                       {"chi2_q99"},
                       {"ip_error_mean"},
                       {"ip_error_q50"},
                       {"ip_error_q99"},
                       {"ip_error_max"},
                       {"jl24_dims"}});
    const double jl24 = jl::jl_bound_24(static_cast<double>(x.cols()), eps);
    for (const auto& w : rows)
      csv.row({w.n, static_cast<std::size_t>(x.cols()), w.pairs, eps, w.within_eps, w.mean, w.q50, w.q90, w.q99, w.max,
               w.law_q50, w.law_q90, w.law_q99, w.ip_mean, w.ip_q50, w.ip_q99, w.ip_max, jl24});
    const auto& last = rows.back();
    r.summary() << "jl-entropy project: " << x.cols() << " points in " << x.rows()
                << " dimensions projected to n = " << dims << ". At n = " << last.n
                << " the median distance distortion is " << last.q50
                << " (chi-squared law of one pair: " << last.law_q50 << "), the largest " << last.max << "; "
                << 100 * last.within_eps << "% of pairs stay within eps = " << eps
                << " (the JL bound asks for n > 24 ln N/eps^2 = " << jl24 << ").\n";
  }
};

struct MinDim {
  jl::MinDimConfig c;
  std::string points = "10,30,100,300,1000";

  void declare(core::Options& o) {
    o.real("eps", c.eps, {0, 1, true, true}, "allowed distortion of every squared distance");
    o.real("delta", c.delta, {0, 1, true, true}, "allowed failure fraction of the trials");
    o.text("points", points, "LIST", "the numbers of points N, comma-separated (each >= 2)");
    o.integer("dim", c.dim, 1, max_dim, "dimension m of the Gaussian points");
    o.integer("trials", c.trials, 1, 100000, "random projections per candidate n");
  }

  void run(core::Run& r) {
    const auto ns = core::parse_integer_list("--points", points, 2, 1u << 24);
    c.points.assign(ns.begin(), ns.end());
    c.seed = r.seed;
    c.threads = r.threads;
    for (std::size_t n : c.points)
      jl::check_projection_fits(n, c.dim, static_cast<std::size_t>(std::ceil(jl::jl_bound_24(n, c.eps))));
    auto& progress = r.progress("min-dim", c.points.size());
    const auto res = jl::min_dimension(c, [&] { progress.advance(); });
    auto& csv = r.csv({{"N"},
                       {"ln_N"},
                       {"eps"},
                       {"delta"},
                       {"trials"},
                       {"n_min"},
                       {"success_at_min"},
                       {"success_below"},
                       {"n_evaluated"},
                       {"jl24"},
                       {"jl16"},
                       {"dasgupta_gupta"},
                       {"entropy_833"},
                       {"n_min_over_jl24"},
                       {"c_fit"},
                       {"c_fit_se"},
                       {"c_fit_prediction"}});
    double worst = 0;
    for (const auto& w : res.rows) {
      const double ln_n = std::log(static_cast<double>(w.points));
      worst = std::max(worst, static_cast<double>(w.n_min) / w.jl24);
      csv.row({w.points, ln_n, c.eps, c.delta, c.trials, w.n_min, w.success_at_min, w.success_below, w.evaluated,
               w.jl24, w.jl16, w.dg, w.entropy833, static_cast<double>(w.n_min) / w.jl24, res.c, res.c_se,
               res.c * ln_n / (c.eps * c.eps)});
    }
    r.summary() << "jl-entropy min-dim: eps = " << c.eps << ", delta = " << c.delta << ", " << c.trials
                << " trials per n: the empirical minimum dimension is at most " << 100 * worst
                << "% of 24 ln N/eps^2 (far below it, as published); fitted n_min ~ c ln N/eps^2 with c = " << res.c
                << " +- " << res.c_se << " (the bounds use 24, 16 and 4/(1/2 - eps/3) = " << 4 / (0.5 - c.eps / 3)
                << ").\n";
  }
};

template <jl::TailKind Kind>
struct Tail {
  jl::TailConfig c;
  std::string dims = "4,8,16,32,64,128,256,512,1024", eps = "0.1,0.25,0.5,0.75";

  void declare(core::Options& o) {
    o.text("n", dims, "LIST", "dimensions n, comma-separated (each in [1, 2^20])");
    o.text("eps", eps, "LIST", "deviations eps, comma-separated (each in (0, 1))");
    o.integer("trials", c.trials, 1, 100000000, "Monte Carlo draws per n");
  }

  void run(core::Run& r) {
    c.kind = Kind;
    const auto ns = core::parse_integer_list("--n", dims, 1, 1u << 20);
    c.dims.assign(ns.begin(), ns.end());
    c.eps = core::parse_real_list("--eps", eps, {0, 1, true, true});
    c.seed = r.seed;
    c.threads = r.threads;
    auto& progress = r.progress(Kind == jl::TailKind::norm ? "norm-tail" : "ortho-tail", 1);
    const auto rows = jl::tail_study(c);
    progress.advance();
    auto& csv = r.csv({{"n"},
                       {"eps"},
                       {"exact"},
                       {"exact_abs_error"},
                       {"monte_carlo"},
                       {"mc_stderr"},
                       {"chernoff"},
                       {"chernoff_via_norm"},
                       {"bound"},
                       {"bound_holds"}});
    std::size_t outliers = 0;
    for (const auto& w : rows) {
      csv.row({w.n, w.eps, w.exact, w.exact_abs_error, w.monte_carlo, w.mc_stderr, w.chernoff, w.chernoff_via_norm,
               w.bound, w.bound_holds});
      // Monte Carlo against the exact law: a 4-sigma band (with one hit of slack for tiny probabilities).
      const double se = std::sqrt(w.exact * (1 - w.exact) / static_cast<double>(c.trials));
      outliers += std::abs(w.monte_carlo - w.exact) > 4 * se + 1.0 / static_cast<double>(c.trials);
    }
    const auto failed = jl::failed_bounds(rows);
    const bool norm = Kind == jl::TailKind::norm;
    auto& out = r.summary();
    out << "jl-entropy " << (norm ? "norm-tail: P(| |u|^2 - 1 | >= eps)" : "ortho-tail: P(|<u, v>| >= eps)") << " for u"
        << (norm ? "" : ", v") << " with N(0, 1/n) entries at " << rows.size() << " (n, eps) points: exact "
        << (norm ? "(chi-squared CDF, Boost.Math)" : "(quadrature of the exact law)")
        << " <= Chernoff <= " << (norm ? "2" : "4") << " exp(-eps^2 n/8) "
        << (failed ? "FAILS at " + std::to_string(failed) + " points" : std::string("holds at every point"))
        << " (published: holds). Monte Carlo (" << c.trials
        << " draws per n) lies within 4 standard errors of the exact "
        << "value at " << rows.size() - outliers << " of " << rows.size() << " points.\n";
    if (failed) r.fail_after_writing("a bound is below the exact tail; see the bound_holds column");
  }
};

struct Entropy {
  jl::EntropyConfig c;
  bool needle = false;
  double rho = 0.9;
  std::string device = "cpu";

  void declare(core::Options& o) {
    o.integer("d", c.d, 1, 1u << 16, "key and query dimension d");
    o.integer("log2-from", c.log2_from, 1u, 30u, "smallest n = 2^k keys");
    o.integer("log2-to", c.log2_to, 1u, 30u, "largest n = 2^k keys");
    o.real("kappa", c.kappa, {0, 1e6, true, false}, "the scale kappa ln n/d (sqrt(d)/ln 512 gives log_512 n/sqrt d)");
    o.integer("work", c.work, 1, std::uint64_t{1} << 40,
              "queries per n = work/n, clamped to [min-queries, max-queries]");
    o.integer("min-queries", c.min_queries, 1, 1u << 24, "fewest queries per n");
    o.integer("max-queries", c.max_queries, 1, 1u << 24, "most queries per n");
    o.flag("needle", needle, "replace key 0 by a key correlated with the query and report its attention mass");
    o.real("rho", rho, {0, 1}, "the needle's correlation: key 0 = rho q + sqrt(1 - rho^2) z");
  }

  void run(core::Run& r) {
    if (c.log2_from > c.log2_to)
      throw core::InputError("--log2-from: must not exceed --log2-to, got " + std::to_string(c.log2_from) + " > " +
                             std::to_string(c.log2_to));
    if (c.min_queries > c.max_queries)
      throw core::InputError("--min-queries: must not exceed --max-queries, got " + std::to_string(c.min_queries) +
                             " > " + std::to_string(c.max_queries));
    c.needle_rho = needle ? rho : -1;
    c.seed = r.seed;
    c.threads = r.threads;
    c.device = r.device;
    auto& progress = r.progress("entropy", c.keys().size());
    const auto res = jl::entropy_sweep(c, [&] { progress.advance(); });
    auto& csv = r.csv({{"n"},
                       {"ln_n"},
                       {"scale"},
                       {"lambda"},
                       {"queries"},
                       {"entropy_mean"},
                       {"entropy_sd"},
                       {"entropy_over_ln_n"},
                       {"meanfield"},
                       {"max_p_mean"},
                       {"needle_rho"},
                       {"needle_mass_mean"},
                       {"needle_mass_sd"},
                       {"slope_dH_dln_n"},
                       {"meanfield_slope"},
                       {"needle_log_slope"}});
    auto fit = [&](jl::Scale s) {
      return *std::find_if(res.slopes.begin(), res.slopes.end(), [s](const auto& f) { return f.scale == s; });
    };
    for (const auto& w : res.rows) {
      const auto f = fit(w.scale);
      csv.row({w.n, std::log(static_cast<double>(w.n)), jl::to_string(w.scale), w.lambda, w.queries, w.entropy_mean,
               w.entropy_sd, w.entropy_over_ln_n, w.meanfield_mean, w.max_p_mean, needle ? rho : 0.0,
               w.needle_mass_mean, w.needle_mass_sd, f.slope, f.meanfield_slope, f.needle_slope});
    }
    auto& out = r.summary();
    out << "jl-entropy entropy: softmax over n = 2^" << c.log2_from << " .. 2^" << c.log2_to
        << " Gaussian keys, d = " << c.d << ". Fitted dH/d ln n:";
    for (const auto& f : res.slopes)
      out << " " << jl::to_string(f.scale) << " " << f.slope << " (+- " << f.slope_se << "; mean-field estimate "
          << f.meanfield_slope << ");";
    out << " published: ~linear (slope 1) under 1/sqrt(d) and far slower under log_512(n)/sqrt(d).";
    if (needle) {
      out << " Needle (rho = " << rho << ") mass ~ n^k with k:";
      for (const auto& f : res.slopes) out << " " << jl::to_string(f.scale) << " " << f.needle_slope << ";";
      out << " published: fades under 1/sqrt(d); kept under the log n scale.";
    }
    out << "\n";
  }
};

struct Dims {
  std::string points = "512,100000,5000000";
  double eps = 0.1;
  std::uint64_t d = 64;

  void declare(core::Options& o) {
    o.text("points", points, "LIST", "numbers of points (tokens) N, comma-separated (each in [2, 10^18])");
    o.real("eps", eps, {0, 1, true, true}, "distortion for the JL bounds");
    o.integer("d", d, 1, 1u << 20, "head size tuned at n = 512, for d log_512 N");
  }

  void run(core::Run& r) {
    const auto ns = core::parse_integer_list("--points", points, 2, 1000000000000000000ull);
    auto& csv = r.csv({{"N"},
                       {"ln_N"},
                       {"entropy_833"},
                       {"jl24"},
                       {"jl16"},
                       {"dasgupta_gupta"},
                       {"eps"},
                       {"log512_N"},
                       {"d_log512_N"}});
    for (auto n : ns) {
      const auto x = static_cast<double>(n);
      csv.row({n, std::log(x), jl::entropy_dimension(x), jl::jl_bound_24(x, eps), jl::jl_bound_16(x, eps),
               jl::dasgupta_gupta_bound(x, eps), eps, jl::log512_factor(x),
               static_cast<double>(d) * jl::log512_factor(x)});
    }
    auto& out = r.summary();
    out << "jl-entropy dims: 8.33 ln N =";
    for (auto n : ns) out << " " << jl::entropy_dimension(static_cast<double>(n)) << " (N = " << n << ")";
    const auto& c = core::find_claim(jl::claims(), "dim_512");
    out << "; published (" << c.source
        << "): 52; 96; 128 for N = 512; 10^5; 5*10^6. The JL bound 24 ln N/eps^2 at eps = " << eps << " asks for "
        << jl::jl_bound_24(static_cast<double>(ns[0]), eps) << " dimensions for N = " << ns[0]
        << "; d log_512 N rescales a head of size " << d << " tuned at N = 512.\n";
  }
};

const core::Command commands[] = {
    core::command<Project>(
        "project", "project N points to n dims: distance distortion and inner-product error quantiles",
        core::uses_threads | core::uses_seed,
        "Columns: n, points, pairs, eps, within_eps (fraction of pairs with distortion <= eps), distortion_*\n"
        "(|‖Av_i - Av_j‖²/‖v_i - v_j‖² - 1| over all pairs: mean, quantiles, max), chi2_q* (the same quantiles of\n"
        "one pair's exact law |chi2_n/n - 1|), ip_error_* (|<Au_i, Au_j> - <u_i, u_j>| for unit u), jl24_dims."),
    core::command<MinDim>(
        "min-dim", "the smallest n keeping every pair within eps, against the JL bounds and 8.33 ln N",
        core::uses_threads | core::uses_seed,
        "Columns: N, ln_N, eps, delta, trials, n_min (bisection: smallest n with success >= 1 - delta),\n"
        "success_at_min, success_below (at n_min - 1), n_evaluated, jl24, jl16, dasgupta_gupta, entropy_833,\n"
        "n_min_over_jl24, c_fit and c_fit_se (n_min ~ c ln N/eps^2 over all N), c_fit_prediction."),
    core::command<Tail<jl::TailKind::norm>>(
        "norm-tail", "P(| |u|^2 - 1 | >= eps): exact chi-squared, Monte Carlo, Chernoff, 2 exp(-eps^2 n/8)",
        core::uses_threads | core::uses_seed,
        "Columns: n, eps, exact (Boost.Math regularised incomplete gamma), exact_abs_error (0),\n"
        "monte_carlo, mc_stderr, chernoff (both sides), chernoff_via_norm (= chernoff), bound, bound_holds."),
    core::command<Tail<jl::TailKind::ortho>>(
        "ortho-tail", "P(|<u, v>| >= eps): exact law, Monte Carlo, Chernoff, 4 exp(-eps^2 n/8)",
        core::uses_threads | core::uses_seed,
        "Columns: n, eps, exact (exp_sinh quadrature of the law of (chi2_n - chi2_n)/2n), exact_abs_error\n"
        "(the quadrature's estimate), monte_carlo, mc_stderr, chernoff (direct, optimal t), chernoff_via_norm\n"
        "(the proof's 2 x norm Chernoff), bound, bound_holds (exact <= both Chernoff forms <= bound)."),
    core::command<Entropy>(
        "entropy", "attention entropy against n under 1/sqrt(d), log_512(n)/sqrt(d) and kappa ln n/d",
        core::uses_threads | core::uses_seed | core::uses_device,
        "Columns: n, ln_n, scale, lambda, queries, entropy_mean, entropy_sd, entropy_over_ln_n, meanfield\n"
        "(mean of ln n - lambda (s_max - s_mean)), max_p_mean, needle_rho (0 without --needle),\n"
        "needle_mass_mean, needle_mass_sd, slope_dH_dln_n, meanfield_slope and needle_log_slope (d ln mass/d ln n):\n"
        "least-squares fits over the grid, per scale."),
    core::command<Dims>("dims", "dimension formulas side by side: 8.33 ln N, the JL bounds, d log_512 N",
                        core::no_features,
                        "Columns: N, ln_N, entropy_833, jl24, jl16, dasgupta_gupta, eps, log512_N, d_log512_N."),
    core::reproduce_command(jl::reproduce, {jl::claims()}),
};

}  // namespace

int main(int argc, char** argv) {
  const core::ToolInfo tool{
      "jl-entropy", "Johnson-Lindenstrauss experiments and the log n (entropy-invariant) attention scale",
      "Random Gaussian projections (Eigen), exact tails (Boost.Math), the softmax statistics engine of lib/attn."};
  return core::run_tool(tool, commands, argc, argv);
}
