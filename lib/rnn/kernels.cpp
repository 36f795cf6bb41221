#include "rnn/kernels.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/simd.hpp"

namespace rnn {

namespace {

// What follows the product: y = tanh?(s .* (A x) + b).
struct Epilogue {
  const double* s;
  const double* b;
  bool tanh;
};

double finish(double v, std::size_t r, const Epilogue& e) {
  if (e.s) v *= e.s[r];
  if (e.b) v += e.b[r];
  return e.tanh ? std::tanh(v) : v;
}

void step_portable(const double* a, std::size_t d, const double* x, const Epilogue& e, double* y) {
  // A scratch vector per thread: y may alias b, so the product cannot be formed in y.
  thread_local std::vector<double> ax;
  ax.resize(d);
  const auto n = static_cast<Eigen::Index>(d);
  Eigen::Map<Eigen::VectorXd>(ax.data(), n).noalias() =
      Eigen::Map<const Eigen::MatrixXd>(a, n, n) * Eigen::Map<const Eigen::VectorXd>(x, n);
  for (std::size_t r = 0; r < d; ++r) y[r] = finish(ax[r], r, e);
}

#ifdef CORE_LIBMVEC
#pragma GCC push_options
#pragma GCC target("avx2,fma")

// acc[v] = rows r0 + 4v .. r0 + 4v + 3 of A x for v < V. The columns go round-robin to P separate sets of
// accumulators: V * P independent FMA chains, and 8 of them (FMA latency 4 x 2 ports) keep both FMA ports
// busy. V = 8, P = 1 (32 rows, one broadcast of x_j per 8 FMAs) is the fastest at d = 64: 0.20 us for the
// product against 0.21 for V = 4, P = 2 and 0.26 for 16 accumulators, which spill (best of 200 on this CPU).
template <int V, int P>
__attribute__((target("avx2,fma"))) inline void product_rows(const double* a, std::size_t d, std::size_t r0,
                                                             const double* x, __m256d (&acc)[V]) {
  __m256d part[P][V];
  // Fully unrolled loops over p and v let GCC keep part[][] in registers (without, it spilled the
  // accumulators to the stack on every column and ran 2x slower).
#pragma GCC unroll 8
  for (int p = 0; p < P; ++p)
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) part[p][v] = _mm256_setzero_pd();
  const double* col = a + r0;
  std::size_t j = 0;
  for (; j + P <= d; j += P, col += P * d) {
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p) {
      const __m256d xj = _mm256_broadcast_sd(x + j + p);
#pragma GCC unroll 8
      for (int v = 0; v < V; ++v) part[p][v] = _mm256_fmadd_pd(_mm256_loadu_pd(col + p * d + 4 * v), xj, part[p][v]);
    }
  }
  for (; j < d; ++j, col += d) {
    const __m256d xj = _mm256_broadcast_sd(x + j);
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) part[0][v] = _mm256_fmadd_pd(_mm256_loadu_pd(col + 4 * v), xj, part[0][v]);
  }
#pragma GCC unroll 8
  for (int v = 0; v < V; ++v) {
    acc[v] = part[0][v];
#pragma GCC unroll 8
    for (int p = 1; p < P; ++p) acc[v] = _mm256_add_pd(acc[v], part[p][v]);
  }
}

__attribute__((target("avx2,fma"))) inline __m256d finish4(__m256d v, std::size_t r, const Epilogue& e) {
  if (e.s) v = _mm256_mul_pd(v, _mm256_loadu_pd(e.s + r));
  if (e.b) v = _mm256_add_pd(v, _mm256_loadu_pd(e.b + r));
  return v;
}

template <int V, int P>
__attribute__((target("avx2,fma"))) inline void rows_block(const double* a, std::size_t d, std::size_t r0,
                                                           const double* x, const Epilogue& e, double* y) {
  __m256d acc[V];
  product_rows<V, P>(a, d, r0, x, acc);
#pragma GCC unroll 4
  for (int v = 0; v < V; ++v) _mm256_storeu_pd(y + r0 + 4 * v, finish4(acc[v], r0 + 4 * v, e));
}

// tanh(x) = sign(x) * (-e / (e + 2)) with e = expm1(-2|x|), and expm1 evaluated here rather than by libmvec.
// Why hand-written: the d = 64 step (product 0.20 us) took 0.36 us with libmvec's expm1 here and takes 0.30
// with this one (best of 200, in cache). Alone, 64 of either cost about the same (125 vs 116 ns); inline,
// the 16 calls overlap with each other and with the next product, which calls into libmvec (every vector
// register clobbered) do not. It is also more accurate: at most 2.6 ulp
// against long double tanhl on 33M normal samples with sigma 2^-27 .. 2^5 (libmvec's expm1 route: 4.2;
// tests/rnn/test_kernels.cpp holds it to 3). Same route as glibc's scalar tanh, no cancellation anywhere:
//   z = -2|x| in [-40, 0] (|x| clamped at 20, where tanh rounds to +-1; a NaN passes through the min),
//   z = k ln2 + r with k = round(z / ln2) in [-58, 0] and |r| <= ln2 / 2 (Cody-Waite: ln2 in two parts),
//   expm1(r) = r + r^2 (1/2! + r/3! + ... + r^11/13!)  (Taylor; the first term left out is 1.2e-17 r),
//   expm1(z) = 2^k expm1(r) + (2^k - 1)  (2^k - 1 exact for k >= -53; below, e rounds to -1 anyway),
// and e + 2 lies in (1, 2]: the quotient keeps expm1's relative accuracy near 0 (tanh(x) ~ x).
__attribute__((target("avx2,fma"))) inline __m256d tanh4(__m256d x) {
  const __m256d sign = _mm256_set1_pd(-0.0);
  const __m256d ax = _mm256_min_pd(_mm256_set1_pd(20.0), _mm256_andnot_pd(sign, x));
  const __m256d z = _mm256_mul_pd(ax, _mm256_set1_pd(-2.0));
  const __m256d k = _mm256_round_pd(_mm256_mul_pd(z, _mm256_set1_pd(1.4426950408889634)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(0x1.62e42fee00000p-1), z);  // ln2's top 32 bits: k ln2_hi exact
  r = _mm256_fnmadd_pd(k, _mm256_set1_pd(0x1.a39ef35793c76p-33), r);
  static constexpr double inverse_factorial[] = {
      1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0,
      1.0 / 5040.0,       1.0 / 720.0,       1.0 / 120.0,      1.0 / 24.0,      1.0 / 6.0,      1.0 / 2.0};
  __m256d q = _mm256_set1_pd(inverse_factorial[0]);
#pragma GCC unroll 11
  for (int i = 1; i < 12; ++i) q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(inverse_factorial[i]));
  const __m256d p = _mm256_fmadd_pd(q, _mm256_mul_pd(r, r), r);  // expm1(r)
  // 2^k: k + 1023 lands in the low mantissa bits of k + (1.5 * 2^52 + 1023); shifted up, it is the exponent.
  const __m256d biased = _mm256_add_pd(k, _mm256_set1_pd(0x1.8p52 + 1023.0));
  const __m256d scale = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_castpd_si256(biased), 52));
  const __m256d e = _mm256_fmadd_pd(scale, p, _mm256_sub_pd(scale, _mm256_set1_pd(1.0)));
  const __m256d t = _mm256_div_pd(e, _mm256_sub_pd(_mm256_set1_pd(-2.0), e));  // -e / (e + 2), +-0 at x = 0
  return _mm256_or_pd(_mm256_andnot_pd(sign, t), _mm256_and_pd(sign, x));
}

// D > 0: d = D known at compile time (the loops over columns and row blocks then unroll and the blocks
// inline into one another: 10% of the d = 64 step); D = 0: any d.
template <std::size_t D>
__attribute__((target("avx2,fma"))) void step_avx2(const double* a, std::size_t d_any, const double* x,
                                                   const Epilogue& e, double* y) {
  const std::size_t d = D ? D : d_any, d4 = d & ~std::size_t{3};
  std::size_t r = 0;
  for (; r + 32 <= d4; r += 32) rows_block<8, 1>(a, d, r, x, e, y);
  for (; r < d4; r += 16) {
    switch (std::min<std::size_t>(d4 - r, 16) / 4) {
      case 4: rows_block<4, 2>(a, d, r, x, e, y); break;
      case 3: rows_block<3, 2>(a, d, r, x, e, y); break;
      case 2: rows_block<2, 2>(a, d, r, x, e, y); break;
      default: rows_block<1, 2>(a, d, r, x, e, y); break;
    }
  }
  if (e.tanh)  // after the whole product: independent calls that overlap in the pipeline
    for (std::size_t r = 0; r < d4; r += 4) _mm256_storeu_pd(y + r, tanh4(_mm256_loadu_pd(y + r)));
  // The last d mod 4 rows one by one (strided through A; only when 4 does not divide d).
  for (r = d4; r < d; ++r) {
    double v = 0;
    for (std::size_t j = 0; j < d; ++j) v += a[j * d + r] * x[j];
    y[r] = finish(v, r, e);
  }
}

#pragma GCC pop_options
#endif

void step(const double* a, std::size_t d, const double* x, const Epilogue& e, double* y) {
#ifdef CORE_LIBMVEC
  static const bool avx2 = core::have_avx2();
  if (avx2) switch (d) {
      case 16: return step_avx2<16>(a, d, x, e, y);
      case 32: return step_avx2<32>(a, d, x, e, y);
      case 64: return step_avx2<64>(a, d, x, e, y);
      default: return step_avx2<0>(a, d, x, e, y);
    }
#endif
  step_portable(a, d, x, e, y);
}

}  // namespace

void affine_step(const double* a, std::size_t d, const double* x, const double* s, const double* b, double* y) {
  step(a, d, x, {s, b, false}, y);
}

void tanh_affine_step(const double* a, std::size_t d, const double* x, const double* u, double* y) {
  step(a, d, x, {nullptr, u, true}, y);
}

}  // namespace rnn
