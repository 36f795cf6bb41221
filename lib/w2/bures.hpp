// The 2-Wasserstein distance between Gaussians (the Bures-Wasserstein formula):
//   W2^2[N(m1, S1), N(m2, S2)] = |m1 - m2|^2 + tr S1 + tr S2 - 2 tr (S1^1/2 S2 S1^1/2)^1/2,
// with the optimal map x -> m2 + A (x - m1), A = S1^-1/2 (S1^1/2 S2 S1^1/2)^1/2 S1^-1/2 (Dowson & Landau
// 1982; Givens & Shortt 1984). Matrix square roots come from Eigen's SelfAdjointEigenSolver.
#pragma once

#include <Eigen/Dense>

namespace w2 {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;

struct Gaussian {
  Vector mean;
  Matrix cov;
};

// The symmetric square root (and inverse square root) of a symmetric positive semi-definite matrix;
// NumericalError if an eigenvalue is below -1e-12 times the largest.
Matrix sym_sqrt(const Matrix& s);
Matrix sym_inv_sqrt(const Matrix& s);

// The optimal (Monge) map's matrix A from N(., s1) to N(., s2); s1 must be positive definite.
Matrix optimal_map(const Matrix& s1, const Matrix& s2);

// InputError unless both means have one dimension d >= 1 and both covariances are symmetric d x d.
void check_gaussians(const Gaussian& p, const Gaussian& q);

// W2 between two Gaussians (check_gaussians first). Computed as |m1 - m2|^2 + tr((I - A) S1 (I - A)^T), which equals
// the trace formula but does not lose the small distance between nearby covariances to cancellation.
double bures_w2(const Gaussian& p, const Gaussian& q);

// The textbook trace formula, for tests (cancels catastrophically when S1 is close to S2).
double bures_w2_trace_formula(const Gaussian& p, const Gaussian& q);

}  // namespace w2
