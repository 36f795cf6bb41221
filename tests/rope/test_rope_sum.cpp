#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <limits>

#include "rope/rope_sum.hpp"
#include "rope/scan_kernel.hpp"
#include "long_min.hpp"

using namespace rope;

TEST_CASE("f_b(0) = d/2 and f_1(m) = (d/2) cos m") {
  CHECK(rope_sum(1e4, 0, 128) == 64);
  CHECK(rope_sum(1.0, 7, 16) == Approx(8 * std::cos(7.0)).epsilon(1e-14));
}

TEST_CASE("the angle recurrence stays within its stated error bound of a long-double evaluation") {
  // Windows of resync_period steps (the recurrence's longest run), including late ones where m·θ is large.
  const struct {
    double b;
    std::uint64_t L;
  } cases[] = {{500000, 8192}, {4293.45, 1024}, {2.0e6, 65536}, {6.5e7, 1u << 20}, {0.5, 4096}};
  for (const auto& c : cases) {
    const double bound = rope_sum_error_bound(c.b, c.L, 128);
    CHECK(bound < 1e-6);
    for (std::uint64_t m0 : {std::uint64_t{0}, c.L / 3, c.L - resync_period}) {
      const RopeMin fast = rope_min(c.b, m0, m0 + resync_period, 128, Precision::float64, false);
      const long double exact = long_min(c.b, m0, m0 + resync_period, 128);
      INFO("b = " << c.b << ", m0 = " << m0);
      CHECK(std::fabs(static_cast<long double>(fast.min_f) - exact) <= bound);
      CHECK(std::fabs(rope_sum_long(c.b, fast.argmin, 128) - exact) <= bound);
    }
  }
}

TEST_CASE("the base check agrees with a long-double evaluation: minimum, where, first negative m") {
  for (double b : {500000.0, 27000.0, 4300.0, 2000.0}) {
    const std::uint64_t L = b == 500000.0 ? 8192 : 4096;
    const RopeMin r = rope_min(b, L, 128);
    long double best = std::numeric_limits<long double>::infinity();
    std::uint64_t where = 0;
    std::int64_t first = -1;
    for (std::uint64_t m = 0; m < L; ++m) {
      const long double f = rope_sum_long(b, m, 128);
      if (f < best) best = f, where = m;
      if (f < 0 && first < 0) first = static_cast<std::int64_t>(m);
    }
    INFO("b = " << b);
    CHECK(std::fabs(r.min_f - static_cast<double>(best)) <= rope_sum_error_bound(b, L, 128));
    CHECK(r.argmin == where);
    CHECK(r.first_negative == first);
    const RopeMin early = rope_min(b, L, 128, Precision::float64, true);
    CHECK(early.first_negative == first);
  }
}

TEST_CASE("the paper's base for L = 4k fails at m = 4079 while Llama 3's 500000 holds at 8192") {
  const RopeMin paper = rope_min(2.7e4, 4096, 128);
  CHECK(paper.first_negative == 4079);
  CHECK(rope_sum_long(2.7e4L, 4079, 128) < 0);
  CHECK(rope_min(500000, 8192, 128).feasible());
}

TEST_CASE("float32 evaluation: the same sums to float rounding, and its own scan") {
  for (std::uint64_t m : {std::uint64_t{1}, std::uint64_t{100}, std::uint64_t{5000}})
    CHECK(std::fabs(rope_sum_float(1e4, m, 128) - rope_sum(1e4, m, 128)) < 1e-3 * (1 + m / 1000.0));
  const RopeMin f = rope_min(4000, 1024, 128, Precision::float32);
  float best = std::numeric_limits<float>::infinity();
  for (std::uint64_t m = 0; m < 1024; ++m) best = std::min(best, rope_sum_float(4000, m, 128));
  CHECK(f.min_f == best);
}

TEST_CASE("partial rotary (theta_i = 0 for half the pairs) is feasible for every base") {
  for (unsigned d : {4u, 16u, 64u, 128u})
    for (double b = 1.5; b < 1e10; b *= 7.3) {
      INFO("d = " << d << ", b = " << b);
      CHECK(rope_min_partial(b, 4096, d).min_f >= 0);
    }
}

TEST_CASE("the refuter cache decides exactly like a full scan") {
  for (Precision p : {Precision::float64, Precision::float32}) {
    FeasibilityChecker checker(1024, 128, p);
    int disagreements = 0, feasible = 0;
    for (double b = 3000; b < 6000; b += 1.37) {
      const RopeMin full = rope_min(b, 1024, 128, p);
      if (std::fabs(full.min_f) < 1e-9) continue;  // a tie at the rounding level: either answer is right
      disagreements += checker.feasible(b) != full.feasible();
      feasible += full.feasible();
    }
    CHECK(disagreements == 0);
    CHECK(feasible > 0);
    CHECK(checker.cache_hits() > checker.scans());
  }
}

TEST_CASE("every scan kernel (AVX-512, AVX2, plain) stays within the error bound of a long-double evaluation") {
  using core::VectorIsa;
  // d = 128 and 256 fill whole register groups; d = 6 and 70 leave padding lanes, which must add nothing.
  for (unsigned d : {6u, 70u, 128u, 256u}) {
    for (double b : {1.0e4, 6.5e7}) {
      const std::uint64_t m0 = 1u << 20, L = m0 + resync_period;
      const auto theta = rope_frequencies(b, d);
      const double bound = rope_sum_error_bound(b, L, d);
      for (VectorIsa isa : {VectorIsa::scalar, VectorIsa::avx2, VectorIsa::avx512}) {
        if (!core::have_isa(isa)) continue;
        detail::ScanState z(theta.size());
        for (std::size_t i = 0; i < theta.size(); ++i) z.wc[i] = std::cos(theta[i]), z.ws[i] = std::sin(theta[i]);
        z.set_angles(theta.data(), theta.size(), static_cast<double>(m0));
        double f[resync_period];
        detail::block_sums(z, resync_period, f, isa);
        double worst = 0;
        for (std::uint64_t t = 0; t < resync_period; ++t)
          worst = std::max(worst, static_cast<double>(std::fabs(f[t] - rope_sum_long(b, m0 + t, d))));
        INFO("d = " << d << ", b = " << b << ", isa = " << static_cast<int>(isa));
        CHECK(worst <= bound);
        CHECK(worst > 0);  // the recurrence does round: the check is not vacuous
      }
    }
  }
}

TEST_CASE("the scan's dips are its most negative sums, most negative first, and agree with its minimum") {
  for (double b : {300.0, 2000.0, 27000.0}) {
    const std::uint64_t L = 4096;
    std::size_t negative = 0;
    for (std::uint64_t m = 100; m < L; ++m) negative += rope_sum_long(b, m, 128) < 0;
    std::vector<std::uint64_t> dips;
    const RopeMin r = rope_min_dips(b, 100, L, 128, 16, dips);
    const RopeMin plain = rope_min(b, 100, L, 128, Precision::float64, false);
    CHECK(r.min_f == plain.min_f);
    CHECK(r.argmin == plain.argmin);
    CHECK(r.first_negative == plain.first_negative);
    REQUIRE(dips.size() == std::min<std::size_t>(16, negative));
    CHECK(dips.front() == r.argmin);
    // Against long double: in order, and no m outside them lower than the last (within the rounding bound).
    const double e = rope_sum_error_bound(b, L, 128);
    for (std::size_t k = 1; k < dips.size(); ++k)
      CHECK(rope_sum_long(b, dips[k - 1], 128) <= rope_sum_long(b, dips[k], 128) + 2 * e);
    const long double last = rope_sum_long(b, dips.back(), 128);
    for (std::uint64_t m = 100; m < L; ++m)
      if (std::find(dips.begin(), dips.end(), m) == dips.end()) CHECK(rope_sum_long(b, m, 128) >= last - 2 * e);
    std::vector<std::uint64_t> none;
    rope_min_dips(5e5, 0, 8192, 128, 16, none);  // feasible: no negative sum, no dip
    CHECK(none.empty());
  }
}

TEST_CASE("the dips scan with stop_after ends with the block of its stop_after-th negative sum") {
  const double b = 300;  // far below b* of 4k: many negative sums
  const RopeMin all = rope_min(b, 4096, 128);
  REQUIRE(all.first_negative >= 0);
  for (std::size_t stop_after : {1u, 5u, 64u}) {
    std::vector<std::uint64_t> dips;
    const RopeMin r = rope_min_dips(b, 0, 4096, 128, 64, dips, stop_after);
    CHECK(r.first_negative == all.first_negative);
    // The negative sums among the m scanned: the blocks up to the stop_after-th negative one.
    std::uint64_t m = 0, seen = 0;
    for (; m < 4096 && seen < stop_after; ++m) seen += rope_sum_long(b, m, 128) < 0;
    const std::uint64_t scanned = std::min<std::uint64_t>(4096, (m + resync_period - 1) / resync_period * resync_period);
    CHECK(r.argmin < scanned);
    for (std::uint64_t x : dips) CHECK(x < scanned);
    std::size_t negative = 0;
    for (std::uint64_t x = 0; x < scanned; ++x) negative += rope_sum_long(b, x, 128) < 0;
    CHECK(dips.size() == std::min<std::size_t>(64, negative));
  }
}
