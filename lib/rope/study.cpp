#include "rope/study.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "core/errors.hpp"
#include "core/fit.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "core/parse.hpp"
#include "rope/claims.hpp"

namespace rope {

namespace {

void check_head_dimension(unsigned d) {
  if (d % 2 != 0)
    throw core::InputError("--d: expected an even head dimension in [2, 4096], got '" + std::to_string(d) + "'");
}

}  // namespace

std::string_view to_string(Precision p) {
  return p == Precision::float32 ? "float" : "double";
}

void declare_options(core::Options& o, BaseConfig& config) {
  o.binary_size_list("L", config.lengths, 1, max_context_length,
                     "context lengths, comma-separated (1k = 1024, 1M = 2^20), each in [1, 2^24]");
  o.integer("d", config.d, 2u, 4096u, "head dimension (even): d/2 rotated pairs");
  o.choice("precision", config.precision, precisions,
           "double, or float: the whole evaluation in float32 as a float32 tensor code does it");
  o.optional_real("base", config.base, core::positive_reals,
                  "check this base instead of searching: min f_B(m) over m < L, where, the first m with f < 0");
  o.integer("certify-max", config.certify_max, std::uint64_t{0}, max_context_length,
            "bracket and certify b* for L up to this (0: never; double only)");
  o.real("rel", config.rel, {1e-9, 1e-2}, "relative width of the certified bracket of b*");
}

namespace {

bool certifies_length(const BaseConfig& c, std::uint64_t L) {
  return c.precision == Precision::float64 && L <= c.certify_max && L > 1;
}

void check_cert_parts(const BaseConfig& c) {
  if (c.cert_parts < 1 || c.cert_parts > certificate_chunks)
    throw core::InputError("--cert-parts: expected an integer in [1, " + std::to_string(certificate_chunks) +
                           "], got '" + std::to_string(c.cert_parts) + "'");
}

}  // namespace

double base_estimated_seconds(const BaseConfig& c) {
  // Measured here (CPU seconds on one thread, d = 128): the grid search 0.4 s at 128k, 3-4 s at 512k and 1M,
  // 32 s at 2M (where b* ≪ the grid result and most grid points near it need a fresh refuter), about 1e-5 s
  // per unit of L at most; the certificate 0.3 s at 128k, 2.8 s at 1M, 33 s at 4M (about 4e-6 L); both grow
  // like d^1.75 (the scan as d, the steps as d^0.75). Each part of a certificate beyond the first repeats L's
  // grid search.
  double seconds = 0;
  for (std::uint64_t L : c.lengths) {
    const double l = static_cast<double>(L);
    seconds += 1e-5 * l;
    if (certifies_length(c, L)) seconds += 4e-6 * l + 1e-5 * l * (std::max(c.cert_parts, 1u) - 1);
  }
  return seconds * std::pow(static_cast<double>(c.d) / 128, 1.75);
}

std::size_t base_points(const BaseConfig& c) {
  std::size_t n = 0;
  for (std::uint64_t L : c.lengths) n += certifies_length(c, L) ? c.cert_parts : 1;
  return n;
}

BaseStudy base_study(const BaseConfig& c, const core::Tick& tick, core::Sweep* sweep) {
  check_head_dimension(c.d);
  check_cert_parts(c);
  core::require_time(base_estimated_seconds(c), core::list_extent("--L", c.lengths) + " with --d " +
                                                    std::to_string(c.d) + " and --certify-max " +
                                                    std::to_string(c.certify_max));
  BaseStudy s;
  s.paper_compared = c.d == paper_dimension;
  s.certifies = c.precision == Precision::float64 && c.certify_max > 1;
  const double x0 = ci_first_zero();
  struct Point {
    std::uint64_t L;
    std::uint32_t part, parts;
  };
  std::vector<Point> points;
  for (std::uint64_t L : c.lengths) {
    const std::uint32_t parts = certifies_length(c, L) ? c.cert_parts : 1;
    for (std::uint32_t j = 0; j < parts; ++j) points.push_back({L, j, parts});
  }
  // One point at a time, each with every thread (the grid search and the certificate use them).
  const auto rows = core::sweep_map(sweep, points.size(), 1, [&](std::size_t i) {
    const auto [L, part, parts] = points[i];
    BasePoint p{.L = L, .part = part};
    const GridSearch g = published_grid_search(L, c.d, c.precision, c.threads, c.device, c.poll);
    if (certifies_length(c, L))
      p.certificate = certify_part(L, c.d, g.b, c.rel, part, parts, c.threads, c.device, c.poll);
    if (part == 0) {
      BaseRow row{.L = L, .grid = g};
      const double b_paper = s.paper_compared ? paper_base(L) : 0;
      if (b_paper > 0)
        row.paper = {b_paper, rope_min_batch({b_paper}, L, c.d, c.precision, false, c.threads, c.device)[0]};
      row.ci_estimate = static_cast<double>(L) / x0;
      row.partial_rotary_min_f = rope_min_partial(g.b, L, c.d).min_f;
      p.head = std::move(row);
    }
    tick();
    return p;
  });
  // The finish: each L's row from its points, its certificate from its parts.
  for (std::size_t i = 0; i < rows.size();) {
    const std::uint32_t parts = points[i].parts;
    if (rows[i].L != points[i].L || rows[i].part != 0 || !rows[i].head)
      throw core::NumericalError("rope-base: point " + std::to_string(i) +
                                 " is not the first of L = " + core::binary_size_name(points[i].L));
    BaseRow row = *rows[i].head;
    const GridSearch& g = row.grid;
    if (certifies_length(c, row.L)) {
      std::vector<CertificatePart> cert;
      for (std::uint32_t j = 0; j < parts; ++j) {
        const auto& p = rows[i + j];
        if (p.L != row.L || p.part != j || !p.certificate)
          throw core::NumericalError("rope-base: point " + std::to_string(i + j) + " is not part " + std::to_string(j) +
                                     " of the certificate of L = " + core::binary_size_name(row.L));
        cert.push_back(*p.certificate);
      }
      row.certificate = combine_certificate(row.L, c.d, g.b, cert);
    }
    i += parts;
    s.checks += g.checks;
    s.cache_hits += g.cache_hits;
    if (row.paper && tighter_than_paper(g.b, row.paper->b)) s.tighter.push_back(row.L);
    if (row.certificate && row.certificate->certified && row.certificate->b_hi < g.b_below) s.skipped.push_back(row.L);
    if (g.start > grid_start_factor * static_cast<double>(row.L)) s.raised_start.push_back(row.L);
    if (row.paper && !row.paper->scan.feasible()) s.paper_fails.push_back(row.L);
    s.rows.push_back(std::move(row));
  }
  return s;
}

std::vector<BaseCheckRow> check_base(const BaseConfig& c) {
  check_head_dimension(c.d);
  if (!c.base || !(*c.base > 0)) throw core::InputError("--base: expected a base > 0");
  const double b = *c.base;
  std::vector<BaseCheckRow> rows;
  for (std::uint64_t L : c.lengths) {
    BaseCheckRow row{.L = L, .scan = rope_min_batch({b}, L, c.d, c.precision, false, c.threads, c.device)[0]};
    if (c.precision == Precision::float64) row.error_bound = rope_sum_error_bound(b, L, c.d);
    rows.push_back(row);
  }
  return rows;
}

std::vector<core::ColumnSet> base_columns() {
  return {
      {"",
       {{"L", "the context length"},
        {"d", "the head dimension"},
        {"precision", "double or float"},
        {"b_grid", "the result of the published grid search"},
        {"b_grid_below", "the grid point under it at the last level (0: none)"},
        {"refuter_below_m", "the first m with f < 0 at b_grid_below"},
        {"min_f_at_grid", "min of f over m < L at b_grid"},
        {"argmin_at_grid", "where"},
        {"grid_checks", "grid points the search as stated examines"},
        {"b_star_lo", "b* >= this: every b in [1, b_star_lo) refuted on certified sub-intervals (nan: none)", true},
        {"b_star_hi", "b* <= this: feasible beyond the rounding bound (nan when not certified)", true},
        {"certified", "whether b_star_hi was certified feasible"},
        {"cert_intervals", "the refuted sub-intervals covering [1, b_star_lo)"},
        {"min_f_at_star_hi", "min of f over m < L at b_star_hi", true},
        {"cert_error_bound", "the rounding bound of that scan", true},
        {"b_paper", "the paper's table (d = 128; nan: no entry)", true},
        {"paper_min_f", "min of f over m < L at b_paper", true},
        {"paper_first_negative_m", "its first m with f < 0 (-1: none)"},
        {"b_ci_estimate", "L / x0 with x0 the first zero of Ci (the d -> infinity estimate)"},
        {"partial_rotary_min_f", "min of f at b_grid with theta_i = 0 for half the pairs"}}},
      {"with --base",
       {{"b", "the base checked"},
        {"L", "the context length"},
        {"d", "the head dimension"},
        {"precision", "double or float"},
        {"min_f", "min of f_b(m) over m < L"},
        {"argmin", "where"},
        {"first_negative_m", "the first m with f < 0 (-1: none)"},
        {"feasible", "f_b(m) >= 0 for every m < L"},
        {"error_bound", "the rounding bound of the double scan (nan for float)", true}}},
  };
}

double curves_estimated_seconds(const CurvesConfig& c) {
  // Measured here: 5e-6 s per unit of L for the grid search (the default, L = 1k, 16k, 128k: 0.7 s of
  // user time), each factor's binned scan about a fifth of that; both grow like d^1.75 (base_estimated_seconds).
  double seconds = 0;
  for (std::uint64_t L : c.lengths)
    seconds += 5e-6 * static_cast<double>(L) * (1 + 0.2 * static_cast<double>(c.factors.size()));
  return seconds * std::pow(static_cast<double>(c.d) / 128, 1.75);
}

std::vector<CurveRow> curves_study(const CurvesConfig& c, const core::Tick& tick) {
  check_head_dimension(c.d);
  core::require_time(curves_estimated_seconds(c),
                     "--L with --d " + std::to_string(c.d) + " and " + std::to_string(c.factors.size()) + " factors");
  std::vector<CurveRow> rows;
  for (std::uint64_t L : c.lengths) {
    const double b_grid = published_grid_search(L, c.d, Precision::float64, c.threads).b;
    for (double f : c.factors) {
      const double b = f * b_grid;
      const std::uint64_t nb = std::min<std::uint64_t>(c.bins, L);
      const auto bins = core::parallel_map(nb, c.threads, [&](std::size_t k) {
        return rope_min(b, L * k / nb, L * (k + 1) / nb, c.d, Precision::float64, false);
      });
      for (std::size_t k = 0; k < nb; ++k)
        rows.push_back({L, f, b, L * k / nb, L * (k + 1) / nb - 1, bins[k],
                        rope_sum_ci_estimate(b, static_cast<double>(bins[k].argmin), c.d)});
      tick();
    }
  }
  return rows;
}

std::vector<core::ColumnSet> curves_columns() {
  return {{"",
           {{"L", "the context length"},
            {"factor", "b as a multiple of the grid-search result"},
            {"b", "factor x b_grid"},
            {"m_lo", "the first m of the range"},
            {"m_hi", "its last m"},
            {"f_min", "min of f_b(m) over the range"},
            {"argmin", "where"},
            {"ci_estimate", "the d -> infinity estimate (d/2)(Ci(m) - Ci(m/b))/ln b at argmin"}}}};
}

// ---- rope-law and rope-recommend ----

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// A certified bracket of b*(L) at d: the published grid search, then the certificate over [1, b_grid].
LawPoint certified_point(std::uint64_t L, unsigned d, double rel, unsigned threads, core::Device device,
                         const core::Tick& poll) {
  const GridSearch g = published_grid_search(L, d, Precision::float64, threads, device, poll);
  const Certificate cert = certify_infimum(L, d, g.b, rel, threads, device, poll);
  if (!cert.certified)
    throw core::NumericalError("b* for L = " + core::binary_size_name(L) + " at d = " + std::to_string(d) +
                               " could not be certified (the walk stalled below the grid result)");
  return {d, L, cert.b_lo, cert.b_hi};
}

// base_estimated_seconds of certifying every L of `lengths` at d.
double certify_seconds(const std::vector<std::uint64_t>& lengths, unsigned d) {
  return base_estimated_seconds({.lengths = lengths, .d = d, .certify_max = max_context_length});
}

std::vector<std::uint64_t> powers_of_two(std::uint64_t from, std::uint64_t to) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t L = from; L <= to; L *= 2) out.push_back(L);
  return out;
}

std::vector<LawPoint> read_law_inputs(const std::vector<std::string>& inputs) {
  std::vector<LawPoint> points;
  std::set<std::pair<unsigned, std::uint64_t>> seen;
  for (const auto& path : inputs)
    for (const auto& p : law_points_from_csv(core::read_csv_file(path, "--input"), "--input " + path)) {
      if (!seen.insert({p.d, p.L}).second)
        throw core::InputError("--input " + path + ": L = " + core::binary_size_name(p.L) +
                               " at d = " + std::to_string(p.d) + " appears twice among the inputs");
      points.push_back(p);
    }
  std::sort(points.begin(), points.end(),
            [](const LawPoint& a, const LawPoint& b) { return std::pair(a.d, a.L) < std::pair(b.d, b.L); });
  return points;
}

std::vector<LawPoint> points_of(const std::vector<LawPoint>& points, unsigned d) {
  std::vector<LawPoint> out;
  for (const auto& p : points)
    if (p.d == d) out.push_back(p);
  return out;
}

}  // namespace

double LawFit::at(double L) const {
  return c * std::pow(L, k);
}

LawFit fit_law(const std::vector<LawPoint>& points) {
  const std::size_t n = points.size();
  if (n < 4)
    throw core::InputError("the law b* = c L^k needs at least 4 certified L per d (for its leave-one-out range), got " +
                           std::to_string(n) + (n ? " at d = " + std::to_string(points[0].d) : ""));
  std::vector<double> x, y;
  for (const auto& p : points) {
    if (p.d != points[0].d) throw std::logic_error("fit_law: points of several d");
    x.push_back(static_cast<double>(p.L));
    y.push_back(p.b_hi);
  }
  const core::PowerLawFit f = core::fit_power_law(x, y);
  LawFit law{.d = points[0].d,
             .points = n,
             .L_min = points[0].L,
             .L_max = points[0].L,
             .c = f.prefactor,
             .k = f.exponent,
             .k_se = f.exponent_se,
             .k_lo95 = f.exponent_lo95,
             .k_hi95 = f.exponent_hi95,
             .k_jack_lo = std::numeric_limits<double>::infinity(),
             .k_jack_hi = -std::numeric_limits<double>::infinity()};
  double worst = 0;
  for (std::size_t i = 0; i < n; ++i) {
    law.L_min = std::min(law.L_min, points[i].L);
    law.L_max = std::max(law.L_max, points[i].L);
    worst = std::max(worst, std::fabs(std::log(y[i]) - std::log(law.at(x[i]))));
    std::vector<double> xs = x, ys = y;
    xs.erase(xs.begin() + static_cast<std::ptrdiff_t>(i));
    ys.erase(ys.begin() + static_cast<std::ptrdiff_t>(i));
    const double k = core::fit_power_law(xs, ys).exponent;
    law.k_jack_lo = std::min(law.k_jack_lo, k);
    law.k_jack_hi = std::max(law.k_jack_hi, k);
  }
  law.band = std::exp(worst);
  return law;
}

std::vector<LawPoint> law_points_from_csv(const core::CsvTable& t, const std::string& what) {
  const std::size_t cL = t.column("L", what), cd = t.column("d", what), clo = t.column("b_star_lo", what),
                    chi = t.column("b_star_hi", what), ccert = t.column("certified", what);
  std::vector<LawPoint> points;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto& cert = t.rows[i][ccert];
    if (cert == "false") continue;
    if (cert != "true")
      throw core::InputError(what + ": line " + std::to_string(t.lines[i]) +
                             ", column 'certified': expected true or false, got '" + cert + "'");
    const double L = core::csv_number(t, i, cL, what), d = core::csv_number(t, i, cd, what);
    if (!(L >= 2 && L <= static_cast<double>(max_context_length) && L == std::floor(L)) ||
        !(d >= 2 && d <= 4096 && d == std::floor(d) && std::fmod(d, 2) == 0))
      throw core::InputError(what + ": line " + std::to_string(t.lines[i]) +
                             ": expected an integer L in [2, 2^24] and an even d in [2, 4096]");
    LawPoint p{static_cast<unsigned>(d), static_cast<std::uint64_t>(L), core::csv_number(t, i, clo, what),
               core::csv_number(t, i, chi, what)};
    if (!(p.b_lo >= 1 && p.b_lo <= p.b_hi))
      throw core::InputError(what + ": line " + std::to_string(t.lines[i]) + ": expected 1 <= b_star_lo <= b_star_hi");
    points.push_back(p);
  }
  return points;
}

double law_estimated_seconds(const LawConfig& c) {
  if (!c.inputs.empty()) return 0;
  double seconds = 0;
  for (unsigned d : c.dims) seconds += certify_seconds(c.lengths, d);
  return seconds;
}

std::size_t law_points(const LawConfig& c) {
  return c.inputs.empty() ? c.dims.size() * c.lengths.size() : 0;
}

LawStudy law_study(const LawConfig& c, const core::Tick& tick, core::Sweep* sweep) {
  LawStudy s;
  if (!c.inputs.empty()) {
    if (sweep) throw core::InputError("--shard: rope-law --input reads its points and has no sweep to split");
    s.points = read_law_inputs(c.inputs);
    if (s.points.empty()) throw core::InputError("--input: no certified b* in the files");
  } else {
    for (unsigned d : c.dims) check_head_dimension(d);
    for (std::uint64_t L : c.lengths)
      if (L < 2) throw core::InputError("--L: a certified b* needs L >= 2");
    if (std::set<std::uint64_t>(c.lengths.begin(), c.lengths.end()).size() != c.lengths.size() ||
        std::set<unsigned>(c.dims.begin(), c.dims.end()).size() != c.dims.size())
      throw core::InputError("--L: each context length (and each --d) once");
    if (c.lengths.size() < 4)
      throw core::InputError("--L: the law needs at least 4 context lengths (its leave-one-out range refits 3)");
    core::require_time(law_estimated_seconds(c), core::list_extent("--L", c.lengths) + " at " +
                                                     std::to_string(c.dims.size()) + " head dimension(s)");
    const std::size_t nL = c.lengths.size();
    // One point at a time, each with every thread (as rope-base).
    s.points = core::sweep_map(sweep, c.dims.size() * nL, 1, [&](std::size_t i) {
      const LawPoint p = certified_point(c.lengths[i % nL], c.dims[i / nL], c.rel, c.threads, c.device, c.poll);
      tick();
      return p;
    });
    std::stable_sort(s.points.begin(), s.points.end(),
                     [](const LawPoint& a, const LawPoint& b) { return std::pair(a.d, a.L) < std::pair(b.d, b.L); });
  }
  std::set<unsigned> dims;
  for (const auto& p : s.points) dims.insert(p.d);
  for (unsigned d : dims) {
    const auto points = points_of(s.points, d);
    if (points.size() < 4)
      throw core::InputError("--input: " + std::to_string(points.size()) + " certified b* at d = " + std::to_string(d) +
                             " in the files; the law needs at least 4 per d");
    s.fits.push_back(fit_law(points));
  }
  return s;
}

std::vector<core::ColumnSet> law_columns() {
  return {{"",
           {{"d", "the head dimension"},
            {"L", "the context length"},
            {"b_star_lo", "certified: b* >= this"},
            {"b_star_hi", "certified: b* <= this, feasible (the value fitted)"},
            {"law", "c L^k, the fit at this L"},
            {"residual", "ln b_star_hi - ln law"},
            {"paper_law", "the paper's curve 0.0424 L^1.628 (Figure 1, d = 128)"},
            {"c", "the fit's prefactor (this d)"},
            {"k", "the fit's exponent"},
            {"k_se", "its OLS standard error"},
            {"k_lo95", "OLS 95% t-interval of k, as if the deviations were independent noise (they are not)"},
            {"k_hi95", "its upper end"},
            {"k_jack_lo", "the smallest exponent of the fits leaving one L out"},
            {"k_jack_hi", "the largest"},
            {"band", "exp(max |residual|) over this d: every fitted b* within law / band .. law x band"},
            {"points", "the L fitted at this d"}}}};
}

std::string_view to_string(RecommendSource s) {
  switch (s) {
    case RecommendSource::certified: return "certified";
    case RecommendSource::table: return "table";
    case RecommendSource::law: return "law";
  }
  return "?";
}

ProvenBase smallest_proven_base(double from, std::uint64_t L, unsigned d, unsigned digits, unsigned max_tries) {
  if (!(from > 0) || !std::isfinite(from)) throw std::logic_error("smallest_proven_base: from must be finite and > 0");
  if (digits > 15) throw core::InputError("--digits: expected 0 .. 15");
  FeasibilityChecker checker(L, d, Precision::float64);
  ProvenBase r;
  // A candidate: q · 10^e with 10^(digits-1) <= q < 10^digits (exact for an integer base).
  const auto value = [](double q, int e) { return e >= 0 ? q * std::pow(10.0, e) : q / std::pow(10.0, -e); };
  double q = 0;
  int e = 0;
  if (digits > 0) {
    e = static_cast<int>(std::floor(std::log10(from))) - static_cast<int>(digits) + 1;
    q = std::ceil(from / std::pow(10.0, e));
    while (value(q, e) < from) ++q;
    while (q > 1 && value(q - 1, e) >= from) --q;
  }
  const double q_max = std::pow(10.0, digits);
  if (digits > 0 && q >= q_max) {
    q = q_max / 10;
    ++e;
  }
  for (r.tried = 1; r.tried <= max_tries; ++r.tried) {
    const double b = digits == 0 ? from : value(q, e);
    if (checker.feasible(b)) {
      const RopeMin scan = rope_min(b, L, d);
      const double bound = rope_sum_error_bound(b, L, d);
      if (scan.min_f > bound) {
        r.base = b;
        r.scan = scan;
        r.error_bound = bound;
        return r;
      }
    }
    if (digits == 0) break;
    if (++q >= q_max) {
      q = q_max / 10;
      ++e;
    }
  }
  throw core::NumericalError("no base with " + std::to_string(digits) + " significant digits from " +
                             core::format_sig(from, 10) + " up is proven feasible at L = " + core::binary_size_name(L) +
                             ", d = " + std::to_string(d) + " within " + std::to_string(max_tries) + " candidates");
}

namespace {

// The certificates computed on the spot (for `certified` and, with `fit`, the law's L = 1k .. fit_max) and
// about one full scan per recommendation (1e-8 s per m and pair).
double recommend_seconds(const RecommendConfig& c, const std::vector<std::uint64_t>& certified, bool fit) {
  double seconds = certify_seconds(certified, c.d);
  if (fit) seconds += certify_seconds(powers_of_two(1u << 10, c.fit_max), c.d);
  for (std::uint64_t L : c.lengths) seconds += 1e-8 * static_cast<double>(L) * c.d / 2;
  return seconds;
}

}  // namespace

double recommend_estimated_seconds(const RecommendConfig& c) {
  std::vector<std::uint64_t> certified;
  bool law = false;
  for (std::uint64_t L : c.lengths) (L <= c.certify_max ? certified.push_back(L) : void(law = true));
  return recommend_seconds(c, certified, law && c.inputs.empty());
}

RecommendStudy recommend_study(const RecommendConfig& c, const core::Tick& tick) {
  check_head_dimension(c.d);
  for (std::uint64_t L : c.lengths)
    if (L < 2) throw core::InputError("--L: a recommendation needs L >= 2");
  std::vector<LawPoint> table;
  if (!c.inputs.empty()) table = points_of(read_law_inputs(c.inputs), c.d);
  const auto in_table = [&](std::uint64_t L) {
    return std::find_if(table.begin(), table.end(), [&](const LawPoint& p) { return p.L == L; });
  };
  bool need_law = false;
  for (std::uint64_t L : c.lengths) need_law |= in_table(L) == table.end() && L > c.certify_max;
  // Only what is computed here counts: the table's lookups are free.
  const auto fit_lengths = powers_of_two(1u << 10, c.fit_max);
  const bool fit_here = need_law && c.inputs.empty();
  std::vector<std::uint64_t> certified;
  for (std::uint64_t L : c.lengths)
    if (in_table(L) == table.end() && L <= c.certify_max &&
        !(fit_here && std::find(fit_lengths.begin(), fit_lengths.end(), L) != fit_lengths.end()))
      certified.push_back(L);
  core::require_time(recommend_seconds(c, certified, fit_here),
                     core::list_extent("--L", c.lengths) + " with --d " + std::to_string(c.d) + ", --certify-max " +
                         std::to_string(c.certify_max) + " and --fit-max " + std::to_string(c.fit_max));
  RecommendStudy s;
  std::vector<LawPoint> computed;  // certified here for the law, reused by the rows at the same L
  if (need_law) {
    if (!c.inputs.empty()) {
      if (table.size() < 4)
        throw core::InputError("--input: " + std::to_string(table.size()) +
                               " certified b* at d = " + std::to_string(c.d) +
                               " in the files; the law needs 4 (leave --input out to fit it " + "on the spot)");
      s.law = fit_law(table);
      s.law_from_inputs = true;
    } else {
      if (fit_lengths.size() < 4) throw core::InputError("--fit-max: the law needs L = 1k .. at least 8k");
      for (std::uint64_t L : fit_lengths)
        computed.push_back(certified_point(L, c.d, c.rel, c.threads, c.device, c.poll));
      s.law = fit_law(computed);
    }
  }
  for (std::uint64_t L : c.lengths) {
    Recommendation r{.L = L, .b_star_lo = nan, .b_star_hi = nan, .law = nan, .law_lo = nan, .law_hi = nan};
    if (s.law) {
      r.law = s.law->at(static_cast<double>(L));
      r.law_lo = r.law / s.law->band;
      r.law_hi = r.law * s.law->band;
      r.extrapolated = L < s.law->L_min || L > s.law->L_max;
    }
    double from = 0;
    if (const auto it = in_table(L); it != table.end()) {
      r.source = RecommendSource::table;
      r.b_star_lo = it->b_lo;
      r.b_star_hi = it->b_hi;
      from = it->b_lo;
    } else if (L <= c.certify_max) {
      const auto done = std::find_if(computed.begin(), computed.end(), [&](const LawPoint& p) { return p.L == L; });
      const LawPoint p = done != computed.end() ? *done : certified_point(L, c.d, c.rel, c.threads, c.device, c.poll);
      r.source = RecommendSource::certified;
      r.b_star_lo = p.b_lo;
      r.b_star_hi = p.b_hi;
      from = p.b_lo;
    } else {
      r.source = RecommendSource::law;
      from = r.law_hi;
    }
    // Every b below b_lo is refuted, so the smallest proven base from b_lo up is the smallest at all
    // (with its digits); digits = 0 gives b_hi, the certificate's own feasible end.
    r.base = c.digits == 0 && r.source != RecommendSource::law ? smallest_proven_base(r.b_star_hi, L, c.d, 0)
                                                               : smallest_proven_base(from, L, c.d, c.digits);
    s.rows.push_back(r);
    tick();
  }
  return s;
}

std::vector<core::ColumnSet> recommend_columns() {
  return {{"",
           {{"L", "the context length"},
            {"d", "the head dimension"},
            {"source", "certified (b* certified here), table (from --input), law (the law's upper band)"},
            {"base",
             "the recommendation: the smallest base with --digits significant digits at or above b_star_lo "
             "(law: law_hi) that is proven feasible"},
            {"min_f", "min of f_base(m) over m < L"},
            {"argmin", "where"},
            {"error_bound", "the scan's rounding bound (min_f exceeds it)"},
            {"candidates", "bases tried, in increasing order, until one was proven feasible"},
            {"b_star_lo", "certified: b* >= this (nan for law)", true},
            {"b_star_hi", "certified: b* <= this (nan for law)", true},
            {"law", "the law c L^k at this L (nan: no law was needed)", true},
            {"law_lo", "law / band", true},
            {"law_hi", "law x band", true},
            {"extrapolated", "L outside the L the law was fitted to"},
            {"base_over_b_star", "base / b_star_hi (law: base / law)", true}}}};
}

}  // namespace rope
