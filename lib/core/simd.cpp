#include "core/simd.hpp"

#include <cmath>

namespace core {

bool have_avx2() {
#ifdef CORE_LIBMVEC
  static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return yes;
#else
  return false;
#endif
}

namespace {

#ifdef CORE_LIBMVEC
template <__m256d (*F)(__m256d)>
__attribute__((target("avx2,fma"))) void apply_avx2(const double* in, double* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, F(_mm256_loadu_pd(in + i)));
  if (i < n) {  // the tail through the same vector function, so every element takes the same path
    alignas(32) double lanes[4] = {0, 0, 0, 0};
    for (std::size_t j = i; j < n; ++j) lanes[j - i] = in[j];
    _mm256_store_pd(lanes, F(_mm256_load_pd(lanes)));
    for (std::size_t j = i; j < n; ++j) out[j] = lanes[j - i];
  }
}
#endif

}  // namespace

void vec_exp(const double* in, double* out, std::size_t n) {
#ifdef CORE_LIBMVEC
  if (have_avx2()) return apply_avx2<_ZGVdN4v_exp>(in, out, n);
#endif
  for (std::size_t i = 0; i < n; ++i) out[i] = std::exp(in[i]);
}

void vec_tanh(const double* in, double* out, std::size_t n) {
#ifdef CORE_LIBMVEC
  if (have_avx2()) return apply_avx2<_ZGVdN4v_tanh>(in, out, n);
#endif
  for (std::size_t i = 0; i < n; ++i) out[i] = std::tanh(in[i]);
}

}  // namespace core
