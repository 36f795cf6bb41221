#include "core/data.hpp"

#include <filesystem>
#include <system_error>

#ifndef MLDERIV_DATADIR
#define MLDERIV_DATADIR "share/mlderiv"
#endif

namespace core {

std::string data_file(std::string_view name) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  const auto prefix = ec ? std::filesystem::path("..") : exe.parent_path().parent_path();
  return (prefix / MLDERIV_DATADIR / name).lexically_normal().string();
}

}  // namespace core
