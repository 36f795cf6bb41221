#include "rope/claims.hpp"

#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <string>

#include "core/csv.hpp"
#include "core/parse.hpp"
#include "rope/search.hpp"
#include "rope/study.hpp"

namespace rope {

namespace {

using core::Claim;
using core::Compare;

constexpr std::string_view paper = "Men et al. 2024 (Base of RoPE Bounds Context Length)";
constexpr std::string_view llama = "Llama Team 2024 (The Llama 3 Herd of Models)";
constexpr std::string_view ours = "this suite (attn-sweep rope-base)";
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr bool slow = false;  // Claim::quick
// The paper prints two significant digits, so a reproduced value may differ from the printed one by up
// to half a unit in the second digit (≤ 5% of the smallest printed value, 1.6e4 -> 1.55e4 .. 1.65e4).
constexpr double two_digits = 0.05;
// The lengths the b_* claims and the float32 finding measure in seconds (reproduce --quick).
constexpr std::uint64_t quick_max_length = 1u << 14;

constexpr PaperEntry table_entries[] = {
    {1u << 10, 4.3e3}, {1u << 11, 1.6e4}, {1u << 12, 2.7e4}, {1u << 13, 8.4e4}, {1u << 14, 3.1e5}, {1u << 15, 6.4e5},
    {1u << 16, 2.1e6}, {1u << 17, 7.8e6}, {1u << 18, 3.6e7}, {1u << 19, 6.4e7}, {1u << 20, 5.1e8},
};

// The b_* claims, one per entry of table_entries, then these.
const Claim other_claims[] = {
    {"paper_row_feasible", "every base of the paper's row satisfies f_b(m) >= 0 for all m < L", paper, "holds",
     Compare::holds},
    {"llama3", "Llama 3's b = 500000 satisfies the bound at L = 8192 (far above b*)", llama, "holds", Compare::holds},
    {"ci_zero", "the first zero of Ci (d -> infinity: b* ~ L / x0)", paper, "0.6165", Compare::absolute, 0.6165, 5e-5},
    {"partial_rotary", "with theta_i = 0 for half the pairs the bound holds for every b", paper, "holds",
     Compare::holds},
    {"certified_1k", "beyond: b* for L = 1k certified to 1e-6 (every smaller b refuted)", ours, "", Compare::finding},
    {"certified_16k", "beyond: b* for L = 16k certified to 1e-6 (every smaller b refuted)", ours, "", Compare::finding,
     nan, 0, slow},
    {"certified_512k", "beyond: b* for L = 512k certified to 1e-6 lies below the grid point under the search's result",
     ours, "", Compare::finding, nan, 0, slow},
    {"float32", "beyond: the same grid search in float32 (L = 1k .. 16k): entries that change", ours, "",
     Compare::finding, nan, 0, slow},
};

std::string sig(double x) {
  return core::format_sig(x, 6);
}

std::string key_for(std::uint64_t L) {
  return "b_" + core::binary_size_name(L);
}

// b as the paper prints it, to two significant digits: 4.3e3.
std::string paper_text(double b) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1e", b);  // "4.3e+03"
  const std::string e = text;
  const auto at = e.find('e');
  return e.substr(0, at + 1) + std::to_string(std::stoi(e.substr(at + 1)));
}

// The claim table: texts generated from table_entries, kept alive with the claims that view them.
struct ClaimTable {
  std::deque<std::string> texts;
  std::vector<Claim> claims;

  ClaimTable() {
    for (const auto& e : table_entries) {
      const auto& key = texts.emplace_back(key_for(e.L));
      const auto& claim = texts.emplace_back("b* for L = " + core::binary_size_name(e.L) +
                                             " at d = " + std::to_string(paper_dimension) + " (published grid search)");
      const auto& published = texts.emplace_back(paper_text(e.b));
      claims.push_back({key, claim, paper, published, Compare::relative, e.b, two_digits, e.L <= quick_max_length});
    }
    claims.insert(claims.end(), std::begin(other_claims), std::end(other_claims));
  }
};

const ClaimTable& claim_table() {
  static const ClaimTable t;
  return t;
}

core::Measured certified(std::uint64_t L, unsigned threads) {
  const GridSearch g = published_grid_search(L, paper_dimension, Precision::float64, threads);
  const Certificate c = certify_infimum(L, paper_dimension, g.b, 1e-6, threads);
  return {.value = c.b_hi,
          .text = ((std::string("[") += core::format_sig(c.b_lo, 10)) += "; ") + core::format_sig(c.b_hi, 10) + "]",
          .note = std::string(c.certified ? "certified: " : "NOT certified: ") + std::to_string(c.intervals) +
                  " refuted sub-intervals cover [1; b_lo); min f at b_hi = " + core::format_sig(c.at_hi.min_f, 3) +
                  " > rounding bound " + core::format_sig(c.error_bound, 3) + "; grid result " + sig(g.b) +
                  (c.certified && c.b_hi < g.b_below
                       ? " and the grid point under it " + sig(g.b_below) + " infeasible: the search skipped b_hi"
                       : "")};
}

}  // namespace

std::span<const PaperEntry> paper_table() {
  return table_entries;
}

double paper_base(std::uint64_t L) {
  for (const auto& e : table_entries)
    if (e.L == L) return e.b;
  return 0;
}

std::span<const Claim> claims() {
  return claim_table().claims;
}

bool tighter_than_paper(double b, double paper_b) {
  return b < paper_b * (1 - two_digits);
}

std::vector<core::ReproRow> reproduce(const core::ReproduceSettings& settings) {
  core::ReproTable t("attn-sweep", claims(), settings);
  const unsigned threads = settings.threads;

  for (const auto& e : table_entries) {
    const std::string key = key_for(e.L);
    if (!t.wanted(key)) continue;
    const GridSearch g = published_grid_search(e.L, paper_dimension, Precision::float64, threads);
    const bool tighter = tighter_than_paper(g.b, e.b);
    t.add(key, {.value = g.b,
                .note = std::string(tighter ? "the grid search as stated gives a smaller feasible base; " : "") +
                        "first m refuting the grid point below: " + std::to_string(g.refuter_below)});
  }

  // A verdict on f_b(m) >= 0 is proven only beyond the scan's rounding bound: holds when min f exceeds
  // it, fails when min f is below minus it, else undecided (and the claim not confirmed).
  std::string failing, undecided;
  double margin = std::numeric_limits<double>::infinity();
  for (const auto& e : table_entries) {
    const RopeMin r = rope_min(e.b, e.L, paper_dimension);
    const double bound = rope_sum_error_bound(e.b, e.L, paper_dimension);
    margin = std::min(margin, std::fabs(r.min_f) / bound);
    if (r.min_f < -bound)
      failing += (failing.empty() ? "" : "; ") + core::binary_size_name(e.L) +
                 " (f < 0 first at m = " + std::to_string(r.first_negative) + ")";
    else if (r.min_f <= bound)
      undecided += (undecided.empty() ? "" : "; ") + core::binary_size_name(e.L);
  }
  t.add("paper_row_feasible",
        {.holds = failing.empty() && undecided.empty(),
         .text = failing.empty() ? (undecided.empty() ? "holds" : "undecided at " + undecided) : "fails at " + failing,
         .note = "double scan of every m < L; every verdict beyond the rounding bound (|min f| >= " +
                 core::format_sig(margin, 3) + " x the bound)" + (undecided.empty() ? "" : "; within it: " + undecided)});

  // "Far above b*": b* is at most the grid search's feasible base at 8k.
  const RopeMin llama3 = rope_min(500000, 8192, paper_dimension);
  const double llama3_bound = rope_sum_error_bound(500000, 8192, paper_dimension);
  const double grid_8k = published_grid_search(8192, paper_dimension, Precision::float64, threads).b;
  t.add("llama3", {.holds = llama3.min_f > llama3_bound && 500000 >= 5 * grid_8k,
                   .note = "min f = " + core::format_sig(llama3.min_f, 4) + " at m = " + std::to_string(llama3.argmin) +
                           " (rounding bound " + core::format_sig(llama3_bound, 2) + "); b* <= the grid result " +
                           sig(grid_8k) + "; criterion: at least 5 times it"});

  t.add("ci_zero", {.value = ci_first_zero(), .note = "GSL Ci; Boost TOMS 748"});

  double worst = std::numeric_limits<double>::infinity();
  for (double b : {2.0, 10.0, 1e2, 1e3, 1e4, 1e5, 1e6, 1e8})
    worst = std::min(worst, rope_min_partial(b, 1u << 16, paper_dimension).min_f);
  t.add("partial_rotary", {.holds = worst >= 0,
                           .note = "theta_i = 0 for i >= d/4; b = 2 .. 1e8 at L = 64k: min f = " +
                                   core::format_sig(worst, 4) + " (f >= d/4 - d/4 = 0 by construction)"});

  t.add("certified_1k", certified(1u << 10, threads));
  if (t.wanted("certified_16k")) t.add("certified_16k", certified(1u << 14, threads));
  if (t.wanted("certified_512k")) t.add("certified_512k", certified(1u << 19, threads));

  if (t.wanted("float32")) {
    std::string changed;
    std::size_t count = 0;
    for (const auto& e : table_entries) {
      if (e.L > quick_max_length) break;
      const double b64 = published_grid_search(e.L, paper_dimension, Precision::float64, threads).b;
      const double b32 = published_grid_search(e.L, paper_dimension, Precision::float32, threads).b;
      if (b32 != b64) {
        ++count;
        changed += (changed.empty() ? "" : "; ") + core::binary_size_name(e.L) + ": " + sig(b64) + " -> " + sig(b32);
      }
    }
    t.add("float32", {.value = static_cast<double>(count),
                      .text = std::to_string(count) + " of 5 change",
                      .note = changed.empty() ? "no entry changes (make results: ropefloat.csv up to 64k)" : changed});
  }
  return t.rows();
}

}  // namespace rope
