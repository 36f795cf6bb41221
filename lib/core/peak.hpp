// The machine's peak, measured: what a kernel's share of peak is a share of (make bench-costs).
//
// The floating-point peak of one core is the rate of a loop of independent FMA chains, enough of them
// (12 to 16 registers) to cover the FMA latency times its throughput on every x86-64 core in use; the
// memory peak is a STREAM-like sum over an array far larger than the last-level cache. Both are measured
// rather than computed from a data sheet: under a hypervisor the clock, the turbo and the memory channels
// the guest sees are not the ones the data sheet names.
#pragma once

namespace core {

enum class VectorIsa { scalar, avx2, avx512 };

// The CPU (and this build) can run it: scalar always; avx2 means AVX2 and FMA; avx512 means AVX-512F.
bool have_isa(VectorIsa isa);

// Double-precision FMA peak of one core in GFLOP/s, counting 2 flops per FMA lane (scalar: a multiply and
// an add, the code the suite compiles without -mfma). The best of 5 repeats of about seconds / 5 each of
// the thread's CPU time (not wall time: other processes sharing the core do not dilute it). 0 when
// !have_isa(isa).
double measured_fma_peak_gflops(VectorIsa isa, double seconds = 0.2);

// Sustained memory read bandwidth in GB/s (10^9 bytes) on `threads` threads: the best pass of a sum over
// a 512 MiB array (each thread its own contiguous slice, first touched by that thread), passes repeated
// for about `seconds`.
double measured_read_bandwidth_gbs(unsigned threads, double seconds = 0.3);

}  // namespace core
