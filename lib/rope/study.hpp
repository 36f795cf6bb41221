// The RoPE-base studies behind attn-sweep rope-base and rope-curves (Men et al., "Base of RoPE Bounds
// Context Length", 2024): per context length L the published grid search (search.hpp), the certified
// bracket of the infimum b*, the check of the paper's table entry and the d → ∞ estimate; the check of a
// given base; and the curves f_b(m) against m for bases around the grid result. No I/O: the tool writes
// the rows and the summary's wording; the column lists are declared here with the rows they describe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "core/device.hpp"
#include "core/options.hpp"
#include "core/progress.hpp"
#include "core/sweep.hpp"
#include "rope/rope_sum.hpp"
#include "rope/search.hpp"

namespace rope {

inline constexpr std::uint64_t max_context_length = std::uint64_t{1} << 24;

// The --precision names, also written in the CSV: "double", "float".
inline constexpr Precision precisions[] = {Precision::float64, Precision::float32};
std::string_view to_string(Precision p);

// Context lengths are written as core::binary_size_name writes them ("1k", "16M", "1536").

// ---- rope-base ----
struct BaseConfig {
  std::vector<std::uint64_t> lengths{1u << 10, 1u << 11, 1u << 12, 1u << 13, 1u << 14, 1u << 15,
                                     1u << 16, 1u << 17, 1u << 18, 1u << 19, 1u << 20};
  unsigned d = 128;  // even (InputError "--d" otherwise)
  Precision precision = Precision::float64;
  std::uint64_t certify_max = 1u << 17;  // certify b* for 1 < L <= this (double only)
  double rel = 1e-6;                     // relative width of the certified bracket
  std::optional<double> base;            // check_base: the base checked (> 0)
  std::uint32_t cert_parts = 1;          // each certificate in this many parts, a point each (1 .. 32)
  unsigned threads = 1;
  core::Device device = core::Device::cpu;
  core::Tick poll;  // called often during the grid search and the certificate (their poll); may throw to stop
};

// rope-base's options (--L, --d, --precision, --base, --certify-max, --rel), shared with the Python module.
void declare_options(core::Options& o, BaseConfig& config);

// The paper's entry for L (d = 128 only) and its scan over m < L.
struct PaperCheck {
  double b = 0;
  RopeMin scan;
};

template <class Io>
void fields(Io& io, PaperCheck& p) {
  io(p.b, p.scan);
}

struct BaseRow {
  std::uint64_t L = 0;
  GridSearch grid;
  std::optional<Certificate> certificate;  // double and 1 < L <= certify_max
  std::optional<PaperCheck> paper;         // d = 128 and L in the paper's table
  double ci_estimate = 0;                  // L / x0, the d → ∞ estimate of b*
  double partial_rotary_min_f = 0;         // min f at the grid result with θ_i = 0 for half the pairs
};

template <class Io>
void fields(Io& io, BaseRow& r) {
  io(r.L, r.grid, r.certificate, r.paper, r.ci_estimate, r.partial_rotary_min_f);
}

// A point of rope-base's sweep: one L, or with the certificate in J parts (--cert-parts) one part of one L.
// Part 0 holds the grid search, the paper's check and the rest of L's row; every part of a certified L
// repeats L's grid search (its result fixes the range [1, b_grid] the parts cut) and walks its sub-range.
struct BasePoint {
  std::uint64_t L = 0;
  std::uint32_t part = 0;
  std::optional<BaseRow> head;                 // part 0: L's row without its certificate
  std::optional<CertificatePart> certificate;  // a certified L: this part of its certificate
};

template <class Io>
void fields(Io& io, BasePoint& p) {
  io(p.L, p.part, p.head, p.certificate);
}

struct BaseStudy {
  std::vector<BaseRow> rows;                 // in the order of config.lengths
  bool paper_compared = false;               // d = 128: the paper's table applies
  bool certifies = false;                    // double and certify_max > 1
  std::vector<std::uint64_t> tighter;        // L where the grid result is below the paper's beyond its two digits
  std::vector<std::uint64_t> paper_fails;    // L where the paper's entry has an m < L with f < 0
  std::vector<std::uint64_t> skipped;        // L where the certified b_hi lies below the grid point under the result
  std::vector<std::uint64_t> raised_start;   // L where B = 1000 L is infeasible and the search started higher
  std::uint64_t checks = 0, cache_hits = 0;  // over every L (GridSearch::checks, cache_hits)
};

// The published search, the certificate and the paper's check for every L; `tick` once per point.
// The run's seconds on this machine (an estimate, checked by bench/estimates_*.py); the study refuses a
// run above core::require_time's limit before any work.
double base_estimated_seconds(const BaseConfig& c);
// A sweep (core/sweep.hpp: `sweep` shards or merges it) whose points are the L in order, a certified L
// giving c.cert_parts points (its parts in order): base_points of them. The parts of each L are joined
// by combine_certificate, so the rows do not depend on how many shards computed them, nor on cert_parts.
std::size_t base_points(const BaseConfig& c);
BaseStudy base_study(const BaseConfig& c, const core::Tick& tick, core::Sweep* sweep = nullptr);

// rope-base --base B: the scan of c.base over m < L for every L of the config.
struct BaseCheckRow {
  std::uint64_t L = 0;
  RopeMin scan;
  std::optional<double> error_bound;  // rope_sum_error_bound (double only)
};
std::vector<BaseCheckRow> check_base(const BaseConfig& c);

// The columns of rope-base: the study's, then with --base the check's.
std::vector<core::ColumnSet> base_columns();

// ---- rope-curves ----
struct CurvesConfig {
  std::vector<std::uint64_t> lengths{1u << 10, 1u << 14, 1u << 17};
  unsigned d = 128;                          // even
  std::vector<double> factors{0.5, 0.9, 1};  // b = factor × the grid result
  unsigned bins = 150;                       // ranges of m per curve (at most L)
  unsigned threads = 1;
};

struct CurveRow {
  std::uint64_t L = 0;
  double factor = 0, b = 0;
  std::uint64_t m_lo = 0, m_hi = 0;  // the range of m, both included
  RopeMin bin;                       // min of f_b(m) over it
  double ci_estimate = 0;            // rope_sum_ci_estimate at bin.argmin
};

// Per L the grid result, then per factor the bins in increasing m; `tick` once per (L, factor).
double curves_estimated_seconds(const CurvesConfig& c);  // as base_estimated_seconds
std::vector<CurveRow> curves_study(const CurvesConfig& c, const core::Tick& tick);

std::vector<core::ColumnSet> curves_columns();

// ---- rope-law and rope-recommend ----
// The certified b*(L) as a law b* ≈ c·L^k per head dimension d, the paper's fitted curve beside it
// (claims.hpp: paper_law), and the base to pick for a context length and head size.

// One certified bracket of b*: from rope-base's CSV (column certified = true) or computed here.
struct LawPoint {
  unsigned d = 0;
  std::uint64_t L = 0;
  double b_lo = 0, b_hi = 0;  // b* ∈ [b_lo, b_hi], b_hi proven feasible
};

template <class Io>
void fields(Io& io, LawPoint& p) {
  io(p.d, p.L, p.b_lo, p.b_hi);
}

// b* ≈ c·L^k by least squares on (ln L, ln b_hi) (core::fit_power_law, GSL). b*(L) is a deterministic
// function whose deviations from a power law are structure (feasible windows open and close as L grows),
// not independent noise, so no interval here is a sampling interval:
//  - k_lo95 .. k_hi95: the Student-t interval OLS would give if the deviations were independent and normal:
//    a measure of how well one power law summarises the points, not a coverage guarantee;
//  - k_jack_lo .. k_jack_hi: the exponents of the fits leaving out one L at a time (how much any single
//    point moves k);
//  - band: exp(max |ln b* − ln(c L^k)|) over the fitted points: every fitted b* lies in [law/band, law·band].
//    It is the law's prediction interval as used by rope-recommend: observed, not a probability, and valid
//    beyond the fitted L only as far as the law extrapolates.
struct LawFit {
  unsigned d = 0;
  std::size_t points = 0;
  std::uint64_t L_min = 0, L_max = 0;
  double c = 0, k = 0;
  double k_se = 0, k_lo95 = 0, k_hi95 = 0;
  double k_jack_lo = 0, k_jack_hi = 0;
  double band = 1;

  double at(double L) const;  // c·L^k
};

// The fit of points of one d (at least 4, distinct L; InputError otherwise).
LawFit fit_law(const std::vector<LawPoint>& points);

// The certified points of rope-base CSVs (columns L, d, b_star_lo, b_star_hi, certified; rows with
// certified = false are skipped). `what` names the file in errors.
std::vector<LawPoint> law_points_from_csv(const core::CsvTable& t, const std::string& what);

struct LawConfig {
  std::vector<std::string> inputs;  // rope-base CSVs; empty: compute the points
  std::vector<unsigned> dims{64, 128, 256};
  std::vector<std::uint64_t> lengths{1u << 10, 1u << 11, 1u << 12, 1u << 13, 1u << 14, 1u << 15, 1u << 16};
  double rel = 1e-6;  // the certificates' relative width
  unsigned threads = 1;
  core::Device device = core::Device::cpu;
  core::Tick poll;
};

struct LawStudy {
  std::vector<LawPoint> points;  // by d, then L
  std::vector<LawFit> fits;      // one per d, increasing d
};

// The points read from c.inputs, or computed (the published grid search, then the certificate) for every
// (d, L) of c.dims × c.lengths: a sweep (core/sweep.hpp) of law_points(c) points, d outer, L inner.
// NumericalError when a computed b* is not certified. Every d needs at least 4 points.
double law_estimated_seconds(const LawConfig& c);
std::size_t law_points(const LawConfig& c);
LawStudy law_study(const LawConfig& c, const core::Tick& tick, core::Sweep* sweep = nullptr);

std::vector<core::ColumnSet> law_columns();

// Where a recommendation's floor comes from.
enum class RecommendSource { certified, table, law };
std::string_view to_string(RecommendSource s);  // "certified", "table", "law"

struct RecommendConfig {
  std::vector<std::uint64_t> lengths{1u << 12, 1u << 15, 1u << 20};
  unsigned d = 128;
  std::uint64_t certify_max = 1u << 16;  // certify b* on the spot for L up to this
  std::vector<std::string> inputs;       // rope-base CSVs: certified b* looked up there, and the law fitted to them
  std::uint64_t fit_max = 1u << 16;      // no inputs: the law fitted to certified b* at L = 1k, 2k, .. this
  unsigned digits = 2;                   // significant digits of the recommended base (0: the bracket's end itself)
  double rel = 1e-6;
  unsigned threads = 1;
  core::Device device = core::Device::cpu;
  core::Tick poll;
};

// The smallest base with `digits` significant digits at or above `from` that is proven feasible at (L, d):
// min of f over m < L above the scan's rounding bound. digits = 0: `from` itself, when proven. Candidates
// are tried in increasing order (feasibility is not monotone in b: rounding b* up can fail, as 7 of the
// paper's 11 rounded entries do); NumericalError after `max_tries`.
struct ProvenBase {
  double base = 0;
  RopeMin scan;
  double error_bound = 0;
  unsigned tried = 0;  // candidates checked
};
ProvenBase smallest_proven_base(double from, std::uint64_t L, unsigned d, unsigned digits, unsigned max_tries = 500);

struct Recommendation {
  std::uint64_t L = 0;
  RecommendSource source = RecommendSource::certified;
  double b_star_lo = 0, b_star_hi = 0;     // certified or table: the bracket (nan for law)
  double law = 0, law_lo = 0, law_hi = 0;  // the law's c L^k and its band (nan: no law fitted)
  bool extrapolated = false;               // L outside the law's fitted range
  ProvenBase base;                         // from b_star_lo (certified, table) or law_hi (law)
};

struct RecommendStudy {
  std::vector<Recommendation> rows;  // in the order of c.lengths
  std::optional<LawFit> law;         // fitted when some L needed it
  bool law_from_inputs = false;
};

double recommend_estimated_seconds(const RecommendConfig& c);
RecommendStudy recommend_study(const RecommendConfig& c, const core::Tick& tick);

std::vector<core::ColumnSet> recommend_columns();

}  // namespace rope
