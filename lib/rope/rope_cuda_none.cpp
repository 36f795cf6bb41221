// Built when SUITE_CUDA is OFF: the GPU path does not exist (core::resolve_device refuses --device cuda).
#include "core/errors.hpp"
#include "rope/rope_cuda.hpp"

namespace rope {

std::vector<RopeMin> rope_min_batch_cuda(const std::vector<double>&, std::uint64_t, unsigned, Precision, bool) {
  throw core::NumericalError("rope-base: this build has no CUDA support");
}

RopeMin rope_scan_cuda(double, std::uint64_t, unsigned) {
  throw core::NumericalError("rope-base: this build has no CUDA support");
}

}  // namespace rope
