// Studies of the methods in min_sum.hpp, beyond the derivation: do they agree (sweep), how does the
// work grow with N (scaling: expected exponents 1, 1/2, 1/4 for brute, sqrt, quarter; the pruned scan
// is measured), and how S(N) - 2 sqrt(N) is spread. No I/O: the tools format the results.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "abc/min_sum.hpp"
#include "core/fit.hpp"

namespace abc {

struct Comparison {
  Solution solution;           // what `automatic` returns
  u128 naive;                  // naive_sum(N)
  double gap;                  // S - 2 sqrt(N)
  std::vector<Method> agree;   // the methods that returned the same triple
  std::vector<Method> differ;  // those that did not (a bug if ever non-empty)
};

// Runs every method in `methods` on N and compares each with `automatic`.
Comparison compare_methods(u128 n, std::span<const Method> methods);

// The methods a sweep up to N = to compares by default: those whose cost over a whole range stays in
// seconds (brute up to 10^6, sqrt up to 10^14, quarter up to 10^24, pruned always).
std::vector<Method> affordable_sweep_methods(u128 to);

// compare_methods for every N in [from, to], computed in parallel blocks and handed to `emit` in
// increasing N, so a caller can stream rows of any length of range.
void compare_range(u128 from, u128 to, std::span<const Method> methods, unsigned threads,
                   const std::function<void(u128 n, const Comparison&)>& emit);

// Random N for the studies: `samples` per decade, N uniform in [10^k, 10^(k+1)) (capped at 2^127 - 1) for
// k in [from_exponent, to_exponent]; sample j of decade k comes from the seeded stream (seed, k, j).
struct RandomDecades {
  unsigned from_exponent = 1;
  unsigned to_exponent = 37;
  unsigned samples = 20;
  std::uint64_t seed = 1;
  unsigned threads = 1;

  std::size_t count() const { return std::size_t{samples} * (to_exponent - from_exponent + 1); }
};

struct ScalingConfig {
  RandomDecades decades;  // the same N for every method
  // Per method (brute, sqrt, quarter, pruned): larger N are skipped. The defaults keep `scaling` to seconds.
  u128 max_n[4] = {10000000, u128{10000000000000000ull}, u128{1000000000000ull} * 1000000000000ull, abc::max_n};
  u128 fit_from = 10000;  // the fit uses N >= fit_from, away from small-N effects
};

struct ScalingRow {
  Method method;
  unsigned decade;
  u128 n;
  std::uint64_t candidates;
  double seconds;  // wall time of one solve (the mean over repeats for fast ones)
  u128 sum;
  double gap;  // S - 2 sqrt(N)
};

// The growth of the work with N: 1, 1/2, 1/4 from the derivation; 1/6 for pruned (a heuristic, README).
double expected_work_exponent(Method m);

struct ScalingFit {
  Method method;
  core::PowerLawFit fit;  // candidates ~ A N^k
  double expected;        // expected_work_exponent(method)
};

struct ScalingResult {
  std::vector<ScalingRow> rows;  // by decade, sample, then method
  std::vector<ScalingFit> fits;  // one per method with at least three points
};

struct DecadeSample {
  unsigned decade;
  u128 n;
};

// Every N of `d`, by decade then sample: the same for every method and every thread count.
std::vector<DecadeSample> draw(const RandomDecades& d);

// `tick` is called once per (N, method) solved, from any thread.
ScalingResult scaling_study(const ScalingConfig& config, const std::function<void()>& tick);

// The number of (N, method) jobs scaling_study will run, for progress.
std::size_t scaling_jobs(const ScalingConfig& config);

// How far the minimum sits above 2 sqrt(N), over random N per decade. A heuristic (README): the best p
// among the first K candidates above 2 sqrt N has c ~ N^(1/4) / sqrt(K), so S - 2 sqrt N ~ K + N^(1/4)/sqrt(K),
// smallest for K ~ N^(1/6): the gap, and the pruned scan's work, should grow like N^(1/6).
struct GapConfig {
  RandomDecades decades{.from_exponent = 2, .to_exponent = 37, .samples = 100};
  u128 fit_from = 10000;
};

struct GapRow {
  unsigned decade;
  std::size_t samples;
  double min, q10, median, q90, max;  // of S - 2 sqrt(N)
  double median_over_n16;             // median of (S - 2 sqrt N) / N^(1/6)
  double median_over_n14;             // median of (S - 2 sqrt N) / N^(1/4)
  double max_over_bound;              // largest (S - 2 sqrt N) / (2 + sqrt(1 + 4 sqrt N)): <= 1 by the derivation
};

struct GapResult {
  std::vector<GapRow> rows;
  std::optional<core::PowerLawFit> fit;  // S - 2 sqrt N ~ A N^k over the samples with N >= fit_from (>= 3 needed)
};

GapResult gap_study(const GapConfig& config, const std::function<void()>& tick);

}  // namespace abc
