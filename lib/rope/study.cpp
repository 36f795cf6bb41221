#include "rope/study.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/errors.hpp"
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
  // Measured here (user seconds, d = 128): the grid search about 3e-5 s per unit of L (--L 256k: 6.5 s;
  // --L 1M: 29 s), the certificate about 1.1e-9 L^2 s (--L 128k: 12 s; --L 256k --certify-max 262144: 58 s);
  // both grow like d^1.75 (--d 256: 3.4 times the default's 70 s). Not divided by the threads: the search
  // gains little from them. Each part of a certificate beyond the first repeats L's grid search.
  double seconds = 0;
  for (std::uint64_t L : c.lengths) {
    const double l = static_cast<double>(L);
    seconds += 3e-5 * l;
    if (certifies_length(c, L)) seconds += 1.1e-9 * l * l + 3e-5 * l * (std::max(c.cert_parts, 1u) - 1);
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
  // Measured here: 1.7e-5 s per unit of L for the grid search (the default, L = 1k, 16k, 128k: 2.4 s of
  // user time), each factor's binned scan about a fifth of that; both grow like d^1.75 (base_estimated_seconds).
  double seconds = 0;
  for (std::uint64_t L : c.lengths)
    seconds += 1.7e-5 * static_cast<double>(L) * (1 + 0.2 * static_cast<double>(c.factors.size()));
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

}  // namespace rope
