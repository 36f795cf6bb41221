#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "core/simd.hpp"

namespace {

// Distance in units in the last place between two finite doubles of the same sign.
double ulps(double a, double b) {
  if (a == b) return 0;
  return std::abs(a - b) / (std::numeric_limits<double>::epsilon() * std::max(std::abs(a), std::abs(b)));
}

std::vector<double> grid(double lo, double hi, std::size_t n) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = n == 1 ? lo : lo + (hi - lo) * double(i) / double(n - 1);
  return x;
}

}  // namespace

TEST_CASE("vec_exp and vec_tanh agree with the scalar functions within 4 ulp, tails included") {
  for (std::size_t n : {1u, 3u, 4u, 7u, 1001u}) {
    const auto x = grid(-30, 30, n);
    std::vector<double> e(n), t(n);
    core::vec_exp(x.data(), e.data(), n);
    core::vec_tanh(x.data(), t.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      CHECK(ulps(e[i], std::exp(x[i])) <= 4);
      CHECK(ulps(t[i], std::tanh(x[i])) <= 4);
    }
  }
  // Near zero tanh x = x - x^3/3 must keep its relative accuracy (no cancellation).
  const auto small = grid(-1e-6, 1e-6, 11);
  std::vector<double> t(small.size());
  core::vec_tanh(small.data(), t.data(), small.size());
  for (std::size_t i = 0; i < small.size(); ++i) CHECK(ulps(t[i], std::tanh(small[i])) <= 4);
}

TEST_CASE("vec_exp works in place") {
  std::vector<double> x{0, 1, -1, 2, 0.5};
  core::vec_exp(x.data(), x.data(), x.size());
  CHECK(ulps(x[1], std::exp(1.0)) <= 4);
  CHECK(x[0] == 1);
}
