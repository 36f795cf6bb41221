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

// acc[v] = rows r0 + 4v .. r0 + 4v + 3 of A x for v < V. Even and odd columns go to separate
// accumulators: 2V independent FMA chains (8 for V = 4) keep both FMA ports busy despite the latency.
template <int V>
__attribute__((target("avx2,fma"))) inline void product_rows(const double* a, std::size_t d, std::size_t r0,
                                                             const double* x, __m256d (&acc)[V]) {
  __m256d even[V], odd[V];
  // Fully unrolled loops over v let GCC keep even[] and odd[] in registers (without, it spilled all eight
  // accumulators to the stack on every column pair and ran 2x slower).
#pragma GCC unroll 4
  for (int v = 0; v < V; ++v) even[v] = odd[v] = _mm256_setzero_pd();
  const double* col = a + r0;
  std::size_t j = 0;
  for (; j + 2 <= d; j += 2, col += 2 * d) {
    const __m256d x0 = _mm256_broadcast_sd(x + j), x1 = _mm256_broadcast_sd(x + j + 1);
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) {
      even[v] = _mm256_fmadd_pd(_mm256_loadu_pd(col + 4 * v), x0, even[v]);
      odd[v] = _mm256_fmadd_pd(_mm256_loadu_pd(col + d + 4 * v), x1, odd[v]);
    }
  }
  if (j < d) {
    const __m256d x0 = _mm256_broadcast_sd(x + j);
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) even[v] = _mm256_fmadd_pd(_mm256_loadu_pd(col + 4 * v), x0, even[v]);
  }
#pragma GCC unroll 4
  for (int v = 0; v < V; ++v) acc[v] = _mm256_add_pd(even[v], odd[v]);
}

__attribute__((target("avx2,fma"))) inline __m256d finish4(__m256d v, std::size_t r, const Epilogue& e) {
  if (e.s) v = _mm256_mul_pd(v, _mm256_loadu_pd(e.s + r));
  if (e.b) v = _mm256_add_pd(v, _mm256_loadu_pd(e.b + r));
  return v;
}

template <int V>
__attribute__((target("avx2,fma"))) void rows_block(const double* a, std::size_t d, std::size_t r0, const double* x,
                                                    const Epilogue& e, double* y) {
  __m256d acc[V];
  product_rows<V>(a, d, r0, x, acc);
#pragma GCC unroll 4
  for (int v = 0; v < V; ++v) _mm256_storeu_pd(y + r0 + 4 * v, finish4(acc[v], r0 + 4 * v, e));
}

// tanh(x) = e / (e + 2) with e = expm1(2x): libmvec's expm1 and one division cost 12 ns per 4 lanes here
// against 17.5 for libmvec's tanh (the RNN at d = 64 does 16 per step). Measured against long double
// tanhl on 8M normal samples with sigma 1e-8 .. 30: at most 4.05 ulp (libmvec tanh: 2.1). No cancellation
// anywhere: expm1 keeps the relative accuracy near 0, and e + 2 lies in (1, inf). |x| is clamped at 20,
// where tanh rounds to +-1, so expm1 cannot overflow; a NaN passes through (min/max return their second
// operand on NaN).
__attribute__((target("avx2,fma"))) inline __m256d tanh4(__m256d x) {
  const __m256d limit = _mm256_set1_pd(20.0), neg_limit = _mm256_set1_pd(-20.0);
  x = _mm256_max_pd(neg_limit, _mm256_min_pd(limit, x));
  const __m256d e = _ZGVdN4v_expm1(_mm256_add_pd(x, x));
  return _mm256_div_pd(e, _mm256_add_pd(e, _mm256_set1_pd(2.0)));
}

__attribute__((target("avx2,fma"))) void step_avx2(const double* a, std::size_t d, const double* x, const Epilogue& e,
                                                   double* y) {
  const std::size_t d4 = d & ~std::size_t{3};
  for (std::size_t r = 0; r < d4; r += 16) {
    switch (std::min<std::size_t>(d4 - r, 16) / 4) {
      case 4: rows_block<4>(a, d, r, x, e, y); break;
      case 3: rows_block<3>(a, d, r, x, e, y); break;
      case 2: rows_block<2>(a, d, r, x, e, y); break;
      default: rows_block<1>(a, d, r, x, e, y); break;
    }
  }
  if (e.tanh)  // after the whole product: independent calls that overlap in the pipeline
    for (std::size_t r = 0; r < d4; r += 4) _mm256_storeu_pd(y + r, tanh4(_mm256_loadu_pd(y + r)));
  // The last d mod 4 rows one by one (strided through A; only when 4 does not divide d).
  for (std::size_t r = d4; r < d; ++r) {
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
  if (avx2) return step_avx2(a, d, x, e, y);
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
