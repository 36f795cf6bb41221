// jl-entropy positions (lib/jl/study.hpp): the log n scale per query position of a causal sequence.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.hpp"
#include "jl/entropy.hpp"
#include "jl/study.hpp"

using jl::PositionScale;

TEST_CASE("position_scale: 1/sqrt(d) up to T, log_T(i)/sqrt(d) beyond, and the constant one is the article's at L") {
  const double d = 64, length = 1 << 20;
  for (double i = 1; i <= length; i *= 2) {
    CHECK(jl::position_scale(PositionScale::inv_sqrt_d, i, length, d, 512) == 0.125);
    CHECK(jl::position_scale(PositionScale::constant, i, length, d, 512) ==
          jl::softmax_scale(jl::Scale::log512, length, d, 0));
    const double per = jl::position_scale(PositionScale::per_position, i, length, d, 512);
    if (i <= 512)
      CHECK(per == 0.125);
    else
      CHECK(per == Approx(jl::softmax_scale(jl::Scale::log512, i, d, 0)).epsilon(1e-15));
    CHECK(jl::position_scale(PositionScale::per_position, i, length, d, 8192) ==
          Approx(std::max(1.0, std::log(i) / std::log(8192.0)) / 8).epsilon(1e-15));
  }
}

TEST_CASE("positions_study: position i is the entropy study at n = i keys, and the scales meet where they must") {
  jl::PositionsConfig c;
  c.sweep.d = 16;
  c.sweep.log2_from = 4;
  c.sweep.log2_to = 12;
  c.sweep.work = 1 << 16;
  c.sweep.min_queries = 16;
  c.sweep.max_queries = 256;
  std::size_t ticks = 0;
  const auto s = jl::positions_study(c, [&] { ++ticks; });
  CHECK(ticks == 9);
  CHECK(s.length == 4096);
  REQUIRE(s.rows.size() == 27);
  jl::EntropyStudyConfig e;
  e.sweep = c.sweep;
  const auto entropy = jl::entropy_study(e);
  REQUIRE(entropy.rows.size() == 27);
  for (std::size_t p = 0; p < 9; ++p) {
    const auto &inv = s.rows[3 * p].row, &constant = s.rows[3 * p + 1].row, &per = s.rows[3 * p + 2].row;
    INFO("position " << inv.n);
    CHECK(s.rows[3 * p].scale == PositionScale::inv_sqrt_d);
    CHECK(s.rows[3 * p + 2].scale == PositionScale::per_position);
    // The same draws as entropy's n = i (stream p): 1/sqrt(d) gives the same rows bit for bit, and beyond T
    // the per-position scale is entropy's log_512(n)/sqrt(d).
    CHECK(inv.entropy_mean == entropy.rows[3 * p].row.entropy_mean);
    if (inv.n >= 512)
      CHECK(per.entropy_mean == entropy.rows[3 * p + 1].row.entropy_mean);
    else
      CHECK(per.entropy_mean == inv.entropy_mean);
    // Entropy falls as lambda grows (dH/dlambda = -lambda Var_p(s) <= 0 query by query): the constant scale,
    // the largest below L, gives the lowest entropy at every earlier position, and meets the per-position one
    // at i = L.
    if (inv.n < s.length)
      CHECK(constant.entropy_mean < per.entropy_mean);
    else
      CHECK(constant.entropy_mean == per.entropy_mean);
    CHECK(per.entropy_mean <= inv.entropy_mean);
  }
  c.train_length = 1;
  CHECK_THROWS_AS(jl::positions_study(c), core::InputError);
}
