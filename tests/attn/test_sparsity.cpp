// Sparsity closed forms against library quadrature and Monte Carlo.
#include <catch2/catch.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>
#include <random>
#include <numbers>
#include <vector>

#include "attn/sparsity.hpp"
#include "core/errors.hpp"

using attn::SparsityKernel;

TEST_CASE("every kernel's closed form equals Gauss-Kronrod quadrature") {
  for (auto k : {SparsityKernel::exp, SparsityKernel::identity, SparsityKernel::relu2})
    for (double beta : {-3.0, -1.0, 0.0, 0.4, 2.0})
      for (double gamma : {0.1, 0.5, 1.0, 2.0}) {
        INFO(attn::to_string(k) << " beta = " << beta << " gamma = " << gamma);
        CHECK(attn::sparsity_closed_form(k, beta, gamma) ==
              Approx(attn::sparsity_quadrature(k, beta, gamma)).epsilon(1e-11));
      }
}

namespace {

// relu² S at t = β/γ in 50 digits, from the truncated moments as polynomials in t, Φ(t) and φ(t):
// E[x²; x > 0]/γ² = (t² + 1)Φ + tφ and E[x⁴; x > 0]/γ⁴ = (t⁴ + 6t² + 3)Φ + (t³ + 5t)φ. Far below zero
// these cancel by about |t|^7, which 50 digits absorb; Φ(t) = erfc(−t/√2)/2 from Boost.Math.
double relu2_oracle(double t_double) {
  using F = boost::multiprecision::cpp_bin_float_50;
  const F t = t_double, t2 = t * t;
  const F big_phi = boost::math::erfc(-t / boost::multiprecision::sqrt(F(2))) / 2;
  const F phi = boost::multiprecision::exp(-t2 / 2) / boost::multiprecision::sqrt(2 * boost::math::constants::pi<F>());
  const F m2 = (t2 + 1) * big_phi + t * phi, m4 = (t2 * t2 + 6 * t2 + 3) * big_phi + (t2 + 5) * t * phi;
  return static_cast<double>(m2 / boost::multiprecision::sqrt(m4));
}

}  // namespace

TEST_CASE("relu^2's closed form holds 1e-13 relative over t = beta/gamma in [-50, 60], tails included") {
  // Points on both sides of the method switches (t = 0, s = 2), the tails, random t, and the cases:
  // --betas -1.7 --gammas 0.07 (4.82507e-66), -3/0.07 (1.5e-201) and -1.9/0.05 (6.9e-159).
  std::vector<double> ts{0, -1e-9, 1e-9, -2, -2 - 1e-12, -1.9999999, -10, -24, -24.285714285714285, -30, -40, -50,
                         3, 10, 37, 40, 60, -1.7 / 0.07, -3 / 0.07, -1.9 / 0.05};
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> uniform(-50, 60);
  for (int i = 0; i < 300; ++i) ts.push_back(uniform(rng));
  for (double t : ts) {
    INFO("t = " << t);
    const double ours = attn::sparsity_closed_form(SparsityKernel::relu2, t, 1), exact = relu2_oracle(t);
    REQUIRE(exact > 0);
    CHECK(std::abs(ours - exact) <= 1e-13 * exact);
    // The scale invariance S(beta, gamma) = S(beta / gamma, 1), and quadrature as an independent method.
    CHECK(attn::sparsity_closed_form(SparsityKernel::relu2, t * 0.07, 0.07) == Approx(ours).epsilon(1e-13));
    CHECK(attn::sparsity_quadrature(SparsityKernel::relu2, t, 1) == Approx(exact).epsilon(1e-11));
  }
  // Beyond the test's range: 1 as t -> +inf (no overflow of t^4), 0 in doubles far below zero.
  CHECK(attn::sparsity_closed_form(SparsityKernel::relu2, 1e300, 1e-5) == 1);
  CHECK(attn::sparsity_closed_form(SparsityKernel::relu2, 1e100, 1) == 1);
  CHECK(attn::sparsity_closed_form(SparsityKernel::relu2, -1e300, 1e-5) == 0);
  CHECK(attn::sparsity_closed_form(SparsityKernel::relu2, -56, 1) == 0);
  CHECK(attn::sparsity_quadrature(SparsityKernel::relu2, -1e300, 1e-5) == 0);
  CHECK(attn::sparsity_closed_form(SparsityKernel::relu2, -3, 0.07) == Approx(1.5e-201).epsilon(0.05));
  CHECK(attn::sparsity_closed_form(SparsityKernel::relu2, -1.9, 0.05) == Approx(6.9e-159).epsilon(0.05));
  CHECK(attn::sparsity_closed_form(SparsityKernel::relu2, -1.7, 0.07) == Approx(4.82507e-66).epsilon(1e-5));
}

TEST_CASE("closed forms and quadrature agree and stay finite over the whole range --betas and --gammas allow") {
  // Log-uniform |beta| in [1e-8, 1e8] of either sign and gamma in [1e-6, 1e4], plus extremes: t = beta/gamma
  // from -1e14 to 1e14. Below the normal doubles (S < 1e-300) both sides may round to subnormals or 0.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::pair<double, double>> points{{1e300, 1}, {-1e300, 1}, {0, 1e300}, {1, 1e-300}, {-1, 1e-300}};
  for (int i = 0; i < 400; ++i)
    points.emplace_back((u(rng) < 0.5 ? -1 : 1) * std::pow(10.0, -8 + 16 * u(rng)), std::pow(10.0, -6 + 10 * u(rng)));
  for (auto k : {SparsityKernel::exp, SparsityKernel::identity, SparsityKernel::relu2})
    for (auto [beta, gamma] : points) {
      INFO(attn::to_string(k) << " beta = " << beta << " gamma = " << gamma);
      const double closed = attn::sparsity_closed_form(k, beta, gamma), quad = attn::sparsity_quadrature(k, beta, gamma);
      REQUIRE(std::isfinite(closed));
      REQUIRE(std::isfinite(quad));
      CHECK(closed >= 0);
      CHECK(closed <= 1);
      CHECK(closed == Approx(quad).epsilon(1e-11).margin(1e-300));
    }
}

TEST_CASE("each closed form agrees with Monte Carlo within 4 standard errors") {
  std::uint64_t stream = 0;
  for (auto k : {SparsityKernel::exp, SparsityKernel::identity, SparsityKernel::relu2})
    for (double beta : {-1.0, 0.0, 1.5})
      for (double gamma : {0.3, 0.8}) {
        const auto mc = attn::sparsity_monte_carlo(k, beta, gamma, 50000, 11, stream++);
        INFO(attn::to_string(k) << " beta = " << beta << " gamma = " << gamma);
        CHECK(std::abs(mc.value - attn::sparsity_closed_form(k, beta, gamma)) <= attn::mc_agreement_se * mc.se);
      }
  for (double gamma : {0.3, 0.8}) {
    const auto mc = attn::sparsity_monte_carlo_positive_linear(0.5, gamma, 50000, 11, stream++);
    CHECK(std::abs(mc.value - attn::sparsity_positive_linear(0.5, gamma)) <= attn::mc_agreement_se * mc.se);
  }
}

TEST_CASE("softmax can get arbitrarily sparse, identity cannot, relu^2 only for beta < 0") {
  CHECK(attn::sparsity_closed_form(SparsityKernel::exp, 0, 4) < 1e-3);
  const double floor = std::sqrt(2 / std::numbers::pi);
  for (double beta : {-5.0, -1.0, 0.0, 1.0, 5.0}) {
    CHECK(attn::sparsity_closed_form(SparsityKernel::identity, beta, 1) >= floor - 1e-15);
    CHECK(attn::sparsity_closed_form(SparsityKernel::identity, beta, 1) ==
          Approx(attn::sparsity_closed_form(SparsityKernel::identity, -beta, 1)));
  }
  CHECK(attn::sparsity_closed_form(SparsityKernel::identity, 0, 3) == Approx(floor));
  CHECK(attn::sparsity_closed_form(SparsityKernel::relu2, 0, 2) == Approx(1 / std::sqrt(6.0)));
  CHECK(attn::sparsity_closed_form(SparsityKernel::relu2, -6, 1) < 1e-3);
  CHECK(attn::sparsity_closed_form(SparsityKernel::relu2, 3, 1) > 0.5);
}

TEST_CASE("the decaying linear RNN's closed form is its finite sum and goes to 0 as n grows") {
  for (double lambda : {0.3, 0.9, 0.999, 1.0})
    for (std::size_t n : {1, 2, 17, 1000}) {
      CHECK(attn::sparsity_linear_rnn(lambda, n) == Approx(attn::sparsity_linear_rnn_direct(lambda, n)).epsilon(1e-12));
    }
  CHECK(attn::sparsity_linear_rnn(1, 1000) == 1);
  CHECK(attn::sparsity_linear_rnn(0.9, 100000) < 0.02);
  CHECK_THROWS_AS(attn::sparsity_linear_rnn(0, 10), core::InputError);
  CHECK_THROWS_AS(attn::sparsity_linear_rnn(1.5, 10), core::InputError);
  CHECK_THROWS_AS(attn::sparsity_closed_form(SparsityKernel::exp, 0, -1), core::InputError);
}
