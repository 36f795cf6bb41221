// The RoPE long-range sum (Men et al., "Base of RoPE Bounds Context Length", 2024): with pair i rotated by
// m·θ_i, θ_i = b^(−2i/d), a key similar to the query keeps, on average, more attention than a random key at
// distance m exactly when
//     f_b(m) = Σ_{i=0}^{d/2−1} cos(m θ_i) ≥ 0,
// and a base b "supports" context length L when that holds for every m = 0, 1, …, L − 1.
// This module evaluates f_b(m): directly (double, long double, or float32 as a float32 GPU implementation
// would), and for all m < L with an angle-addition recurrence that is exactly resynchronised every
// resync_period steps, so its error is bounded (rope_sum_error_bound) and the CPU scan needs no cosine per
// term and step.
#pragma once

#include <cstdint>
#include <vector>

namespace rope {

enum class Precision { float64, float32 };

// θ_i = b^(−2i/d) for i < d/2.
std::vector<double> rope_frequencies(double b, unsigned d);

double rope_sum(double b, std::uint64_t m, unsigned d);
// The same from θ = rope_frequencies(b, d), for many m at one b.
double rope_sum(const std::vector<double>& theta, std::uint64_t m);
long double rope_sum_long(long double b, std::uint64_t m, unsigned d);
// θ_i = 1 / b^(2i/d), m·θ_i, the cosines and the sum all in float32 (the evaluation of a float32 tensor code).
float rope_sum_float(double b, std::uint64_t m, unsigned d);
double rope_sum(double b, std::uint64_t m, unsigned d, Precision p);

// min over m < L of f_b(m), where, and the first m with f_b(m) < 0 (−1 when there is none). With
// stop_at_negative the scan ends at that first m (min_f and argmin then cover only m ≤ first_negative).
struct RopeMin {
  double min_f = 0;
  std::uint64_t argmin = 0;
  std::int64_t first_negative = -1;
  bool feasible() const { return first_negative < 0; }
};

// Its members for a shard file (core/row_codec.hpp).
template <class Io>
void fields(Io& io, RopeMin& r) {
  io(r.min_f, r.argmin, r.first_negative);
}

// The same over m in [m_begin, m_end) only (a window; L = m_end).
RopeMin rope_min(double b, std::uint64_t m_begin, std::uint64_t m_end, unsigned d, Precision p, bool stop_at_negative);
inline RopeMin rope_min(double b, std::uint64_t L, unsigned d, Precision p = Precision::float64,
                        bool stop_at_negative = false) {
  return rope_min(b, 0, L, d, p, stop_at_negative);
}

// rope_min over m in [m_begin, m_end) (float64), which also gives the (at most) `count` most negative sums'
// m, most negative first, in `dips`: where a walk over neighbouring bases looks for refuters before it scans
// again. With stop_after > 0 the scan ends with the block of resync_period steps in which the stop_after-th
// negative sum appears (min_f, argmin and the dips then cover only the m scanned).
RopeMin rope_min_dips(double b, std::uint64_t m_begin, std::uint64_t m_end, unsigned d, std::size_t count,
                      std::vector<std::uint64_t>& dips, std::size_t stop_after = 0);

// The double scan re-evaluates every angle m·θ_i exactly (sincos) at each multiple of this, and steps
// by one complex multiplication in between.
inline constexpr unsigned resync_period = 256;

// A bound on |computed − exact| for every f_b(m), m < L, of the double scan (rope_min with float64):
// the rounding of θ_i (pow) and of m·θ_i, the cosines, resync_period recurrence steps and the sum.
double rope_sum_error_bound(double b, std::uint64_t L, unsigned d);

// The partial-rotary variant: pairs i ≥ d/4 (rounded down), the lowest frequencies, are not rotated
// (θ_i = 0), so f = #unrotated + Σ_{rotated} cos(m θ_i) ≥ 0 for every b: at least half the pairs are 1.
RopeMin rope_min_partial(double b, std::uint64_t L, unsigned d);

// The m that refuted the latest bases, most recent first, at most `capacity` of them: the dips of f_b move
// slowly with b, so an m that refuted one base often refutes the next. Used by the feasibility checker
// and by the certificate's walks.
class RecentRefuters {
 public:
  static constexpr std::size_t capacity = 8;
  // m to the front; beyond capacity the oldest drops out.
  void remember(std::uint64_t m);
  // Entry k to the front (it refuted again).
  void promote(std::size_t k);
  bool empty() const { return m_.empty(); }
  std::size_t size() const { return m_.size(); }
  std::uint64_t operator[](std::size_t k) const { return m_[k]; }
  std::uint64_t front() const { return m_.front(); }
  auto begin() const { return m_.begin(); }
  auto end() const { return m_.end(); }

 private:
  std::vector<std::uint64_t> m_;
};

// Checks bases against one context length, trying first the m values that refuted earlier bases
// (neighbouring bases are refuted by nearly the same m) and the deepest dips of its last full scan, then
// windows around those refuters, then the scan (in float32 with early exit).
class FeasibilityChecker {
 public:
  FeasibilityChecker(std::uint64_t L, unsigned d, Precision p) : L_(L), d_(d), p_(p) {}
  // Whether f_b(m) ≥ 0 for every m < L (as computed in the precision p).
  bool feasible(double b);
  std::uint64_t cache_hits() const { return hits_; }
  std::uint64_t scans() const { return scans_; }

 private:
  static constexpr std::uint64_t window = 1024;
  static constexpr std::size_t dip_count = 64;
  std::uint64_t L_;
  unsigned d_;
  Precision p_;
  RecentRefuters refuters_;
  std::vector<std::uint64_t> dips_;  // the deepest dips of the last full scan (double only)
  std::uint64_t hits_ = 0, scans_ = 0;
};

}  // namespace rope
