// The smallest RoPE base for a context length (Men et al., "Base of RoPE Bounds Context Length", 2024):
// b*(L) = inf{b : f_b(m) ≥ 0 for m = 0 .. L−1} with f_b from rope_sum.hpp. Feasibility is not monotone in
// b, so the paper searches a grid: B = 1000·L, then for k = 1..5 [0, B] is split into 10^k equal parts and
// B moves to the smallest feasible grid point. This module runs that search exactly as stated, and beyond
// it brackets the infimum itself with a certificate: every b in [1, b_lo) lies in a sub-interval [β, β']
// with an m whose f_b(m) is negative on all of it (interval bounds on each cosine, rounding bounded), and
// b_hi is feasible with the rounding error of every sum bounded. Also the d → ∞ estimate b* ≈ L / x₀ with
// x₀ the first zero of the cosine integral Ci.
#pragma once

#include <cstdint>
#include <vector>

#include "core/device.hpp"
#include "core/progress.hpp"
#include "rope/rope_sum.hpp"

namespace rope {

inline constexpr int grid_levels = 5;
inline constexpr double grid_start_factor = 1000;      // B = 1000·L
inline constexpr double grid_start_factor_max = 1e12;  // how far the start is raised where 1000·L is infeasible

// Grid point j of [0, B] split into N parts, as numpy.linspace(0, B, N + 1)[j] computes it.
double grid_point(double B, std::uint64_t N, std::uint64_t j);

struct GridSearch {
  double b = 0;                     // the result of the published search
  double b_below = 0;               // the grid point just below it at the last level (0: none)
  std::int64_t refuter_below = -1;  // the first m with f(m) < 0 at b_below
  RopeMin at_result;                // min over m < L of f at the result
  std::uint64_t checks = 0;         // grid points the search as stated examines (Σ over levels of j)
  std::uint64_t cache_hits = 0;     // bases refuted by an m that refuted an earlier base (varies with threads)
  double start = 0;                 // B the search started from: 1000·L as published, or 10^k·L beyond it
};

// The published grid search. The result depends neither on threads nor (beyond float rounding, see
// rope_cuda.hpp) on the device. The paper starts from B = 1000·L, which is feasible at d = 128 for every L it
// tables; at smaller d, b* grows past it (d = 64: from L = 128k), and the search then starts from the first
// 10^k·L (k > 3) that is feasible, in `start`: the same search from a start that is one. NumericalError when
// even 10^12·L is not. `poll`, when given, is
// called before each grid point is checked on the CPU (from any thread); an exception it throws stops the
// search and is rethrown.
GridSearch published_grid_search(std::uint64_t L, unsigned d, Precision p, unsigned threads,
                                 core::Device device = core::Device::cpu, const core::Tick& poll = {});

// Whether bases are feasible, and their minima: the batch form of rope_min (CPU threads or the GPU).
std::vector<RopeMin> rope_min_batch(const std::vector<double>& bases, std::uint64_t L, unsigned d, Precision p,
                                    bool stop_at_negative, unsigned threads, core::Device device);

struct Certificate {
  double b_from = 1;                   // every b in [b_from, b_lo) is certified infeasible
  double b_lo = 0, b_hi = 0;           // b* ∈ [b_lo, b_hi]
  bool certified = false;              // b_hi certified feasible: the walk's, or b_upper when the walk
                                       // stalls below it (false: b_hi is b_upper, feasible only as computed)
  std::uint64_t intervals = 0;         // sub-intervals of [b_from, b_lo), each with its refuting m
  std::uint64_t refuter_searches = 0;  // times a new refuting m had to be searched for
  RopeMin at_hi;                       // the scan at b_hi
  double error_bound = 0;              // rope_sum_error_bound(b_hi, L, d): at_hi.min_f exceeds it
};

// The rows of a shard file (core/row_codec.hpp).
template <class Io>
void fields(Io& io, GridSearch& g) {
  io(g.b, g.b_below, g.refuter_below, g.at_result, g.checks, g.cache_hits, g.start);
}
template <class Io>
void fields(Io& io, Certificate& c) {
  io(c.b_from, c.b_lo, c.b_hi, c.certified, c.intervals, c.refuter_searches, c.at_hi, c.error_bound);
}

// The certificate's walk covers [1, b_upper] in this many chunks of equal width in ln b (its steps are relative,
// so each holds about as many), each walked on its own: the chunks (fixed by b_upper alone) and not the
// threads fix the result.
inline constexpr unsigned certificate_chunks = 32;

// One part of the certificate: part j of J walks the chunks [32j/J, 32(j+1)/J), the sub-range [from, to)
// of [1, b_upper], and proves every b in [from, stop) infeasible. A walk that cannot go on (stop < to)
// ends the certificate there: it then looks for b_hi, a base above stop whose minimum exceeds its rounding
// bound. Parts are independent (a shard each), and combine_certificate joins them into the certificate
// certify_infimum gives, bit for bit, whatever J.
struct CertificatePart {
  std::uint32_t part = 0, parts = 1;
  double b_upper = 0;                  // the range [1, b_upper] this is a part of
  double from = 0, to = 0;             // its sub-range [from, to)
  bool reached_end = false;            // all of [from, to) refuted
  double stop = 0;                     // refuted [from, stop): to when reached_end, else where the walk stalled
  double b_hi = 0;                     // stalled (or the last part reached b_upper): a feasible base (0: none)
  RopeMin at_hi;                       // the scan at b_hi; at b_upper when b_hi = 0 (where the part ends the walk)
  std::uint64_t intervals = 0;         // refuted sub-intervals of [from, stop)
  std::uint64_t refuter_searches = 0;  // full searches for a refuting m
};

template <class Io>
void fields(Io& io, CertificatePart& p) {
  io(p.part, p.parts, p.b_upper, p.from, p.to, p.reached_end, p.stop, p.b_hi, p.at_hi, p.intervals, p.refuter_searches);
}

// Part `part` of `parts` (1 <= parts <= certificate_chunks) of certify_infimum's walk, with its arguments.
CertificatePart certify_part(std::uint64_t L, unsigned d, double b_upper, double rel_precision, std::uint32_t part,
                             std::uint32_t parts, unsigned threads, core::Device device = core::Device::cpu,
                             const core::Tick& poll = {});

// The certificate from all parts of one walk, in order: b_lo is where the first part that did not refute its
// whole sub-range stopped, and every part before it must have refuted exactly up to the next one's start
// (from 1; the last up to b_upper); b_hi, when found, must carry its proof (min f over m < L at b_hi at or
// above rope_sum_error_bound(b_hi)). NumericalError naming L otherwise (a gap, an overlap, a missing or
// foreign part, a b_hi without its proof): parts from different runs, or edited shards.
Certificate combine_certificate(std::uint64_t L, unsigned d, double b_upper, const std::vector<CertificatePart>& parts);

// Brackets b* to relative width rel_precision (widened, doubling, when the margin at b_hi does not yet
// exceed the rounding bound). b_upper: a feasible base (the grid result); the walk covers [1, b_upper].
// combine_certificate of certify_part's one part of one.
// With the GPU, the full scans that look for refuting m and feasible candidates run there; every
// refutation (rope_sum_upper_bound) and the feasibility of b_hi are still proved on the CPU, so the
// certificate holds on either device (the bracket may differ within rel_precision). `poll`, when given, is
// called at every step of every walk (from any thread); an exception it throws (an interrupt) stops every
// walk and is rethrown.
Certificate certify_infimum(std::uint64_t L, unsigned d, double b_upper, double rel_precision, unsigned threads,
                            core::Device device = core::Device::cpu, const core::Tick& poll = {});

// Upper bound of f_b(m) over every b in [b1, b2] (b1 ≤ b2), rounding included: the largest cosine of each
// pair over its range of angles.
double rope_sum_upper_bound(std::uint64_t m, double b1, double b2, unsigned d);

// A δ ≥ 1e-7 such that f_β(m) < 0 for every β in [b, b·(1 + δ)] (rounding of the step and of the evaluation
// included), from the second-order bound f(ln b + t) ≤ f + t·f' + t²·M/2 with M bounding |f''| (see
// search.cpp); 0 when it gives none (f_b(m) not clearly negative, or a step below 1e-7). The certificate's
// walk steps by it, and falls back to rope_sum_upper_bound where it is 0.
double refuting_log_step(std::uint64_t m, double b, unsigned d);

// x₀: the first positive zero of Ci (GSL's gsl_sf_Ci, Boost's TOMS 748 root finder), ≈ 0.6165.
double ci_first_zero();
// The d → ∞ estimate f_b(m) ≈ (d/2)(Ci(m) − Ci(m/b)) / ln b.
double rope_sum_ci_estimate(double b, double m, unsigned d);

}  // namespace rope
