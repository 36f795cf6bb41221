// attn-sweep's RoPE subcommands (Men et al. 2024, Base of RoPE Bounds Context Length): rope-base (the
// smallest base per context length, certified; the check of a given base) and rope-curves (f_b(m) against
// m). The studies are lib/rope/study.hpp; here are the option tables, the rows and the summaries' wording.
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/parse.hpp"
#include "rope/study.hpp"
#include "tools/attn_sweep.hpp"

namespace attn_tool {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr core::Interval positive{0, std::numeric_limits<double>::infinity(), true, true};
// What rope-base writes where L was not certified, or the paper has no entry.
const rope::Certificate uncertified{.b_lo = nan, .b_hi = nan, .at_hi = {.min_f = nan}, .error_bound = nan};
const rope::PaperCheck no_paper_entry{.b = nan, .scan = {.min_f = nan}};

struct RopeBase {
  rope::BaseConfig config;

  void declare(core::Options& o) {
    rope::declare_options(o, config);
    o.integer("cert-parts", config.cert_parts, 1u, rope::certificate_chunks,
              "cut each certificate into this many parts, a point of the sweep each (for --shard; the CSV is the "
              "same for every value)");
  }

  void run(core::Run& r) {
    config.threads = r.threads;
    config.device = r.device;
    if (config.base) {
      if (r.sweep())
        throw core::InputError(
            "--shard: rope-base --base checks one base and has no sweep to split (the search, "
            "without --base, shards)");
      return check(r);
    }
    const auto s = rope::base_study(config, r.ticker("rope-base", rope::base_points(config)), r.sweep());
    auto& csv = r.csv(rope::base_columns()[0].columns);
    for (const auto& row : s.rows) {
      const auto& g = row.grid;
      const auto& c = row.certificate.value_or(uncertified);
      const auto& p = row.paper.value_or(no_paper_entry);
      // 20 cells: clang-format would put each on a line of its own.
      // clang-format off
      csv.row({row.L, config.d, to_string(config.precision), g.b, g.b_below, g.refuter_below, g.at_result.min_f,
               g.at_result.argmin, g.checks, c.b_lo, c.b_hi, c.certified, c.intervals, c.at_hi.min_f, c.error_bound,
               p.b, p.scan.min_f, p.scan.first_negative, row.ci_estimate, row.partial_rotary_min_f});
      // clang-format on
    }
    auto& out = r.summary();
    out << "attn-sweep rope-base: the published grid search (B = 1000 L; 10^k parts, k = 1..5) for " << s.rows.size()
        << " context length(s) at d = " << config.d << " in " << to_string(config.precision) << ".";
    if (!s.tighter.empty())
      out << " It gives smaller feasible bases than the paper's table at L = " << core::binary_size_list(s.tighter, " ")
          << ".";
    if (s.paper_compared)
      out << (s.paper_fails.empty()
                  ? " Every paper entry checked satisfies f_b(m) >= 0 for m < L."
                  : " Paper entries that FAIL f_b(m) >= 0: " + core::binary_size_list(s.paper_fails, " ") + ".");
    if (!s.skipped.empty())
      out << " The certified infimum lies below the grid point under the result at L = "
          << core::binary_size_list(s.skipped, " ") << " (the search skipped a feasible base).";
    if (s.certifies)
      out << " Certified b* brackets for L <= " << config.certify_max << " (columns b_star_lo .. b_star_hi).";
    out << " The search as stated examines " << s.checks << " grid points; " << s.cache_hits
        << " bases were refuted by an m (or a window around one) that refuted an earlier base.\n";
  }

  void check(core::Run& r) {
    const double b = *config.base;
    const auto rows = rope::check_base(config);
    auto& csv = r.csv(rope::base_columns()[1].columns);
    std::string verdicts;
    for (const auto& row : rows) {
      const auto& m = row.scan;
      csv.row({b, row.L, config.d, to_string(config.precision), m.min_f, m.argmin, m.first_negative, m.feasible(),
               row.error_bound.value_or(nan)});
      verdicts += " L = " + core::binary_size_name(row.L) + ": ";
      verdicts += m.feasible()
                      ? "holds (min f = " + core::format_sig(m.min_f, 4) + " at m = " + std::to_string(m.argmin)
                      : "FAILS first at m = " + std::to_string(m.first_negative);
      verdicts += m.feasible() ? ");" : ";";
    }
    r.summary() << "attn-sweep rope-base: base " << core::format_sig(b, 8) << ", d = " << config.d << ":" << verdicts
                << " (f_b(m) >= 0 for all m < L is the bound of Men et al. 2024).\n";
  }
};

struct RopeCurves {
  rope::CurvesConfig config;

  void declare(core::Options& o) {
    o.binary_size_list("L", config.lengths, 1, rope::max_context_length,
                       "context lengths (1k = 1024, 1M = 2^20), each in [1, 2^24]");
    o.integer("d", config.d, 2u, 4096u, "head dimension (even)");
    o.real_list("factors", config.factors, positive,
                "bases as multiples of the grid-search result, comma-separated, each > 0");
    o.integer("bins", config.bins, 1u, 100000u, "rows per curve: the minimum of f over each of this many ranges of m");
  }

  void run(core::Run& r) {
    config.threads = r.threads;
    const auto rows =
        rope::curves_study(config, r.ticker("rope-curves", config.lengths.size() * config.factors.size()));
    auto& csv = r.csv(rope::curves_columns()[0].columns);
    for (const auto& row : rows)
      csv.row({row.L, row.factor, row.b, row.m_lo, row.m_hi, row.bin.min_f, row.bin.argmin, row.ci_estimate});
    r.summary() << "attn-sweep rope-curves: f_b(m) = sum_i cos(m b^(-2i/d)) against m (minimum over " << config.bins
                << " ranges of m per curve) for b = factor x the grid-search result, L = "
                << core::binary_size_list(config.lengths) << "; the bound asks f >= 0 for every m < L.\n";
  }
};

}  // namespace

std::vector<core::Command> rope_commands() {
  return {
      core::command<RopeBase>(
          "rope-base", "the smallest RoPE base for each context length: published grid search, certified b*",
          core::uses_threads | core::uses_device | core::uses_shards, rope::base_columns(),
          "--device cuda runs the grid levels, the checks and the certificate's full scans on the GPU; the\n"
          "certificate's refutations and the feasibility of b_star_hi are proved on the CPU either way."),
      core::command<RopeCurves>("rope-curves", "f_b(m) against m for bases around the grid-search result",
                                core::uses_threads, rope::curves_columns()),
  };
}

}  // namespace attn_tool
