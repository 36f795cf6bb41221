// The --device switch of tools with a GPU path (00-suite.md): cpu, cuda, or auto (cuda when a device is
// present). CUDA support is compiled in when CMake finds nvcc (SUITE_CUDA); the CPU path always exists
// and is what the tests use.
#pragma once

#include <string>
#include <string_view>

namespace core {

enum class Device { cpu, cuda };

std::string_view to_string(Device d);

// Number of usable CUDA devices: 0 when built without CUDA or when the driver finds none.
int cuda_device_count();

// Whether this binary was built with the CUDA kernels.
bool built_with_cuda();

// "cpu" -> cpu; "cuda" -> cuda, or InputError when no device is usable; "auto" -> cuda when usable,
// else cpu. Anything else is an InputError naming --device.
Device resolve_device(std::string_view requested);

}  // namespace core
