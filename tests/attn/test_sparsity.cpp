// Sparsity closed forms against library quadrature and Monte Carlo.
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "attn/sparsity.hpp"
#include "core/errors.hpp"

using attn::SparsityKernel;

TEST_CASE("every kernel's closed form equals Gauss-Kronrod quadrature") {
  for (auto k : {SparsityKernel::exp, SparsityKernel::identity, SparsityKernel::relu2})
    for (double beta : {-3.0, -1.0, 0.0, 0.4, 2.0})
      for (double gamma : {0.1, 0.5, 1.0, 2.0}) {
        INFO(attn::to_string(k) << " beta = " << beta << " gamma = " << gamma);
        // relu^2 far below 0 loses about |t|^5 eps to cancellation in the Mills-ratio form (t = beta / gamma:
        // 2e-5 at t = -30, where S ~ 1e-99).
        CHECK(attn::sparsity_closed_form(k, beta, gamma) ==
              Approx(attn::sparsity_quadrature(k, beta, gamma)).epsilon(beta / gamma < -5 ? 1e-4 : 1e-9));
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
