// glibc's vector math library (libmvec) on 4 doubles at a time, declared once for the whole suite.
//
// math.h declares the libmvec entry points only under -ffast-math, which the suite does not use, so they
// are declared here by their vector-ABI names (AVX2 variants; glibc documents them within 4 ulp of the
// correctly rounded result). A kernel that fuses them with its own arithmetic includes this header, is
// compiled for AVX2+FMA (__attribute__((target("avx2,fma"))) or #pragma GCC target) inside
// `#ifdef CORE_LIBMVEC`, and is called only when core::have_avx2(); otherwise its scalar twin runs.
// Users: the quanta fit's objective, the RoPE sums and the scan's resync, the score-w2 particle field, the RNN step's tanh.
#pragma once

#include <boost/align/aligned_allocator.hpp>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#define CORE_LIBMVEC 1
extern "C" {
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_exp(__m256d);
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_expm1(__m256d);  // glibc >= 2.35
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_log(__m256d);
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_cos(__m256d);
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_sin(__m256d);
}
#endif

namespace core {

// A vector on a 64-byte (cache-line) boundary, for data a kernel loads 4 doubles at a time: a 32-byte load
// that straddles two lines costs two. Eigen aligns its heap to 16 bytes only (the suite builds without
// -mavx), which made the d = 64 RNN step a third slower (0.39 against 0.30 us, best of 200 here).
template <class T>
using aligned_vector = std::vector<T, boost::alignment::aligned_allocator<T, 64>>;

// dst[0 .. n) = src[0 .. n) with non-temporal stores (SSE2, every x86-64; elsewhere a plain copy): the
// lines go to memory without being read first, as a normal store of an uncached line does (read for
// ownership: a third of the traffic of a loop that reads one array and writes another), and without
// evicting what the caches hold. For outputs far larger than the caches that nobody reads soon. Any
// alignment of dst (an odd leading double is stored normally). Call stream_fence() before another thread
// reads dst.
void stream_store(double* dst, const double* src, std::size_t n);
void stream_fence();
// Above this many bytes an output counts as far larger than the caches (the suite's machines: 32 MiB L3).
inline constexpr std::size_t stream_above_bytes = std::size_t{64} << 20;

// True when the CPU has AVX2 and FMA (and the build has the libmvec declarations above).
bool have_avx2();

}  // namespace core
