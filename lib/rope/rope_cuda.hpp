// The GPU twin of rope_min for a batch of bases (lib/rope/rope_cuda.cu, built when SUITE_CUDA is ON):
// one thread block per base, threads over m in tiles, each f_b(m) summed directly from sincos of m·θ_i
// (no recurrence), the first negative m found tile by tile so the early exit gives the same m as the CPU
// scan. Results agree with the CPU's to the rounding of the sums (≈ 1e-12 in double): a base whose
// minimum lies within that of 0 could be judged differently; scripts/gpu-check.d/rope-base.sh compares.
#pragma once

#include <cstdint>
#include <vector>

#include "rope/rope_sum.hpp"

namespace rope {

// Throws core::NumericalError when built without CUDA (callers resolve --device first).
std::vector<RopeMin> rope_min_batch_cuda(const std::vector<double>& bases, std::uint64_t L, unsigned d, Precision p,
                                         bool stop_at_negative);

// One base in double, every m < L spread over the whole GPU (no early exit): min_f and argmin over all m,
// and the first negative m. The certificate's full scans (refuter searches, feasibility candidates) use
// it; what it finds is only a candidate: refutations and the final feasibility are proved on the CPU.
RopeMin rope_scan_cuda(double b, std::uint64_t L, unsigned d);

}  // namespace rope
