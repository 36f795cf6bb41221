// The studies behind quanta-scaling's subcommands (lib/quanta/study.hpp), called directly.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "../core/shard_and_merge.hpp"
#include "core/errors.hpp"
#include "core/shard.hpp"
#include "core/sweep.hpp"
#include "quanta/claims.hpp"
#include "quanta/study.hpp"

using Catch::Matchers::Contains;

TEST_CASE("curve_study: n (1 - ratio) approaches g/2 at the last point, and ends match the rows") {
  quanta::CurveConfig c;
  c.gammas = {0.5, 2};
  c.points = 20;
  const auto s = quanta::curve_study(c);
  REQUIRE(s.ends.size() == 2);
  CHECK(s.rows.size() == 2 * (s.rows.size() / 2));
  CHECK(s.n_first == 1);
  CHECK(s.n_last == 1e9);
  for (const auto& e : s.ends) {
    CHECK(e.limit == e.gamma / 2);
    CHECK(e.last.n == s.n_last);
    CHECK(e.first.n == s.n_first);
    // Euler-Maclaurin: n (1 - ratio) = g/2 + O(1/n), so at n = 1e9 it agrees to far better than 1e-3.
    CHECK(std::abs(e.last_n_error - e.limit) < 1e-3 * e.limit);
  }
  for (const auto& r : s.rows) CHECK(r.n_times_1_minus_ratio == r.point.n * (1 - r.point.tail_ratio));
}

TEST_CASE("curve_study rejects b <= a and from > to, naming the option") {
  quanta::CurveConfig c;
  c.losses = {.a = 1, .b = 1};
  CHECK_THROWS_WITH(quanta::curve_study(c), Contains("--b"));
  c.losses = {};
  c.from = 100, c.to = 10;
  CHECK_THROWS_WITH(quanta::curve_study(c), Contains("--from: must not exceed --to"));
}

TEST_CASE("simulate resolve: 0 means each axis's default range and unlimited quanta") {
  quanta::SimulateConfig c;
  c.model.axis = quanta::Axis::steps;
  auto m = quanta::resolve(c);
  CHECK(m.from == 1e3);
  CHECK(m.to == 1e9);
  CHECK(m.quanta == quanta::unlimited);
  c.model.axis = quanta::Axis::data;
  c.quanta = 500;
  m = quanta::resolve(c);
  CHECK(m.from == 1e6);
  CHECK(m.to == 1e12);
  CHECK(m.quanta == 500);
  c.from = 1e13;  // above the default --to
  CHECK_THROWS_WITH(quanta::resolve(c), Contains("--from: must not exceed --to"));
}

TEST_CASE("simulate_study on the params axis is exact: one fit per gamma, intervals counted") {
  quanta::SimulateConfig c;
  c.model.axis = quanta::Axis::params;
  c.model.gammas = {0.5, 1};
  c.model.points = 8;
  std::size_t ticks = 0;
  const auto s = quanta::simulate_study(c, [&] { ++ticks; });
  CHECK(ticks == quanta::simulate_steps(c));
  CHECK(s.exact);
  REQUIRE(s.fits.size() == 2);
  CHECK(s.rows.size() == 16);
  std::size_t covered = 0;
  for (const auto& f : s.fits) covered += f.covers();
  CHECK(s.covered == covered);
  for (const auto& r : s.rows) CHECK(r.fit.gamma == r.point.gamma);
}

TEST_CASE("emergence resolve: defaults per axis, K from --quanta, and the unlimited exponent") {
  quanta::EmergenceStudyConfig c;
  CHECK(quanta::resolve(c).to == 1e9);
  c.model.axis = quanta::Axis::data;
  CHECK(quanta::resolve(c).to == 1e10);
  CHECK(quanta::resolve(c).quanta == 1e4);
  c.model.points = 5;
  const auto s = quanta::emergence_study(c);
  CHECK(s.unlimited_exponent == Approx(c.model.gamma / (c.model.gamma + 1)));
  c.from = 1e11;
  CHECK_THROWS_WITH(quanta::resolve(c), Contains("--from: must not exceed --to"));
}

TEST_CASE("paper_value and epoch_value look the published fit up by key") {
  const auto& a = core::find_claim(quanta::claims(), "fit_a");
  CHECK(quanta::paper_value("a_N") == a.value);
  CHECK(quanta::paper_value("b_D") == 1 - a.value);
  CHECK(quanta::paper_value("E") == core::find_claim(quanta::claims(), "fit_E").value);
  CHECK(quanta::epoch_value("beta") == core::find_claim(quanta::claims(), "epoch_beta").value);
  CHECK(std::isnan(quanta::paper_value("G")));
  CHECK(std::isnan(quanta::epoch_value("a_N")));
}

TEST_CASE("fit_study on a power law: steps counted, rows without published values, no beta prediction") {
  quanta::FitConfig c;
  c.csv_path = "-";
  c.settings.form = quanta::LawForm::power0;
  c.exclude = 0;
  c.settings.bootstrap = 3;
  // fit_observations reads stdin for '-'; use a file instead.
  const std::string path = "quanta_study_fit.csv";
  {
    std::ofstream f(path);
    f << "loss,Model Size,Training FLOP\n";
    for (double n : {1e6, 1e7, 1e8, 1e9}) f << 5 * std::pow(n, -0.1) << "," << n << "," << 100 * n << "\n";
  }
  c.csv_path = path;
  std::size_t ticks = 0;
  const auto s = quanta::fit_study(c, [&] { ++ticks; });
  CHECK(ticks == quanta::fit_steps(c));
  CHECK(!s.every_run);
  CHECK(!s.beta);
  REQUIRE(!s.rows.empty());
  for (const auto& r : s.rows) CHECK(std::isnan(r.paper));
  const auto alpha = std::find_if(s.estimates.begin(), s.estimates.end(), [](auto& e) { return e.name == "alpha"; });
  REQUIRE(alpha != s.estimates.end());
  CHECK(alpha->value == Approx(0.1).epsilon(1e-4));
  CHECK_THROWS_WITH(quanta::surface_study(c), Contains("--table"));
  c.exclude = 3;  // leaves 1 row for 2 parameters
  CHECK_THROWS_WITH(quanta::fit_observations(c), Contains("--exclude-highest"));
  std::remove(path.c_str());
}

TEST_CASE("fit_columns: params, then surface") {
  const auto& sets = quanta::fit_columns();
  REQUIRE(sets.size() == 2);
  CHECK(sets[0].columns.front().name == "excluded");
  CHECK(sets[1].columns.back().name == "loss");
}

TEST_CASE("within_interval: inside, outside at either end, and none without an interval") {
  quanta::Estimate e{.name = "E", .value = 1, .se = 0.1, .lo95 = 0.8, .hi95 = 1.2};
  CHECK(quanta::within_interval(0.8, e) == true);
  CHECK(quanta::within_interval(1.2, e) == true);
  CHECK(quanta::within_interval(0.79, e) == false);
  CHECK(quanta::within_interval(1.21, e) == false);
  e.lo95 = e.hi95 = std::numeric_limits<double>::quiet_NaN();
  CHECK(!quanta::within_interval(1, e).has_value());
}

TEST_CASE("simulate_study through 3 shards and a merge gives the whole run's rows and fits") {
  quanta::SimulateConfig c;
  c.model.gammas = {0.5, 2};
  c.model.points = 5;
  c.model.seeds = 3;
  c.model.threads = 2;
  c.to = 1e9;
  const auto whole = quanta::simulate_study(c);
  const auto merged = shard_and_merge("quanta_study_simulate", 3,
                                      [&](core::Sweep* sweep) { return quanta::simulate_study(c, {}, sweep); });
  REQUIRE(merged.rows.size() == whole.rows.size());
  for (std::size_t i = 0; i < whole.rows.size(); ++i) {
    const auto &w = whole.rows[i].point, &m = merged.rows[i].point;
    CHECK(m.x == w.x);
    CHECK(m.loss_mean == w.loss_mean);
    CHECK(m.loss_sd == w.loss_sd);
    CHECK(m.loss_expected == w.loss_expected);
  }
  REQUIRE(merged.fits.size() == whole.fits.size());
  for (std::size_t i = 0; i < whole.fits.size(); ++i) {
    CHECK(merged.fits[i].exponent == whole.fits[i].exponent);
    CHECK(merged.fits[i].lo95 == whole.fits[i].lo95);
    CHECK(merged.fits[i].hi95 == whole.fits[i].hi95);
  }
}

TEST_CASE("fit_study through 2 shards and a merge gives the whole fit's bootstrap and estimates") {
  quanta::FitConfig c;
  c.settings.form = quanta::LawForm::power;
  c.exclude = 1;
  c.settings.bootstrap = 7;
  c.settings.perturbations = 1;
  quanta::Observations o;
  for (double n : {1e6, 3e6, 1e7, 3e7, 1e8, 3e8, 1e9}) {
    o.n.push_back(n);
    o.loss.push_back((1.5 + 40 * std::pow(n, -0.3)) * (1 + 0.01 * std::sin(n)));
  }
  const auto whole = quanta::fit_study(c, o);
  const auto merged =
      shard_and_merge("quanta_study_fit", 2, [&](core::Sweep* sweep) { return quanta::fit_study(c, o, {}, sweep); });
  CHECK(whole.main.bootstrap.size() + whole.main.bootstrap_failed == 7);
  CHECK(merged.main.bootstrap == whole.main.bootstrap);
  CHECK(merged.main.bootstrap_failed == whole.main.bootstrap_failed);
  // nan (the comparison fit's rows have no interval) counts as equal to nan.
  const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
  REQUIRE(merged.rows.size() == whole.rows.size());
  for (std::size_t i = 0; i < whole.rows.size(); ++i) {
    CHECK(merged.rows[i].estimate.value == whole.rows[i].estimate.value);
    CHECK(same(merged.rows[i].estimate.se, whole.rows[i].estimate.se));
    CHECK(same(merged.rows[i].estimate.lo95, whole.rows[i].estimate.lo95));
  }
}
