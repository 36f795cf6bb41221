// Sparsity closed forms (S, mass95, the Gini index) against library quadrature and Monte Carlo; the ranking.
#include <catch2/catch.hpp>
#include <algorithm>
#include <array>
#include <boost/math/special_functions/erf.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>
#include <random>
#include <numbers>
#include <vector>

#include "attn/sparsity.hpp"
#include "attn/study.hpp"
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

// ---- mass95 and the Gini index (issue 20) ----

namespace {

// A closed form, where one exists, or else the quadrature: the reference the Monte Carlo is held to.
double reference(double closed, double quad) {
  return std::isfinite(closed) ? closed : quad;
}

}  // namespace

TEST_CASE("mass95 and Gini: closed forms equal quadrature, and the known points") {
  for (auto k : {SparsityKernel::exp, SparsityKernel::identity, SparsityKernel::relu2})
    for (double beta : {-3.0, -1.0, 0.0, 0.4, 2.0})
      for (double gamma : {0.1, 0.5, 1.0, 2.0}) {
        INFO(attn::to_string(k) << " beta = " << beta << " gamma = " << gamma);
        const double m = attn::mass95_closed_form(k, beta, gamma);
        CHECK(m == Approx(attn::mass95_quadrature(k, beta, gamma)).epsilon(1e-10));
        const double g = attn::gini_closed_form(k, beta, gamma), gq = attn::gini_quadrature(k, beta, gamma);
        if (k == SparsityKernel::relu2)
          CHECK(std::isnan(g));  // no closed form: quadrature only
        else
          CHECK(g == Approx(gq).epsilon(1e-10));
        CHECK(gq > 0);
        CHECK(gq <= 1);  // 1 in doubles for relu2 far below zero
      }
  // Independent values: the log-normal's Lorenz curve L(u) = Phi(Phi^-1(u) - gamma) and Gini erf(gamma/2); the
  // half-normal (identity at beta = 0): the top keys beyond r hold 2 phi(r) of E|z| = 2 phi(0), so r =
  // sqrt(-2 ln 0.95) and mass95 = 2 Q(r) = erfc(r / sqrt2); its Gini index is sqrt2 - 1.
  const double z95 = 1.6448536269514722;
  for (double gamma : {0.3, 1.0, 2.5})
    CHECK(attn::mass95_closed_form(SparsityKernel::exp, 0.7, gamma) ==
          Approx(0.5 * std::erfc((gamma - z95) / std::sqrt(2.0))).epsilon(1e-12));
  CHECK(attn::gini_closed_form(SparsityKernel::exp, -1, 1) == Approx(std::erf(0.5)).epsilon(1e-15));
  const double r = std::sqrt(-2 * std::log(0.95));
  CHECK(attn::mass95_closed_form(SparsityKernel::identity, 0, 1.3) == Approx(std::erfc(r / std::sqrt(2.0))).epsilon(1e-12));
  CHECK(attn::mass95_quadrature(SparsityKernel::identity, 0, 1.3) == Approx(std::erfc(r / std::sqrt(2.0))).epsilon(1e-10));
  CHECK(attn::gini_closed_form(SparsityKernel::identity, 0, 0.2) == Approx(std::sqrt(2.0) - 1).epsilon(1e-14));
  CHECK(attn::gini_quadrature(SparsityKernel::identity, 0, 0.2) == Approx(std::sqrt(2.0) - 1).epsilon(1e-11));
  // Far from zero the weights are nearly equal: mass95 -> 0.95 and Gini ~ 1 / (t sqrt(pi)), t = |beta|/gamma.
  CHECK(attn::mass95_closed_form(SparsityKernel::identity, -1e6, 1) == Approx(0.95).epsilon(1e-6));
  CHECK(attn::gini_closed_form(SparsityKernel::identity, 1e6, 1) == Approx(1e-6 / std::sqrt(std::numbers::pi)).epsilon(1e-5));
  CHECK(attn::mass95_closed_form(SparsityKernel::relu2, 1e6, 1) == Approx(0.95).epsilon(1e-5));
  CHECK(attn::gini_quadrature(SparsityKernel::relu2, 1e6, 1) == Approx(2e-6 / std::sqrt(std::numbers::pi)).epsilon(1e-4));
}

TEST_CASE("mass95 and Gini closed forms and quadrature agree and stay in [0, 1] over the whole option range") {
  // As the S test above: log-uniform |beta| in [1e-8, 1e8] of either sign, gamma in [1e-6, 1e4], and extremes.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::pair<double, double>> points{{1e300, 1},  {-1e300, 1}, {0, 1e300}, {1, 1e-300},
                                                {-1, 1e-300}, {0, 1e-6},   {-5, 0.1},  {3, 1e4}};
  for (int i = 0; i < 150; ++i)
    points.emplace_back((u(rng) < 0.5 ? -1 : 1) * std::pow(10.0, -8 + 16 * u(rng)), std::pow(10.0, -6 + 10 * u(rng)));
  for (auto k : {SparsityKernel::exp, SparsityKernel::identity, SparsityKernel::relu2})
    for (auto [beta, gamma] : points) {
      INFO(attn::to_string(k) << " beta = " << beta << " gamma = " << gamma);
      const double m = attn::mass95_closed_form(k, beta, gamma), mq = attn::mass95_quadrature(k, beta, gamma);
      const double g = attn::gini_closed_form(k, beta, gamma), gq = attn::gini_quadrature(k, beta, gamma);
      REQUIRE(std::isfinite(m));
      REQUIRE(std::isfinite(mq));
      REQUIRE(std::isfinite(gq));
      CHECK(m >= 0);
      CHECK(m <= 0.95 + 1e-12);  // the largest keys hold at least their share: never more than 95% of the keys
      CHECK(gq >= 0);
      CHECK(gq <= 1);
      CHECK(m == Approx(mq).epsilon(1e-9).margin(1e-300));
      if (k != SparsityKernel::relu2) CHECK(g == Approx(gq).epsilon(1e-9).margin(1e-300));
    }
}

TEST_CASE("mass95 and Gini: Monte Carlo within 4 standard errors, and S from the same draws bit for bit") {
  std::uint64_t stream = 0;
  for (auto k : {SparsityKernel::exp, SparsityKernel::identity, SparsityKernel::relu2})
    for (double beta : {-1.0, 0.0, 1.5})
      for (double gamma : {0.3, 0.8}) {
        INFO(attn::to_string(k) << " beta = " << beta << " gamma = " << gamma);
        const auto mc = attn::concentration_monte_carlo(k, beta, gamma, 50000, 11, stream);
        const auto s = attn::sparsity_monte_carlo(k, beta, gamma, 50000, 11, stream++);
        CHECK(mc.s.value == s.value);
        CHECK(mc.s.se == s.se);
        const double m = reference(attn::mass95_closed_form(k, beta, gamma), attn::mass95_quadrature(k, beta, gamma));
        const double g = reference(attn::gini_closed_form(k, beta, gamma), attn::gini_quadrature(k, beta, gamma));
        CHECK(std::abs(mc.mass95 - m) <= attn::mc_agreement_se * mc.mass95_se);
        CHECK(std::abs(mc.gini - g) <= attn::mc_agreement_se * mc.gini_se);
      }
  // positive_linear has no closed form or quadrature of either: two independent streams agree within their se.
  for (double gamma : {0.3, 0.8}) {
    const auto a = attn::concentration_monte_carlo_positive_linear(0.5, gamma, 50000, 11, stream++);
    const auto b = attn::concentration_monte_carlo_positive_linear(-2, gamma, 50000, 11, stream++);
    CHECK(std::abs(a.mass95 - b.mass95) <= attn::mc_agreement_se * std::hypot(a.mass95_se, b.mass95_se));
    CHECK(std::abs(a.gini - b.gini) <= attn::mc_agreement_se * std::hypot(a.gini_se, b.gini_se));
  }
  // The se is calibrated: over 200 streams the z scores of the Gini index and mass95 have a spread near 1.
  double zm = 0, zg = 0;
  for (int i = 0; i < 200; ++i) {
    const auto mc = attn::concentration_monte_carlo(SparsityKernel::relu2, 0.3, 1, 2000, 3, 1000 + i);
    const double m = attn::mass95_closed_form(SparsityKernel::relu2, 0.3, 1), g = attn::gini_quadrature(SparsityKernel::relu2, 0.3, 1);
    zm += std::pow((mc.mass95 - m) / mc.mass95_se, 2);
    zg += std::pow((mc.gini - g) / mc.gini_se, 2);
  }
  CHECK(std::sqrt(zm / 200) == Approx(1).margin(0.2));
  CHECK(std::sqrt(zg / 200) == Approx(1).margin(0.2));
}

TEST_CASE("the linear RNN's mass95 keys and Gini index equal their direct sums") {
  for (double lambda : {0.3, 0.5, 0.9, 0.999, 1.0})
    for (std::size_t n : {1, 2, 17, 20, 1000, 100000}) {
      INFO("lambda = " << lambda << " n = " << n);
      CHECK(attn::mass95_keys_linear_rnn(lambda, n) == attn::mass95_keys_linear_rnn_direct(lambda, n));
      CHECK(attn::gini_linear_rnn(lambda, n) == Approx(attn::gini_linear_rnn_direct(lambda, n)).epsilon(1e-9).margin(1e-12));
    }
  CHECK(attn::mass95_keys_linear_rnn(1, 20) == 19);
  CHECK(attn::mass95_keys_linear_rnn(0.9, 100000) == 29);  // ceil(ln 0.05 / ln 0.9) = ceil(28.43)
  CHECK(attn::gini_linear_rnn(1, 50) == 0);
  CHECK(attn::gini_linear_rnn(0.9, 100000) > 0.999);
}

TEST_CASE("the study's ranks of the four kernels by S, mass95 and Gini, recomputed here") {
  const attn::SparsityConfig c{.betas = {-2, -0.5, 0, 1}, .gammas = {0.25, 0.75, 1.25}, .lambdas = {0.9},
                               .rnn_n = {10, 1000}, .samples = 4000, .seed = 2, .threads = 2};
  const auto study = attn::sparsity_study(c, [] {});
  const std::size_t per = c.betas.size() * c.gammas.size();
  REQUIRE(study.rows.size() == 4 * per + 2);
  std::size_t same_order = 0;
  for (std::size_t bi = 0; bi < c.betas.size(); ++bi)
    for (std::size_t gi = 0; gi < c.gammas.size(); ++gi) {
      const double beta = c.betas[bi], gamma = c.gammas[gi];
      const std::size_t p = bi * c.gammas.size() + gi;
      // The values from the library's functions directly (positive_linear's mass95 and Gini: the row's Monte
      // Carlo, with its se); sparser = smaller S, smaller mass95, larger Gini, so the Gini enters negated.
      std::array<std::array<double, 4>, 3> v{}, e{};
      for (int k = 0; k < 3; ++k) {
        const auto kernel = static_cast<SparsityKernel>(k);
        v[0][k] = attn::sparsity_closed_form(kernel, beta, gamma);
        v[1][k] = attn::mass95_closed_form(kernel, beta, gamma);
        v[2][k] = -reference(attn::gini_closed_form(kernel, beta, gamma), attn::gini_quadrature(kernel, beta, gamma));
      }
      const auto& pl = study.rows[3 * per + p];
      REQUIRE(pl.kernel == "positive_linear");
      v[0][3] = attn::sparsity_positive_linear(beta, gamma);
      v[1][3] = pl.mass95_estimate, e[1][3] = pl.mass95_se;
      v[2][3] = -pl.gini_estimate, e[2][3] = pl.gini_se;
      // Rank = 1 + the forms decidedly sparser: by more than 2 se of the difference (0 between exact values).
      std::array<std::array<int, 4>, 3> ranks{};
      for (int m = 0; m < 3; ++m)
        for (int k = 0; k < 4; ++k) {
          ranks[m][k] = 1;
          for (int j = 0; j < 4; ++j)
            ranks[m][k] += v[m][k] - v[m][j] > 2 * std::sqrt(e[m][k] * e[m][k] + e[m][j] * e[m][j]);
        }
      for (int k = 0; k < 4; ++k) {
        const auto& row = study.rows[static_cast<std::size_t>(k) * per + p];
        INFO(row.kernel << " beta = " << beta << " gamma = " << gamma);
        CHECK(row.beta == beta);
        CHECK(row.gamma == gamma);
        CHECK(row.rank_s == ranks[0][k]);
        CHECK(row.rank_mass95 == ranks[1][k]);
        CHECK(row.rank_gini == ranks[2][k]);
      }
      same_order += ranks[0] == ranks[1] && ranks[1] == ranks[2];
    }
  CHECK(study.ranking.points == per);
  CHECK(study.ranking.same_order == same_order);
  for (const auto& row : study.rows)
    if (row.kernel == "linear_rnn") CHECK(row.rank_s + row.rank_mass95 + row.rank_gini == 0);
}
