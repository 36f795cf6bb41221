#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "core/device.hpp"
#include "core/errors.hpp"
#include "rnn/fixpoint.hpp"
#include "rnn/linear_scan.hpp"
#include "rnn/model.hpp"

using namespace rnn;

namespace {

std::vector<double> noise(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<double> v(n);
  for (double& x : v) x = normal(rng);
  return v;
}

double max_rel(const std::vector<double>& x, const std::vector<double>& ref) {
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    diff = std::max(diff, std::abs(x[i] - ref[i]));
    scale = std::max(scale, std::abs(ref[i]));
  }
  return diff / scale;
}

// The three forms of A_t on one random problem.
std::vector<Recurrence> recurrences(std::size_t d, std::size_t T) {
  const Eigen::MatrixXd a = recurrence_matrix(d, 0.95, MatrixKind::random, 7, 0);
  std::vector<double> scale = noise(T * d, 1), mats(T * d * d);
  for (double& s : scale) s = 1.0 / (1.0 + s * s);
  const auto g = noise(T * d * d, 2);
  for (std::size_t i = 0; i < mats.size(); ++i) mats[i] = 0.3 * g[i] / std::sqrt(static_cast<double>(d));
  return {Recurrence::constant(a, T), Recurrence::row_scaled(a, scale), Recurrence::general(d, mats)};
}

}  // namespace

TEST_CASE("the sequential solver is the recurrence x_t = A_t x_(t-1) + b_t, x_0 = 0") {
  const std::size_t d = 3, T = 5;
  for (const auto& a : recurrences(d, T)) {
    const auto b = noise(T * d, 3);
    std::vector<double> x(T * d);
    solve_sequential(a, b.data(), x.data());
    std::vector<double> prev(d, 0.0), next(d);
    for (std::size_t t = 1; t <= T; ++t) {
      a.apply(t, prev.data(), next.data());
      for (std::size_t j = 0; j < d; ++j) {
        next[j] += b[(t - 1) * d + j];
        CHECK(x[(t - 1) * d + j] == next[j]);
      }
      prev = next;
    }
  }
}

TEST_CASE("the chunked scan equals the sequential recurrence for every chunking and thread count") {
  const std::size_t d = 4, T = 257;
  for (const auto& a : recurrences(d, T)) {
    const auto b = noise(T * d, 4);
    std::vector<double> ref(T * d), x(T * d);
    solve_sequential(a, b.data(), ref.data());
    for (unsigned threads : {1u, 2u, 3u})
      for (std::size_t chunks : {0, 1, 2, 3, 5, 16, 100, 256, 257, 1000}) {
        solve_chunked(a, b.data(), x.data(), {threads, chunks});
        INFO("threads " << threads << ", chunks " << chunks);
        CHECK(max_rel(x, ref) <= 1e-13);
      }
    std::vector<double> in_place = b;  // b and x may be the same array
    solve_chunked(a, in_place.data(), in_place.data(), {2, 7});
    CHECK(max_rel(in_place, ref) <= 1e-13);
  }
}

TEST_CASE("the element-wise complex scan equals its sequential recurrence for every chunking") {
  const std::size_t d = 5, T = 300;
  std::vector<cplx> lambda{{0.9, 0.3}, {-0.5, 0.1}, {0.99, 0}, {0.2, -0.9}, {1.01, 0.0}};
  const auto re = noise(T * d, 5), im = noise(T * d, 6);
  std::vector<cplx> c(T * d), ref(T * d), y(T * d);
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = {re[i], im[i]};
  solve_diagonal_sequential(lambda, c.data(), ref.data(), T);
  double scale = 0;
  for (const auto& v : ref) scale = std::max(scale, std::abs(v));
  for (unsigned threads : {1u, 2u})
    for (std::size_t chunks : {0, 1, 2, 3, 9, 299, 300, 999}) {
      solve_diagonal_chunked(lambda, c.data(), y.data(), T, {threads, chunks});
      double diff = 0;
      for (std::size_t i = 0; i < y.size(); ++i) diff = std::max(diff, std::abs(y[i] - ref[i]));
      INFO("threads " << threads << ", chunks " << chunks);
      CHECK(diff / scale <= 1e-13);
    }
}

TEST_CASE("the diagonal (eigenbasis) solve equals the dense solve with the same A") {
  const std::size_t d = 6, T = 400;
  const Eigen::MatrixXd a = recurrence_matrix(d, 0.9, MatrixKind::random, 3, 1);
  const auto g = diagonalise(a);
  REQUIRE(g);
  const auto b = noise(T * d, 8);
  std::vector<double> dense(T * d);
  solve_sequential(Recurrence::constant(a, T), b.data(), dense.data());
  const auto n = static_cast<Eigen::Index>(T), dd = static_cast<Eigen::Index>(d);
  const Eigen::MatrixXcd c = g->p_inv * Eigen::Map<const Eigen::MatrixXd>(b.data(), dd, n).cast<cplx>();
  Eigen::MatrixXcd y(dd, n);
  solve_diagonal_sequential(g->lambda, c.data(), y.data(), T);
  const Eigen::MatrixXd x = (g->p * y).real();
  std::vector<double> diag(x.data(), x.data() + x.size());
  CHECK(max_rel(diag, dense) <= 1e-12);
}

TEST_CASE("a defective (Jordan) A is not diagonalised; a random one is") {
  CHECK_FALSE(diagonalise(recurrence_matrix(8, 0.9, MatrixKind::jordan, 1, 0)));
  CHECK(diagonalise(recurrence_matrix(8, 0.9, MatrixKind::random, 1, 0)));
}

TEST_CASE("without CUDA in the build, the GPU scan says so as bad input") {
  if (core::built_with_cuda()) return;
  std::vector<cplx> lambda{0.5}, c{1.0}, y(1);
  CHECK_THROWS_AS(solve_diagonal_cuda(lambda, c.data(), y.data(), 1, 0), core::InputError);
  CHECK_FALSE(diagonal_cuda_available());
}

TEST_CASE("an associative scan's work is O(T d^3) and its depth O(log T)") {
  const auto c = associative_scan_cost(1 << 20, 16);
  CHECK(c.depth_levels == 40);
  CHECK(c.work_flops == Approx(2.0 * (1 << 20) * (2 * 4096 + 2 * 256)));
  CHECK(c.work_flops / c.sequential_flops == Approx(34));
}
