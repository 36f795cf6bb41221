#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/claims.hpp"
#include "core/errors.hpp"
#include "core/parse.hpp"
#include "core/row_codec.hpp"
#include "long_min.hpp"
#include "rope/claims.hpp"
#include "rope/study.hpp"

TEST_CASE("the b_* claims are generated from the paper's table, texts as published") {
  const auto& first = core::find_claim(rope::claims(), "b_1k");
  CHECK(first.claim == "b* for L = 1k at d = 128 (published grid search)");
  CHECK(first.published == "4.3e3");
  CHECK(first.quick);
  const auto& last = core::find_claim(rope::claims(), "b_1M");
  CHECK(last.claim == "b* for L = 1M at d = 128 (published grid search)");
  CHECK(last.published == "5.1e8");
  CHECK_FALSE(last.quick);
  CHECK_FALSE(core::find_claim(rope::claims(), "b_32k").quick);
  CHECK(core::find_claim(rope::claims(), "b_16k").quick);
  for (const auto& e : rope::paper_table()) {
    const auto& c = core::find_claim(rope::claims(), "b_" + core::binary_size_name(e.L));
    CHECK(c.value == e.b);
    CHECK(std::stod(std::string(c.published)) == e.b);
    CHECK(c.compare == core::Compare::relative);
    CHECK(c.tolerance == 0.05);
  }
}

TEST_CASE("base_study: the paper's 4k entry fails, none is beaten at 1k and 4k, the 1k bracket is certified") {
  const rope::BaseConfig config{.lengths = {1u << 10, 1u << 12}, .certify_max = 1u << 10, .threads = 2};
  std::size_t ticks = 0;
  const auto s = rope::base_study(config, [&] { ++ticks; });
  CHECK(ticks == 2);
  REQUIRE(s.rows.size() == 2);
  CHECK(s.paper_compared);
  CHECK(s.certifies);
  CHECK(s.paper_fails == std::vector<std::uint64_t>{1u << 12});
  CHECK(s.tighter.empty());
  CHECK(s.skipped.empty());
  CHECK(s.checks == s.rows[0].grid.checks + s.rows[1].grid.checks);
  REQUIRE(s.rows[0].certificate);
  CHECK(s.rows[0].certificate->certified);
  CHECK(s.rows[0].certificate->b_lo <= s.rows[0].grid.b);
  CHECK_FALSE(s.rows[1].certificate);  // above certify_max
  REQUIRE(s.rows[1].paper);
  CHECK(s.rows[1].paper->b == rope::paper_base(1u << 12));
  CHECK(s.rows[1].paper->scan.first_negative == 4079);
}

TEST_CASE("base_study away from d = 128 and in float: no paper entry, no certificate") {
  const rope::BaseConfig config{.lengths = {256}, .d = 64, .precision = rope::Precision::float32};
  const auto s = rope::base_study(config, [] {});
  CHECK_FALSE(s.paper_compared);
  CHECK_FALSE(s.certifies);
  REQUIRE(s.rows.size() == 1);
  CHECK_FALSE(s.rows[0].paper);
  CHECK_FALSE(s.rows[0].certificate);
  CHECK_THROWS_AS(rope::base_study({.d = 7}, [] {}), core::InputError);
}

TEST_CASE("check_base: one row per L, the rounding bound only in double") {
  rope::BaseConfig config{.lengths = {4096, 8192}, .base = 500000};
  const auto rows = rope::check_base(config);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].scan.feasible());
  CHECK(rows[1].scan.argmin == 8140);
  CHECK(rows[1].error_bound.has_value());
  config.precision = rope::Precision::float32;
  CHECK_FALSE(rope::check_base(config)[0].error_bound.has_value());
}

TEST_CASE("curves_study: the bins of each curve cover m = 0 .. L-1 in order") {
  const rope::CurvesConfig config{.lengths = {1024, 100}, .factors = {0.5, 1}, .bins = 150};
  std::size_t ticks = 0;
  const auto rows = rope::curves_study(config, [&] { ++ticks; });
  CHECK(ticks == 4);
  REQUIRE(rows.size() == 2 * 150 + 2 * 100);  // at most L bins
  std::uint64_t next = 0;
  for (const auto& r : rows) {
    CHECK(r.m_lo == next);
    CHECK(r.m_hi >= r.m_lo);
    CHECK(r.bin.argmin >= r.m_lo);
    CHECK(r.bin.argmin <= r.m_hi);
    next = r.m_hi + 1 == r.L ? 0 : r.m_hi + 1;
  }
  CHECK(rows[0].b == 0.5 * rows[150].b);
}

TEST_CASE("base_study with the certificate in parts: a point per part, the same rows as in one part") {
  const rope::BaseConfig one{.lengths = {1u << 10, 1u << 11, 1u << 12}, .certify_max = 1u << 11, .threads = 1};
  rope::BaseConfig three = one;
  three.cert_parts = 3;
  CHECK(rope::base_points(one) == 3);
  CHECK(rope::base_points(three) == 3 + 3 + 1);  // 4k is above certify_max: one point
  std::size_t ticks = 0;
  const auto a = rope::base_study(one, [] {});
  const auto b = rope::base_study(three, [&] { ++ticks; });
  CHECK(ticks == 7);
  REQUIRE(a.rows.size() == 3);
  REQUIRE(b.rows.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(core::encode_row(a.rows[i]) == core::encode_row(b.rows[i]));  // every member, bit for bit (1 thread:
    // cache_hits varies with the threads)
    CHECK(a.rows[i].certificate.has_value() == (i < 2));
  }
  CHECK(a.checks == b.checks);
  three.cert_parts = 33;
  CHECK_THROWS_AS(rope::base_study(three, [] {}), core::InputError);
}

// ---- rope-law and rope-recommend ----

namespace {

// Least squares on (ln L, ln b) by hand, in long double: k, ln c, the residuals, se(k).
struct HandFit {
  long double k, ln_c, se;
  std::vector<long double> residuals;
};

HandFit hand_fit(const std::vector<rope::LawPoint>& p, std::size_t skip = SIZE_MAX) {
  long double sx = 0, sy = 0, n = 0;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (i != skip) {
      sx += std::log(static_cast<long double>(p[i].L));
      sy += std::log(static_cast<long double>(p[i].b_hi));
      n += 1;
    }
  const long double mx = sx / n, my = sy / n;
  long double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (i != skip) {
      const long double dx = std::log(static_cast<long double>(p[i].L)) - mx;
      sxx += dx * dx;
      sxy += dx * (std::log(static_cast<long double>(p[i].b_hi)) - my);
    }
  HandFit f{sxy / sxx, my - sxy / sxx * mx, 0, {}};
  long double ss = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const long double r =
        std::log(static_cast<long double>(p[i].b_hi)) - (f.ln_c + f.k * std::log(static_cast<long double>(p[i].L)));
    f.residuals.push_back(r);
    if (i != skip) ss += r * r;
  }
  f.se = std::sqrt(ss / (n - 2) / sxx);
  return f;
}

std::vector<rope::LawPoint> paper_points() {
  std::vector<rope::LawPoint> points;
  for (const auto& e : rope::paper_table()) points.push_back({128, e.L, e.b, e.b});
  return points;
}

}  // namespace

TEST_CASE("fit_law equals least squares in log-log done by hand, and refits the paper's Figure 1 from its table") {
  const auto points = paper_points();
  const rope::LawFit f = rope::fit_law(points);
  const HandFit h = hand_fit(points);
  CHECK(f.d == 128);
  CHECK(f.points == 11);
  CHECK(f.L_min == 1024);
  CHECK(f.L_max == 1u << 20);
  CHECK(f.k == Approx(static_cast<double>(h.k)).epsilon(1e-12));
  CHECK(std::log(f.c) == Approx(static_cast<double>(h.ln_c)).epsilon(1e-12));
  CHECK(f.k_se == Approx(static_cast<double>(h.se)).epsilon(1e-10));
  // Student t, 9 degrees of freedom, 97.5%: 2.262157163.
  CHECK(f.k_hi95 - f.k == Approx(2.262157163 * static_cast<double>(h.se)).epsilon(1e-8));
  CHECK(f.k - f.k_lo95 == Approx(f.k_hi95 - f.k).epsilon(1e-12));
  long double worst = 0, jack_lo = 1e9, jack_hi = -1e9;
  for (std::size_t i = 0; i < points.size(); ++i) {
    worst = std::max(worst, std::fabs(h.residuals[i]));
    const long double k = hand_fit(points, i).k;
    jack_lo = std::min(jack_lo, k);
    jack_hi = std::max(jack_hi, k);
  }
  CHECK(f.band == Approx(std::exp(static_cast<double>(worst))).epsilon(1e-12));
  CHECK(f.k_jack_lo == Approx(static_cast<double>(jack_lo)).epsilon(1e-12));
  CHECK(f.k_jack_hi == Approx(static_cast<double>(jack_hi)).epsilon(1e-12));
  for (const auto& p : points) {
    CHECK(p.b_hi <= f.at(static_cast<double>(p.L)) * f.band * (1 + 1e-12));
    CHECK(p.b_hi >= f.at(static_cast<double>(p.L)) / f.band * (1 - 1e-12));
  }
  // The figure's curve: 0.0424 L^1.628 to its printed digits (the prefactor from the rounded table: 0.04235).
  CHECK(std::fabs(f.k - rope::paper_law_k) < 5e-4);
  CHECK(f.c == Approx(rope::paper_law_c).epsilon(5e-3));
  CHECK(rope::paper_law(1024) == Approx(0.0424 * std::pow(1024.0, 1.628)));
}

TEST_CASE("fit_law refuses fewer than 4 points and points of several d") {
  auto points = paper_points();
  points.resize(3);
  CHECK_THROWS_AS(rope::fit_law(points), core::InputError);
  points = paper_points();
  points[1].d = 64;
  CHECK_THROWS_AS(rope::fit_law(points), std::logic_error);
}

TEST_CASE("law_points_from_csv: certified rows only, bad values refused") {
  const std::string header = "L,d,b_star_lo,b_star_hi,certified,x\n";
  const auto t = core::parse_csv(header + "1024,128,4293.4,4293.5,true,a\n2048,128,nan,nan,false,b\n", "t");
  const auto points = rope::law_points_from_csv(t, "t");
  REQUIRE(points.size() == 1);
  CHECK(points[0].L == 1024);
  CHECK(points[0].d == 128);
  CHECK(points[0].b_lo == 4293.4);
  CHECK(points[0].b_hi == 4293.5);
  CHECK_THROWS_AS(rope::law_points_from_csv(core::parse_csv(header + "1024,128,1,2,maybe,a\n", "t"), "t"),
                  core::InputError);
  CHECK_THROWS_AS(rope::law_points_from_csv(core::parse_csv(header + "1024,127,1,2,true,a\n", "t"), "t"),
                  core::InputError);
  CHECK_THROWS_AS(rope::law_points_from_csv(core::parse_csv(header + "1024,128,3,2,true,a\n", "t"), "t"),
                  core::InputError);
  CHECK_THROWS_AS(rope::law_points_from_csv(core::parse_csv("L,d\n1,2\n", "t"), "t"), core::InputError);
}

TEST_CASE("law_study computes certified points per (d, L), sorted, and fits each d") {
  const rope::LawConfig config{.dims = {32, 16}, .lengths = {64, 128, 256, 512}, .threads = 2};
  std::size_t ticks = 0;
  const auto s = rope::law_study(config, [&] { ++ticks; });
  CHECK(ticks == 8);
  CHECK(rope::law_points(config) == 8);
  REQUIRE(s.points.size() == 8);
  REQUIRE(s.fits.size() == 2);
  CHECK(s.fits[0].d == 16);
  CHECK(s.fits[1].d == 32);
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(s.points[i].d == (i < 4 ? 16u : 32u));
    CHECK(s.points[i].L == config.lengths[i % 4]);
    const auto g = rope::published_grid_search(s.points[i].L, s.points[i].d, rope::Precision::float64, 1);
    const auto c = rope::certify_infimum(s.points[i].L, s.points[i].d, g.b, 1e-6, 1);
    CHECK(s.points[i].b_lo == c.b_lo);
    CHECK(s.points[i].b_hi == c.b_hi);
  }
  const std::vector<rope::LawPoint> d16(s.points.begin(), s.points.begin() + 4);
  CHECK(s.fits[0].k == rope::fit_law(d16).k);
  CHECK_THROWS_AS(rope::law_study({.dims = {7}, .lengths = {64, 128, 256, 512}}, [] {}), core::InputError);
}

TEST_CASE("smallest_proven_base at a small L: proven feasible, two digits, and minimal above the certified b*") {
  const std::uint64_t L = 300;
  const unsigned d = 32;
  const auto g = rope::published_grid_search(L, d, rope::Precision::float64, 1);
  const auto c = rope::certify_infimum(L, d, g.b, 1e-6, 1);
  REQUIRE(c.certified);
  const auto r = rope::smallest_proven_base(c.b_lo, L, d, 2);
  CHECK(r.base >= c.b_lo);
  CHECK(r.scan.min_f > r.error_bound);
  CHECK(long_min(r.base, 0, L, d) > 0);  // feasible in long double too
  // Two significant digits: base = q 10^e with q in 10 .. 99.
  const double e = std::pow(10.0, std::floor(std::log10(r.base)) - 1);
  CHECK(r.base / e == std::round(r.base / e));
  // Minimal: every two-digit base in [b_lo, base) fails (b < b_lo is refuted by the certificate).
  unsigned below = 0;
  for (double q = std::ceil(c.b_lo / e); q * e < r.base; ++q, ++below) {
    const auto m = rope::rope_min(q * e, L, d);
    CHECK_FALSE(m.feasible());
    CHECK(rope::rope_sum_long(q * e, static_cast<std::uint64_t>(m.first_negative), d) < 0);
  }
  CHECK(r.tried == below + 1);
  // digits = 0: the certificate's own feasible end.
  CHECK(rope::smallest_proven_base(c.b_hi, L, d, 0).base == c.b_hi);
  // The paper's 4k entry rounds b* up to 2.7e4 and fails; the recommendation steps past it.
  const auto r4k = rope::smallest_proven_base(26952.329237809783, 4096, 128, 2);
  CHECK(r4k.base == 29000);
  CHECK(r4k.tried == 3);
}

TEST_CASE("recommend_study: certified below --certify-max, the law's upper band above it") {
  const rope::RecommendConfig config{
      .lengths = {300, 20000}, .d = 64, .certify_max = 1000, .fit_max = 8192, .threads = 2};
  std::size_t ticks = 0;
  const auto s = rope::recommend_study(config, [&] { ++ticks; });
  CHECK(ticks == 2);
  REQUIRE(s.rows.size() == 2);
  REQUIRE(s.law);
  CHECK_FALSE(s.law_from_inputs);
  CHECK(s.law->L_min == 1024);
  CHECK(s.law->L_max == 8192);
  const auto& cert = s.rows[0];
  CHECK(cert.source == rope::RecommendSource::certified);
  CHECK(cert.base.base >= cert.b_star_lo);
  CHECK(cert.extrapolated);
  const auto& law = s.rows[1];
  CHECK(law.source == rope::RecommendSource::law);
  CHECK(std::isnan(law.b_star_lo));
  CHECK(law.law == Approx(s.law->at(20000)));
  CHECK(law.law_hi == Approx(law.law * s.law->band));
  CHECK(law.base.base >= law.law_hi);
  CHECK(law.extrapolated);
  for (const auto& r : s.rows) {
    CHECK(r.base.scan.min_f > r.base.error_bound);
    CHECK(rope::rope_min(r.base.base, r.L, config.d).feasible());
  }
  CHECK(to_string(rope::RecommendSource::table) == "table");
  CHECK_THROWS_AS(rope::recommend_study({.lengths = {300}, .d = 7}, [] {}), core::InputError);
}
