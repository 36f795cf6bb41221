#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/claims.hpp"
#include "core/errors.hpp"
#include "core/parse.hpp"
#include "core/row_codec.hpp"
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
