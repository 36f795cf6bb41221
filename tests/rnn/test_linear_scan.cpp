#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "core/device.hpp"
#include "core/errors.hpp"
#include "core/simd.hpp"
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

// Complex forcing c_t with independent N(0, 1) real and imaginary parts.
std::vector<cplx> complex_noise(std::size_t n, unsigned seed_re, unsigned seed_im) {
  const auto re = noise(n, seed_re), im = noise(n, seed_im);
  std::vector<cplx> c(n);
  for (std::size_t i = 0; i < n; ++i) c[i] = {re[i], im[i]};
  return c;
}

// max |x - ref| / max |ref| (real or complex entries).
template <class T>
double max_rel(const std::vector<T>& x, const std::vector<T>& ref) {
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
  std::vector<double> scale = noise(T * d, 1);
  core::aligned_vector<double> mats(T * d * d);
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

// The carry scan's claim: pass 2 stops once the carried correction is below rounding, so it runs a few
// hundred steps per chunk, and the result still equals the sequential recurrence (truncation adds at most
// u max|x|_inf; the rest is the ordinary rounding of the two passes).
double carry_case(const Recurrence& a, const std::vector<double>& b, const ScanPlan& plan, ScanStats& stats) {
  std::vector<double> ref(b.size()), x(b.size());
  solve_sequential(a, b.data(), ref.data());
  stats = solve_chunked(a, b.data(), x.data(), plan);
  return max_rel(x, ref);
}

TEST_CASE("the carry scan truncates pass 2 for a contractive A and still equals the sequential recurrence") {
  const std::size_t d = 8, T = 20000;
  const auto b = noise(T * d, 11);
  for (MatrixKind kind : {MatrixKind::random, MatrixKind::jordan}) {  // jordan: |A^k| peaks near 1e6 first
    const Recurrence a = Recurrence::constant(recurrence_matrix(d, 0.9, kind, 5, 0), T);
    for (unsigned threads : {1u, 2u, 3u})
      for (std::size_t chunks : {0, 2, 3, 4, 16, 101}) {
        ScanStats stats;
        INFO("jordan " << (kind == MatrixKind::jordan) << ", threads " << threads << ", chunks " << chunks);
        CHECK(carry_case(a, b, {threads, chunks}, stats) <= 1e-13);
        CHECK(stats.chunks == (chunks ? chunks : threads));
        CHECK(stats.carry == (stats.chunks > 1));
        CHECK(stats.pass2_steps <= (stats.chunks - 1) * 1000);  // about 350 to 900 per chunk, of up to 10^4
      }
  }
}

TEST_CASE("the bound C covers the transient growth of a non-normal A") {
  const std::size_t d = 8, T = 20000;
  const Recurrence a = Recurrence::constant(recurrence_matrix(d, 0.9, MatrixKind::jordan, 5, 0), T);
  ScanStats stats;
  CHECK(carry_case(a, noise(T * d, 12), {2, 2}, stats) <= 1e-13);
  // max_k |A^k|_inf of rho (I + N) with d = 8 is sum_i C(k, i) rho^k, about 2e6 near k = 60.
  CHECK(stats.bound >= 1e6);
}

TEST_CASE("a constant A without a bound (rho > 1) takes the two-pass scan, equal to sequential") {
  const std::size_t d = 4, T = 300;
  const Recurrence a = Recurrence::constant(recurrence_matrix(d, 1.02, MatrixKind::random, 5, 0), T);
  for (std::size_t chunks : {0, 2, 5, 299}) {
    ScanStats stats;
    CHECK(carry_case(a, noise(T * d, 13), {2, chunks}, stats) <= 1e-13);
    CHECK_FALSE(stats.carry);
    CHECK(stats.chunks == (chunks ? chunks : 3));
  }
}

TEST_CASE("a time-varying A truncates pass 2 only when every |A_t|_inf <= 1 bounds the products") {
  const std::size_t d = 6, T = 5000;
  const Eigen::MatrixXd a = recurrence_matrix(d, 0.9, MatrixKind::random, 5, 0);
  const double row_max = a.cwiseAbs().rowwise().sum().maxCoeff();
  auto scale = noise(T * d, 14);
  for (double& s : scale) s = 0.9 / row_max / (1.0 + s * s);  // |diag(s) A|_inf <= 0.9
  ScanStats stats;
  CHECK(carry_case(Recurrence::row_scaled(a, scale), noise(T * d, 15), {2, 0}, stats) <= 1e-13);
  CHECK(stats.carry);
  CHECK(stats.pass2_steps < 500);
  // Scaled up so that |A_t|_inf > 1 almost everywhere: no bound, pass 2 runs the whole second chunk.
  for (double& s : scale) s *= 3 * row_max;
  CHECK(carry_case(Recurrence::row_scaled(a, scale), noise(T * d, 15), {2, 0}, stats) <= 1e-13);
  CHECK(stats.pass2_steps == T - T / 2);
}

TEST_CASE("the element-wise complex scan equals its sequential recurrence for every chunking") {
  const std::size_t d = 5, T = 300;
  std::vector<cplx> lambda{{0.9, 0.3}, {-0.5, 0.1}, {0.99, 0}, {0.2, -0.9}, {1.01, 0.0}};
  const std::vector<cplx> c = complex_noise(T * d, 5, 6);
  std::vector<cplx> ref(T * d), y(T * d);
  solve_diagonal_sequential(lambda, c.data(), ref.data(), T);
  for (unsigned threads : {1u, 2u})
    for (std::size_t chunks : {0, 1, 2, 3, 9, 299, 300, 999}) {
      solve_diagonal_chunked(lambda, c.data(), y.data(), T, {threads, chunks});
      INFO("threads " << threads << ", chunks " << chunks);
      CHECK(max_rel(y, ref) <= 1e-13);
    }
}

TEST_CASE("the element-wise carry scan truncates for |lambda| <= 1 and takes the two-pass scan otherwise") {
  // |lambda_3| = 1.001 over T = 2000 grows e^2-fold: no bound, no overflow.
  for (const auto& [last, T] : {std::pair{0.95, std::size_t{20000}}, std::pair{1.001, std::size_t{2000}}}) {
    const std::size_t d = 3;
    const std::vector<cplx> lambda{{0.9, 0.3}, {-0.5, 0.1}, {last, 0}};
    const std::vector<cplx> c = complex_noise(T * d, 16, 17);
    std::vector<cplx> ref(T * d), y(T * d);
    solve_diagonal_sequential(lambda, c.data(), ref.data(), T);
    for (unsigned threads : {1u, 2u})
      for (std::size_t chunks : {0, 2, 7}) {
        const ScanStats stats = solve_diagonal_chunked(lambda, c.data(), y.data(), T, {threads, chunks});
        INFO("lambda_3 " << last << ", threads " << threads << ", chunks " << chunks);
        CHECK(max_rel(y, ref) <= 1e-13);
        CHECK(stats.carry == (last < 1 && stats.chunks > 1));
        if (stats.carry) CHECK(stats.pass2_steps <= (stats.chunks - 1) * 1000);  // about 700 per chunk
      }
  }
}

TEST_CASE("states beyond the caches (streamed past them) are the recurrence's, sequential and chunked") {
  // 2^20 + 1000 steps of d = 4 complex states: 67 MB, above the 64 MiB where the element-wise solvers
  // switch to non-temporal stores. The reference is the recurrence written out here. With every
  // |lambda| <= 1 the chunked solver takes the carry scan, with |lambda_4| = 1 + 1e-7 (growth e^0.1 over
  // T) the two-pass scan, whose pass 2 streams chunks 1..K-1 again. The two-pass scan carries start
  // states with lambda^L (L = T / K, by squaring): z^L has condition number L, so its relative error,
  // and the starts', is up to about L u, here 3.5e5 u = 4e-11 (measured: 9.2e-13 of max |y|).
  const std::size_t d = 4, T = (std::size_t{1} << 20) + 1000;
  const std::vector<cplx> c = complex_noise(T * d, 21, 22);
  std::vector<cplx> ref(T * d), y(T * d);
  for (double last : {1.0, 1.0 + 1e-7}) {
    const std::vector<cplx> lambda{{0.9, 0.3}, {-0.5, 0.1}, {0.999, 0}, {last, 0.0}};
    std::vector<cplx> state(d, 0.0);
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t j = 0; j < d; ++j) {
        const cplx l = lambda[j], s = state[j];
        state[j] =
            cplx{l.real() * s.real() - l.imag() * s.imag(), l.real() * s.imag() + l.imag() * s.real()} + c[t * d + j];
        ref[t * d + j] = state[j];
      }
    INFO("|lambda_4| - 1 = " << last - 1.0);
    std::fill(y.begin(), y.end(), cplx{});
    solve_diagonal_sequential(lambda, c.data(), y.data(), T);
    CHECK(max_rel(y, ref) <= 1e-15);  // the same operations in the same order (up to FMA contraction)
    for (std::size_t chunks : {0, 3}) {
      std::fill(y.begin(), y.end(), cplx{});
      const ScanStats stats = solve_diagonal_chunked(lambda, c.data(), y.data(), T, {2, chunks});
      INFO("chunks " << chunks);
      CHECK(stats.carry == (last <= 1.0));
      CHECK(max_rel(y, ref) <= (stats.carry ? 1e-13 : static_cast<double>(T) * std::ldexp(1.0, -53)));
    }
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

TEST_CASE("a defective (Jordan) A is not diagonalised, a random one is") {
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
