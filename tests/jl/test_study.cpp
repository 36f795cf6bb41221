// The studies of lib/jl/study.hpp called directly: their defaults, their checks, their verdicts.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "../core/shard_and_merge.hpp"
#include "core/claims.hpp"
#include "core/errors.hpp"
#include "core/row_codec.hpp"
#include "core/sweep.hpp"
#include "jl/claims.hpp"
#include "jl/study.hpp"

TEST_CASE("the configs' defaults are the tool's") {
  const jl::ProjectStudyConfig project;
  CHECK(project.points == 200);
  CHECK(project.dim == 1000);
  CHECK(project.input.empty());
  CHECK(project.projection.dims == std::vector<std::size_t>{8, 16, 32, 64, 128, 256, 512});
  CHECK(project.projection.eps == 0.1);
  const jl::MinDimConfig min_dim;
  CHECK(min_dim.points == std::vector<std::size_t>{10, 30, 100, 300, 1000});
  CHECK(min_dim.eps == 0.5);
  CHECK(min_dim.trials == 10);
  const jl::TailConfig ortho{.kind = jl::TailKind::ortho};
  CHECK(ortho.dims.size() == 9);
  CHECK(ortho.eps == std::vector<double>{0.1, 0.25, 0.5, 0.75});
  CHECK(ortho.trials == 20000);
  const jl::EntropyStudyConfig entropy;
  CHECK_FALSE(entropy.needle);
  CHECK(entropy.rho == 0.9);
  CHECK(entropy.sweep.log2_from == 4);
  CHECK(entropy.sweep.log2_to == 20);
  const jl::DimsConfig dims;
  CHECK(dims.points == std::vector<std::uint64_t>{512, 100000, 5000000});
  CHECK(dims.d == 64);
}

TEST_CASE("a bad config is an InputError naming its option") {
  const auto names = [](auto&& call, const std::string& option) {
    try {
      call();
    } catch (const core::InputError& e) {
      return std::string(e.what()).find(option) != std::string::npos;
    }
    return false;
  };
  jl::ProjectStudyConfig project;
  project.projection.dims = {};
  CHECK(names([&] { jl::project_study(project); }, "--n"));
  project.projection.dims = {0};
  CHECK(names([&] { jl::project_study(project); }, "--n"));
  jl::MinDimConfig min_dim;
  min_dim.points = {10, 1};
  CHECK(names([&] { jl::min_dim_study(min_dim); }, "--points"));
  min_dim.points = {10};
  min_dim.delta = 1;
  CHECK(names([&] { jl::min_dim_study(min_dim); }, "--delta"));
  jl::TailConfig tail;
  tail.eps = {0.5, 1.0};
  CHECK(names([&] { jl::tail_bounds_study(tail); }, "--eps"));
  tail.eps = {0.5};
  tail.dims = {};
  CHECK(names([&] { jl::tail_bounds_study(tail); }, "--n"));
  jl::EntropyStudyConfig entropy;
  entropy.sweep.log2_from = 9;
  entropy.sweep.log2_to = 8;
  CHECK(names([&] { jl::entropy_study(entropy); }, "--log2-from"));
  entropy.sweep.log2_from = 4;
  entropy.sweep.min_queries = 100;
  entropy.sweep.max_queries = 50;
  CHECK(names([&] { jl::entropy_study(entropy); }, "--min-queries"));
  jl::DimsConfig dims;
  dims.points = {512, 1};
  CHECK(names([&] { jl::dims_study(dims); }, "--points"));
  dims.points = {512};
  dims.eps = 0;
  CHECK(names([&] { jl::dims_study(dims); }, "--eps"));
}

TEST_CASE("the Monte Carlo band: a row is inside up to sigmas standard errors plus one hit, outside beyond") {
  const std::size_t trials = 10000;
  const double band = jl::monte_carlo_band(0.5, trials, 4);  // 4 * 0.005 + 1e-4
  CHECK(band == Approx(0.0201));
  CHECK(jl::monte_carlo_band(0.5, trials) == band);  // the summary's band is 4 sigma
  jl::TailRow row;
  row.exact = 0.5;
  row.monte_carlo = 0.5 + 0.99 * band;
  CHECK(jl::within_monte_carlo_band(row, trials));
  row.monte_carlo = 0.5 - 1.01 * band;
  CHECK_FALSE(jl::within_monte_carlo_band(row, trials));
  CHECK(jl::within_monte_carlo_band(row, trials, 5));  // the wider band of a test
  // An exact tail of 0 leaves one hit of slack.
  row.exact = 0;
  row.monte_carlo = 1.0 / trials;
  CHECK(jl::within_monte_carlo_band(row, trials));
  row.monte_carlo = 2.0 / trials;
  CHECK_FALSE(jl::within_monte_carlo_band(row, trials));
}

TEST_CASE("the tail study counts its bounds and its band, and names its claim") {
  for (auto kind : {jl::TailKind::norm, jl::TailKind::ortho}) {
    const jl::TailConfig c{.kind = kind, .dims = {4, 64}, .eps = {0.1, 0.5}, .trials = 4000};
    std::size_t ticks = 0;
    const auto result = jl::tail_bounds_study(c, [&] { ++ticks; });
    CHECK(ticks == 1);
    CHECK(result.rows.size() == 4);
    CHECK(result.bounds_hold);
    CHECK(result.failed_bounds == 0);
    std::size_t inside = 0;
    for (const auto& r : result.rows) inside += jl::within_monte_carlo_band(r, c.trials);
    CHECK(result.within_band == inside);
    const auto& claim = core::find_claim(jl::claims(), jl::tail_claim_key(kind));
    CHECK(claim.published == "holds");
  }
}

TEST_CASE("min-dim: the ratio to 24 ln N/eps^2, the fit's prediction and the far-below verdict") {
  jl::MinDimConfig c;
  c.points = {10, 30};
  c.dim = 64;
  std::size_t ticks = 0;
  const auto result = jl::min_dim_study(c, [&] { ++ticks; });
  CHECK(ticks == 2);
  REQUIRE(result.rows.size() == 2);
  double worst = 0;
  for (const auto& r : result.rows) {
    CHECK(r.ln_n == std::log(static_cast<double>(r.search.points)));
    CHECK(r.over_jl24 == static_cast<double>(r.search.n_min) / r.search.jl24);
    CHECK(r.c_fit_prediction == Approx(result.c * r.ln_n / (c.eps * c.eps)));
    worst = std::max(worst, r.over_jl24);
  }
  CHECK(result.worst_over_jl24 == worst);
  CHECK(result.far_below == (worst <= jl::far_below_fraction));
  CHECK(result.far_below);                            // as published: n_min is far below the bound
  CHECK(result.dasgupta_gupta_factor == Approx(12));  // 4/(1/2 - 1/6) at eps = 0.5
}

TEST_CASE("project: one row per target dimension over the Gaussian points or a CSV") {
  jl::ProjectStudyConfig c;
  c.points = 30;
  c.dim = 40;
  c.projection.dims = {4, 32};
  std::size_t ticks = 0;
  const auto result = jl::project_study(c, [&] { ++ticks; });
  CHECK(ticks == 2);
  CHECK(result.points == 30);
  CHECK(result.dim == 40);
  REQUIRE(result.rows.size() == 2);
  CHECK(result.rows[0].pairs == 30 * 29 / 2);
  CHECK(result.rows[1].q50 < result.rows[0].q50);  // a larger n distorts less
  CHECK(result.jl24 == jl::jl_bound_24(30, 0.1));

  const auto path = std::filesystem::temp_directory_path() / "jl_study_points.csv";
  std::ofstream(path) << "x,y,z\n1,2,3\n3,1,0\n0,0,1\n";
  c.input = path.string();
  const auto from_csv = jl::project_study(c);
  CHECK(from_csv.points == 3);
  CHECK(from_csv.dim == 3);
  std::filesystem::remove(path);
}

TEST_CASE("entropy: every row carries its scale's fits and the needle's rho") {
  jl::EntropyStudyConfig c;
  c.sweep.log2_to = 7;
  c.sweep.work = 1024;
  c.sweep.min_queries = 8;
  std::size_t ticks = 0;
  const auto plain = jl::entropy_study(c, [&] { ++ticks; });
  CHECK(ticks == 4);  // n = 2^4 .. 2^7
  CHECK(plain.rows.size() == 4 * std::size(jl::all_scales));
  REQUIRE(plain.slopes.size() == std::size(jl::all_scales));
  for (const auto& r : plain.rows) {
    CHECK(r.ln_n == std::log(static_cast<double>(r.row.n)));
    CHECK(r.needle_rho == 0);
    CHECK(r.row.needle_mass_mean == 0);
    CHECK(r.fit.scale == r.row.scale);
    for (const auto& f : plain.slopes)
      if (f.scale == r.row.scale) CHECK(r.fit.slope == f.slope);
  }
  c.needle = true;
  c.rho = 0.8;
  const auto needle = jl::entropy_study(c);
  for (const auto& r : needle.rows) {
    CHECK(r.needle_rho == 0.8);
    CHECK(r.row.needle_mass_mean > 0);
  }
}

TEST_CASE("dims: the formulas, and 8.33 ln N rounds to the published 52, 96 and 128") {
  const jl::DimsConfig c;
  const auto rows = jl::dims_study(c);
  REQUIRE(rows.size() == std::size(jl::dims_claim_keys));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto x = static_cast<double>(rows[i].n);
    CHECK(rows[i].ln_n == std::log(x));
    CHECK(rows[i].jl24 == jl::jl_bound_24(x, c.eps));
    CHECK(rows[i].d_log512 == Approx(64 * std::log(x) / std::log(512.0)));
    const auto& claim = core::find_claim(jl::claims(), jl::dims_claim_keys[i]);
    INFO(claim.key);
    CHECK(std::abs(rows[i].entropy833 - claim.value) <= claim.tolerance);
  }
  CHECK(rows[0].log512 == Approx(1));
}

TEST_CASE("min-dim, the tails, entropy and positions split into shards and merged are the whole run") {
  jl::MinDimConfig m;
  m.points = {10, 20, 30};
  m.dim = 16;
  m.trials = 4;
  m.threads = 2;
  const auto whole_min = jl::min_dim_study(m);
  m.threads = 1;  // the rows do not depend on the threads
  const auto merged_min = shard_and_merge("min", 2, [&](core::Sweep* s) { return jl::min_dim_study(m, {}, s); });
  REQUIRE(merged_min.rows.size() == whole_min.rows.size());
  for (std::size_t i = 0; i < whole_min.rows.size(); ++i)
    CHECK(core::encode_row(merged_min.rows[i].search) == core::encode_row(whole_min.rows[i].search));
  CHECK(merged_min.c == whole_min.c);

  for (const auto kind : {jl::TailKind::norm, jl::TailKind::ortho}) {
    jl::TailConfig t{.kind = kind, .dims = {4, 8}, .eps = {0.25, 0.5}, .trials = 2500};
    const auto whole = jl::tail_bounds_study(t);
    const auto merged = shard_and_merge("tail", 4, [&](core::Sweep* s) { return jl::tail_bounds_study(t, {}, s); });
    REQUIRE(merged.rows.size() == whole.rows.size());
    for (std::size_t i = 0; i < whole.rows.size(); ++i) {
      CHECK(merged.rows[i].monte_carlo == whole.rows[i].monte_carlo);
      CHECK(merged.rows[i].exact == whole.rows[i].exact);
    }
    CHECK(merged.within_band == whole.within_band);
  }

  jl::EntropyStudyConfig e;
  e.sweep.log2_from = 3;
  e.sweep.log2_to = 6;
  e.sweep.work = 256;
  e.sweep.min_queries = 8;
  e.needle = true;
  const auto whole_entropy = jl::entropy_study(e);
  const auto merged_entropy =
      shard_and_merge("entropy", 3, [&](core::Sweep* s) { return jl::entropy_study(e, {}, s); });
  REQUIRE(merged_entropy.rows.size() == whole_entropy.rows.size());
  for (std::size_t i = 0; i < whole_entropy.rows.size(); ++i)
    CHECK(core::encode_row(merged_entropy.rows[i].row) == core::encode_row(whole_entropy.rows[i].row));
  for (std::size_t i = 0; i < whole_entropy.slopes.size(); ++i)
    CHECK(merged_entropy.slopes[i].slope == whole_entropy.slopes[i].slope);

  jl::PositionsConfig p;
  p.sweep = e.sweep;
  const auto whole_positions = jl::positions_study(p);
  const auto merged_positions =
      shard_and_merge("positions", 2, [&](core::Sweep* s) { return jl::positions_study(p, {}, s); });
  REQUIRE(merged_positions.rows.size() == whole_positions.rows.size());
  for (std::size_t i = 0; i < whole_positions.rows.size(); ++i)
    CHECK(core::encode_row(merged_positions.rows[i].row) == core::encode_row(whole_positions.rows[i].row));
}
