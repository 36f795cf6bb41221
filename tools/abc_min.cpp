// abc-min: the minimum of a + b + c over natural numbers with N = a·b + c (kexue.fm/archives/9775).
// A thin driver: options bound to lib/abc's configs, one study call per subcommand, the rows, the summaries.
#include <unistd.h>

#include <iostream>
#include <string>

#include "abc/claims.hpp"
#include "abc/min_sum.hpp"
#include "abc/study.hpp"
#include "core/claims.hpp"
#include "core/cli.hpp"

namespace {

using abc::Method;
using core::to_string;
using core::u128;

struct Solve {
  abc::SolveConfig config;

  void declare(core::Options& o) { abc::declare_options(o, config); }

  void run(core::Run& r) {
    const auto numbers = abc::solve_inputs(config, std::cin);
    const auto result = abc::solve_study(numbers, config.method, r.ticker("solve", numbers.size()));
    const std::string_view method = abc::to_string(result.method);
    auto& csv = r.csv(abc::solve_columns());
    for (const auto& [n, s, naive] : result.rows) csv.row({n, s.a, s.b, s.c, s.sum, method, s.candidates, naive});
    auto& out = r.summary();
    if (result.rows.size() > 1) {
      out << "abc-min solve: " << result.rows.size() << " numbers solved exactly with the " << method << " method, "
          << result.candidates << " candidates examined in all.\n";
      return;
    }
    const auto& [n, s, naive] = result.rows[0];
    out << "abc-min solve: N = " << to_string(n) << ": a = " << to_string(s.a) << ", b = " << to_string(s.b)
        << ", c = " << to_string(s.c) << ", S = " << to_string(s.sum) << " (" << method << " method, " << s.candidates
        << " candidates; the naive guess gives S = " << to_string(naive) << ").";
    if (config.numbers.empty() && ::isatty(STDIN_FILENO) == 0)
      out << " (No N given, so the published example; 'abc-min solve -' reads N from stdin.)";
    if (result.reproduces_published) {
      const auto& triple = core::find_claim(abc::claims(), "n130_triple");
      const auto& naive_guess = core::find_claim(abc::claims(), "n130_naive");
      out << " Published (" << triple.source << "): " << triple.published << ", naive " << naive_guess.published
          << " -- " << (*result.reproduces_published ? "reproduced." : "NOT reproduced.");
    }
    out << "\n";
  }
};

struct Sweep {
  abc::SweepConfig config;

  void declare(core::Options& o) {
    o.integer("from", config.from, 0, abc::max_n, "first N");
    o.integer("to", config.to, 0, abc::max_n, "last N (at most 10^7 values per sweep)");
    o.choice_list("methods", config.methods, abc::exact_methods,
                  "methods to compare with auto; default: each whose sweep limit covers --to: brute 10^6, "
                  "sqrt 10^14, quarter 10^24, pruned always");
    o.require_order("from", config.from, "to", config.to);
    o.check([this] { abc::check_sweep(config); });
  }

  void run(core::Run& r) {
    config.threads = r.threads;
    auto& csv = r.csv(abc::sweep_columns());
    const auto write_row = [&csv](u128 n, const abc::Comparison& c) {
      csv.row({n, c.solution.a, c.solution.b, c.solution.c, c.solution.sum, c.gap, c.naive, c.differ.empty(),
               abc::method_names(c.agree, "|")});
    };
    const auto result = abc::sweep_study(config, write_row, r.ticker("sweep", config.values()), r.sweep());
    auto& out = r.summary();
    out << "abc-min sweep: N = " << to_string(config.from) << " .. " << to_string(config.to) << ", methods "
        << (result.methods.empty() ? std::string("none") : abc::method_names(result.methods, ", "))
        << " compared with auto: "
        << (result.disagreements ? std::to_string(result.disagreements) + " DISAGREE"
                                 : std::string("all agree on every N"))
        << ". The naive guess misses the minimum on " << result.naive_misses << " of " << result.values
        << " N; S - 2 sqrt(N) lies in [" << result.gap_min << ", " << result.gap_max << "].";
    if (const auto& ex = abc::published_example; result.reproduces_published)
      out << " N = " << to_string(ex.n) << (*result.reproduces_published ? " gives" : " does NOT give")
          << " S = " << to_string(ex.minimum.sum) << " as published (a = " << to_string(ex.minimum.a)
          << ", b = " << to_string(ex.minimum.b) << ").";
    out << "\n";
    if (result.disagreements)
      r.fail_after_writing("methods disagree on " + std::to_string(result.disagreements) + " values of N (first: N = " +
                           to_string(result.first_disagreeing_n) + "); see the all_agree column");
  }
};

// The options `scaling` and `gaps` share: which random N they draw.
void declare_decades(core::Options& o, abc::RandomDecades& d, const char* samples_help) {
  o.integer("from-exp", d.from_exponent, 0u, 38u, "first decade: N drawn from [10^k, 10^(k+1))");
  o.integer("to-exp", d.to_exponent, 0u, 38u, "last decade (N capped at 2^127-1)");
  o.integer("samples", d.samples, 1u, 1000000u, samples_help);
  o.require_order("from-exp", d.from_exponent, "to-exp", d.to_exponent);
}

struct Scaling {
  abc::ScalingConfig config;

  void declare(core::Options& o) {
    declare_decades(o, config.decades, "random N per decade, shared by every method");
    o.integer("brute-max", config.max_n[0], 0, abc::method_limit(Method::brute), "skip brute above this N");
    o.integer("sqrt-max", config.max_n[1], 0, abc::method_limit(Method::sqrt), "skip sqrt above this N");
    o.integer("quarter-max", config.max_n[2], 0, abc::method_limit(Method::quarter), "skip quarter above this N");
    o.integer("pruned-max", config.max_n[3], 0, abc::max_n, "skip pruned above this N");
    o.integer("fit-from", config.fit_from, 1, abc::max_n, "fit work ~ N^k on N >= this");
  }

  void run(core::Run& r) {
    config.decades.seed = r.seed;
    config.decades.threads = r.threads;
    const auto result = abc::scaling_study(config, r.ticker("scaling", abc::scaling_jobs(config)), r.sweep());
    auto& csv = r.csv(abc::scaling_columns());
    for (const auto& row : result.rows)
      csv.row({abc::to_string(row.method), row.decade, row.n, row.candidates, row.seconds, row.sum, row.gap,
               row.fit_exponent, row.fit_exponent_lo95, row.fit_exponent_hi95, row.expected_exponent});
    auto& out = r.summary();
    out << "abc-min scaling: candidates examined ~ N^k, fitted on N >= " << core::describe_integer(config.fit_from)
        << ":";
    for (const auto& f : result.fits)
      out << "\n  " << abc::to_string(f.method) << ": k = " << f.fit.exponent << " (95% CI " << f.fit.exponent_lo95
          << " .. " << f.fit.exponent_hi95 << ", " << f.fit.points << " N); "
          << (f.derived ? "derivation " + core::format_double(f.expected)
                        : "no derivation, heuristic 1/6 (see abc-min gaps)");
    out << "\n";
  }
};

struct Gaps {
  abc::GapConfig config;

  void declare(core::Options& o) {
    declare_decades(o, config.decades, "random N per decade");
    o.integer("fit-from", config.fit_from, 1, abc::max_n, "fit S - 2 sqrt(N) ~ N^k on N >= this");
  }

  void run(core::Run& r) {
    config.decades.seed = r.seed;
    config.decades.threads = r.threads;
    const auto result = abc::gap_study(config, r.ticker("gaps", config.decades.count()), r.sweep());
    auto& csv = r.csv(abc::gap_columns());
    for (const auto& g : result.rows)
      csv.row({g.decade, g.samples, g.min, g.q10, g.median, g.q90, g.max, g.median_gap_over_n_1_6,
               g.median_gap_over_n_1_4, g.max_gap_over_window_bound, g.p_not_above_2sqrtN});
    auto& out = r.summary();
    const auto& d = config.decades;
    out << "abc-min gaps: S - 2 sqrt(N) over " << d.samples << " random N per decade, 10^" << d.from_exponent
        << " .. 10^" << d.end_exponent() << ".";
    if (result.fit)
      out << " Fitted growth: S - 2 sqrt(N) ~ N^" << result.fit->exponent << " (95% CI " << result.fit->exponent_lo95
          << " .. " << result.fit->exponent_hi95 << "; heuristic 1/6 = 0.1667, the derivation's window N^(1/4)).";
    const auto& w = result.window;
    out << " Largest gap relative to the window bound 2 + sqrt(1 + 4 sqrt N): " << w.max_gap_over_window_bound
        << (w.upper_failures == 0 ? " (within it, as derived)." : " (OUTSIDE the derived window).") << " "
        << w.published_lower_failures << " of " << w.checked
        << " minima have p = a + b <= 2 sqrt N, below the published window (the derivation's separate candidate "
           "p = floor(2 sqrt N))"
        << (w.corrected_lower_failures ? "; " + std::to_string(w.corrected_lower_failures) + " even below that!" : "")
        << ".\n";
    if (!w.corrected_holds())
      r.fail_after_writing("a minimum lies outside floor(2 sqrt N) <= p <= 2 sqrt N + 2 + sqrt(1 + 4 sqrt N)");
  }
};

const core::Command commands[] = {
    core::command<Solve>("solve", "exact a, b, c and the minimum S for each N", core::no_features,
                         {{"", abc::solve_columns()}}),
    core::command<Sweep>("sweep", "one row per N in a range; do all methods agree?",
                         core::uses_threads | core::uses_shards, {{"", abc::sweep_columns()}},
                         "Exit code 1 after writing if any method disagrees."),
    core::command<Scaling>("scaling", "work (candidates) and time per method against N, with fitted exponents",
                           core::uses_threads | core::uses_seed | core::uses_shards, {{"", abc::scaling_columns()}}),
    core::command<Gaps>("gaps", "how far S(N) sits above 2 sqrt(N): quantiles per decade and the growth exponent",
                        core::uses_threads | core::uses_seed | core::uses_shards, {{"", abc::gap_columns()}},
                        "Exit code 1 after writing if a minimum lies outside the derived window."),
    core::reproduce_command(abc::reproduce, {abc::claims()}),
};

}  // namespace

int main(int argc, char** argv) {
  const core::ToolInfo tool{
      "abc-min", "the minimum of a + b + c over natural numbers with N = a*b + c",
      "Exact unsigned 128-bit arithmetic, N up to 2^127-1. Tie rule: smallest S, then smallest c, a <= b."};
  return core::run_tool(tool, commands, argc, argv);
}
