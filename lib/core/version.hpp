// The suite's version, as --version, --help and FILE.meta.json print it (the CMake project version).
#pragma once

#include <string_view>

namespace core {

std::string_view suite_version();

}  // namespace core
