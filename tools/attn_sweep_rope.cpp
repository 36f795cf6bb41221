// attn-sweep's RoPE subcommands (attn-sweep.md §4): rope-base (the published grid search for the smallest
// base per context length, the certified infimum, the check of a given base) and rope-curves (f_b(m)
// against m). A thin driver over lib/rope.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/claims.hpp"
#include "core/cli.hpp"
#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "rope/claims.hpp"
#include "rope/search.hpp"
#include "tools/attn_sweep.hpp"

namespace attn_tool {

namespace {

using rope::Precision;

constexpr std::uint64_t max_context = std::uint64_t{1} << 24;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

constexpr core::Interval positive{0, std::numeric_limits<double>::infinity(), true, true};

// "1k,2k,4096,1M": k = 2^10, M = 2^20.
std::vector<std::uint64_t> parse_lengths(const std::string& text) {
  std::vector<std::uint64_t> out;
  const std::string allowed = "expected a comma-separated list of context lengths in [1, 2^24] (1k = 1024, 1M = 2^20)";
  for (std::string item : core::split_list("--L", text)) {
    std::uint64_t scale = 1;
    if (item.back() == 'k' || item.back() == 'K') scale = 1024;
    if (item.back() == 'M') scale = 1u << 20;
    if (scale > 1) item.pop_back();
    if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos || item.size() > 9)
      throw core::InputError("--L: " + allowed + ", got '" + text + "'");
    const std::uint64_t L = std::stoull(item) * scale;
    if (L < 1 || L > max_context) throw core::InputError("--L: " + allowed + ", got '" + text + "'");
    out.push_back(L);
  }
  return out;
}

unsigned checked_dimension(unsigned d) {
  if (d % 2 != 0)
    throw core::InputError("--d: expected an even head dimension in [2, 4096], got '" + std::to_string(d) + "'");
  return d;
}

std::string length_name(std::uint64_t L) {
  if (L % (1u << 20) == 0) return std::to_string(L >> 20) + "M";
  if (L % 1024 == 0) return std::to_string(L >> 10) + "k";
  return std::to_string(L);
}

struct RopeBase {
  std::string lengths = "1k,2k,4k,8k,16k,32k,64k,128k,256k,512k,1M";
  unsigned d = 128;
  std::string precision = "double";
  std::string base;
  std::uint64_t certify_max = 1u << 17;
  double rel = 1e-6;

  void declare(core::Options& o) {
    o.text("L", lengths, "LIST", "context lengths, comma-separated (1k = 1024, 1M = 2^20), each in [1, 2^24]");
    o.integer("d", d, 2u, 4096u, "head dimension (even): d/2 rotated pairs");
    o.choice("precision", precision, {"double", "float"},
             "double, or float: the whole evaluation in float32 as a float32 tensor code does it");
    o.text("base", base, "B",
           "check this base instead of searching: min f_B(m) over m < L, where, the first m with f < 0");
    o.integer("certify-max", certify_max, std::uint64_t{0}, max_context,
              "bracket and certify b* for L up to this (0: never; double only)");
    o.real("rel", rel, {1e-9, 1e-2}, "relative width of the certified bracket of b*");
  }

  void run(core::Run& r) {
    const auto Ls = parse_lengths(lengths);
    checked_dimension(d);
    const Precision p = precision == "float" ? Precision::float32 : Precision::float64;
    if (!base.empty()) return check(r, core::parse_real("--base", base, positive), Ls, p);
    auto& csv = r.csv({{"L"},
                       {"d"},
                       {"precision"},
                       {"b_grid"},
                       {"b_grid_below"},
                       {"refuter_below_m"},
                       {"min_f_at_grid"},
                       {"argmin_at_grid"},
                       {"grid_checks"},
                       {"b_star_lo", true},
                       {"b_star_hi", true},
                       {"certified"},
                       {"cert_intervals"},
                       {"min_f_at_star_hi", true},
                       {"cert_error_bound", true},
                       {"b_paper", true},
                       {"paper_min_f", true},
                       {"paper_first_negative_m"},
                       {"b_ci_estimate"},
                       {"partial_rotary_min_f"}});
    auto& progress = r.progress("rope-base", Ls.size());
    const double x0 = rope::ci_first_zero();
    std::string tighter, missed, paper_fails;
    std::uint64_t checks = 0, hits = 0;
    for (std::uint64_t L : Ls) {
      const auto g = rope::published_grid_search(L, d, p, r.threads, r.device);
      rope::Certificate c;
      const bool certify = p == Precision::float64 && L <= certify_max && L > 1;
      if (certify) c = rope::certify_infimum(L, d, g.b, rel, r.threads, r.device);
      const double b_paper = d == 128 ? rope::paper_base(L) : 0;
      rope::RopeMin paper_min;
      if (b_paper > 0) paper_min = rope::rope_min_batch({b_paper}, L, d, p, false, r.threads, r.device)[0];
      const double partial = rope::rope_min_partial(g.b, L, d).min_f;
      csv.row({L,
               d,
               precision,
               g.b,
               g.b_below,
               g.refuter_below,
               g.at_result.min_f,
               g.at_result.argmin,
               g.checks,
               certify ? c.b_lo : nan,
               certify ? c.b_hi : nan,
               certify && c.certified,
               c.intervals,
               certify ? c.at_hi.min_f : nan,
               certify ? c.error_bound : nan,
               b_paper > 0 ? b_paper : nan,
               b_paper > 0 ? paper_min.min_f : nan,
               b_paper > 0 ? paper_min.first_negative : std::int64_t{-1},
               static_cast<double>(L) / x0,
               partial});
      checks += g.checks;
      hits += g.cache_hits;
      if (b_paper > 0 && g.b < 0.95 * b_paper) (tighter += " ") += length_name(L);
      if (certify && c.certified && c.b_hi < g.b_below) (missed += " ") += length_name(L);
      if (b_paper > 0 && !paper_min.feasible()) (paper_fails += " ") += length_name(L);
      progress.advance();
    }
    auto& out = r.summary();
    out << "attn-sweep rope-base: the published grid search (B = 1000 L; 10^k parts, k = 1..5) for " << Ls.size()
        << " context length(s) at d = " << d << " in " << precision << ".";
    if (!tighter.empty()) out << " It gives smaller feasible bases than the paper's table at L =" << tighter << ".";
    if (d == 128)
      out << (paper_fails.empty() ? " Every paper entry checked satisfies f_b(m) >= 0 for m < L."
                                  : " Paper entries that FAIL f_b(m) >= 0:" + paper_fails + ".");
    if (!missed.empty())
      out << " The certified infimum lies below the grid point under the result at L =" << missed
          << " (the search skipped a feasible base).";
    if (p == Precision::float64 && certify_max > 1)
      out << " Certified b* brackets for L <= " << certify_max << " (columns b_star_lo .. b_star_hi).";
    out << " The search as stated examines " << checks << " grid points; " << hits
        << " bases were refuted by an m (or a window around one) that refuted an earlier base.\n";
  }

  void check(core::Run& r, double b, const std::vector<std::uint64_t>& Ls, Precision p) {
    auto& csv = r.csv({{"b"},
                       {"L"},
                       {"d"},
                       {"precision"},
                       {"min_f"},
                       {"argmin"},
                       {"first_negative_m"},
                       {"feasible"},
                       {"error_bound", true}});
    std::vector<rope::RopeMin> mins;
    for (std::uint64_t L : Ls) mins.push_back(rope::rope_min_batch({b}, L, d, p, false, r.threads, r.device)[0]);
    std::string verdicts;
    for (std::size_t k = 0; k < Ls.size(); ++k) {
      const auto& m = mins[k];
      csv.row({b, Ls[k], d, precision, m.min_f, m.argmin, m.first_negative, m.feasible(),
               p == Precision::float64 ? rope::rope_sum_error_bound(b, Ls[k], d) : nan});
      verdicts +=
          " L = " + length_name(Ls[k]) + ": " +
          (m.feasible() ? "holds (min f = " + core::format_sig(m.min_f, 4) + " at m = " + std::to_string(m.argmin) + ")"
                        : "FAILS first at m = " + std::to_string(m.first_negative)) +
          ";";
    }
    r.summary() << "attn-sweep rope-base: base " << core::format_sig(b, 8) << ", d = " << d << ":" << verdicts
                << " (f_b(m) >= 0 for all m < L is the bound of Men et al. 2024).\n";
  }
};

struct RopeCurves {
  std::string lengths = "1k,16k,128k";
  unsigned d = 128;
  std::string factors = "0.5,0.9,1";
  unsigned bins = 150;

  void declare(core::Options& o) {
    o.text("L", lengths, "LIST", "context lengths (1k = 1024, 1M = 2^20), each in [1, 2^24]");
    o.integer("d", d, 2u, 4096u, "head dimension (even)");
    o.text("factors", factors, "LIST", "bases as multiples of the grid-search result, comma-separated, each > 0");
    o.integer("bins", bins, 1u, 100000u, "rows per curve: the minimum of f over each of this many ranges of m");
  }

  void run(core::Run& r) {
    const auto Ls = parse_lengths(lengths);
    checked_dimension(d);
    const auto fs = core::parse_real_list("--factors", factors, positive);
    auto& csv = r.csv({{"L"}, {"factor"}, {"b"}, {"m_lo"}, {"m_hi"}, {"f_min"}, {"argmin"}, {"ci_estimate"}});
    auto& progress = r.progress("rope-curves", Ls.size() * fs.size());
    for (std::uint64_t L : Ls) {
      const double b_grid = rope::published_grid_search(L, d, Precision::float64, r.threads).b;
      for (double f : fs) {
        const double b = f * b_grid;
        const std::uint64_t nb = std::min<std::uint64_t>(bins, L);
        const auto parts = core::parallel_map(nb, r.threads, [&](std::size_t k) {
          return rope::rope_min(b, L * k / nb, L * (k + 1) / nb, d, Precision::float64, false);
        });
        for (std::size_t k = 0; k < nb; ++k)
          csv.row({L, f, b, L * k / nb, L * (k + 1) / nb - 1, parts[k].min_f, parts[k].argmin,
                   rope::rope_sum_ci_estimate(b, static_cast<double>(parts[k].argmin), d)});
        progress.advance();
      }
    }
    r.summary() << "attn-sweep rope-curves: f_b(m) = sum_i cos(m b^(-2i/d)) against m (minimum over " << bins
                << " ranges of m per curve) for b = factor x the grid-search result, L = " << lengths
                << "; the bound asks f >= 0 for every m < L.\n";
  }
};

}  // namespace

std::vector<core::Command> rope_commands() {
  return {
      core::command<RopeBase>(
          "rope-base", "the smallest RoPE base for each context length: published grid search, certified b*",
          core::uses_threads | core::uses_device,
          "Columns: L, d, precision, b_grid (the published search), b_grid_below (the grid point under it),\n"
          "refuter_below_m (its first m with f < 0), min_f_at_grid, argmin_at_grid, grid_checks (grid points\n"
          "the search examines), b_star_lo .. b_star_hi (b* bracketed: every b in [1, b_star_lo) refuted on\n"
          "certified sub-intervals, b_star_hi feasible beyond the rounding bound; nan when not certified),\n"
          "certified, cert_intervals, min_f_at_star_hi, cert_error_bound, b_paper (the paper's table, nan if\n"
          "none), paper_min_f, paper_first_negative_m (-1: none), b_ci_estimate = L / x0, partial_rotary_min_f\n"
          "(theta_i = 0 for half the pairs, at b_grid). With --base B, one row per L: b, L, d, precision,\n"
          "min_f, argmin, first_negative_m (-1: none), feasible, error_bound (double only).\n"
          "--device cuda runs the grid levels, the checks and the certificate's full scans on the GPU; the\n"
          "certificate's refutations and the feasibility of b_star_hi are proved on the CPU either way."),
      core::command<RopeCurves>(
          "rope-curves", "f_b(m) against m for bases around the grid-search result", core::uses_threads,
          "Columns: L, factor, b = factor x b_grid, m_lo .. m_hi (a range of m), f_min (min of f_b(m) over it),\n"
          "argmin, ci_estimate (the d -> infinity estimate (d/2)(Ci(m) - Ci(m/b))/ln b at argmin)."),
  };
}

}  // namespace attn_tool
