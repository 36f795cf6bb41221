#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "w2/flow.hpp"
#include "w2/ode.hpp"

using namespace w2;

namespace {

const std::vector<Mixture> mixtures{
    {{1}, {0.5}, {0.25}},
    {{0.3, 0.7}, {-1.5, 1}, {0.04, 0.25}},
    {{0.2, 0.5, 0.3}, {-2, 0.1, 1.5}, {0.01, 0.3, 0.05}},
};

double max_abs_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

}  // namespace

TEST_CASE("the vector field kernels: scalar and AVX2 agree to rounding and match mixture_score") {
  std::vector<double> x;
  for (int i = 0; i <= 400; ++i) x.push_back(-8 + 16.0 * i / 400);  // 401: the last one takes the scalar tail
  const double m = 0.6, s2 = 1 - m * m;
  const Affine f{-3.5, -3.9, 0.7};
  for (const Mixture& mix : mixtures) {
    for (double shift : {0.0, 0.2}) {
      std::vector<Component> comps;
      diffuse(mix, m, s2, shift, 1 + shift, comps);
      std::vector<double> scalar(x.size()), avx2(x.size());
      mixture_field(comps, f, x.data(), scalar.data(), x.size(), Simd::scalar);
      mixture_field(comps, f, x.data(), avx2.data(), x.size(), Simd::avx2);
      for (std::size_t i = 0; i < x.size(); ++i) {
        const double score = mixture_score(mix, m, s2, x[i], shift, 1 + shift).score;
        const double expected = f.a * x[i] + f.b * score + f.c;
        const double size = std::abs(f.a * x[i]) + std::abs(f.b * score) + std::abs(f.c);
        INFO(mix.weights.size() << " components, shift " << shift << ", x = " << x[i]);
        CHECK(std::abs(scalar[i] - expected) <= 1e-13 * size);
        CHECK(std::abs(avx2[i] - scalar[i]) <= 1e-13 * size);
      }
    }
  }
}

// Integrates one pair at a time with the scalar scores of mixture.hpp (not the block kernels) at
// abs 1e-13 / rel 1e-12, and returns the largest deviation of the blocked flow over every 9th pair.
double deviation_from_reference(const MixtureCase& c, const std::vector<double>& start, const FlowResult& flow) {
  double worst = 0;
  for (std::size_t i = 0; i < start.size(); i += 9) {
    std::array<double, 2> pair{start[i], start[i]};
    auto field = [&](const std::array<double, 2>& z, std::array<double, 2>& dz, double t) {
      const double h = -0.5 * c.vp.beta(t);
      dz[0] = h * (z[0] + true_score(c, t, z[0]).score);
      dz[1] = h * (z[1] + model_score(c, t, z[1]).score);
    };
    integrate_checked(field, pair, c.vp.t_end, 0.0, {1e-13, 1e-12}, "reference");
    worst = std::max({worst, std::abs(flow.p0[i] - pair[0]), std::abs(flow.q0[i] - pair[1])});
  }
  return worst;
}

TEST_CASE("the blocked particle flow matches a tight-tolerance integration of each pair on its own") {
  // At the default tolerance (per step abs 1e-9 + rel 1e-7 |x|, with |x| up to 3) the global error is a
  // few 1e-7: the backward flow pulls particles apart between the modes (I_T of -g_t is ~ 10^2 here).
  // At abs 1e-12 / rel 1e-10 the same blocks converge to the reference.
  for (ScoreError e : score_errors) {
    MixtureCase c;
    c.error = e;
    c.eta = 0.3;
    c.particles = 1000;  // 15 full blocks and one of 40
    c.threads = 2;
    const auto start = sample_prior(c);
    const auto flow = particle_flow(c, start);
    const double loose = deviation_from_reference(c, start, flow);
    c.tol = {1e-12, 1e-10};
    const auto tight_flow = particle_flow(c, start);
    const double tight = deviation_from_reference(c, start, tight_flow);
    INFO(to_string(e) << ": largest deviation " << loose << " at the default tolerance, " << tight << " at 1e-10");
    CHECK(loose < 2e-6);
    CHECK(tight < 2e-9);
    CHECK(tight_flow.min_steps > flow.max_steps);
  }
}

TEST_CASE("the blocked flow: scalar and AVX2 paths agree, and neither depends on the thread count") {
  MixtureCase c;
  c.error = ScoreError::time_linear;
  c.eta = 0.5;
  c.particles = 2000;
  const auto start = sample_prior(c);
  c.threads = 1;
  const auto scalar1 = particle_flow(c, start, Simd::scalar), avx2_1 = particle_flow(c, start, Simd::avx2);
  c.threads = 2;
  const auto scalar2 = particle_flow(c, start, Simd::scalar), avx2_2 = particle_flow(c, start, Simd::avx2);
  CHECK(scalar1.p0 == scalar2.p0);
  CHECK(scalar1.q0 == scalar2.q0);
  CHECK(avx2_1.p0 == avx2_2.p0);
  CHECK(avx2_1.q0 == avx2_2.q0);
  CHECK(max_abs_difference(scalar1.p0, avx2_1.p0) < 1e-7);
  CHECK(max_abs_difference(scalar1.q0, avx2_1.q0) < 1e-7);
}

TEST_CASE("repeated particles fill a short block without changing its steps or results") {
  MixtureCase c;
  c.particles = 10;
  const auto start = sample_prior(c);
  std::vector<double> padded = start;
  padded.resize(flow_block, *std::max_element(start.begin(), start.end()));  // copies sort after the ten
  const auto short_block = particle_flow(c, start), full_block = particle_flow(c, padded);
  CHECK(short_block.particle_steps * flow_block == full_block.particle_steps * start.size());
  for (std::size_t i = 0; i < start.size(); ++i) {
    CHECK(short_block.p0[i] == full_block.p0[i]);
    CHECK(short_block.q0[i] == full_block.q0[i]);
  }
}

TEST_CASE("the flow's order is the starting points' order, and the clouds keep it") {
  MixtureCase c;
  c.error = ScoreError::wrong_gaussian;
  c.particles = 3000;
  const auto start = sample_prior(c);
  const auto flow = particle_flow(c, start);
  for (std::size_t i = 1; i < start.size(); ++i) {
    const std::size_t a = flow.order[i - 1], b = flow.order[i];
    REQUIRE(start[a] <= start[b]);
    CHECK(flow.p0[a] <= flow.p0[b]);
    CHECK(flow.q0[a] <= flow.q0[b]);
  }
}
