// The studies behind abc-min's subcommands, beyond the derivation (kexue.fm/archives/9775): solve a list
// of N, do the methods agree (sweep), how does the work grow with N (scaling: expected exponents 1, 1/2,
// 1/4 for brute, sqrt, quarter; the pruned scan is measured), and how S(N) - 2 sqrt(N) is spread (gaps).
// Each returns rows and what the summary and the verdicts need; the tools format them.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "abc/min_sum.hpp"
#include "core/csv.hpp"
#include "core/fit.hpp"
#include "core/options.hpp"
#include "core/progress.hpp"
#include "core/sweep.hpp"

namespace abc {

// ---- solve

struct SolveConfig {
  std::vector<std::string> numbers;  // as given; "-" reads whitespace-separated N from `input`; none: the example
  Method method = Method::automatic;
};

// solve's options (N, --method), shared by abc-min solve and the Python module's abc.min_sum.
void declare_options(core::Options& o, SolveConfig& config);

// The N to solve, each checked against the method's limit (InputError naming N or the stdin line).
std::vector<u128> solve_inputs(const SolveConfig& config, std::istream& input);

struct SolveRow {
  u128 n;
  Solution solution;
  u128 naive;  // naive_sum(N)
};

struct SolveResult {
  std::vector<SolveRow> rows;
  Method method;                             // the method run: resolve(config.method)
  std::uint64_t candidates = 0;              // over every N
  std::optional<bool> reproduces_published;  // for one N equal to the published example's: does it agree
};

// `tick` once per N solved.
SolveResult solve_study(std::span<const u128> numbers, Method method, const core::Tick& tick = {});

const std::vector<core::Column>& solve_columns();

// ---- sweep

struct Comparison {
  Solution solution;           // what `automatic` returns
  u128 naive;                  // naive_sum(N)
  double gap;                  // S - 2 sqrt(N)
  std::vector<Method> agree;   // the methods that returned the same triple
  std::vector<Method> differ;  // those that did not (a bug if ever non-empty)
};

template <class Io>
void fields(Io& io, Comparison& c) {
  io(c.solution, c.naive, c.gap, c.agree, c.differ);
}

// Runs every method in `methods` on N and compares each with `automatic`.
Comparison compare_methods(u128 n, std::span<const Method> methods);

// The largest --to a sweep runs a method to, so that the range's cost stays in seconds to minutes:
// brute 10^6, sqrt 10^14, quarter 10^24, pruned (and automatic) 2^127 - 1. --methods beyond it is an
// InputError; without --methods the sweep compares those whose limit covers --to.
u128 sweep_limit(Method m);
std::vector<Method> affordable_sweep_methods(u128 to);

struct SweepConfig {
  u128 from = 1, to = 200;
  std::vector<Method> methods;  // compared with automatic; empty: affordable_sweep_methods(to)
  unsigned threads = 1;

  std::size_t values() const { return static_cast<std::size_t>(to - from + 1); }
};

// InputError for a range of more than 10^7 N (naming --to) or a method past its limit (naming --methods).
void check_sweep(const SweepConfig& config);

struct SweepResult {
  std::vector<Method> methods;               // those compared
  std::size_t values = 0;                    // N swept
  std::size_t disagreements = 0;             // N where some method differs from automatic
  u128 first_disagreeing_n = 0;              // when disagreements > 0
  std::size_t naive_misses = 0;              // N where the naive guess is not the minimum
  double gap_min = 0, gap_max = 0;           // the range of S - 2 sqrt(N)
  std::optional<bool> reproduces_published;  // when the range holds the published example: does its row agree
};

// compare_methods for every N in [from, to] (after check_sweep), computed in parallel blocks and handed to
// `emit` in increasing N, so a caller can stream rows of any length of range; `tick` once per N. A sweep
// whose points are the N (core/sweep.hpp: `sweep` shards or merges it).
SweepResult sweep_study(const SweepConfig& config, const std::function<void(u128 n, const Comparison&)>& emit,
                        const core::Tick& tick = {}, core::Sweep* sweep = nullptr);

const std::vector<core::Column>& sweep_columns();

// ---- random N for scaling and gaps

// `samples` per decade, N uniform in [10^k, 10^(k+1)) (capped at 2^127 - 1) for k in [from_exponent,
// to_exponent]; sample j of decade k comes from the seeded stream (seed, k, j).
struct RandomDecades {
  unsigned from_exponent = 1;
  unsigned to_exponent = 37;
  unsigned samples = 20;
  std::uint64_t seed = 1;
  unsigned threads = 1;

  std::size_t count() const { return std::size_t{samples} * (to_exponent - from_exponent + 1); }
  unsigned end_exponent() const { return to_exponent + 1; }  // N < 10^end_exponent
};

struct DecadeSample {
  unsigned decade;
  u128 n;
};

// Every N of `d`, by decade then sample: the same for every method and every thread count.
std::vector<DecadeSample> draw(const RandomDecades& d);

// ---- scaling

struct ScalingConfig {
  RandomDecades decades;  // the same N for every method
  // Per method (brute, sqrt, quarter, pruned): larger N are skipped. The defaults keep `scaling` to seconds.
  u128 max_n[4] = {10000000, u128{10000000000000000ull}, u128{1000000000000ull} * 1000000000000ull, abc::max_n};
  u128 fit_from = 10000;  // the fit uses N >= fit_from, away from small-N effects
};

// The growth of the work with N: 1, 1/2, 1/4 from the derivation; 1/6 for pruned (a heuristic, README).
double expected_work_exponent(Method m);

struct ScalingRow {
  Method method;
  unsigned decade;
  u128 n;
  std::uint64_t candidates;
  double seconds;  // wall time of one solve (the mean over repeats for fast ones)
  u128 sum;
  double gap;                                                 // S - 2 sqrt(N)
  double fit_exponent, fit_exponent_lo95, fit_exponent_hi95;  // the method's fit; nan when it has none
  double expected_exponent;                                   // expected_work_exponent(method)
};

template <class Io>
void fields(Io& io, ScalingRow& r) {
  io(r.method, r.decade, r.n, r.candidates, r.seconds, r.sum, r.gap, r.fit_exponent, r.fit_exponent_lo95,
     r.fit_exponent_hi95, r.expected_exponent);
}

struct ScalingFit {
  Method method;
  core::PowerLawFit fit;  // candidates ~ A N^k
  double expected;        // expected_work_exponent(method)
  bool derived;           // expected comes from the derivation (brute, sqrt, quarter), not the heuristic
};

struct ScalingResult {
  std::vector<ScalingRow> rows;  // by decade, sample, then method
  std::vector<ScalingFit> fits;  // one per method with at least three distinct N >= fit_from
};

// The number of (N, method) jobs scaling_study will run, for progress; InputError when out of reach.
std::size_t scaling_jobs(const ScalingConfig& config);

// One solve's seconds on this machine (an estimate that errs high), and the run's over its threads;
// scaling_study refuses a run above core::require_time's limit.
double solve_seconds(Method m, u128 n);
double scaling_estimated_seconds(const ScalingConfig& config);

// `tick` is called once per (N, method) solved, from any thread. A sweep over the (N, method) jobs.
ScalingResult scaling_study(const ScalingConfig& config, const core::Tick& tick = {}, core::Sweep* sweep = nullptr);

const std::vector<core::Column>& scaling_columns();

// ---- the window of the derivation

// The article's window for the optimal p = a + b, 2 sqrt N < p <= 2 sqrt N + 2 + sqrt(1 + 4 sqrt N), checked at
// both ends. Its lower end is strict, yet the derivation evaluates p = floor(2 sqrt N) separately (the case
// p^2 <= 4N, q = 0 or 1), and that candidate is the minimum for infinitely many N (every perfect square,
// and N = k^2 + 1 unless 4k - 3 is a square): the window as published fails there. What the derivation
// does prove is floor(2 sqrt N) <= p (for N >= 4; below, a = b = 0 and c = N win). The upper end is checked
// on S >= p: (S - 2 sqrt N) / (2 + sqrt(1 + 4 sqrt N)) <= 1.
struct WindowTally {
  static constexpr std::size_t first_failures_kept = 8;
  std::size_t checked = 0;
  std::size_t published_lower_failures = 0;    // p <= 2 sqrt N
  std::size_t corrected_lower_failures = 0;    // p < floor(2 sqrt N), N >= 4
  std::size_t upper_failures = 0;              // S above 2 sqrt N + 2 + sqrt(1 + 4 sqrt N)
  std::vector<u128> first_published_failures;  // the smallest few N (at most first_failures_kept), ascending
  std::optional<u128> smallest_corrected_failure, smallest_upper_failure;
  double max_gap_over_window_bound = 0;  // the largest (S - 2 sqrt N) / (2 + sqrt(1 + 4 sqrt N))

  void add(u128 n, const Solution& s);
  void merge(const WindowTally& o);
  bool published_holds() const { return published_lower_failures == 0 && upper_failures == 0; }
  bool corrected_holds() const { return corrected_lower_failures == 0 && upper_failures == 0; }
};

// Every N in [1, max_n], solved by the sieve oracle min_sum_table (which shares no step of the derivation).
WindowTally window_check(std::uint64_t max_n);

// ---- gaps

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
  double median_gap_over_n_1_6;       // median of (S - 2 sqrt N) / N^(1/6)
  double median_gap_over_n_1_4;       // median of (S - 2 sqrt N) / N^(1/4)
  double max_gap_over_window_bound;   // largest (S - 2 sqrt N) / (2 + sqrt(1 + 4 sqrt N)): <= 1 by the derivation
  std::size_t p_not_above_2sqrtN;     // samples whose p = a + b <= 2 sqrt N: outside the published window
};

struct GapResult {
  std::vector<GapRow> rows;
  std::optional<core::PowerLawFit> fit;  // S - 2 sqrt N ~ A N^k over the samples with N >= fit_from (>= 3 needed)
  WindowTally window;                    // over every sample: the window at both ends
};

// `tick` once per N solved, from any thread.
double gap_estimated_seconds(
    const GapConfig& config);  // pruned solves over the threads; gap_study refuses above the limit
// A sweep over the random N (one solve each).
GapResult gap_study(const GapConfig& config, const core::Tick& tick = {}, core::Sweep* sweep = nullptr);

const std::vector<core::Column>& gap_columns();

}  // namespace abc
