// Built when CUDA is on: asks the runtime how many devices there are. A machine with the toolkit but
// no driver or no GPU answers 0, never an error.
#include <cuda_runtime.h>

#include "core/device.hpp"

namespace core {

int cuda_device_count() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) return 0;
  return count;
}

bool built_with_cuda() {
  return true;
}

}  // namespace core
