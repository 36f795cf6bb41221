#include "rope/scan_kernel.hpp"

#include <cmath>
#include <stdexcept>

#include "rope/rope_sum.hpp"

namespace rope::detail {

namespace {

// The longest block: the resync period (the scan resyncs after each).
constexpr std::size_t max_block = resync_period;

// Any CPU: the compiler vectorises the lanes (SSE2) as the earlier scan did.
void block_generic(ScanState& z, std::size_t count, double* f) {
  const std::size_t n = z.lanes;
  double* __restrict c = z.c.data();
  double* __restrict s = z.s.data();
  const double* __restrict wc = z.wc.data();
  const double* __restrict ws = z.ws.data();
  for (std::size_t t = 0; t < count; ++t) {
    double sum = 0;
#pragma omp simd reduction(+ : sum)
    for (std::size_t k = 0; k < n; ++k) sum += c[k];
    f[t] = sum;
#pragma omp simd
    for (std::size_t k = 0; k < n; ++k) {
      const double cn = c[k] * wc[k] - s[k] * ws[k];
      s[k] = c[k] * ws[k] + s[k] * wc[k];
      c[k] = cn;
    }
  }
}

#ifdef CORE_LIBMVEC
// One body for AVX2 (P = _mm256, W = 4 lanes) and AVX-512 (P = _mm512, W = 8), whose intrinsics differ only
// in prefix and width. A group is 4W pairs, its c and s in four registers each for the whole block; each
// step adds the group's c into the step's W partial sums in acc, then multiplies every z by its w with one
// rounded product and one fused multiply–add per component (within 2u of the exact product, Jeannerod et
// al. 2017; rope_sum_error_bound allows √5·u). The partial sums are then added pairwise.
#define ROPE_BLOCK_KERNEL(NAME, TARGET, V, P, W)                                              \
  __attribute__((target(TARGET))) void NAME(ScanState& z, std::size_t count, double* f) {    \
    alignas(64) double acc[max_block][W];                                                     \
    for (std::size_t g = 0; g < z.lanes; g += 4 * W) {                                        \
      double* c = z.c.data() + g;                                                             \
      double* s = z.s.data() + g;                                                             \
      const double* wc = z.wc.data() + g;                                                     \
      const double* ws = z.ws.data() + g;                                                     \
      V cv[4], sv[4];                                                                         \
      _Pragma("GCC unroll 4") for (int k = 0; k < 4; ++k) {                                   \
        cv[k] = P##_load_pd(c + k * W);                                                       \
        sv[k] = P##_load_pd(s + k * W);                                                       \
      }                                                                                       \
      for (std::size_t t = 0; t < count; ++t) {                                               \
        const V sum = P##_add_pd(P##_add_pd(cv[0], cv[1]), P##_add_pd(cv[2], cv[3]));         \
        P##_store_pd(acc[t], g == 0 ? sum : P##_add_pd(P##_load_pd(acc[t]), sum));            \
        _Pragma("GCC unroll 4") for (int k = 0; k < 4; ++k) {                                 \
          const V w_c = P##_load_pd(wc + k * W), w_s = P##_load_pd(ws + k * W);               \
          const V t1 = P##_mul_pd(sv[k], w_s), t2 = P##_mul_pd(cv[k], w_s);                   \
          cv[k] = P##_fmsub_pd(cv[k], w_c, t1);                                               \
          sv[k] = P##_fmadd_pd(sv[k], w_c, t2);                                               \
        }                                                                                     \
      }                                                                                       \
      _Pragma("GCC unroll 4") for (int k = 0; k < 4; ++k) {                                   \
        P##_store_pd(c + k * W, cv[k]);                                                       \
        P##_store_pd(s + k * W, sv[k]);                                                       \
      }                                                                                       \
    }                                                                                         \
    for (std::size_t t = 0; t < count; ++t) {                                                 \
      double* a = acc[t];                                                                     \
      for (int w = W / 2; w > 0; w /= 2)                                                      \
        for (int k = 0; k < w; ++k) a[k] += a[k + w];                                         \
      f[t] = a[0];                                                                            \
    }                                                                                         \
  }

ROPE_BLOCK_KERNEL(block_avx2, "avx2,fma", __m256d, _mm256, 4)
ROPE_BLOCK_KERNEL(block_avx512, "avx512f", __m512d, _mm512, 8)
#undef ROPE_BLOCK_KERNEL
#endif

}  // namespace

ScanState::ScanState(std::size_t n)
    : lanes((n + scan_lane_multiple - 1) / scan_lane_multiple * scan_lane_multiple),
      c(lanes, 0.0),
      s(lanes, 0.0),
      wc(lanes, 1.0),
      ws(lanes, 0.0) {}

#ifdef CORE_LIBMVEC
static __attribute__((target("avx2,fma"))) void cos_sin_avx2(const double* theta, std::size_t n, double m, double* c,
                                                      double* s) {
  const __m256d mv = _mm256_set1_pd(m);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d a = _mm256_mul_pd(mv, _mm256_loadu_pd(theta + i));
    _mm256_storeu_pd(c + i, _ZGVdN4v_cos(a));
    _mm256_storeu_pd(s + i, _ZGVdN4v_sin(a));
  }
  for (; i < n; ++i) ::sincos(m * theta[i], s + i, c + i);
}
#endif

void cos_sin_of_multiple(const double* theta, std::size_t n, double m, double* c, double* s) {
#ifdef CORE_LIBMVEC
  if (core::have_avx2()) return cos_sin_avx2(theta, n, m, c, s);
#endif
  for (std::size_t i = 0; i < n; ++i) ::sincos(m * theta[i], s + i, c + i);
}

void ScanState::set_angles(const double* theta, std::size_t n, double m) {
  cos_sin_of_multiple(theta, n, m, c.data(), s.data());
}

core::VectorIsa scan_isa() {
  static const core::VectorIsa isa = core::have_isa(core::VectorIsa::avx512) ? core::VectorIsa::avx512
                                     : core::have_isa(core::VectorIsa::avx2)  ? core::VectorIsa::avx2
                                                                              : core::VectorIsa::scalar;
  return isa;
}

void block_sums(ScanState& z, std::size_t count, double* f, core::VectorIsa isa) {
  if (count > max_block) throw std::logic_error("rope::detail::block_sums: more steps than a block");
#ifdef CORE_LIBMVEC
  if (isa == core::VectorIsa::avx512) return block_avx512(z, count, f);
  if (isa == core::VectorIsa::avx2) return block_avx2(z, count, f);
#endif
  (void)isa;
  block_generic(z, count, f);
}

}  // namespace rope::detail
