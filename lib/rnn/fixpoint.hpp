// Solving h_t = F_t(h_{t-1}) for all t at once by iterating linear recurrences (Lim et al., DEER, 2023):
//   h_t^(n) - A_t h_{t-1}^(n) = F_t(h_{t-1}^(n-1)) - A_t h_{t-1}^(n-1),
// with A_t = 0 (plain fixed point), a constant A (perturbation), its eigenbasis (diagonal, element-wise
// complex scan), dF_t/dh at h = 0 (first order) or at h^(n-1) (Newton/DEER). Each iteration makes at
// least one more step exact, so every scheme terminates in at most T iterations in exact arithmetic;
// Newton converges quadratically near the solution.
#pragma once

#include <Eigen/Dense>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rnn/linear_scan.hpp"
#include "rnn/model.hpp"

namespace rnn {

enum class Scheme { fixed, perturb, diagonal, first_order, newton };
inline constexpr Scheme all_schemes[] = {Scheme::fixed, Scheme::perturb, Scheme::diagonal, Scheme::first_order,
                                         Scheme::newton};
std::string_view to_string(Scheme s);

// A = P diag(lambda) P^-1 over the complex numbers (Eigen::ComplexEigenSolver).
struct Diagonalisation {
  std::vector<cplx> lambda;
  Eigen::MatrixXcd p, p_inv;
  double condition = 0;  // cond_2(P); large means nearly defective
};
// nullopt when A cannot be diagonalised in double precision: cond(P) above max_condition or not finite.
inline constexpr double max_condition = 1e8;
std::optional<Diagonalisation> diagonalise(const Eigen::MatrixXd& a);

struct IterationSettings {
  double tolerance = 1e-12;        // relative to max_t |h_t|_inf of the reference
  std::size_t max_iterations = 0;  // 0: T
  bool chunked = false;            // the chunked scan instead of the sequential solver
  ScanPlan plan;                   // threads (also for F_t) and chunks
  bool diagonal_fallback = false;  // a defective A: run `diagonal` as the dense perturbation scheme
};

struct IterationRecord {
  std::size_t n;
  double max_error;          // max_t |h_t^(n) - h_t|_inf against the sequential reference
  std::size_t exact_prefix;  // the longest prefix with every error <= the tolerance
  double residual;           // max_t |h_t^(n) - F_t(h_{t-1}^(n))|_inf
};

struct SchemeResult {
  Scheme scheme;
  std::vector<IterationRecord> iterations;  // finite iterates only
  bool converged = false;
  bool diverged = false;        // an iterate stopped being finite
  std::size_t diverged_at = 0;  // ... at this iteration
  // exact_prefix >= n on every iteration. Exact in exact arithmetic; in doubles an expanding recurrence
  // amplifies rounding inside the prefix, so the studies enforce it on converged runs and report the rest.
  bool prefix_holds = true;
  std::size_t prefix_violation = 0;  // the first iteration where it failed
  // Newton: max of e_(n+1) / e_n^2 over iterations with e_n <= 0.1 and e_(n+1) above 100x the tolerance
  double newton_ratio = std::numeric_limits<double>::quiet_NaN();
  bool fell_back = false;  // diagonal run as dense (defective A, fallback asked)
  double seconds = 0;

  std::size_t iterations_used() const { return iterations.empty() ? 0 : iterations.back().n; }
};
// How a run ended, for the summaries: "6 iterations", "not converged in 200 iterations", "DIVERGED at ...".
std::string describe(const SchemeResult& r);

// Bytes one solve_by_iteration needs (states, forcing, inputs, reference; per-step matrices when
// `general_jacobians`, as the GRU's Newton has), for the studies' check that a size fits in memory.
double iteration_bytes(std::size_t d, std::size_t T, bool general_jacobians);

// The threads of an iteration's map and forcing passes (T d^2 multiply-adds each): one below 2^20, where a
// pass takes well under a millisecond and its parallel region costs more than it saves (on a busy machine
// every region waits for a time slice: converge's 666 regions took 1-11 s on 2 shared cores, 0.26 s on one
// thread). Each step is computed alone, so the iterates do not depend on it.
inline constexpr double min_parallel_pass = 1 << 20;
unsigned pass_threads(std::size_t d, std::size_t T, unsigned threads);

// Iterates `scheme` from h^(0) = 0 against the sequential `reference` until the error is within the
// tolerance, an iterate is not finite, or max_iterations. InputError when `diagonal` is asked for a
// defective A without fallback.
SchemeResult solve_by_iteration(const Model& model, const std::vector<double>& reference, Scheme scheme,
                                const IterationSettings& settings);

}  // namespace rnn
