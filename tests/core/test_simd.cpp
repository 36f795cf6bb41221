#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "core/simd.hpp"

namespace {

// Distance in units of the larger value's last place.
double ulps(double a, double b) {
  if (a == b) return 0;
  return std::abs(a - b) / (std::numeric_limits<double>::epsilon() * std::max(std::abs(a), std::abs(b)));
}

#ifdef CORE_LIBMVEC
// f applied to 4 lanes through the declared vector-ABI entry point.
template <__m256d (*F)(__m256d)>
__attribute__((target("avx2,fma"))) void lanes(const double* in, double* out) {
  _mm256_storeu_pd(out, F(_mm256_loadu_pd(in)));
}

template <__m256d (*F)(__m256d)>
double worst_ulps(double (*scalar)(double), double lo, double hi) {
  double worst = 0;
  for (int k = 0; k < 4000; k += 4) {
    double in[4], out[4];
    for (int j = 0; j < 4; ++j) in[j] = lo + (hi - lo) * (k + j) / 3999.0;
    lanes<F>(in, out);
    for (int j = 0; j < 4; ++j) worst = std::max(worst, ulps(out[j], scalar(in[j])));
  }
  return worst;
}
#endif

}  // namespace

TEST_CASE("the libmvec entry points declared in core/simd.hpp compute their functions within 4 ulp") {
#ifdef CORE_LIBMVEC
  if (!core::have_avx2()) {
    WARN("no AVX2+FMA on this CPU: the scalar paths run instead, nothing to check");
    return;
  }
  CHECK(worst_ulps<_ZGVdN4v_exp>([](double x) { return std::exp(x); }, -700, 700) <= 4);
  CHECK(worst_ulps<_ZGVdN4v_expm1>([](double x) { return std::expm1(x); }, -40, 40) <= 4);
  CHECK(worst_ulps<_ZGVdN4v_expm1>([](double x) { return std::expm1(x); }, -1e-6, 1e-6) <= 4);
  CHECK(worst_ulps<_ZGVdN4v_log>([](double x) { return std::log(x); }, 1e-300, 1e300) <= 4);
  CHECK(worst_ulps<_ZGVdN4v_cos>([](double x) { return std::cos(x); }, 0, 1e6) <= 4);
#else
  CHECK_FALSE(core::have_avx2());
#endif
}

TEST_CASE("stream_store copies exactly n doubles at any alignment and leaves the neighbours alone") {
  std::vector<double> src(40), dst(48);
  for (std::size_t i = 0; i < src.size(); ++i) src[i] = 1.5 + static_cast<double>(i);
  for (std::size_t offset : {0, 1, 2, 3})
    for (std::size_t n = 0; n <= 33; ++n) {
      std::fill(dst.begin(), dst.end(), -7.0);
      core::stream_store(dst.data() + 1 + offset, src.data() + offset, n);
      core::stream_fence();
      INFO("offset " << offset << ", n " << n);
      for (std::size_t i = 0; i < dst.size(); ++i) {
        const bool inside = i >= 1 + offset && i < 1 + offset + n;
        CHECK(dst[i] == (inside ? src[i - 1] : -7.0));
      }
    }
}
