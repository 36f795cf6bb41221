// Built when CUDA is off: no kernels, no devices.
#include "core/device.hpp"

namespace core {

int cuda_device_count() {
  return 0;
}
bool built_with_cuda() {
  return false;
}

}  // namespace core
