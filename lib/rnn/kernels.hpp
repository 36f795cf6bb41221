// The inner step of every rnn-fixpoint recurrence, y = epilogue(A x): the matrix-vector product of a
// small dense d x d matrix (column-major) fused with what follows it in the tanh RNN
// h_t = tanh(A h_{t-1} + u_t) and in the linear recurrence x_t = diag(s_t) A x_{t-1} + b_t.
//
// Why hand-written (the suite prefers library routines): Eigen's dynamic-size product is compiled for
// SSE2 (the suite does not build with -march) and a separate std::tanh per element cost ~30 ns each,
// which made the sequential RNN 10x (d = 16) and 2.6x (d = 64) a NumPy loop instead of the 20x asked.
// With AVX2+FMA (checked at run time, core::have_avx2) the product runs on 8 independent accumulators
// (enough to hide the FMA latency) and tanh is an expm1-based kernel of its own (at most 2.6 ulp, see
// kernels.cpp; tests/rnn/test_kernels.cpp). Without AVX2 the same function is Eigen's product and
// std::tanh; the two paths may differ in the last bits, never by more than rounding. A on a 64-byte
// (cache-line) boundary (core::aligned_vector) keeps every 4-wide load of a column within one cache line
// when 4 divides d; any alignment works.
#pragma once

#include <cstddef>

namespace rnn {

// y = s .* (A x) + b. `s` (row scale) and `b` may be nullptr (1 and 0). y may alias b, never x.
void affine_step(const double* a, std::size_t d, const double* x, const double* s, const double* b, double* y);

// y = tanh(A x + u): one step of the tanh RNN. y may alias u, never x.
void tanh_affine_step(const double* a, std::size_t d, const double* x, const double* u, double* y);

}  // namespace rnn
