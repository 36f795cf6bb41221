// The studies of lib/w2/study.hpp called directly: their defaults, bad configs, the tallies and verdicts
// the summaries and `reproduce` read, and the columns each subcommand writes.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "../core/shard_and_merge.hpp"
#include "core/errors.hpp"
#include "core/row_codec.hpp"
#include "core/sweep.hpp"
#include "w2/study.hpp"

using namespace w2;
using Catch::Matchers::StartsWith;

namespace {

// A verdict whose three forms give the bounds `bounds` (drift term only, W2[p_T, q_T] = 0).
Verdict verdict_with(double w2, std::array<double, 3> bounds) {
  BoundTerms terms;
  terms.drift_term = bounds;
  return verdict(w2, w2, terms, 0.0);
}

GaussianRow failing_row(unsigned d, double eta, bool holds) {
  GaussianRow row;
  row.input.data.mean = Vector::Zero(d);
  row.input.eta = eta;
  row.verdict.holds.fill(holds);
  return row;
}

std::vector<std::string> names(const std::vector<core::Column>& columns) {
  std::vector<std::string> out;
  for (const auto& c : columns) out.push_back(c.name);
  return out;
}

}  // namespace

TEST_CASE("study defaults are the published grids of the subcommands") {
  CHECK(GaussianSweep{}.size() == 4 * 3 * 4 * 5 * 2);
  CHECK(MixtureSweep{}.size() == 4 * 3);
  CHECK(MixtureSweep{}.tol.rel == MixtureCase{}.tol.rel);
  CHECK(SdeSweep{}.size() == 2 * 4 * 2);
  CHECK(DsmSweep{}.size() == 2 * 3);
  const CloudsConfig clouds;
  CHECK(clouds.mixture.error == ScoreError::scale);
  CHECK(clouds.mixture.particles == 100000);
  CHECK(clouds.bins == 120);
  const IntegrandConfig integrand;
  CHECK(integrand.error == ScoreError::bias);
  CHECK(integrand.points == 200);
  CHECK(integrand.variances == "4");
}

TEST_CASE("a bad config is an InputError naming its option, before any work") {
  GaussianSweep g;
  g.dims = {65};
  CHECK_THROWS_WITH(gaussian_study(g, {}), StartsWith("--dims"));
  g = {};
  g.variances = {"2:0"};
  CHECK_THROWS_WITH(gaussian_study(g, {}), StartsWith("--variances"));
  g = {};
  g.vp.beta_min = 0;
  CHECK_THROWS_WITH(gaussian_study(g, {}), StartsWith("--beta-min"));
  MixtureSweep m;
  m.data.weights = {0.5, 0.6};
  CHECK_THROWS_WITH(mixture_study(m, {}), StartsWith("--weights"));
  SdeSweep s;
  s.vp.t_end = 0;
  CHECK_THROWS_WITH(sde_study(s, {}), StartsWith("--T"));
  DsmSweep d;
  d.mixture.variances = {0.04, 0};
  CHECK_THROWS_WITH(dsm_study(d, {}), StartsWith("--variances"));
  CloudsConfig c;
  c.mixture.data.means = {1};
  CHECK_THROWS_WITH(clouds_study(c), StartsWith("--weights"));
  IntegrandConfig i;
  i.variances = "-1";
  CHECK_THROWS_AS(integrand_study(i), core::InputError);
}

TEST_CASE("a form holds while W2 stays within the slack of its bound, and fails just past it") {
  const double w2 = 2;
  const auto v = verdict_with(w2, {w2 * (1 + check_slack / 2), w2 * (1 - 2 * check_slack), w2 * 3});
  CHECK(v.holds[proof]);
  CHECK_FALSE(v.holds[backward]);
  CHECK(v.holds[two_sided]);
  CHECK_FALSE(v.chain_holds);  // W~2 = W2 exceeds bound_backward
  CHECK(v.ratio[two_sided] == Approx(3));
  CHECK(std::isinf(verdict_with(0, {1, 1, 1}).ratio[proof]));
}

TEST_CASE("per-form tallies: rows held, and bound/W2 over the rows with W2 > 0 (the upper median)") {
  const std::vector<Verdict> verdicts{verdict_with(1, {0.5, 4, 2}), verdict_with(1, {3, 1, 2}),
                                      verdict_with(0, {1, 1, 1}), verdict_with(1, {2, 2, 2})};
  const auto t = tally_forms(verdicts);
  CHECK(t[proof].rows == 4);
  CHECK(t[proof].held == 3);  // 0.5 < 1 fails; W2 = 0 holds
  CHECK(t[proof].ratios == 3);
  CHECK(t[proof].min_ratio == 0.5);
  CHECK(t[proof].median_ratio == 2);
  CHECK(t[proof].max_ratio == 3);
  CHECK(t[backward].held == 4);
  CHECK(t[backward].median_ratio == 2);
  CHECK(tally_forms({})[proof].ratios == 0);
}

TEST_CASE("the smallest counterexample: smallest (d, eta), the first on ties, none when all hold") {
  std::vector<GaussianRow> rows{failing_row(4, 0.01, false), failing_row(1, 0.1, true), failing_row(1, 0.3, false),
                                failing_row(1, 0.3, false), failing_row(4, 0.001, false)};
  CHECK(smallest_failure(rows, proof) == 2u);
  rows[1].verdict.holds[proof] = false;
  CHECK(smallest_failure(rows, proof) == 1u);
  for (auto& row : rows) row.verdict.holds[backward] = true;
  CHECK_FALSE(smallest_failure(rows, backward));
}

TEST_CASE("gaussian_study: grid order, and the tallies and verdicts match its rows") {
  GaussianSweep s;
  s.dims = {1, 2};
  s.variances = {"4"};
  s.errors = {ScoreError::bias, ScoreError::scale};
  s.etas = {0.001, 0.1};
  std::size_t ticks = 0;
  const auto res = gaussian_study(s, [&] { ++ticks; });
  REQUIRE(res.rows.size() == s.size());
  CHECK(ticks == s.size());
  CHECK(res.rows[0].input.prior == Prior::exact);  // the prior varies fastest, then eta, error, variances, d
  CHECK(res.rows[1].input.prior == Prior::standard);
  CHECK(res.rows[2].input.eta == 0.1);
  CHECK(res.rows[4].input.error == ScoreError::scale);
  CHECK(res.rows[8].input.data.mean.size() == 2);
  CHECK(res.failing_rows == 0);
  CHECK(res.chain_failures == 0);
  CHECK(res.forms[backward].held == res.rows.size());
  // Sigma = 4 I with a small bias: the literal form fails (lib/w2/claims.cpp, literal_constant).
  REQUIRE(res.smallest_failure[proof]);
  CHECK(res.smallest_failure[proof] == smallest_failure(res.rows, proof));
  CHECK(res.rows[*res.smallest_failure[proof]].input.data.mean.size() == 1);
  CHECK(res.forms[proof].held < res.rows.size());
}

TEST_CASE("sde_study: the paper's bound is twice the ODE drift term, the most negative cross term") {
  SdeSweep s;
  s.variances = {0.25, 4};
  s.errors = {ScoreError::time_linear};
  s.etas = {1};
  s.particles = 200;
  s.steps = 200;
  const auto res = sde_study(s, {});
  REQUIRE(res.rows.size() == 2);
  std::size_t negative = 0, worst = 0;
  for (std::size_t i = 0; i < res.rows.size(); ++i) {
    const auto& row = res.rows[i];
    CHECK(row.bound_paper == 2 * row.result.terms.drift_term[backward]);
    CHECK(row.holds_paper == at_most(row.result.w2, row.bound_paper));
    negative += row.result.min_cross < 0;
    if (row.result.min_cross < res.rows[worst].result.min_cross) worst = i;
  }
  CHECK(res.negative_cross_rows == negative);
  CHECK(res.negative_cross_rows >= 1);  // variance 0.25, time_linear, eta = 1 (test_sde_dsm.cpp)
  CHECK(res.most_negative_row == worst);
  CHECK(res.rows[0].input.variance == 0.25);
}

TEST_CASE("dsm_study: z-scores per row and the Monte Carlo band's verdicts") {
  DsmSweep s;
  s.times = {0.2};
  s.thetas = {0, 1};
  s.samples = 20000;
  const auto res = dsm_study(s, {});
  REQUIRE(res.rows.size() == 2 * 2);
  double spread = 0, gap = 0, gaussian = 0;
  for (const auto& row : res.rows) {
    CHECK(row.gap_z == (row.loss.gap - row.gap_exact) / row.loss.gap_se);
    spread = std::max(spread, std::abs(row.loss.spread_z));
    gap = std::max(gap, std::abs(row.gap_z));
    if (row.data == "gaussian") gaussian = std::max(gaussian, std::abs(row.gap_z));
  }
  CHECK(res.rows.front().data == "mixture");
  CHECK(res.rows.back().data == "gaussian");
  CHECK(res.max_abs_spread_z == spread);
  CHECK(res.max_abs_gap_z == gap);
  CHECK(res.max_abs_gaussian_gap_z == gaussian);
  CHECK(res.gap_theta_independent == (spread <= mc_z_limit));
  CHECK(res.gaussian_gap_agrees == (gaussian <= mc_z_limit));
  CHECK(res.gap_theta_independent);
  CHECK(res.gaussian_gap_agrees);
}

TEST_CASE("mixture_study: step totals and the coupling verdict over its rows") {
  MixtureSweep s;
  s.errors = {ScoreError::bias, ScoreError::scale};
  s.etas = {0.1};
  s.particles = 1000;
  const auto res = mixture_study(s, {});
  REQUIRE(res.rows.size() == 2);
  CHECK(res.rows[1].input.error == ScoreError::scale);
  CHECK(res.particle_steps == res.rows[0].result.particle_steps + res.rows[1].result.particle_steps);
  CHECK(res.min_block_steps <= res.max_block_steps);
  CHECK(res.failing_rows == res.coupling_failures);
  CHECK(res.failing_rows == 0);
  CHECK(res.rows[0].result.p0.empty());  // the clouds are not kept
}

TEST_CASE("clouds_study: equal bins over both clouds, densities that integrate to 1") {
  CloudsConfig c;
  c.mixture.particles = 2000;
  c.bins = 30;
  const auto res = clouds_study(c);
  REQUIRE(res.rows.size() == 30);
  const double width = res.rows[1].x - res.rows[0].x;
  double p = 0, q = 0;
  for (const auto& row : res.rows) p += row.p0_particles * width, q += row.q0_particles * width;
  CHECK(p == Approx(1).epsilon(1e-9));
  CHECK(q == Approx(1).epsilon(1e-9));
  CHECK(res.w2 > 0);
}

TEST_CASE("integrand_study: points + 1 times on [0, T], I_T from the last one") {
  IntegrandConfig c;
  c.points = 20;
  const auto res = integrand_study(c);
  REQUIRE(res.profile.size() == 21);
  CHECK(res.profile.front().t == 0);
  CHECK(res.profile.back().t == Approx(c.vp.t_end));
  CHECK(res.growth_at_T == res.profile.back().growth);
}

TEST_CASE("columns: the sweeps share the bound columns, which the cells of with_bound_cells fill") {
  const auto bound = names(bound_columns());
  REQUIRE(bound.size() == 15);
  CHECK(bound.front() == "drift_term_proof");
  CHECK(bound.back() == "holds_twosided");
  const auto g = names(gaussian_columns());
  CHECK(std::vector<std::string>(g.begin() + 8, g.begin() + 23) == bound);
  CHECK(g.back() == "ode_steps");
  CHECK(names(sde_columns())[23] == "bound_paper");
  CHECK(with_bound_cells({1.0, 2.0}, BoundTerms{}, Verdict{}, {true}).size() == 2 + 15 + 1);
  CHECK(names(dsm_columns()).size() == 10);
  CHECK(names(integrand_columns()).size() == 2 + 3 * 3);
  CHECK(names(clouds_columns()) == std::vector<std::string>{"x", "p0_particles", "q0_particles", "p0_exact"});
  for (const auto* columns : {&gaussian_columns(), &mixture_columns(), &sde_columns(), &dsm_columns()})
    for (const auto& c : *columns) CHECK(c.nonfinite_ok == (c.name.rfind("ratio_", 0) == 0));
}

TEST_CASE("the --help notes are written from the constants they name") {
  CHECK(gaussian_notes().find("slack of " + core::format_double(check_slack)) != std::string::npos);
  CHECK(mixture_notes().find("rel " + core::format_double(MixtureSweep{}.tol.rel)) != std::string::npos);
}

TEST_CASE("gaussian and mixture split into shards and merged are the whole run") {
  GaussianSweep g;
  g.dims = {1, 3};
  g.variances = {"0.25", "0.1:4"};
  g.etas = {0.01, 0.5};
  g.threads = 2;
  const auto whole = gaussian_study(g, {});
  g.threads = 1;  // the rows do not depend on the threads
  const auto merged = shard_and_merge("gaussian", 3, [&](core::Sweep* s) { return gaussian_study(g, {}, s); });
  REQUIRE(merged.rows.size() == whole.rows.size());
  for (std::size_t i = 0; i < whole.rows.size(); ++i) {
    const auto &a = merged.rows[i], &b = whole.rows[i];
    CHECK(a.input.data.label == b.input.data.label);
    CHECK(a.input.eta == b.input.eta);
    CHECK(a.result.w2 == b.result.w2);
    CHECK(a.result.w2_coupling == b.result.w2_coupling);
    CHECK(a.result.w2_at_T == b.result.w2_at_T);
    CHECK(core::encode_row(a.result.terms) == core::encode_row(b.result.terms));
    CHECK(a.result.stats.steps == b.result.stats.steps);
    CHECK(a.result.q0.mean.size() == 0);  // the sweep's rows do not keep q_0
    CHECK(a.verdict.bound == b.verdict.bound);
  }
  CHECK(merged.failing_rows == whole.failing_rows);

  MixtureSweep m;
  m.errors = {ScoreError::bias, ScoreError::time_linear};
  m.etas = {0.1, 0.3};
  m.particles = 500;
  const auto whole_mixture = mixture_study(m, {});
  const auto merged_mixture = shard_and_merge("mixture", 3, [&](core::Sweep* s) { return mixture_study(m, {}, s); });
  REQUIRE(merged_mixture.rows.size() == whole_mixture.rows.size());
  for (std::size_t i = 0; i < whole_mixture.rows.size(); ++i)
    CHECK(core::encode_row(merged_mixture.rows[i].result) == core::encode_row(whole_mixture.rows[i].result));
  CHECK(merged_mixture.particle_steps == whole_mixture.particle_steps);
}
