#include "core/peak.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <memory>

#ifdef __linux__
#include <sys/mman.h>
#endif

#include "core/simd.hpp"  // CORE_LIBMVEC: x86-64 GCC, where the target attributes below exist

namespace core {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The calling thread's CPU time: the FMA loop's rate per second it runs, which other processes sharing the
// core do not dilute (wall time would count their time slices as ours).
double thread_seconds() {
#ifdef CLOCK_THREAD_CPUTIME_ID
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
#else
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
#endif
}

// Every kernel's result lands here, so the compiler cannot drop the work that feeds it.
volatile double sink = 0;

// The chains' multiplier and addend, read at run time so nothing about them is known at compile time.
// x <- x * m + c has its fixed point at 1: the values stay normal and finite however long the loop runs.
volatile double chain_m = 0.9999999;
volatile double chain_c = 1e-7;

// One FMA kernel: `iterations` steps of `chains` independent chains of `lanes` doubles each.
struct FmaKernel {
  double (*run)(std::int64_t iterations);
  int chains;
  int lanes;
};

// Scalar: a multiply and an add per step (the baseline x86-64 the suite compiles for has no FMA), 14 chains
// for the multiply-plus-add latency (6 cycles) times 2 per cycle. The empty asm keeps each chain in its own
// register as a scalar, so the vectoriser cannot pack two chains into one SSE2 register.
constexpr int scalar_chains = 14;
inline void scalar_step(double& x, double m, double c) {
  x = x * m + c;
#if defined(__GNUC__) && defined(__x86_64__)
  asm("" : "+x"(x));
#endif
}
double fma_scalar(std::int64_t iterations) {
  const double m = chain_m, c = chain_c;
  // Named, not an array: an array indexed under the asm above stays on the stack.
  double a0 = 1.000, a1 = 1.001, a2 = 1.002, a3 = 1.003, a4 = 1.004, a5 = 1.005;
  double a6 = 1.006, a7 = 1.007, a8 = 1.008, a9 = 1.009, a10 = 1.010, a11 = 1.011, a12 = 1.012, a13 = 1.013;
  for (std::int64_t i = 0; i < iterations; ++i)
    for (double* x : {&a0, &a1, &a2, &a3, &a4, &a5, &a6, &a7, &a8, &a9, &a10, &a11, &a12, &a13}) scalar_step(*x, m, c);
  return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13;
}

#ifdef CORE_LIBMVEC
// One body for AVX2 (P = _mm256, W = 4 lanes) and AVX-512 (P = _mm512, W = 8), whose intrinsics differ only in
// prefix and width: CHAINS independent FMA chains, summed at the end (through memory: GCC 12 warns inside
// _mm512_reduce_add_pd, -Wuninitialized).
#define CORE_FMA_KERNEL(NAME, TARGET, V, P, W, CHAINS)                         \
  __attribute__((target(TARGET))) double NAME(std::int64_t iterations) {      \
    const V m = P##_set1_pd(chain_m), c = P##_set1_pd(chain_c);               \
    V a[CHAINS];                                                              \
    for (int j = 0; j < CHAINS; ++j) a[j] = P##_set1_pd(1 + 1e-3 * j);        \
    for (std::int64_t i = 0; i < iterations; ++i) {                           \
      _Pragma("GCC unroll 16") for (int j = 0; j < CHAINS; ++j) a[j] = P##_fmadd_pd(a[j], m, c); \
    }                                                                         \
    V s = a[0];                                                               \
    for (int j = 1; j < CHAINS; ++j) s = P##_add_pd(s, a[j]);                 \
    alignas(64) double lanes[W];                                              \
    P##_store_pd(lanes, s);                                                   \
    double t = 0;                                                             \
    for (double x : lanes) t += x;                                            \
    return t;                                                                 \
  }

// AVX2: 12 of the 16 ymm registers (FMA latency 4-5 cycles times 2 per cycle needs 8 to 10); AVX-512: 16 of
// the 32 zmm registers.
constexpr int avx2_chains = 12, avx512_chains = 16;
CORE_FMA_KERNEL(fma_avx2, "avx2,fma", __m256d, _mm256, 4, avx2_chains)
CORE_FMA_KERNEL(fma_avx512, "avx512f", __m512d, _mm512, 8, avx512_chains)
#undef CORE_FMA_KERNEL
#endif

FmaKernel fma_kernel(VectorIsa isa) {
  switch (isa) {
#ifdef CORE_LIBMVEC
    case VectorIsa::avx2: return {fma_avx2, avx2_chains, 4};
    case VectorIsa::avx512: return {fma_avx512, avx512_chains, 8};
#endif
    default: return {fma_scalar, scalar_chains, 1};
  }
}

// The sum of p[0 .. n) in 8 (scalar) or 32 (AVX2) independent partial sums, so the adds are never the
// bottleneck and the loads are: one core issues two or three loads a cycle, several times what memory
// delivers.
double sum_scalar(const double* p, std::size_t n) {
  double s[8] = {};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) s[j] += p[i + j];
  for (; i < n; ++i) s[0] += p[i];
  double t = 0;
  for (double x : s) t += x;
  return t;
}

#ifdef CORE_LIBMVEC
__attribute__((target("avx2,fma"))) double sum_avx2(const double* p, std::size_t n) {
  __m256d s[8];
  for (auto& x : s) x = _mm256_setzero_pd();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) s[j] = _mm256_add_pd(s[j], _mm256_loadu_pd(p + i + 4 * j));
  }
  for (int j = 1; j < 8; ++j) s[0] = _mm256_add_pd(s[0], s[j]);
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, s[0]);
  double t = lanes[0] + lanes[1] + lanes[2] + lanes[3];
  for (; i < n; ++i) t += p[i];
  return t;
}
#endif

double sum(const double* p, std::size_t n) {
#ifdef CORE_LIBMVEC
  if (have_isa(VectorIsa::avx2)) return sum_avx2(p, n);
#endif
  return sum_scalar(p, n);
}

// Far larger than any last-level cache in use (32 MiB here), so every pass comes from memory.
constexpr std::size_t bandwidth_bytes = std::size_t{512} << 20;
constexpr std::size_t huge_page = std::size_t{2} << 20;

}  // namespace

bool have_isa(VectorIsa isa) {
  switch (isa) {
    case VectorIsa::scalar: return true;
#ifdef CORE_LIBMVEC
    case VectorIsa::avx2: return have_avx2();
    case VectorIsa::avx512: {
      static const bool yes = __builtin_cpu_supports("avx512f");
      return yes;
    }
#endif
    default: return false;
  }
}

double measured_fma_peak_gflops(VectorIsa isa, double seconds) {
  if (!have_isa(isa)) return 0;
  const FmaKernel kernel = fma_kernel(isa);
  constexpr std::int64_t block = 1 << 14;  // about 0.1 ms: the clock is read between blocks
  constexpr int repeats = 5;
  const double window = std::max(seconds, 0.0) / repeats;
  sink = sink + kernel.run(block);  // warm-up: the vector units' power-up, the page of code
  double best = 0;
  for (int r = 0; r < repeats; ++r) {
    std::int64_t iterations = 0;
    double s = 0;
    const double start = thread_seconds();
    double elapsed = 0;
    do {
      s += kernel.run(block);
      iterations += block;
      elapsed = thread_seconds() - start;
    } while (elapsed < window);
    sink = sink + s;
    best = std::max(best, 2.0 * kernel.chains * kernel.lanes * static_cast<double>(iterations) / elapsed);
  }
  return best * 1e-9;
}

double measured_read_bandwidth_gbs(unsigned threads, double seconds) {
  threads = std::max(threads, 1u);
  std::unique_ptr<double, decltype(&std::free)> array(
      static_cast<double*>(std::aligned_alloc(huge_page, bandwidth_bytes)), &std::free);
  if (!array) return 0;
#ifdef MADV_HUGEPAGE
  // Fewer TLB misses, as a large array in a real kernel gets where transparent huge pages are on.
  madvise(array.get(), bandwidth_bytes, MADV_HUGEPAGE);
#endif
  double* p = array.get();
  const std::size_t n = bandwidth_bytes / sizeof(double);
  constexpr int min_passes = 3;
  double best = 0;
  bool more = true;
  Clock::time_point begin, pass_start;
#pragma omp parallel num_threads(threads)
  {
    const std::size_t t = static_cast<std::size_t>(omp_get_thread_num());
    const std::size_t nt = static_cast<std::size_t>(omp_get_num_threads());
    const std::size_t lo = n * t / nt, hi = n * (t + 1) / nt;
    std::fill(p + lo, p + hi, 1.0);  // first touch: the pages land where this thread reads them
    double local = 0;
    for (int pass = 0; more; ++pass) {
#pragma omp barrier
#pragma omp single
      {
        pass_start = Clock::now();
        if (pass == 0) begin = pass_start;
      }
      local += sum(p + lo, hi - lo);
#pragma omp barrier
#pragma omp single
      {
        best = std::max(best, static_cast<double>(bandwidth_bytes) / seconds_since(pass_start));
        more = pass + 1 < min_passes || seconds_since(begin) < seconds;
      }
    }
#pragma omp critical
    sink = sink + local;
  }
  return best * 1e-9;
}

}  // namespace core
