// The one linear-recurrence solver every rnn-fixpoint scheme uses: x_t = A_t x_{t-1} + b_t, t = 1..T,
// x_0 = 0, after Lim et al., "Parallelizing Non-Linear Sequential Models over the Sequence Length" (DEER,
// 2023). Three forms of A_t: one constant matrix, a constant matrix with rows scaled per step
// (diag(s_t) A: the first-order and the RNN's Newton schemes), or a full matrix per step (the GRU's Newton).
// Two CPU solvers (sequential; a chunked OpenMP scan) and an element-wise one for a diagonal complex A
// (with a CUDA twin in scan_cuda.cu). States are stored row-major: x_t is x[(t-1)*d .. t*d).
//
// The chunked scan rests on linearity: a chunk's states from the true start state x_s are its states from
// zero plus y_t = A_t ... A_(s+1) x_s, a homogeneous recurrence. Where every product of the A_t is bounded
// by C (sup_k |A^k|_inf for a constant A; prod_t max(1, |A_t|_inf) otherwise; 1 for a diagonal A with
// |lambda| <= 1) and y decays, y_t drops below rounding after a few hundred steps and the rest of the
// chunk needs no second pass: all chunks run from zero in parallel, then a short serial correction per
// chunk. The truncation adds at most u max_t |x_t|_inf (u = 2^-53) to any state. See solve_chunked.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

#include "core/simd.hpp"
#include "rnn/diagonal_scan.hpp"

namespace rnn {

// The recurrence matrices A_1..A_T of one linear recurrence.
class Recurrence {
 public:
  static Recurrence constant(Eigen::MatrixXd a, std::size_t length);
  // A_t = diag(scale[(t-1)*d ..]) * a.
  static Recurrence row_scaled(Eigen::MatrixXd a, std::vector<double> scale);
  // A_t = the column-major d x d block matrices[(t-1)*d*d ..].
  static Recurrence general(std::size_t d, core::aligned_vector<double> matrices);

  std::size_t dim() const { return d_; }
  std::size_t length() const { return T_; }
  bool is_constant() const { return kind_ == Kind::constant; }
  const Eigen::MatrixXd& matrix() const { return a_; }  // A (constant and row-scaled forms)
  // out = A_t in + b (t in 1..T; b nullptr: 0). out may alias b, never in.
  void step(std::size_t t, const double* in, const double* b, double* out) const;
  // out = A_t in.
  void apply(std::size_t t, const double* in, double* out) const { step(t, in, nullptr, out); }
  // |A_t|_inf, the largest absolute row sum.
  double norm_inf(std::size_t t) const;

 private:
  enum class Kind { constant, row_scaled, general };
  Kind kind_ = Kind::constant;
  std::size_t d_ = 0, T_ = 0;
  Eigen::MatrixXd a_;
  core::aligned_vector<double> a_aligned_;  // a_'s entries for the step kernel
  Eigen::ArrayXd abs_row_sums_;             // of A (constant and row-scaled forms)
  std::vector<double> scale_;               // row-scaled form: the row scales
  core::aligned_vector<double> matrices_;   // general form: the matrices
};

// How a linear recurrence is solved.
struct ScanPlan {
  unsigned threads = 1;
  // Chunked scan only; 0: one on one thread, else threads times 1 .. 4 (carry scan; 4 from T >= 2^17 threads)
  // or threads + 1 (two-pass scan).
  std::size_t chunks = 0;
};

// What a chunked solve did (for scan-bench and the tests).
struct ScanStats {
  std::size_t chunks = 1;
  bool carry = false;           // the carry scan (a bound held); false: the two-pass scan or sequential
  double bound = 0;             // the C of the carry scan (see the top of this file)
  std::size_t pass2_steps = 0;  // steps run after pass 1 (serial corrections, or the two-pass rerun)
};

// x_t = A_t x_{t-1} + b_t with x_0 = 0, one step after another; b and x hold T*d values (may alias).
void solve_sequential(const Recurrence& a, const double* b, double* x);

// The same recurrence on `plan.threads` threads, equal to solve_sequential to rounding. Where the bound C
// holds (finite; for a constant A found within T / 4d powers) the carry scan: pass 1 runs every
// chunk from zero in parallel (chunk 0 is then exact); pass 2 walks the chunks in order and adds
// y_t = A_t y_(t-1), y = the true state before the chunk, until C |y_t|_inf <= (u / K) max |x|_inf so far
// (K chunks), which bounds every omitted term by that for good. A time-varying A without a contraction runs
// the correction to the end of each chunk (correct, but serial). A constant A without a bound (rho >= 1)
// takes the two-pass scan instead: pass 1 runs chunk 0 exactly and finds the zero-start end states of
// chunks 1..K-2, a serial carry with A^L gives each chunk its start state, pass 2 reruns chunks 1..K-1.
ScanStats solve_chunked(const Recurrence& a, const double* b, double* x, const ScanPlan& plan);

// y_t = lambda .* y_{t-1} + c_t with y_0 = 0, element-wise (diagonal complex A); c and y hold T*d values.
void solve_diagonal_sequential(const std::vector<cplx>& lambda, const cplx* c, cplx* y, std::size_t T);
// The chunked scans of linear_scan's top comment with C = 1 when every |lambda| <= 1 (the carry scan's
// correction is y_t += lambda^(t-s) .* y_s, element-wise), else the two-pass scan with lambda^L.
ScanStats solve_diagonal_chunked(const std::vector<cplx>& lambda, const cplx* c, cplx* y, std::size_t T,
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
