#include "core/simd.hpp"

namespace core {

bool have_avx2() {
#ifdef CORE_LIBMVEC
  static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return yes;
#else
  return false;
#endif
}

}  // namespace core
