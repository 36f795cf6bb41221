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
// One step of four vectors of pairs: z·w with one rounding of a product and one fused multiply–add per
// component (within 2u of the exact product, Jeannerod et al. 2017; rope_sum_error_bound allows √5·u).
#define ROPE_ROTATE(V, LOAD, MUL, FMSUB, FMADD, c, s, wc, ws)  \
  {                                                            \
    const V w_c = LOAD(wc), w_s = LOAD(ws);                   \
    const V t1 = MUL(s, w_s), t2 = MUL(c, w_s);               \
    c = FMSUB(c, w_c, t1);                                     \
    s = FMADD(s, w_c, t2);                                     \
  }

// 16 pairs in four registers each of c and s; the steps' partial sums (4 lanes) in acc.
__attribute__((target("avx2,fma"))) void block_avx2(ScanState& z, std::size_t count, double* f) {
  alignas(64) double acc[max_block][4];
  for (std::size_t g = 0; g < z.lanes; g += 16) {
    double* c = z.c.data() + g;
    double* s = z.s.data() + g;
    const double* wc = z.wc.data() + g;
    const double* ws = z.ws.data() + g;
    __m256d c0 = _mm256_load_pd(c), c1 = _mm256_load_pd(c + 4), c2 = _mm256_load_pd(c + 8),
            c3 = _mm256_load_pd(c + 12);
    __m256d s0 = _mm256_load_pd(s), s1 = _mm256_load_pd(s + 4), s2 = _mm256_load_pd(s + 8),
            s3 = _mm256_load_pd(s + 12);
    for (std::size_t t = 0; t < count; ++t) {
      const __m256d sum = _mm256_add_pd(_mm256_add_pd(c0, c1), _mm256_add_pd(c2, c3));
      _mm256_store_pd(acc[t], g == 0 ? sum : _mm256_add_pd(_mm256_load_pd(acc[t]), sum));
      ROPE_ROTATE(__m256d, _mm256_load_pd, _mm256_mul_pd, _mm256_fmsub_pd, _mm256_fmadd_pd, c0, s0, wc, ws)
      ROPE_ROTATE(__m256d, _mm256_load_pd, _mm256_mul_pd, _mm256_fmsub_pd, _mm256_fmadd_pd, c1, s1, wc + 4, ws + 4)
      ROPE_ROTATE(__m256d, _mm256_load_pd, _mm256_mul_pd, _mm256_fmsub_pd, _mm256_fmadd_pd, c2, s2, wc + 8, ws + 8)
      ROPE_ROTATE(__m256d, _mm256_load_pd, _mm256_mul_pd, _mm256_fmsub_pd, _mm256_fmadd_pd, c3, s3, wc + 12, ws + 12)
    }
    _mm256_store_pd(c, c0), _mm256_store_pd(c + 4, c1), _mm256_store_pd(c + 8, c2), _mm256_store_pd(c + 12, c3);
    _mm256_store_pd(s, s0), _mm256_store_pd(s + 4, s1), _mm256_store_pd(s + 8, s2), _mm256_store_pd(s + 12, s3);
  }
  for (std::size_t t = 0; t < count; ++t) f[t] = (acc[t][0] + acc[t][1]) + (acc[t][2] + acc[t][3]);
}

// 32 pairs in four registers each of c and s; the steps' partial sums (8 lanes) in acc.
__attribute__((target("avx512f"))) void block_avx512(ScanState& z, std::size_t count, double* f) {
  alignas(64) double acc[max_block][8];
  for (std::size_t g = 0; g < z.lanes; g += 32) {
    double* c = z.c.data() + g;
    double* s = z.s.data() + g;
    const double* wc = z.wc.data() + g;
    const double* ws = z.ws.data() + g;
    __m512d c0 = _mm512_load_pd(c), c1 = _mm512_load_pd(c + 8), c2 = _mm512_load_pd(c + 16),
            c3 = _mm512_load_pd(c + 24);
    __m512d s0 = _mm512_load_pd(s), s1 = _mm512_load_pd(s + 8), s2 = _mm512_load_pd(s + 16),
            s3 = _mm512_load_pd(s + 24);
    for (std::size_t t = 0; t < count; ++t) {
      const __m512d sum = _mm512_add_pd(_mm512_add_pd(c0, c1), _mm512_add_pd(c2, c3));
      _mm512_store_pd(acc[t], g == 0 ? sum : _mm512_add_pd(_mm512_load_pd(acc[t]), sum));
      ROPE_ROTATE(__m512d, _mm512_load_pd, _mm512_mul_pd, _mm512_fmsub_pd, _mm512_fmadd_pd, c0, s0, wc, ws)
      ROPE_ROTATE(__m512d, _mm512_load_pd, _mm512_mul_pd, _mm512_fmsub_pd, _mm512_fmadd_pd, c1, s1, wc + 8, ws + 8)
      ROPE_ROTATE(__m512d, _mm512_load_pd, _mm512_mul_pd, _mm512_fmsub_pd, _mm512_fmadd_pd, c2, s2, wc + 16, ws + 16)
      ROPE_ROTATE(__m512d, _mm512_load_pd, _mm512_mul_pd, _mm512_fmsub_pd, _mm512_fmadd_pd, c3, s3, wc + 24, ws + 24)
    }
    _mm512_store_pd(c, c0), _mm512_store_pd(c + 8, c1), _mm512_store_pd(c + 16, c2), _mm512_store_pd(c + 24, c3);
    _mm512_store_pd(s, s0), _mm512_store_pd(s + 8, s1), _mm512_store_pd(s + 16, s2), _mm512_store_pd(s + 24, s3);
  }
  for (std::size_t t = 0; t < count; ++t) {
    const double* a = acc[t];
    f[t] = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
  }
}
#undef ROPE_ROTATE
#endif

}  // namespace

ScanState::ScanState(std::size_t n)
    : lanes((n + scan_lane_multiple - 1) / scan_lane_multiple * scan_lane_multiple),
      c(lanes, 0.0),
      s(lanes, 0.0),
      wc(lanes, 1.0),
      ws(lanes, 0.0) {}

#ifdef CORE_LIBMVEC
static __attribute__((target("avx2,fma"))) void set_angles_avx2(const double* theta, std::size_t n, double m, double* c,
                                                         double* s) {
  const __m256d mv = _mm256_set1_pd(m);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d a = _mm256_mul_pd(mv, _mm256_loadu_pd(theta + i));
    _mm256_store_pd(c + i, _ZGVdN4v_cos(a));
    _mm256_store_pd(s + i, _ZGVdN4v_sin(a));
  }
  for (; i < n; ++i) ::sincos(m * theta[i], s + i, c + i);
}
#endif

void ScanState::set_angles(const double* theta, std::size_t n, double m) {
#ifdef CORE_LIBMVEC
  if (core::have_avx2()) return set_angles_avx2(theta, n, m, c.data(), s.data());
#endif
  for (std::size_t i = 0; i < n; ++i) ::sincos(m * theta[i], &s[i], &c[i]);
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
