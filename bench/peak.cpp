// bench-peak: the machine's measured peak as one line of JSON, for bench/cost_laws.py (make bench-costs):
// the double-precision FMA peak of one core per ISA (GFLOP/s; 0 where the CPU lacks it), the memory read
// bandwidth on 1 .. cores threads (GB/s) and the number of cores. Not installed: a benchmark's helper.
#include "core/peak.hpp"

#include <cstdio>
#include <string>

#include "core/parallel.hpp"

int main() {
  using core::VectorIsa;
  const unsigned cores = core::hardware_threads();
  std::printf("{\"fma_gflops_core\": {\"scalar\": %.4g, \"avx2\": %.4g, \"avx512\": %.4g}, \"read_gbs\": {",
              core::measured_fma_peak_gflops(VectorIsa::scalar), core::measured_fma_peak_gflops(VectorIsa::avx2),
              core::measured_fma_peak_gflops(VectorIsa::avx512));
  for (unsigned t = 1; t <= cores; ++t)
    std::printf("%s\"%u\": %.4g", t > 1 ? ", " : "", t, core::measured_read_bandwidth_gbs(t));
  std::printf("}, \"cores\": %u}\n", cores);
}
