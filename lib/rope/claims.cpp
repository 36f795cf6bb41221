#include "rope/claims.hpp"

#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <map>
#include <string>
#include <utility>

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
constexpr std::string_view ours_law = "this suite (attn-sweep rope-law)";
constexpr std::string_view llama1 = "Touvron et al. 2023 (LLaMA: Open and Efficient Foundation Language Models)";
constexpr std::string_view llama2 = "Touvron et al. 2023 (Llama 2: Open Foundation and Fine-Tuned Chat Models)";
constexpr std::string_view code_llama = "Roziere et al. 2023 (Code Llama: Open Foundation Models for Code)";
constexpr std::string_view qwen2 = "Qwen Team 2024 (Qwen2 Technical Report)";
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
    // The law (rope-law): the paper's curve refitted from its table, ours from certified b*.
    {"law_paper_k",
     "Figure 1's curve b = 0.0424 L^1.628 is the least-squares line in log-log through the paper's table "
     "(d = 128; L = 2^10 .. 2^20): its exponent",
     paper, "1.628", Compare::absolute, paper_law_k, 5e-4},
    {"law_paper_c",
     "... and its prefactor (tolerance 0.5%: the printed digits and a refit from the table's two-digit entries "
     "rather than the unrounded bases)",
     paper, "0.0424", Compare::relative, paper_law_c, 5e-3},
    {"law_vs_paper",
     "the exponent of b* = c L^k fitted to certified b* at d = 128 (L = 1k .. 64k) against the paper's curve "
     "(tolerance 0.05: over L = 1k .. 1M that moves the curve by a factor 1.4)",
     paper, "1.628", Compare::absolute, paper_law_k, 0.05, slow},
    {"law_k_64", "beyond: the exponent k of b* = c L^k at d = 64 (certified b* at L = 1k .. 64k)", ours_law, "",
     Compare::finding, nan, 0, slow},
    {"law_k_128", "beyond: the exponent k of b* = c L^k at d = 128 (certified b* at L = 1k .. 64k)", ours_law, "",
     Compare::finding, nan, 0, slow},
    {"law_k_256", "beyond: the exponent k of b* = c L^k at d = 256 (certified b* at L = 1k .. 64k)", ours_law, "",
     Compare::finding, nan, 0, slow},
    // The bases in use, at their published context lengths (head size 128 unless stated): b / b*.
    {"base_10k_2k", "LLaMA's base 10000 at its context 2k (d = 128): b / certified b*", llama1, "", Compare::finding},
    {"base_10k_4k", "Llama 2's base 10000 at its context 4k (d = 128): b / certified b*", llama2, "", Compare::finding},
    {"base_500k_8k", "Llama 3's base 500000 at its context 8k (d = 128): b / certified b*", llama, "",
     Compare::finding},
    {"base_1M_16k", "Code Llama's base 1e6 at its training length 16k (d = 128): b / certified b*", code_llama, "",
     Compare::finding},
    {"base_1M_32k", "Qwen2's base 1e6 at its context 32k (d = 128: 1.5B/7B/72B): b / certified b*", qwen2, "",
     Compare::finding, nan, 0, slow},
    {"base_1M_32k_d64", "Qwen2-0.5B's base 1e6 at its context 32k (head size 64): b / certified b*", qwen2, "",
     Compare::finding, nan, 0, slow},
};

// The lengths and head sizes of the law rows (reproduce computes them in about a CPU-minute).
constexpr std::uint64_t law_lengths[] = {1u << 10, 1u << 11, 1u << 12, 1u << 13, 1u << 14, 1u << 15, 1u << 16};
constexpr unsigned law_dims[] = {64, 128, 256};

// The bases in use: key, base, L, d.
struct BaseInUse {
  std::string_view key;
  double b;
  std::uint64_t L;
  unsigned d;
};
constexpr BaseInUse bases_in_use[] = {
    {"base_10k_2k", 1e4, 1u << 11, 128}, {"base_10k_4k", 1e4, 1u << 12, 128}, {"base_500k_8k", 5e5, 1u << 13, 128},
    {"base_1M_16k", 1e6, 1u << 14, 128}, {"base_1M_32k", 1e6, 1u << 15, 128}, {"base_1M_32k_d64", 1e6, 1u << 15, 64},
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

// Certified b* for (d, L), each computed once per reproduce.
class CertifiedCache {
 public:
  explicit CertifiedCache(unsigned threads) : threads_(threads) {}
  const Certificate& get(unsigned d, std::uint64_t L) {
    auto it = cache_.find({d, L});
    if (it == cache_.end()) {
      const GridSearch g = published_grid_search(L, d, Precision::float64, threads_);
      it = cache_.emplace(std::pair(d, L), certify_infimum(L, d, g.b, 1e-6, threads_)).first;
    }
    return it->second;
  }

 private:
  unsigned threads_;
  std::map<std::pair<unsigned, std::uint64_t>, Certificate> cache_;
};

std::string k_text(const LawFit& f) {
  return "k = " + core::format_sig(f.k, 4) + "; c = " + core::format_sig(f.c, 3) + "; OLS t-interval [" +
         core::format_sig(f.k_lo95, 4) + "; " + core::format_sig(f.k_hi95, 4) + "] (as if independent noise), " +
         "leave-one-out [" + core::format_sig(f.k_jack_lo, 4) + "; " + core::format_sig(f.k_jack_hi, 4) +
         "]; every b* within x" + core::format_sig(f.band, 3) + " of c L^k";
}

}  // namespace

double paper_law(double L) {
  return paper_law_c * std::pow(L, paper_law_k);
}

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
  // The paper's curve from its own table.
  {
    std::vector<LawPoint> points;
    for (const auto& e : table_entries) points.push_back({paper_dimension, e.L, e.b, e.b});
    const LawFit f = fit_law(points);
    const std::string note =
        "least squares of ln b on ln L over the 11 entries as printed: b = " + core::format_sig(f.c, 5) + " L^" +
        core::format_sig(f.k, 6);
    t.add("law_paper_k", {.value = f.k, .text = core::format_sig(f.k, 4), .note = note});
    t.add("law_paper_c", {.value = f.c, .text = core::format_sig(f.c, 4), .note = note});
  }

  CertifiedCache cache(threads);
  if (t.wanted("law_k_128")) {
    std::map<unsigned, LawFit> fits;
    for (unsigned d : law_dims) {
      std::vector<LawPoint> points;
      for (std::uint64_t L : law_lengths) {
        const Certificate& c = cache.get(d, L);
        points.push_back({d, L, c.b_lo, c.b_hi});
      }
      fits.emplace(d, fit_law(points));
    }
    const LawFit& f128 = fits.at(128);
    const double L_max = static_cast<double>(law_lengths[std::size(law_lengths) - 1]);
    t.add("law_vs_paper", {.value = f128.k,
                           .text = core::format_sig(f128.k, 4),
                           .note = k_text(f128) + "; the paper's curve is " +
                                   core::format_sig(paper_law(L_max) / f128.at(L_max), 3) + " x this law at 64k"});
    for (unsigned d : law_dims)
      t.add("law_k_" + std::to_string(d),
            {.value = fits.at(d).k, .text = core::format_sig(fits.at(d).k, 4), .note = k_text(fits.at(d))});
  }

  for (const auto& u : bases_in_use) {
    if (!t.wanted(u.key)) continue;
    const Certificate& c = cache.get(u.d, u.L);
    const RopeMin scan = rope_min(u.b, u.L, u.d);
    const double bound = rope_sum_error_bound(u.b, u.L, u.d);
    const std::string verdict = scan.min_f > bound    ? "holds"
                                : scan.min_f < -bound ? "FAILS first at m = " + std::to_string(scan.first_negative)
                                                      : "undecided (within the rounding bound)";
    const double ratio = u.b / c.b_hi;
    t.add(u.key,
          {.value = ratio,
           .text = core::format_sig(ratio, 3) + " (" + verdict + ")",
           .note = "b = " + core::format_sig(u.b, 6) + " at L = " + core::binary_size_name(u.L) +
                   " and d = " + std::to_string(u.d) + ": certified b* in [" + core::format_sig(c.b_lo, 10) + "; " +
                   core::format_sig(c.b_hi, 10) + "]; min f at b = " + core::format_sig(scan.min_f, 4) +
                   " at m = " + std::to_string(scan.argmin) + " (rounding bound " + core::format_sig(bound, 2) + ")" +
                   (ratio >= 1 && verdict != "holds" ? "; above b* yet infeasible: feasibility is not "
                                                       "monotone in b"
                                                     : "")});
  }
  return t.rows();
}

}  // namespace rope
