#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "attn/softmax_stats.hpp"
#include "jl/entropy.hpp"

namespace {

// The textbook two passes: the maximum, then the normalised probabilities and −Σ p ln p.
double naive_entropy(const std::vector<double>& s, double alpha) {
  double m = s[0];
  for (double v : s) m = std::max(m, v);
  double z = 0;
  for (double v : s) z += std::exp(alpha * (v - m));
  double h = 0;
  for (double v : s) {
    const double p = std::exp(alpha * (v - m)) / z;
    if (p > 0) h -= p * std::log(p);
  }
  return h;
}

const jl::EntropySlope& slope(const jl::EntropyResult& r, jl::Scale s) {
  for (const auto& f : r.slopes)
    if (f.scale == s) return f;
  FAIL("no slope");
  return r.slopes[0];
}

}  // namespace

TEST_CASE("the entropy of a uniform softmax is ln n") {
  for (std::size_t n : {1, 2, 7, 1000, 65536}) {
    const std::vector<double> scores(n, 0.25), alphas{0.5, 3.0};
    std::vector<attn::SoftmaxStats> out(2);
    attn::softmax_row_stats(scores, alphas, {}, out);
    for (const auto& s : out) CHECK(s.entropy == Approx(std::log(double(n))).margin(1e-13));
  }
}

TEST_CASE("the engine's entropy equals a naive two-pass computation to 1e-12") {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(0, 8);
  for (std::size_t n : {1, 3, 16, 500, 4096}) {
    std::vector<double> s(n);
    for (double& v : s) v = normal(rng);
    const std::vector<double> alphas{0.01, 0.125, 1.0, 4.0};
    std::vector<attn::SoftmaxStats> out(alphas.size());
    attn::softmax_row_stats(s, alphas, {}, out);
    for (std::size_t a = 0; a < alphas.size(); ++a)
      CHECK(out[a].entropy == Approx(naive_entropy(s, alphas[a])).margin(1e-12));
  }
}

TEST_CASE("the entropy grows far more slowly under log_512(n)/sqrt(d) than under 1/sqrt(d)") {
  jl::EntropyConfig c;
  c.log2_to = 12;
  c.work = 1 << 16;
  c.min_queries = 16;
  const auto r = jl::entropy_sweep(c);
  const double s0 = slope(r, jl::Scale::inv_sqrt_d).slope, s1 = slope(r, jl::Scale::log512).slope;
  CHECK(s0 == Approx(1).margin(0.1));
  CHECK(s1 < s0 - 0.1);
  for (const auto& row : r.rows)
    if (row.n == 512 && row.scale != jl::Scale::kappa_log)
      CHECK(row.lambda == Approx(0.125));  // the two scales agree at n = 512
}

TEST_CASE("the needle's mass falls with n under 1/sqrt(d) and not under the log n scale") {
  jl::EntropyConfig c;
  c.log2_from = 6;
  c.log2_to = 14;
  c.work = 1 << 16;
  c.min_queries = 16;
  c.needle_rho = 0.9;
  const auto r = jl::entropy_sweep(c);
  auto mass = [&](jl::Scale s, std::size_t n) {
    for (const auto& row : r.rows)
      if (row.scale == s && row.n == n) return row.needle_mass_mean;
    return -1.0;
  };
  CHECK(mass(jl::Scale::inv_sqrt_d, 1 << 14) < 0.2 * mass(jl::Scale::inv_sqrt_d, 1 << 6));
  CHECK(mass(jl::Scale::log512, 1 << 14) > 0.8 * mass(jl::Scale::log512, 1 << 6));
  CHECK(slope(r, jl::Scale::inv_sqrt_d).needle_slope < -0.3);
  CHECK(slope(r, jl::Scale::log512).needle_slope > -0.1);
}

TEST_CASE("the entropy sweep does not depend on the number of threads") {
  jl::EntropyConfig c;
  c.log2_to = 9;
  c.work = 1 << 12;
  c.min_queries = 8;
  c.needle_rho = 0.5;
  const auto one = jl::entropy_sweep(c);
  c.threads = 2;
  const auto two = jl::entropy_sweep(c);
  REQUIRE(one.rows.size() == two.rows.size());
  for (std::size_t i = 0; i < one.rows.size(); ++i) {
    CHECK(one.rows[i].entropy_mean == two.rows[i].entropy_mean);
    CHECK(one.rows[i].needle_mass_mean == two.rows[i].needle_mass_mean);
  }
}
