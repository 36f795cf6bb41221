// glibc's vector math library (libmvec) on 4 doubles at a time, declared once for the whole suite.
//
// math.h declares the libmvec entry points only under -ffast-math, which the suite does not use, so they
// are declared here by their vector-ABI names (AVX2 variants; glibc documents them within 4 ulp of the
// correctly rounded result, like the scalar functions). A kernel that fuses them with its own arithmetic
// includes this header, marks itself __attribute__((target("avx2,fma"))) inside `#ifdef CORE_LIBMVEC`,
// and calls it only when core::have_avx2(); otherwise it takes its scalar path. The array forms below do
// that dispatch themselves.
#pragma once

#include <cstddef>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#define CORE_LIBMVEC 1
extern "C" {
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_exp(__m256d);
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_expm1(__m256d);  // glibc >= 2.35
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_log(__m256d);
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_cos(__m256d);
__attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_tanh(__m256d);  // glibc >= 2.35
}
#endif

namespace core {

// True when the CPU has AVX2 and FMA (and the build has the libmvec declarations above).
bool have_avx2();

// out[i] = f(in[i]) for i < n (in == out allowed): libmvec when have_avx2(), else the scalar std::
// function; either way within 4 ulp. The two paths may differ in the last bits.
void vec_exp(const double* in, double* out, std::size_t n);
void vec_tanh(const double* in, double* out, std::size_t n);

}  // namespace core
