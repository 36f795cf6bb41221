// attn-sweep's RoPE subcommands (Men et al. 2024, Base of RoPE Bounds Context Length): rope-base (the
// smallest base per context length, certified; the check of a given base) and rope-curves (f_b(m) against
// m). The studies are lib/rope/study.hpp; here are the option tables, the rows and the summaries' wording.
#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/parse.hpp"
#include "rope/claims.hpp"
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
    if (!s.raised_start.empty())
      out << " B = 1000 L is itself infeasible at L = " << core::binary_size_list(s.raised_start, " ")
          << ": there the search starts from the first feasible 10^k L.";
    if (!s.tighter.empty())
      out << " It gives smaller feasible bases than the paper's table at L = " << core::binary_size_list(s.tighter, " ")
          << ".";
    const bool any_paper = std::any_of(s.rows.begin(), s.rows.end(), [](const auto& row) { return row.paper.has_value(); });
    if (s.paper_compared && !any_paper) out << " The paper's table has no entry for these L.";
    if (s.paper_compared && any_paper)
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

struct RopeLaw {
  rope::LawConfig config;

  void declare(core::Options& o) {
    o.text_list("input", config.inputs,
                "rope-base CSVs to fit (their certified rows; every d found); none: compute the points");
    o.integer_list("d", config.dims, 2u, 4096u, "head dimensions (even), without --input");
    o.binary_size_list("L", config.lengths, 2, rope::max_context_length,
                       "context lengths certified and fitted at each d, without --input (1k = 1024)");
    o.real("rel", config.rel, {1e-9, 1e-2}, "relative width of the certified brackets");
  }

  void run(core::Run& r) {
    config.threads = r.threads;
    config.device = r.device;
    const auto s = rope::law_study(config, r.ticker("rope-law", rope::law_points(config)), r.sweep());
    auto& csv = r.csv(rope::law_columns()[0].columns);
    for (const auto& f : s.fits)
      for (const auto& p : s.points) {
        if (p.d != f.d) continue;
        const double L = static_cast<double>(p.L), law = f.at(L);
        // clang-format off
        csv.row({p.d, p.L, p.b_lo, p.b_hi, law, std::log(p.b_hi / law), rope::paper_law(L), f.c, f.k, f.k_se,
                 f.k_lo95, f.k_hi95, f.k_jack_lo, f.k_jack_hi, f.band, f.points});
        // clang-format on
      }
    auto& out = r.summary();
    out << "attn-sweep rope-law: the certified b*(L) fitted as b* = c L^k (least squares in log-log), "
        << (config.inputs.empty() ? "computed for L = " + core::binary_size_list(config.lengths)
                                  : std::to_string(s.points.size()) + " certified points from --input")
        << ".";
    for (const auto& f : s.fits) {
      const double L = static_cast<double>(f.L_max);
      out << " d = " << f.d << ": b* = " << core::format_sig(f.c, 3) << " L^" << core::format_sig(f.k, 4)
          << " (k: t-interval [" << core::format_sig(f.k_lo95, 4) << ", " << core::format_sig(f.k_hi95, 4)
          << "], leave-one-out [" << core::format_sig(f.k_jack_lo, 4) << ", " << core::format_sig(f.k_jack_hi, 4)
          << "]; every b* within x" << core::format_sig(f.band, 3)
          << " of the law; L = " << core::binary_size_name(f.L_min) << " .. " << core::binary_size_name(f.L_max)
          << "); the paper's 0.0424 L^1.628 (d = 128) at " << core::binary_size_name(f.L_max) << " is "
          << core::format_sig(rope::paper_law(L) / f.at(L), 3) << " x this law.";
    }
    out << " The t-intervals treat the deviations from a power law as independent noise; they are structure "
           "(feasible windows), so read them as a summary of the fit, not as coverage.\n";
  }
};

struct RopeRecommend {
  rope::RecommendConfig config;

  void declare(core::Options& o) {
    o.binary_size_list("L", config.lengths, 2, rope::max_context_length,
                       "context lengths to recommend a base for (1k = 1024, 1M = 2^20)");
    o.integer("d", config.d, 2u, 4096u, "head dimension (even)");
    o.integer("certify-max", config.certify_max, std::uint64_t{0}, rope::max_context_length,
              "certify b* on the spot for L up to this (0: never); beyond, the law");
    o.text_list("input", config.inputs,
                "rope-base CSVs: their certified b* at --d are used as they are, and the law is fitted to them");
    o.integer("fit-max", config.fit_max, std::uint64_t{8192}, rope::max_context_length,
              "without --input: the law is fitted to certified b* at L = 1k, 2k, 4k, .. up to this");
    o.integer("digits", config.digits, 0u, 15u,
              "significant digits of the recommended base (0: the certified b_star_hi itself, or law_hi)");
    o.real("rel", config.rel, {1e-9, 1e-2}, "relative width of the certified brackets");
  }

  void run(core::Run& r) {
    config.threads = r.threads;
    config.device = r.device;
    const auto s = rope::recommend_study(config, r.ticker("rope-recommend", config.lengths.size()));
    auto& csv = r.csv(rope::recommend_columns()[0].columns);
    std::string lines;
    for (const auto& row : s.rows) {
      const auto& b = row.base;
      const bool law = row.source == rope::RecommendSource::law;
      csv.row({row.L, config.d, to_string(row.source), b.base, b.scan.min_f, b.scan.argmin, b.error_bound, b.tried,
               row.b_star_lo, row.b_star_hi, row.law, row.law_lo, row.law_hi, row.extrapolated,
               b.base / (law ? row.law : row.b_star_hi)});
      lines +=
          std::string(lines.empty() ? " " : "; ") + "L = " + core::binary_size_name(row.L) + ": " +
          core::format_sig(b.base, 8) +
          (law ? " (law: c L^k = " + core::format_sig(row.law, 3) + ", band " + core::format_sig(row.law_lo, 3) +
                     " .. " + core::format_sig(row.law_hi, 3) + (row.extrapolated ? ", extrapolated" : "") +
                     "; b* not certified)"
               : " (b* in [" + core::format_sig(row.b_star_lo, 10) + ", " + core::format_sig(row.b_star_hi, 10) +
                     "], " + (row.source == rope::RecommendSource::table ? "from --input" : "certified here") + ")");
    }
    auto& out = r.summary();
    out << "attn-sweep rope-recommend: the smallest base";
    if (config.digits > 0) out << " with " << config.digits << " significant digits";
    out << " proven to satisfy f_b(m) >= 0 for every m < L at d = " << config.d << ":" << lines << ".";
    if (s.law)
      out << " The law b* = " << core::format_sig(s.law->c, 3) << " L^" << core::format_sig(s.law->k, 4)
          << " is fitted to certified b* at L = " << core::binary_size_name(s.law->L_min) << " .. "
          << core::binary_size_name(s.law->L_max) << (s.law_from_inputs ? " (--input)" : " (computed here)")
          << "; its band x" << core::format_sig(s.law->band, 3)
          << " is the largest deviation of those b* from it, not a probability.";
    out << " Feasibility is not monotone in b: check a base you pick instead with rope-base --base.\n";
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
      core::command<RopeLaw>(
          "rope-law", "the certified b*(L) per head dimension as a law b* = c L^k, beside the paper's curve",
          core::uses_threads | core::uses_device | core::uses_shards, rope::law_columns(),
          "Without --input the points are certified here (the published grid search, then the certificate): the\n"
          "sweep's points are the (d, L) pairs, d outer. With --input (rope-base CSVs) nothing is computed and\n"
          "--shard is refused. k_lo95 .. k_hi95 is OLS's t-interval, as if b*'s deviations from a power law were\n"
          "independent noise; they are structure, so it summarises the fit and promises no coverage."),
      core::command<RopeRecommend>(
          "rope-recommend", "the base to pick for a context length and head size: certified, or from the law",
          core::uses_threads | core::uses_device, rope::recommend_columns(),
          "Per L: b* certified here (L <= --certify-max) or read from --input (source table), else the law's\n"
          "upper band (source law, the law fitted to --input or to L = 1k .. --fit-max certified here). The\n"
          "recommended base is the smallest with --digits significant digits from there up whose scan over\n"
          "m < L proves f >= 0 beyond its rounding bound (feasibility is not monotone: rounding up can fail)."),
  };
}

}  // namespace attn_tool
