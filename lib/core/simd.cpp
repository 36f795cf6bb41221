#include "core/simd.hpp"

#include <algorithm>
#include <cstdint>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace core {

bool have_avx2() {
#ifdef CORE_LIBMVEC
  static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return yes;
#else
  return false;
#endif
}

void stream_store(double* dst, const double* src, std::size_t n) {
#ifdef __SSE2__
  std::size_t i = 0;
  if (n && reinterpret_cast<std::uintptr_t>(dst) % 16 != 0) dst[i++] = src[0];
  for (; i + 2 <= n; i += 2) _mm_stream_pd(dst + i, _mm_loadu_pd(src + i));
  if (i < n) dst[i] = src[i];
#else
  std::copy(src, src + n, dst);
#endif
}

void stream_fence() {
#ifdef __SSE2__
  _mm_sfence();
#endif
}

}  // namespace core
