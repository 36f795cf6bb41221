// Studies of the methods in min_sum.hpp, beyond the derivation: do they agree (sweep), how does the
// work grow with N (scaling: expected exponents 1, 1/2, 1/4 for brute, sqrt, quarter; the pruned scan
// is measured), and how S(N) - 2 sqrt(N) is spread. No I/O: the tools format the results.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "abc/min_sum.hpp"
#include "core/fit.hpp"

namespace abc {

struct Comparison {
  Solution solution;            // what `automatic` returns
  u128 naive;                   // naive_sum(N)
  double gap;                   // S - 2 sqrt(N)
  std::vector<Method> agree;    // the methods that returned the same triple
  std::vector<Method> differ;   // those that did not (a bug if ever non-empty)
};

// Runs every method in `methods` on N and compares each with `automatic`.
Comparison compare_methods(u128 n, std::span<const Method> methods);

// compare_methods for every N in [from, to], computed in parallel blocks and handed to `emit` in
// increasing N, so a caller can stream rows of any length of range.
void compare_range(u128 from, u128 to, std::span<const Method> methods, unsigned threads,
                   const std::function<void(u128 n, const Comparison&)>& emit);

struct ScalingConfig {
  unsigned from_exponent = 1;  // N drawn uniformly from [10^k, 10^(k+1)) for k in [from, to]
  unsigned to_exponent = 37;   //   (capped at 2^127 - 1)
  unsigned samples = 20;       // N per decade, the same N for every method
  u128 max_n[4];               // per method (brute, sqrt, quarter, pruned): larger N are skipped
  u128 fit_from = 10000;       // the fit uses N >= fit_from, away from small-N effects
  std::uint64_t seed = 1;
  unsigned threads = 1;
};

struct ScalingRow {
  Method method;
  unsigned decade;
  u128 n;
  std::uint64_t candidates;
  double seconds;  // wall time of one solve (the mean over repeats for fast ones)
  u128 sum;
  double gap;      // S - 2 sqrt(N)
};

struct ScalingFit {
  Method method;
  core::PowerLawFit fit;  // candidates ~ A N^k
  double expected;        // 1, 1/2, 1/4 from the derivation; 1/6 for pruned (a heuristic, see README)
};

struct ScalingResult {
  std::vector<ScalingRow> rows;  // by decade, sample, then method
  std::vector<ScalingFit> fits;  // one per method with at least three points
};

// The N of decade k, sample j: the same for every method, every thread count.
u128 scaling_sample(const ScalingConfig& config, unsigned decade, unsigned sample);

// `tick` is called once per (N, method) solved, from any thread.
ScalingResult scaling_study(const ScalingConfig& config, const std::function<void()>& tick);

// The number of (N, method) jobs scaling_study will run, for progress.
std::size_t scaling_jobs(const ScalingConfig& config);

}  // namespace abc
