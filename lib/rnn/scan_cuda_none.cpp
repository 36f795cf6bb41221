// The CPU-only build's stand-in for scan_cuda.cu: the CUDA scan is not there, and asking for it is bad input.
#include "core/errors.hpp"
#include "rnn/diagonal_scan.hpp"

namespace rnn {

bool diagonal_cuda_available() {
  return false;
}

void solve_diagonal_cuda(const std::vector<cplx>&, const cplx*, cplx*, std::size_t, std::size_t) {
  throw core::InputError("--device cuda: built without CUDA");
}

}  // namespace rnn
