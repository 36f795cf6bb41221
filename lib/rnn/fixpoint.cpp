#include "rnn/fixpoint.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/csv.hpp"
#include "core/errors.hpp"

namespace rnn {

namespace {

using Eigen::Map;
using Eigen::MatrixXcd;
using Eigen::VectorXcd;
using Eigen::VectorXd;

constexpr std::string_view names[] = {"fixed", "perturb", "diagonal", "first_order", "newton"};

void solve(const Recurrence& a, const std::vector<double>& b, std::vector<double>& x, const IterationSettings& s) {
  if (s.chunked)
    solve_chunked(a, b.data(), x.data(), s.plan);
  else
    solve_sequential(a, b.data(), x.data());
}

// b_t = f_t - A_t h_{t-1}^(n-1) (h_0 = 0).
std::vector<double> forcing(const Recurrence& a, const std::vector<double>& f, const std::vector<double>& h,
                            unsigned threads) {
  const std::size_t d = a.dim(), T = a.length();
  std::vector<double> b(f);
#pragma omp parallel num_threads(static_cast <int>(std::max(1u, threads)))
  {
    std::vector<double> ah(d);
#pragma omp for schedule(static)
    for (std::size_t t = 2; t <= T; ++t) {
      a.apply(t, h.data() + (t - 2) * d, ah.data());
      for (std::size_t j = 0; j < d; ++j) b[(t - 1) * d + j] -= ah[j];
    }
  }
  return b;
}

// The perturbation step in A's eigenbasis: c_t = P^-1 b_t, y_t = lambda .* y_{t-1} + c_t, h_t = Re(P y_t).
void solve_diagonal(const Diagonalisation& g, const std::vector<double>& b, std::vector<double>& x, std::size_t T,
                    const IterationSettings& s) {
  const auto d = static_cast<Eigen::Index>(g.lambda.size()), n = static_cast<Eigen::Index>(T);
  const MatrixXcd bc = Map<const Eigen::MatrixXd>(b.data(), d, n).cast<cplx>();
  const MatrixXcd c = g.p_inv * bc;
  MatrixXcd y(d, n);
  if (s.chunked)
    solve_diagonal_chunked(g.lambda, c.data(), y.data(), T, s.plan);
  else
    solve_diagonal_sequential(g.lambda, c.data(), y.data(), T);
  const MatrixXcd py = g.p * y;
  Map<Eigen::MatrixXd>(x.data(), d, n) = py.real();
}

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

}  // namespace

std::string_view to_string(Scheme s) {
  return names[static_cast<int>(s)];
}

std::optional<Diagonalisation> diagonalise(const Eigen::MatrixXd& a) {
  Eigen::ComplexEigenSolver<MatrixXcd> solver(a.cast<cplx>());
  if (solver.info() != Eigen::Success) return std::nullopt;
  Diagonalisation g;
  g.p = solver.eigenvectors();
  g.lambda.assign(solver.eigenvalues().data(), solver.eigenvalues().data() + solver.eigenvalues().size());
  if (!g.p.allFinite()) return std::nullopt;
  const Eigen::JacobiSVD<MatrixXcd> svd(g.p);
  const auto sv = svd.singularValues();
  g.condition = sv.minCoeff() > 0 ? sv.maxCoeff() / sv.minCoeff() : std::numeric_limits<double>::infinity();
  if (!std::isfinite(g.condition) || g.condition > max_condition) return std::nullopt;
  g.p_inv = g.p.inverse();
  // For a defective A the eigenvector back-substitution divides by zero and Eigen's eigenvectors are not
  // reliable (we saw a "condition" below 1); accept only a P that reconstructs A.
  const MatrixXcd back =
      g.p * Eigen::Map<const VectorXcd>(g.lambda.data(), static_cast<Eigen::Index>(g.lambda.size())).asDiagonal() *
      g.p_inv;
  const double scale = std::max(1.0, a.cwiseAbs().maxCoeff());
  if (!back.allFinite() || (back - a.cast<cplx>()).cwiseAbs().maxCoeff() > 1e-10 * scale) return std::nullopt;
  return g;
}

std::string describe(const SchemeResult& r) {
  if (r.diverged) return "DIVERGED at iteration " + std::to_string(r.diverged_at) + " (an iterate overflowed)";
  if (!r.converged) return "not converged in " + std::to_string(r.iterations_used()) + " iterations";
  return std::to_string(r.iterations_used()) + " iterations";
}

double iteration_bytes(std::size_t d, std::size_t T, bool general_jacobians) {
  const double n = static_cast<double>(d) * static_cast<double>(T);
  // h, next, f, b, reference, inputs (3 for the GRU), row scales, complex c and y (2 each): about 14 arrays
  return 8.0 * n * (14.0 + (general_jacobians ? static_cast<double>(d) : 0.0));
}

unsigned pass_threads(std::size_t d, std::size_t T, unsigned threads) {
  const double work = static_cast<double>(T) * static_cast<double>(d) * static_cast<double>(d);
  return work < min_parallel_pass ? 1u : std::max(1u, threads);
}

SchemeResult solve_by_iteration(const Model& model, const std::vector<double>& reference, Scheme scheme,
                                const IterationSettings& s) {
  const auto start = std::chrono::steady_clock::now();
  const std::size_t d = model.dim(), T = model.length();
  const std::size_t max_n = s.max_iterations ? s.max_iterations : T;
  const unsigned threads = pass_threads(d, T, s.plan.threads);
  SchemeResult result;
  result.scheme = scheme;

  double scale = 0;
  for (double v : reference) scale = std::max(scale, std::abs(v));
  const double tol = s.tolerance * scale;

  std::optional<Diagonalisation> eig;
  std::optional<Recurrence> fixed_a;
  if (scheme == Scheme::diagonal) {
    eig = diagonalise(model.constant_linearisation());
    if (!eig && !s.diagonal_fallback)
      throw core::InputError(
          "--schemes: diagonal needs a diagonalisable A, but its eigenvector matrix is singular to double "
          "precision (condition above " +
          core::format_sig(max_condition, 2) +
          "); drop diagonal or pass --diagonal-fallback to run it as the dense perturbation scheme");
    result.fell_back = !eig;
  }
  if (scheme == Scheme::perturb || (scheme == Scheme::diagonal && !eig))
    fixed_a = Recurrence::constant(model.constant_linearisation(), T);
  if (scheme == Scheme::first_order) fixed_a = model.jacobians(std::vector<double>(T * d, 0.0));

  std::vector<double> h(T * d, 0.0), next(T * d);
  std::vector<double> f = model.map(h, threads);
  double previous_error = std::numeric_limits<double>::infinity();
  for (std::size_t n = 1; n <= max_n; ++n) {
    if (scheme == Scheme::fixed) {
      next = f;
    } else if (scheme == Scheme::diagonal && eig) {
      const Recurrence a = Recurrence::constant(model.constant_linearisation(), T);
      solve_diagonal(*eig, forcing(a, f, h, threads), next, T, s);
    } else {
      const Recurrence a = fixed_a ? *fixed_a : model.jacobians(h);
      solve(a, forcing(a, f, h, threads), next, s);
    }
    if (!all_finite(next)) {
      result.diverged = true;
      result.diverged_at = n;
      break;
    }
    h.swap(next);
    f = model.map(h, threads);
    IterationRecord rec{n, 0, T, 0};
    bool in_prefix = true;
    for (std::size_t t = 0; t < T; ++t) {
      double err = 0;
      for (std::size_t j = 0; j < d; ++j) {
        err = std::max(err, std::abs(h[t * d + j] - reference[t * d + j]));
        rec.residual = std::max(rec.residual, std::abs(h[t * d + j] - f[t * d + j]));
      }
      rec.max_error = std::max(rec.max_error, err);
      if (in_prefix && !(err <= tol)) {
        rec.exact_prefix = t;
        in_prefix = false;
      }
    }
    if (rec.exact_prefix < std::min(n, T) && result.prefix_holds) {
      result.prefix_holds = false;
      result.prefix_violation = n;
    }
    if (scheme == Scheme::newton && previous_error <= 0.1 && rec.max_error > 100 * tol) {
      const double ratio = rec.max_error / (previous_error * previous_error);
      result.newton_ratio = std::isnan(result.newton_ratio) ? ratio : std::max(result.newton_ratio, ratio);
    }
    previous_error = rec.max_error;
    result.iterations.push_back(rec);
    if (rec.max_error <= tol) {
      result.converged = true;
      break;
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace rnn
