#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>

#include "abc/claims.hpp"
#include "abc/study.hpp"
#include "core/errors.hpp"

using abc::Method;
using core::u128;

TEST_CASE("every method agrees with auto on a range of N") {
  for (u128 n = 0; n <= 3000; ++n) {
    const auto c = abc::compare_methods(n, abc::exact_methods);
    REQUIRE(c.differ.empty());
    REQUIRE(c.agree.size() == 4);
  }
}

TEST_CASE("a sweep compares, by default, only the methods it can afford over its range") {
  CHECK(abc::affordable_sweep_methods(1000).size() == 4);
  CHECK(abc::affordable_sweep_methods(10000000).size() == 3);
  CHECK(abc::affordable_sweep_methods(abc::max_n) == std::vector<Method>{Method::pruned});
}

namespace {

abc::ScalingConfig small_config(unsigned threads) {
  abc::ScalingConfig c{.decades = {},
                       .max_n = {10000000, u128{100000000000000ull}, u128{10000000000000000ull} * 10000, abc::max_n}};
  c.decades = {.from_exponent = 3, .to_exponent = 22, .samples = 6, .seed = 5, .threads = threads};
  return c;
}

}  // namespace

TEST_CASE("work grows like N, N^(1/2) and N^(1/4) for brute, sqrt and quarter") {
  const auto result = abc::scaling_study(small_config(2), [] {});
  REQUIRE(result.fits.size() == 4);
  for (const auto& f : result.fits) {
    INFO(abc::to_string(f.method) << ": k = " << f.fit.exponent);
    if (f.method == Method::pruned) {
      // No derivation to hold it to: only that it beats the full window's N^(1/4).
      CHECK(f.fit.exponent < 0.25);
      continue;
    }
    CHECK(f.fit.exponent == Approx(f.expected).margin(0.02));
    CHECK(f.fit.exponent_lo95 <= f.expected + 0.02);
  }
}

TEST_CASE("the scaling sample and the work counts do not depend on the thread count") {
  const auto one = abc::scaling_study(small_config(1), [] {});
  const auto two = abc::scaling_study(small_config(2), [] {});
  REQUIRE(one.rows.size() == two.rows.size());
  for (std::size_t i = 0; i < one.rows.size(); ++i) {
    CHECK(one.rows[i].n == two.rows[i].n);
    CHECK(one.rows[i].candidates == two.rows[i].candidates);
  }
}

TEST_CASE("S - 2 sqrt(N) stays inside the derived window and grows like N^(1/6), not N^(1/4)") {
  abc::GapConfig c;
  c.decades = {.from_exponent = 4, .to_exponent = 26, .samples = 40, .seed = 1, .threads = 2};
  const auto result = abc::gap_study(c, [] {});
  REQUIRE(result.rows.size() == 23);
  for (const auto& row : result.rows) {
    INFO("decade " << row.decade);
    CHECK(row.min >= 0);                          // AM-GM: S >= 2 sqrt(N) for N >= 4
    CHECK(row.max_gap_over_window_bound <= 1.0);  // the derivation's window 2 + sqrt(1 + 4 sqrt N)
    CHECK(row.median_gap_over_n_1_6 > 0.5);       // the N^(1/6) scaling holds decade after decade ...
    CHECK(row.median_gap_over_n_1_6 < 2.0);
  }
  CHECK(result.rows.back().median_gap_over_n_1_4 <
        result.rows.front().median_gap_over_n_1_4 / 10);  // ... N^(1/4) does not
  REQUIRE(result.fit.has_value());
  CHECK(result.fit->exponent == Approx(1.0 / 6).margin(0.01));
}

TEST_CASE("solve_study: the published example reproduces, and only a lone published N is checked") {
  const auto& ex = abc::published_example;
  const std::vector<u128> one{ex.n}, two{ex.n, 4};
  const auto single = abc::solve_study(one, Method::automatic);
  CHECK(single.method == Method::pruned);
  REQUIRE(single.reproduces_published.has_value());
  CHECK(*single.reproduces_published);
  CHECK(single.rows[0].solution.sum == ex.minimum.sum);
  CHECK(single.rows[0].naive == ex.naive_sum);
  const auto both = abc::solve_study(two, Method::sqrt);
  CHECK_FALSE(both.reproduces_published.has_value());
  CHECK(both.candidates == both.rows[0].solution.candidates + both.rows[1].solution.candidates);
  CHECK(abc::solve_inputs({}, std::cin) == one);
}

TEST_CASE("sweep_study tallies what its rows show") {
  const abc::SweepConfig config{.from = 100, .to = 400, .threads = 2};
  std::size_t rows = 0, misses = 0;
  double lo = 1e300, hi = -1e300;
  const auto result = abc::sweep_study(config, [&](u128, const abc::Comparison& c) {
    ++rows;
    misses += c.naive != c.solution.sum;
    lo = std::min(lo, c.gap);
    hi = std::max(hi, c.gap);
  });
  CHECK(rows == 301);
  CHECK(result.values == 301);
  CHECK(result.methods == abc::affordable_sweep_methods(400));
  CHECK(result.disagreements == 0);
  CHECK(result.naive_misses == misses);
  CHECK(result.gap_min == lo);
  CHECK(result.gap_max == hi);
  REQUIRE(result.reproduces_published.has_value());
  CHECK(*result.reproduces_published);
  CHECK_FALSE(
      abc::sweep_study({.from = 131, .to = 140}, [](u128, const abc::Comparison&) {}).reproduces_published.has_value());
  CHECK_THROWS_AS(abc::check_sweep({.from = 0, .to = 10000000}), core::InputError);
  CHECK_NOTHROW(abc::check_sweep({.from = 1, .to = 10000000}));
  CHECK_THROWS_AS(abc::check_sweep({.from = 2000000000, .to = 2000000000, .methods = {Method::brute}}),
                  core::InputError);
}

TEST_CASE("scaling rows carry their method's fit (nan without one), gaps carry the largest window ratio") {
  const auto scaling = abc::scaling_study(small_config(2));
  for (const auto& row : scaling.rows) {
    const auto fit = std::find_if(scaling.fits.begin(), scaling.fits.end(),
                                  [&](const abc::ScalingFit& f) { return f.method == row.method; });
    REQUIRE(fit != scaling.fits.end());
    CHECK(row.fit_exponent == fit->fit.exponent);
    CHECK(row.fit_exponent_lo95 == fit->fit.exponent_lo95);
    CHECK(row.expected_exponent == fit->expected);
    CHECK(fit->derived == (row.method != Method::pruned));
  }
  auto few = small_config(1);
  few.fit_from = abc::max_n;
  for (const auto& row : abc::scaling_study(few).rows) CHECK(std::isnan(row.fit_exponent));

  abc::GapConfig c;
  c.decades = {.from_exponent = 2, .to_exponent = 8, .samples = 20};
  const auto gaps = abc::gap_study(c);
  double worst = 0;
  std::size_t below = 0;
  for (const auto& row : gaps.rows) worst = std::max(worst, row.max_gap_over_window_bound), below += row.p_not_above_2sqrtN;
  CHECK(gaps.window.max_gap_over_window_bound == worst);
  CHECK(gaps.window.published_lower_failures == below);
  CHECK(gaps.window.checked == c.decades.count());
  CHECK(gaps.window.corrected_holds());
}

TEST_CASE("the published window fails at its strict lower end, floor(2 sqrt N) <= p holds, both ends checked") {
  const auto w = abc::window_check(100000);
  CHECK(w.checked == 100000);
  // N = 1, 2, 3: a = b = 0, c = N (p = 0); N = 4: a = b = 2 (p = 4 = 2 sqrt 4); N = 5: a = b = 2, c = 1,
  // S = 5, p = 4 < 2 sqrt 5 = 4.47 (nothing with S = 5 has p = 5: c = 0 would need ab = 5 with a + b = 5).
  REQUIRE(w.first_published_failures.size() == abc::WindowTally::first_failures_kept);
  CHECK(std::vector<core::u128>(w.first_published_failures.begin(), w.first_published_failures.begin() + 5) ==
        std::vector<core::u128>{1, 2, 3, 4, 5});
  CHECK(!w.published_holds());
  // Every perfect square k^2 >= 4 is a counterexample (a = b = k, c = 0 is the unique minimum 2k), so at
  // least the 315 squares 2^2 .. 316^2 are counted.
  CHECK(w.published_lower_failures >= 315);
  CHECK(w.corrected_lower_failures == 0);
  CHECK(!w.smallest_corrected_failure);
  CHECK(w.upper_failures == 0);
  CHECK(w.max_gap_over_window_bound <= 1);
  CHECK(w.corrected_holds());
  // Each end can fail on its own: a tally fed a minimum that violates it says so.
  abc::WindowTally t;
  t.add(100, {.a = 1, .b = 100, .c = 0, .sum = 101});  // far above 2 sqrt N + 2 + sqrt(41) = 28.4
  CHECK(t.upper_failures == 1);
  CHECK(t.smallest_upper_failure == core::u128{100});
  t.add(101, {.a = 9, .b = 10, .c = 11, .sum = 30});  // p = 19 < floor(2 sqrt 101) = 20
  CHECK(t.corrected_lower_failures == 1);
  CHECK(t.published_lower_failures == 1);
  CHECK(!t.corrected_holds());
}
