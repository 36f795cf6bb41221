#include "rope/rope_sum.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/simd.hpp"
#include "rope/scan_kernel.hpp"

namespace rope {

namespace {

#ifdef CORE_LIBMVEC
__attribute__((target("avx2,fma"))) void frequencies_avx2(double log_b, unsigned d, double* theta) {
  const unsigned n = d / 2;
  unsigned i = 0;
  const __m256d scale = _mm256_set1_pd(-2.0 * log_b / d);
  for (; i + 4 <= n; i += 4) {
    const __m256d idx = _mm256_set_pd(i + 3, i + 2, i + 1, i);
    _mm256_storeu_pd(theta + i, _ZGVdN4v_exp(_mm256_mul_pd(idx, scale)));
  }
  for (; i < n; ++i) theta[i] = std::exp(-2.0 * i / d * log_b);
}

__attribute__((target("avx2,fma"))) double cos_sum_avx2(const double* theta, std::size_t n, double m) {
  __m256d acc = _mm256_setzero_pd();
  const __m256d mv = _mm256_set1_pd(m);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) acc = _mm256_add_pd(acc, _ZGVdN4v_cos(_mm256_mul_pd(mv, _mm256_loadu_pd(theta + i))));
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, acc);
  double f = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  for (; i < n; ++i) f += std::cos(m * theta[i]);
  return f;
}
#endif

constexpr double unit_roundoff = std::numeric_limits<double>::epsilon() / 2;

std::vector<float> float_frequencies(double b, unsigned d) {
  std::vector<float> theta(d / 2);
  const float bf = static_cast<float>(b);
  for (unsigned i = 0; i < d / 2; ++i)
    theta[i] = 1.0f / std::pow(bf, static_cast<float>(2 * i) / static_cast<float>(d));
  return theta;
}

float float_sum(const std::vector<float>& theta, std::uint64_t m) {
  const float mf = static_cast<float>(m);
  float f = 0;
  for (float t : theta) f += std::cos(mf * t);
  return f;
}

double direct_sum(const std::vector<double>& theta, std::uint64_t m) {
  const double md = static_cast<double>(m);
#ifdef CORE_LIBMVEC
  if (core::have_avx2()) return cos_sum_avx2(theta.data(), theta.size(), md);
#endif
  double f = 0;
  for (double t : theta) f += std::cos(md * t);
  return f;
}

// f at every m in [m_begin, m_end), a block of at most resync_period steps at a time from angles computed
// directly at its first m: visit(m0, f, count) for each block, until it returns false.
template <class Visit>
void scan_blocks(const std::vector<double>& theta, std::uint64_t m_begin, std::uint64_t m_end, Visit&& visit) {
  detail::ScanState z(theta.size());
  for (std::size_t i = 0; i < theta.size(); ++i) ::sincos(theta[i], &z.ws[i], &z.wc[i]);
  const core::VectorIsa isa = detail::scan_isa();
  double f[resync_period];
  for (std::uint64_t m0 = m_begin; m0 < m_end; m0 += resync_period) {
    z.set_angles(theta.data(), theta.size(), static_cast<double>(m0));
    const std::size_t count = std::min<std::uint64_t>(resync_period, m_end - m0);
    detail::block_sums(z, count, f, isa);
    if (!visit(m0, static_cast<const double*>(f), count)) return;
  }
}

RopeMin scan_double(const std::vector<double>& theta, std::uint64_t m_begin, std::uint64_t m_end,
                    bool stop_at_negative) {
  RopeMin r{std::numeric_limits<double>::infinity(), m_begin, -1};
  scan_blocks(theta, m_begin, m_end, [&](std::uint64_t m0, const double* f, std::size_t count) {
    for (std::size_t t = 0; t < count; ++t) {
      if (f[t] < r.min_f) {
        r.min_f = f[t];
        r.argmin = m0 + t;
      }
      if (f[t] < 0 && r.first_negative < 0) {
        r.first_negative = static_cast<std::int64_t>(m0 + t);
        if (stop_at_negative) return false;
      }
    }
    return true;
  });
  return r;
}

RopeMin scan_float(const std::vector<float>& theta, std::uint64_t m_begin, std::uint64_t m_end, bool stop_at_negative) {
  RopeMin r{std::numeric_limits<double>::infinity(), m_begin, -1};
  for (std::uint64_t m = m_begin; m < m_end; ++m) {
    const double f = float_sum(theta, m);
    if (f < r.min_f) {
      r.min_f = f;
      r.argmin = m;
    }
    if (f < 0 && r.first_negative < 0) {
      r.first_negative = static_cast<std::int64_t>(m);
      if (stop_at_negative) break;
    }
  }
  return r;
}

}  // namespace

std::vector<double> rope_frequencies(double b, unsigned d) {
  std::vector<double> theta(d / 2);
  const double log_b = std::log(b);
#ifdef CORE_LIBMVEC
  if (core::have_avx2()) {
    frequencies_avx2(log_b, d, theta.data());
    return theta;
  }
#endif
  for (unsigned i = 0; i < d / 2; ++i) theta[i] = std::exp(-2.0 * i / d * log_b);
  return theta;
}

double rope_sum(double b, std::uint64_t m, unsigned d) {
  return direct_sum(rope_frequencies(b, d), m);
}

double rope_sum(const std::vector<double>& theta, std::uint64_t m) {
  return direct_sum(theta, m);
}

long double rope_sum_long(long double b, std::uint64_t m, unsigned d) {
  long double f = 0;
  for (unsigned i = 0; i < d / 2; ++i)
    f += std::cos(static_cast<long double>(m) * std::pow(b, -2.0L * i / static_cast<long double>(d)));
  return f;
}

float rope_sum_float(double b, std::uint64_t m, unsigned d) {
  return float_sum(float_frequencies(b, d), m);
}

double rope_sum(double b, std::uint64_t m, unsigned d, Precision p) {
  return p == Precision::float32 ? rope_sum_float(b, m, d) : rope_sum(b, m, d);
}

RopeMin rope_min(double b, std::uint64_t m_begin, std::uint64_t m_end, unsigned d, Precision p, bool stop_at_negative) {
  if (p == Precision::float32) return scan_float(float_frequencies(b, d), m_begin, m_end, stop_at_negative);
  return scan_double(rope_frequencies(b, d), m_begin, m_end, stop_at_negative);
}

RopeMin rope_min_dips(double b, std::uint64_t m_begin, std::uint64_t m_end, unsigned d, std::size_t count,
                      std::vector<std::uint64_t>& dips, std::size_t stop_after) {
  RopeMin r{std::numeric_limits<double>::infinity(), m_begin, -1};
  std::size_t negatives = 0;
  std::vector<std::pair<double, std::uint64_t>> heap;  // the most negative so far, the least of them on top
  heap.reserve(count + 1);
  scan_blocks(rope_frequencies(b, d), m_begin, m_end, [&](std::uint64_t m0, const double* f, std::size_t n) {
    for (std::size_t t = 0; t < n; ++t) {
      if (f[t] < r.min_f) r.min_f = f[t], r.argmin = m0 + t;
      if (f[t] < 0 && r.first_negative < 0) r.first_negative = static_cast<std::int64_t>(m0 + t);
      negatives += f[t] < 0;
      if (f[t] < 0 && count > 0 && (heap.size() < count || f[t] < heap.front().first)) {
        heap.emplace_back(f[t], m0 + t);
        std::push_heap(heap.begin(), heap.end());
        if (heap.size() > count) {
          std::pop_heap(heap.begin(), heap.end());
          heap.pop_back();
        }
      }
    }
    return stop_after == 0 || negatives < stop_after;
  });
  std::sort_heap(heap.begin(), heap.end());
  dips.clear();
  for (const auto& [f, m] : heap) dips.push_back(m);
  return r;
}

RopeMin rope_min_partial(double b, std::uint64_t L, unsigned d) {
  auto theta = rope_frequencies(b, d);
  std::fill(theta.begin() + static_cast<std::ptrdiff_t>(d / 4), theta.end(), 0.0);
  return scan_double(theta, 0, L, false);
}

double rope_sum_error_bound(double b, std::uint64_t L, unsigned d) {
  const double u = unit_roundoff, n = d / 2;
  // θ_i ≤ max(1, b^(−(d−2)/d)); θ_i = exp(−(2i/d) ln b) has a relative error ≤ (|ln b| + 4)·4u (ln b,
  // the product, exp within 4 ulp), which m·θ_i (rounded once more) carries into the angle.
  const double theta_max = b >= 1 ? 1.0 : std::pow(b, -(n - 1) / n);
  const double angle = static_cast<double>(L) * theta_max * (std::fabs(std::log(b)) + 4) * 4 * u;
  // Each recurrence step: the rounded step (cos θ, sin θ) (≤ √2 u) and the complex product (≤ √5 u),
  // over resync_period steps; the direct resync and a direct sum cost ≤ 4u per term (libmvec's sin and cos are
  // within 4 ulp, glibc's within 1).
  const double recurrence = resync_period * 5 * u + 4 * u;
  // The sum of n terms of size ≤ 1 + tiny: ≤ (n − 1)·u·Σ|c_i| in any order.
  const double sum = n * n * u * 1.01;
  return 1.1 * (n * (angle + recurrence) + sum);
}

bool FeasibilityChecker::feasible(double b) {
  const bool single = p_ == Precision::float32;
  const auto theta = single ? std::vector<double>{} : rope_frequencies(b, d_);
  if (!refuters_.empty()) {
    const auto theta_f = single ? float_frequencies(b, d_) : std::vector<float>{};
    for (std::size_t k = 0; k < refuters_.size(); ++k) {
      const std::uint64_t m = refuters_[k];
      const double f = single ? float_sum(theta_f, m) : direct_sum(theta, m);
      if (f < 0) {
        refuters_.promote(k);
        ++hits_;
        return false;
      }
    }
  }
  // Then the deepest dips of the last full scan, windows around the latest refuters (the dips of f move
  // slowly with b), then all of m < L.
  for (std::uint64_t m : dips_)  // filled in double only
    if (direct_sum(theta, m) < 0) {
      refuters_.remember(m);
      ++hits_;
      return false;
    }
  RopeMin r;
  for (std::size_t k = 0; k < refuters_.size() && r.feasible(); ++k) {
    const std::uint64_t m = refuters_[k], lo = m > window ? m - window : 0;
    r = rope_min(b, lo, std::min(L_, m + window), d_, p_, true);
  }
  if (!r.feasible()) {
    ++hits_;
  } else {
    ++scans_;
    // In double, to the block where dip_count sums have been negative: a base far below b* is refuted
    // early, and one near it leaves its deepest dips for the next bases.
    r = p_ == Precision::float64 ? rope_min_dips(b, 0, L_, d_, dip_count, dips_, dip_count)
                                 : rope_min(b, L_, d_, p_, true);
    if (r.feasible()) return true;
  }
  refuters_.remember(static_cast<std::uint64_t>(r.first_negative));
  return false;
}

void RecentRefuters::remember(std::uint64_t m) {
  m_.insert(m_.begin(), m);
  if (m_.size() > capacity) m_.pop_back();
}

void RecentRefuters::promote(std::size_t k) {
  std::rotate(m_.begin(), m_.begin() + static_cast<std::ptrdiff_t>(k), m_.begin() + static_cast<std::ptrdiff_t>(k) + 1);
}

}  // namespace rope
