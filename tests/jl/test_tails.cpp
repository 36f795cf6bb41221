#include <catch2/catch.hpp>
#include <cmath>

#include "jl/study.hpp"
#include "jl/tails.hpp"

TEST_CASE("the chi-squared tail matches the closed form at n = 2 (an exponential law)") {
  for (double e : {0.05, 0.3, 0.9}) {
    const double closed = std::exp(-(1 + e)) + 1 - std::exp(-(1 - e));
    CHECK(jl::norm_tail_exact(2, e) == Approx(closed).epsilon(1e-13));
  }
}

TEST_CASE("the exact law of <u, v> matches its closed forms at n = 2 (Laplace) and n = 4") {
  for (double e : {0.01, 0.2, 0.5, 0.95}) {
    const auto two = jl::ortho_tail_exact(2, e), four = jl::ortho_tail_exact(4, e);
    CHECK(two.value == Approx(std::exp(-2 * e)).epsilon(1e-12));
    CHECK(four.value == Approx(std::exp(-4 * e) * (1 + 2 * e)).epsilon(1e-12));
    CHECK(two.abs_error <= 1e-12 * two.value);
  }
}

TEST_CASE("every bound is at least the exact tail on a grid of n and eps") {
  for (unsigned n = 1; n <= 4096; n *= 2)
    for (int k = 1; k <= 19; ++k) {
      const double e = 0.05 * k;
      const double norm = jl::norm_tail_exact(n, e), ortho = jl::ortho_tail_exact(n, e).value;
      INFO("n = " << n << ", eps = " << e);
      CHECK(norm <= jl::norm_tail_chernoff(n, e));
      CHECK(jl::norm_tail_chernoff(n, e) <= jl::norm_tail_bound(n, e));
      CHECK(ortho <= jl::ortho_tail_chernoff(n, e));
      CHECK(ortho <= jl::ortho_tail_chernoff_via_norm(n, e));
      CHECK(jl::ortho_tail_chernoff(n, e) <= jl::ortho_tail_bound(n, e));
      CHECK(jl::ortho_tail_chernoff_via_norm(n, e) <= jl::ortho_tail_bound(n, e));
    }
}

TEST_CASE("Monte Carlo lands within 5 standard errors of the exact tails") {
  for (auto kind : {jl::TailKind::norm, jl::TailKind::ortho}) {
    jl::TailConfig c;
    c.kind = kind;
    c.dims = {4, 32, 256};
    c.eps = {0.1, 0.3};
    c.trials = 4000;
    for (const auto& r : jl::tail_study(c)) {
      INFO("n = " << r.n << ", eps = " << r.eps);
      // The band of lib/jl/study.hpp, one sigma wider than the summary's.
      CHECK(std::abs(r.monte_carlo - r.exact) <= jl::monte_carlo_band(r.exact, c.trials, 5));
      CHECK(jl::within_monte_carlo_band(r, c.trials, 5));
      CHECK(r.bound_holds);
    }
  }
}

TEST_CASE("the tail study does not depend on the number of threads") {
  jl::TailConfig c;
  c.kind = jl::TailKind::ortho;
  c.dims = {8, 64};
  c.trials = 2500;
  const auto one = jl::tail_study(c);
  c.threads = 2;
  const auto two = jl::tail_study(c);
  REQUIRE(one.size() == two.size());
  for (std::size_t i = 0; i < one.size(); ++i) CHECK(one[i].monte_carlo == two[i].monte_carlo);
}
