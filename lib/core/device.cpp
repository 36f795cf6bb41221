#include "core/device.hpp"

#include "core/errors.hpp"

namespace core {

std::string_view to_string(Device d) {
  return d == Device::cuda ? "cuda" : "cpu";
}

Device resolve_device(std::string_view requested) {
  if (requested == "cpu") return Device::cpu;
  if (requested == "auto") return cuda_device_count() > 0 ? Device::cuda : Device::cpu;
  if (requested != "cuda")
    throw InputError("--device: expected one of cpu, cuda, auto, got '" + std::string(requested) + "'");
  if (!built_with_cuda())
    throw InputError("--device: cuda requested, but this build has no CUDA support (nvcc was not found)");
  if (cuda_device_count() == 0) throw InputError("--device: cuda requested, but no CUDA device is available");
  return Device::cuda;
}

}  // namespace core
