#include <catch2/catch.hpp>
#include <cmath>

#include "core/peak.hpp"

// Properties of the measured peaks, not timing targets: those live in make bench-costs.

TEST_CASE("the measured FMA peak of one core is positive and finite for every ISA the CPU has") {
  for (auto isa : {core::VectorIsa::scalar, core::VectorIsa::avx2, core::VectorIsa::avx512}) {
    if (!core::have_isa(isa)) {
      CHECK(core::measured_fma_peak_gflops(isa, 0.01) == 0);
      continue;
    }
    const double gflops = core::measured_fma_peak_gflops(isa, 0.02);
    CHECK(std::isfinite(gflops));
    CHECK(gflops > 0);
  }
}

TEST_CASE("four FMA lanes at a time outrun one multiply and add at a time") {
  CHECK(core::have_isa(core::VectorIsa::scalar));
  if (!core::have_isa(core::VectorIsa::avx2)) return;
  // Four lanes against one, and an FMA against a multiply and an add: at least 2x on any core with AVX2,
  // even with the second measurement slowed by half by another process.
  CHECK(core::measured_fma_peak_gflops(core::VectorIsa::avx2, 0.05) >
        core::measured_fma_peak_gflops(core::VectorIsa::scalar, 0.05));
}

TEST_CASE("the measured read bandwidth is positive and finite on one and on two threads") {
  for (unsigned threads : {1u, 2u}) {
    const double gbs = core::measured_read_bandwidth_gbs(threads, 0.01);
    CHECK(std::isfinite(gbs));
    CHECK(gbs > 0);
  }
}
