#include "w2/bures.hpp"

#include <cmath>
#include <string>

#include "core/errors.hpp"

namespace w2 {

namespace {

Matrix spectral_function(const Matrix& s, double power) {
  Eigen::SelfAdjointEigenSolver<Matrix> eig(0.5 * (s + s.transpose()));
  if (eig.info() != Eigen::Success) throw core::NumericalError("matrix square root: the eigensolver failed");
  Vector lambda = eig.eigenvalues();
  const double top = std::max(lambda.cwiseAbs().maxCoeff(), 1e-300);
  for (auto& l : lambda) {
    if (l < -1e-12 * top) throw core::NumericalError("matrix square root: the matrix is not positive semi-definite");
    l = std::pow(std::max(l, 0.0), power);
  }
  return eig.eigenvectors() * lambda.asDiagonal() * eig.eigenvectors().transpose();
}

}  // namespace

Matrix sym_sqrt(const Matrix& s) {
  return spectral_function(s, 0.5);
}

Matrix sym_inv_sqrt(const Matrix& s) {
  return spectral_function(s, -0.5);
}

Matrix optimal_map(const Matrix& s1, const Matrix& s2) {
  const Matrix r = sym_sqrt(s1), r_inv = sym_inv_sqrt(s1);
  const Matrix middle = sym_sqrt(r * s2 * r);
  return r_inv * middle * r_inv;
}

void check_gaussians(const Gaussian& p, const Gaussian& q) {
  const auto d = p.mean.size();
  auto fits = [d](const Gaussian& g) { return g.mean.size() == d && g.cov.rows() == d && g.cov.cols() == d; };
  if (d == 0 || !fits(p) || !fits(q))
    throw core::InputError("Gaussians: expected means of one dimension d >= 1 and d x d covariances, got means of " +
                           std::to_string(p.mean.size()) + " and " + std::to_string(q.mean.size()) + ", covariances " +
                           std::to_string(p.cov.rows()) + " x " + std::to_string(p.cov.cols()) + " and " +
                           std::to_string(q.cov.rows()) + " x " + std::to_string(q.cov.cols()));
  if (!p.cov.isApprox(p.cov.transpose()) || !q.cov.isApprox(q.cov.transpose()))
    throw core::InputError("Gaussians: the covariances must be symmetric");
}

double bures_w2(const Gaussian& p, const Gaussian& q) {
  check_gaussians(p, q);
  const Matrix a = optimal_map(p.cov, q.cov);
  const Matrix i_minus_a = Matrix::Identity(a.rows(), a.cols()) - a;
  const double cov_part = (i_minus_a * p.cov * i_minus_a.transpose()).trace();
  return std::sqrt((p.mean - q.mean).squaredNorm() + std::max(cov_part, 0.0));
}

double bures_w2_trace_formula(const Gaussian& p, const Gaussian& q) {
  const Matrix r = sym_sqrt(p.cov);
  const double cross = sym_sqrt(r * q.cov * r).trace();
  return std::sqrt(std::max((p.mean - q.mean).squaredNorm() + p.cov.trace() + q.cov.trace() - 2 * cross, 0.0));
}

}  // namespace w2
