// The element-wise (diagonal complex) linear recurrence's GPU entry point, kept free of Eigen so that
// nvcc compiles scan_cuda.cu with it alone. The CPU solvers are in linear_scan.hpp.
#pragma once

#include <complex>
#include <cstddef>
#include <vector>

namespace rnn {

using cplx = std::complex<double>;

// y_t = lambda .* y_{t-1} + c_t, y_0 = 0, by the chunked scan on the GPU (one thread per channel and chunk;
// chunks 0: 256). Without CUDA in the build it throws core::InputError("--device cuda: built without CUDA").
void solve_diagonal_cuda(const std::vector<cplx>& lambda, const cplx* c, cplx* y, std::size_t T, std::size_t chunks);
bool diagonal_cuda_available();

}  // namespace rnn
