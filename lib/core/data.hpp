// Files that come with the suite (the Chinchilla data of quanta-scaling fit): in share/mlderiv/ beside the
// bin/ that holds the running executable, in the build tree (build/bin, build/share/mlderiv) and in an
// install (PREFIX/bin, PREFIX/share/mlderiv) alike, so no absolute path is compiled in and a moved
// install still finds them.
#pragma once

#include <string>
#include <string_view>

namespace core {

// EXE_DIR/../share/mlderiv/NAME for the running executable (whether or not the file exists).
std::string data_file(std::string_view name);

}  // namespace core
