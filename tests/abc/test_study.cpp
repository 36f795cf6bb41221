#include <catch2/catch.hpp>

#include "abc/study.hpp"

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
    CHECK(row.min >= 0);               // AM-GM: S >= 2 sqrt(N) for N >= 4
    CHECK(row.max_over_bound <= 1.0);  // the derivation's window 2 + sqrt(1 + 4 sqrt N)
    CHECK(row.median_over_n16 > 0.5);  // the N^(1/6) scaling holds decade after decade ...
    CHECK(row.median_over_n16 < 2.0);
  }
  CHECK(result.rows.back().median_over_n14 < result.rows.front().median_over_n14 / 10);  // ... N^(1/4) does not
  REQUIRE(result.fit.has_value());
  CHECK(result.fit->exponent == Approx(1.0 / 6).margin(0.01));
}
