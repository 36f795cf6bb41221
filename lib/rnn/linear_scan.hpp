// The one linear-recurrence solver every rnn-fixpoint scheme uses: x_t = A_t x_{t-1} + b_t, t = 1..T,
// x_0 = 0, after Lim et al., "Parallelizing Non-Linear Sequential Models over the Sequence Length" (DEER,
// 2023). Three forms of A_t: one constant matrix, a constant matrix with rows scaled per step
// (diag(s_t) A: the first-order and the RNN's Newton schemes), or a full matrix per step (the GRU's Newton).
// Two CPU solvers (sequential; a chunked two-pass OpenMP scan) and an element-wise one for a diagonal
// complex A (with a CUDA twin in scan_cuda.cu). States are stored row-major: x_t is x[(t-1)*d .. t*d).
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

#include "rnn/diagonal_scan.hpp"

namespace rnn {

// The recurrence matrices A_1..A_T of one linear recurrence.
class Recurrence {
 public:
  static Recurrence constant(Eigen::MatrixXd a, std::size_t length);
  // A_t = diag(scale[(t-1)*d ..]) * a.
  static Recurrence row_scaled(Eigen::MatrixXd a, std::vector<double> scale);
  // A_t = the column-major d x d block matrices[(t-1)*d*d ..].
  static Recurrence general(std::size_t d, std::vector<double> matrices);

  std::size_t dim() const { return d_; }
  std::size_t length() const { return T_; }
  bool is_constant() const { return kind_ == Kind::constant; }
  // out = A_t * in (t in 1..T).
  void apply(std::size_t t, const double* in, double* out) const;
  // The transfer matrix A_last ... A_first of steps first..last.
  Eigen::MatrixXd product(std::size_t first, std::size_t last) const;

 private:
  enum class Kind { constant, row_scaled, general };
  Kind kind_ = Kind::constant;
  std::size_t d_ = 0, T_ = 0;
  Eigen::MatrixXd a_;
  std::vector<double> data_;
};

// How a linear recurrence is solved.
struct ScanPlan {
  unsigned threads = 1;
  std::size_t chunks = 0;  // chunked scan only; 0: threads + 1 (the two-pass scan's best split, see .cpp)
};

// x_t = A_t x_{t-1} + b_t with x_0 = 0, one step after another; b and x hold T*d values (may alias).
void solve_sequential(const Recurrence& a, const double* b, double* x);

// The same recurrence by a chunked two-pass scan: pass 1 runs chunk 0 exactly and, in parallel, finds the
// zero-start end state and transfer matrix of chunks 1..K-2; a serial carry gives every chunk its start
// state; pass 2 reruns chunks 1..K-1 from it. Equal to solve_sequential to rounding.
void solve_chunked(const Recurrence& a, const double* b, double* x, const ScanPlan& plan);

// y_t = lambda .* y_{t-1} + c_t with y_0 = 0, element-wise (diagonal complex A); c and y hold T*d values.
void solve_diagonal_sequential(const std::vector<cplx>& lambda, const cplx* c, cplx* y, std::size_t T);
void solve_diagonal_chunked(const std::vector<cplx>& lambda, const cplx* c, cplx* y, std::size_t T,
                            const ScanPlan& plan);

// Work and depth of one associative (Blelloch-style) parallel scan of a dense time-varying recurrence,
// the numbers a GPU run would have: work ~ T (d^3 + d^2) multiply-adds, depth ~ 2 log2 T composition
// levels of d^3 each.
struct ScanCost {
  double work_flops;        // total floating-point operations
  double depth_levels;      // sequential composition levels
  double sequential_flops;  // one sequential pass, 2 T d^2
};
ScanCost associative_scan_cost(std::size_t T, std::size_t d);

}  // namespace rnn
