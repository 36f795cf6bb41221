#include "abc/study.hpp"

#include <gsl/gsl_statistics_double.h>

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>
#include <utility>

#include "abc/claims.hpp"
#include "core/errors.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "core/parse.hpp"
#include "core/rng.hpp"

namespace abc {

void declare_options(core::Options& o, SolveConfig& config) {
  o.positional("N", config.numbers,
               "the numbers to solve (exact, up to 2^127-1; 10^24 and 2^127-1 are accepted); '-' reads them from stdin",
               core::to_string(published_example.n).c_str());
  o.choice("method", config.method, all_methods,
           "brute O(N), sqrt O(N^1/2), quarter O(N^1/4) window, pruned window; auto = pruned");
}

std::vector<u128> solve_inputs(const SolveConfig& config, std::istream& input) {
  const Method m = config.method;
  auto parse = [m](const std::string& what, const std::string& text) {
    const u128 n = core::parse_integer(what, text, 0, max_n);
    check_method_limit(n, m);
    return n;
  };
  std::vector<u128> numbers;
  if (config.numbers.empty()) {
    check_method_limit(published_example.n, m);
    numbers.push_back(published_example.n);
  }
  for (const auto& arg : config.numbers) {
    if (arg != "-") {
      numbers.push_back(parse("N", arg));
      continue;
    }
    std::string line, token;
    std::size_t line_no = 0, before = numbers.size();
    while (std::getline(input, line)) {
      ++line_no;
      std::istringstream tokens(line);
      while (tokens >> token) numbers.push_back(parse("stdin line " + std::to_string(line_no) + ": N", token));
    }
    if (numbers.size() == before) throw core::InputError("N: '-' was given but stdin holds no numbers");
  }
  return numbers;
}

SolveResult solve_study(std::span<const u128> numbers, Method method, const core::Tick& tick) {
  SolveResult result{{}, resolve(method)};
  for (u128 n : numbers) {
    result.rows.push_back({n, min_sum_abc(n, method), naive_sum(n)});
    result.candidates += result.rows.back().solution.candidates;
    core::tick_if(tick);
  }
  if (result.rows.size() == 1 && result.rows[0].n == published_example.n)
    result.reproduces_published = reproduces_published_example(result.rows[0].solution, result.rows[0].naive);
  return result;
}

const std::vector<core::Column>& solve_columns() {
  static const std::vector<core::Column> columns = {{"N", "the number solved"},
                                                    {"a", "a <= b; ties: smallest S, then smallest c"},
                                                    {"b"},
                                                    {"c", "N - a*b"},
                                                    {"S", "a + b + c, the minimum"},
                                                    {"method", "the method run (auto runs pruned)"},
                                                    {"candidates", "values of a or of p = a + b evaluated"},
                                                    {"naive_S", "the naive guess: a = b = floor(sqrt N) or b = a + 1"}};
  return columns;
}

Comparison compare_methods(u128 n, std::span<const Method> methods) {
  Comparison out{min_sum_abc(n, Method::automatic), naive_sum(n), 0, {}, {}};
  out.gap = gap_to_two_sqrt(n, out.solution.sum);
  for (Method m : methods) (min_sum_abc(n, m).same_triple(out.solution) ? out.agree : out.differ).push_back(m);
  return out;
}

u128 sweep_limit(Method m) {
  const u128 e6 = 1000000;
  switch (m) {
    case Method::brute: return e6;
    case Method::sqrt: return e6 * e6 * 100;
    case Method::quarter: return e6 * e6 * e6 * e6;
    default: return max_n;
  }
}

std::vector<Method> affordable_sweep_methods(u128 to) {
  std::vector<Method> out;
  for (Method m : exact_methods)
    if (to <= sweep_limit(m)) out.push_back(m);
  return out;
}

void check_sweep(const SweepConfig& config) {
  if (config.to - config.from >= 10000000)
    throw core::InputError("--to: a sweep covers at most 10^7 values of N, got " +
                           core::to_string(config.to - config.from + 1));
  for (Method m : config.methods)
    if (config.to > sweep_limit(m))
      throw core::InputError("--methods: " + std::string(to_string(m)) + " sweeps N up to " +
                             core::describe_integer(sweep_limit(m)) + " (every N is solved), but --to is " +
                             core::to_string(config.to));
}

SweepResult sweep_study(const SweepConfig& config, const std::function<void(u128 n, const Comparison&)>& emit,
                        const core::Tick& tick, core::Sweep* sweep) {
  check_sweep(config);
  SweepResult result;
  result.methods = config.methods.empty() ? affordable_sweep_methods(config.to) : config.methods;
  result.values = config.values();
  result.gap_min = std::numeric_limits<double>::infinity();
  result.gap_max = -std::numeric_limits<double>::infinity();
  const auto compare = [&](std::size_t i) {
    auto c = compare_methods(config.from + i, result.methods);
    core::tick_if(tick);
    return c;
  };
  core::sweep_for_each(sweep, config.values(), config.threads, compare, [&](std::size_t i, const Comparison& c) {
    const u128 n = config.from + i;
    emit(n, c);
    if (!c.differ.empty() && result.disagreements++ == 0) result.first_disagreeing_n = n;
    result.naive_misses += c.naive != c.solution.sum;
    result.gap_min = std::min(result.gap_min, c.gap);
    result.gap_max = std::max(result.gap_max, c.gap);
    if (n == published_example.n) result.reproduces_published = reproduces_published_example(c.solution, c.naive);
  });
  return result;
}

const std::vector<core::Column>& sweep_columns() {
  static const std::vector<core::Column> columns = {{"N"},
                                                    {"a", "the minimum's triple, as solve gives it"},
                                                    {"b"},
                                                    {"c"},
                                                    {"S"},
                                                    {"S_minus_2sqrtN", "S - 2 sqrt(N)"},
                                                    {"naive_S", "the naive guess: a = b = floor(sqrt N) or b = a + 1"},
                                                    {"all_agree", "every compared method returned auto's triple"},
                                                    {"agreeing", "those methods, |-separated"}};
  return columns;
}

namespace {

u128 pow10(unsigned k) {
  u128 v = 1;
  while (k--) v *= 10;
  return v;
}

}  // namespace

double expected_work_exponent(Method m) {
  switch (m) {
    case Method::brute: return 1.0;
    case Method::sqrt: return 0.5;
    case Method::quarter: return 0.25;
    default: return 1.0 / 6.0;
  }
}

namespace {

// One solve, timed; fast solves are repeated until 200 microseconds have passed and averaged.
ScalingRow timed_solve(Method m, unsigned decade, u128 n) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  Solution s;
  double elapsed = 0;
  std::uint64_t runs = 0;
  do {
    s = min_sum_abc(n, m);
    ++runs;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < 2e-4);
  constexpr double none = std::numeric_limits<double>::quiet_NaN();
  return {m,
          decade,
          n,
          s.candidates,
          elapsed / static_cast<double>(runs),
          s.sum,
          gap_to_two_sqrt(n, s.sum),
          none,
          none,
          none,
          expected_work_exponent(m)};
}

struct Job {
  Method method;
  unsigned decade;
  u128 n;
};

std::vector<Job> scaling_job_list(const ScalingConfig& config) {
  std::vector<Job> jobs;
  for (const auto& [decade, n] : draw(config.decades))
    for (std::size_t i = 0; i < std::size(exact_methods); ++i)
      if (n <= config.max_n[i]) jobs.push_back({exact_methods[i], decade, n});
  return jobs;
}

}  // namespace

std::vector<DecadeSample> draw(const RandomDecades& d) {
  std::vector<DecadeSample> out;
  for (unsigned k = d.from_exponent; k <= d.to_exponent; ++k) {
    const u128 lo = std::min(pow10(k), max_n);
    const u128 hi = k >= 38 ? max_n : std::min(pow10(k + 1) - 1, max_n);
    for (unsigned j = 0; j < d.samples; ++j) {
      core::Rng rng = core::rng_stream(d.seed, std::uint64_t{k} << 32 | j);
      out.push_back({k, boost::random::uniform_int_distribution<u128>(lo, hi)(rng)});
    }
  }
  return out;
}

double solve_seconds(Method m, u128 n) {
  // Candidates ~ c N^k with the median c over results/abc-min/scaling.csv (brute 1.0, sqrt 0.29, quarter 2.0,
  // pruned 1.14, over N up to 10^38; the largest are 1.1, 0.69, 5.9, 5.0) at the median seconds per
  // candidate there (this machine, Release: brute 2.1e-9; sqrt 4.6e-9; quarter 6.8e-9 below 2^64 and 1.4e-8
  // above; pruned 8.3e-9), times 1.5 to err high; plus the 2e-4 s that scaling repeats a fast solve for.
  // bench/estimates_*.py compares the estimates with measured runs.
  const double x = core::to_double(n), wide = n > u128{~std::uint64_t{0}} ? 2 : 1;
  switch (m) {
    case Method::brute: return 1.5 * x * 2.1e-9;
    case Method::sqrt: return 1.5 * 0.3 * std::sqrt(x) * 4.6e-9 * wide;
    case Method::quarter: return 1.5 * 2 * std::sqrt(std::sqrt(x)) * 7e-9 * wide;
    default: return 1.5 * 1.15 * std::cbrt(std::sqrt(x)) * 8.3e-9 * wide;
  }
}

namespace {

// The decades with at most 256 samples each (a subset of the same draws), and the factor back to all.
std::pair<RandomDecades, double> estimate_subset(RandomDecades d) {
  const double all = d.samples;
  d.samples = std::min(d.samples, 256u);
  return {d, all / d.samples};
}

}  // namespace

double scaling_estimated_seconds(const ScalingConfig& config) {
  auto [subset, factor] = estimate_subset(config.decades);
  ScalingConfig sample = config;
  sample.decades = subset;
  double seconds = 0;
  for (const auto& job : scaling_job_list(sample)) seconds += std::max(2e-4, solve_seconds(job.method, job.n));
  return seconds * factor / config.decades.threads;
}

double gap_estimated_seconds(const GapConfig& config) {
  const auto [subset, factor] = estimate_subset(config.decades);
  double seconds = 0;
  for (const auto& sample : draw(subset)) seconds += solve_seconds(Method::pruned, sample.n);
  return seconds * factor / config.decades.threads;
}

namespace {

// InputError when the run is out of reach: before any job list is built (a huge --samples would take long).
void require_scaling_time(const ScalingConfig& config) {
  core::require_time(scaling_estimated_seconds(config),
                     "--samples " + std::to_string(config.decades.samples) + " with the methods' --*-max limits");
}

}  // namespace

std::size_t scaling_jobs(const ScalingConfig& config) {
  require_scaling_time(config);
  return scaling_job_list(config).size();
}

ScalingResult scaling_study(const ScalingConfig& config, const core::Tick& tick, core::Sweep* sweep) {
  require_scaling_time(config);
  const auto jobs = scaling_job_list(config);
  ScalingResult result;
  result.rows = core::sweep_map(sweep, jobs.size(), config.decades.threads, [&](std::size_t i) {
    ScalingRow row = timed_solve(jobs[i].method, jobs[i].decade, jobs[i].n);
    core::tick_if(tick);
    return row;
  });
  for (Method m : exact_methods) {
    std::vector<double> x, y;
    for (const auto& r : result.rows)
      if (r.method == m && r.n >= config.fit_from) {
        x.push_back(core::to_double(r.n));
        y.push_back(static_cast<double>(r.candidates));
      }
    if (x.size() < 3 || std::all_of(x.begin(), x.end(), [&](double v) { return v == x[0]; })) continue;
    const auto fit = core::fit_power_law(x, y);
    result.fits.push_back({m, fit, expected_work_exponent(m), m != Method::pruned});
    for (auto& r : result.rows)
      if (r.method == m) {
        r.fit_exponent = fit.exponent;
        r.fit_exponent_lo95 = fit.exponent_lo95;
        r.fit_exponent_hi95 = fit.exponent_hi95;
      }
  }
  return result;
}

const std::vector<core::Column>& scaling_columns() {
  static const std::vector<core::Column> columns = {
      {"method"},
      {"decade", "k: N drawn from [10^k, 10^(k+1))"},
      {"N"},
      {"candidates", "values of a or of p = a + b evaluated"},
      {"seconds", "one solve (fast ones repeated and averaged)"},
      {"S"},
      {"S_minus_2sqrtN", "S - 2 sqrt(N)"},
      {"fit_exponent", "k of candidates ~ N^k over N >= --fit-from; nan below 3 such N", true},
      {"fit_exponent_lo95", "its 95% interval", true},
      {"fit_exponent_hi95", true},
      {"expected_exponent", "1, 1/2, 1/4 from the derivation; 1/6 heuristic for pruned"}};
  return columns;
}

namespace {

double gap_over_window_bound(u128 n, u128 sum) {
  return gap_to_two_sqrt(n, sum) / (2 + std::sqrt(1 + 4 * std::sqrt(core::to_double(n))));
}

void keep_smallest(std::optional<u128>& smallest, u128 n) {
  if (!smallest || n < *smallest) smallest = n;
}

// Inserts n into the ascending `first`, keeping the smallest WindowTally::first_failures_kept.
void keep_first(std::vector<u128>& first, u128 n) {
  first.insert(std::upper_bound(first.begin(), first.end(), n), n);
  if (first.size() > WindowTally::first_failures_kept) first.pop_back();
}

}  // namespace

void WindowTally::add(u128 n, const Solution& s) {
  ++checked;
  const u128 p = s.a + s.b, floor_root = floor_two_sqrt(n);
  if (p <= floor_root) {  // p <= 2 sqrt N (p > 2 sqrt N iff p > floor(2 sqrt N))
    ++published_lower_failures;
    keep_first(first_published_failures, n);
  }
  if (n >= 4 && p < floor_root) ++corrected_lower_failures, keep_smallest(smallest_corrected_failure, n);
  const double over = gap_over_window_bound(n, s.sum);
  max_gap_over_window_bound = std::max(max_gap_over_window_bound, over);
  if (over > 1) ++upper_failures, keep_smallest(smallest_upper_failure, n);
}

void WindowTally::merge(const WindowTally& o) {
  checked += o.checked;
  published_lower_failures += o.published_lower_failures;
  corrected_lower_failures += o.corrected_lower_failures;
  upper_failures += o.upper_failures;
  for (u128 n : o.first_published_failures) keep_first(first_published_failures, n);
  for (auto [mine, theirs] : {std::pair{&smallest_corrected_failure, &o.smallest_corrected_failure},
                              std::pair{&smallest_upper_failure, &o.smallest_upper_failure}})
    if (*theirs) keep_smallest(*mine, **theirs);
  max_gap_over_window_bound = std::max(max_gap_over_window_bound, o.max_gap_over_window_bound);
}

WindowTally window_check(std::uint64_t max_n) {
  const auto table = min_sum_table(max_n);
  WindowTally tally;
  for (std::uint64_t n = 1; n <= max_n; ++n) tally.add(n, table[n]);
  return tally;
}

GapResult gap_study(const GapConfig& config, const core::Tick& tick, core::Sweep* sweep) {
  const auto& d = config.decades;
  core::require_time(gap_estimated_seconds(config), "--samples " + std::to_string(d.samples) + " over decades " +
                                                        std::to_string(d.from_exponent) + " .. " +
                                                        std::to_string(d.to_exponent));
  const auto samples = draw(d);
  const auto solutions = core::sweep_map(sweep, samples.size(), d.threads, [&](std::size_t i) {
    const auto s = min_sum_abc(samples[i].n);
    core::tick_if(tick);
    return s;
  });
  GapResult result{};
  std::vector<double> fit_x, fit_y;
  for (unsigned k = d.from_exponent; k <= d.to_exponent; ++k) {
    std::vector<double> gaps, over16, over14;
    WindowTally decade;
    for (std::size_t i = 0; i < samples.size(); ++i) {
      if (samples[i].decade != k) continue;
      const double root = std::sqrt(core::to_double(samples[i].n)), g = gap_to_two_sqrt(samples[i].n, solutions[i].sum);
      gaps.push_back(g);
      over16.push_back(g / std::cbrt(root));
      over14.push_back(g / std::sqrt(root));
      decade.add(samples[i].n, solutions[i]);
      if (samples[i].n >= config.fit_from && g > 0) fit_x.push_back(core::to_double(samples[i].n)), fit_y.push_back(g);
    }
    std::sort(gaps.begin(), gaps.end());
    std::sort(over16.begin(), over16.end());
    std::sort(over14.begin(), over14.end());
    auto q = [](const std::vector<double>& v, double f) {
      return gsl_stats_quantile_from_sorted_data(v.data(), 1, v.size(), f);
    };
    result.rows.push_back({k, gaps.size(), gaps.front(), q(gaps, 0.1), q(gaps, 0.5), q(gaps, 0.9), gaps.back(),
                           q(over16, 0.5), q(over14, 0.5), decade.max_gap_over_window_bound,
                           decade.published_lower_failures});
    result.window.merge(decade);
  }
  if (fit_x.size() >= 3) result.fit = core::fit_power_law(fit_x, fit_y);
  return result;
}

const std::vector<core::Column>& gap_columns() {
  static const std::vector<core::Column> columns = {
      {"decade", "k: N drawn from [10^k, 10^(k+1))"},
      {"samples"},
      {"gap_min", "the least S - 2 sqrt(N) in the decade"},
      {"gap_q10", "its 10% quantile"},
      {"gap_median", "its median"},
      {"gap_q90", "its 90% quantile"},
      {"gap_max", "the largest"},
      {"median_gap_over_N_1_6", "median of (S - 2 sqrt N) / N^(1/6)"},
      {"median_gap_over_N_1_4", "median of (S - 2 sqrt N) / N^(1/4)"},
      {"max_gap_over_window_bound", "largest (S - 2 sqrt N) / (2 + sqrt(1 + 4 sqrt N)): <= 1 as derived"},
      {"p_not_above_2sqrtN",
       "samples whose p = a + b <= 2 sqrt N (p = floor(2 sqrt N)): outside the published window"}};
  return columns;
}

}  // namespace abc
