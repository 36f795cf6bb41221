#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.hpp"
#include "w2/bures.hpp"

using namespace w2;

namespace {

Gaussian gaussian(Vector mean, Matrix cov) {
  return {std::move(mean), std::move(cov)};
}

Matrix spd(double a, double b, double c) {
  Matrix m(2, 2);
  m << a, b, b, c;
  return m;
}

}  // namespace

TEST_CASE("Bures W2 in 1-D is sqrt((m1 - m2)^2 + (s1 - s2)^2)") {
  const auto p = gaussian(Vector::Constant(1, 0.3), Matrix::Constant(1, 1, 4.0));
  const auto q = gaussian(Vector::Constant(1, -1.2), Matrix::Constant(1, 1, 0.25));
  CHECK(bures_w2(p, q) == Approx(std::sqrt(1.5 * 1.5 + 1.5 * 1.5)).epsilon(1e-14));
  CHECK(bures_w2_trace_formula(p, q) == Approx(bures_w2(p, q)).epsilon(1e-12));
}

TEST_CASE("commuting covariances: W2^2 = |dm|^2 + sum (sqrt a_i - sqrt b_i)^2") {
  Vector a(3), b(3);
  a << 0.1, 1, 9;
  b << 0.4, 1, 1;
  const auto p = gaussian(Vector::Zero(3), a.asDiagonal());
  const auto q = gaussian(Vector::Ones(3), b.asDiagonal());
  const double expected = std::sqrt(3 + (a.cwiseSqrt() - b.cwiseSqrt()).squaredNorm());
  CHECK(bures_w2(p, q) == Approx(expected).epsilon(1e-13));
}

TEST_CASE("identical Gaussians are at distance 0, also with a dense covariance") {
  const Matrix s = spd(2, 0.7, 0.5);
  const auto p = gaussian(Vector::Ones(2), s);
  CHECK(bures_w2(p, p) == Approx(0).margin(1e-7));
  CHECK(bures_w2(p, p) <= bures_w2_trace_formula(p, p) + 1e-7);
}

TEST_CASE("non-commuting 2x2 covariances: tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)) gives an independent route") {
  const Matrix s1 = spd(2, 0.7, 0.5), s2 = spd(0.3, -0.2, 1.5);
  REQUIRE((s1 * s2 - s2 * s1).norm() > 0.1);
  // tr (S1^1/2 S2 S1^1/2)^1/2: M has trace tr(S1 S2) and determinant det S1 det S2.
  const double tr_m = (s1 * s2).trace(), det_m = s1.determinant() * s2.determinant();
  const double w2_sq = s1.trace() + s2.trace() - 2 * std::sqrt(tr_m + 2 * std::sqrt(det_m));
  const auto p = gaussian(Vector::Zero(2), s1), q = gaussian(Vector::Zero(2), s2);
  CHECK(bures_w2(p, q) == Approx(std::sqrt(w2_sq)).epsilon(1e-12));
  // The optimal map pushes N(0, S1) onto N(0, S2): A S1 A = S2, A symmetric.
  const Matrix a = optimal_map(s1, s2);
  CHECK((a * s1 * a - s2).norm() < 1e-12);
  CHECK((a - a.transpose()).norm() < 1e-12);
}

TEST_CASE("the stable form keeps the small distance between nearby covariances that the trace formula loses") {
  const double eps = 1e-9;
  const auto p = gaussian(Vector::Zero(1), Matrix::Constant(1, 1, 1.0));
  const auto q = gaussian(Vector::Zero(1), Matrix::Constant(1, 1, (1 + eps) * (1 + eps)));
  CHECK(bures_w2(p, q) == Approx(eps).epsilon(1e-6));
}

TEST_CASE("a covariance with a clearly negative eigenvalue is a numerical error, not a silent clamp") {
  CHECK_THROWS(sym_sqrt(spd(1, 2, 1)));
}

TEST_CASE("bures_w2 refuses Gaussians of different dimensions or a non-symmetric covariance") {
  const w2::Gaussian p{w2::Vector::Zero(2), w2::Matrix::Identity(2, 2)};
  const w2::Gaussian q{w2::Vector::Zero(3), w2::Matrix::Identity(3, 3)};
  CHECK_THROWS_AS(w2::bures_w2(p, q), core::InputError);
  w2::Matrix skew = w2::Matrix::Identity(2, 2);
  skew(0, 1) = 0.5;
  CHECK_THROWS_AS(w2::bures_w2(p, {w2::Vector::Zero(2), skew}), core::InputError);
  CHECK(w2::bures_w2(p, p) == 0);
}
