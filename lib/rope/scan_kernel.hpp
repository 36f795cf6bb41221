// The inner loop of the double scan of f_b(m) = Σ_i cos(m θ_i) (rope_sum.hpp): every pair i carries
// z_i = (cos mθ_i, sin mθ_i), one complex multiplication by w_i = (cos θ_i, sin θ_i) per step, and f(m) is
// the sum of the real parts. The pairs are cut into register-sized groups whose rotations stay in vector
// registers for a whole block of steps (w_i read from L1 as FMA operands), with the partial sums of each
// step accumulated in a small buffer: the core's multiply–add pipes, not its loads and stores, bound it.
// Built for AVX-512F, AVX2+FMA and plain x86-64 (or any CPU), chosen at run time; all three round the same
// operations, in orders the error bound of rope_sum_error_bound covers (any order of the sum).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/peak.hpp"
#include "core/simd.hpp"

namespace rope::detail {

// Pairs are padded to a multiple of this (padding pairs: z = 0, w = 1, so they add 0).
inline constexpr std::size_t scan_lane_multiple = 32;

// The rotations of n pairs (lanes ≥ n, a multiple of scan_lane_multiple), 64-byte aligned.
struct ScanState {
  std::size_t lanes = 0;
  core::aligned_vector<double> c, s, wc, ws;
  explicit ScanState(std::size_t n);
  // z_i = (cos m θ_i, sin m θ_i) computed directly (glibc's cos and sin, within 1 ulp): the resync.
  void set_angles(const double* theta, std::size_t n, double m);
};

// c_i = cos(m θ_i), s_i = sin(m θ_i) for i < n, m·θ_i rounded once (libmvec on 4 lanes, within 4 ulp, where
// the CPU has AVX2; glibc's sincos, within 1, otherwise): the scan's resync and the certificate's step.
void cos_sin_of_multiple(const double* theta, std::size_t n, double m, double* c, double* s);

// f at `count` consecutive steps into f[0 .. count), advancing the state by count steps. The ISA must be
// available (core::have_isa); scan_isa() is the best one here.
void block_sums(ScanState& z, std::size_t count, double* f, core::VectorIsa isa);
core::VectorIsa scan_isa();

}  // namespace rope::detail
