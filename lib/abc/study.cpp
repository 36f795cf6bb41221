#include "abc/study.hpp"

#include <gsl/gsl_statistics_double.h>

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <chrono>
#include <cmath>

#include "core/parallel.hpp"
#include "core/rng.hpp"

namespace abc {

Comparison compare_methods(u128 n, std::span<const Method> methods) {
  Comparison out{min_sum_abc(n, Method::automatic), naive_sum(n), 0, {}, {}};
  out.gap = gap_to_two_sqrt(n, out.solution.sum);
  for (Method m : methods) (min_sum_abc(n, m).same_triple(out.solution) ? out.agree : out.differ).push_back(m);
  return out;
}

std::vector<Method> affordable_sweep_methods(u128 to) {
  const u128 e6 = 1000000;
  const u128 limit[] = {e6, e6 * e6 * 100, e6 * e6 * e6 * e6, max_n};
  std::vector<Method> out;
  for (std::size_t i = 0; i < std::size(exact_methods); ++i)
    if (to <= limit[i]) out.push_back(exact_methods[i]);
  return out;
}

void compare_range(u128 from, u128 to, std::span<const Method> methods, unsigned threads,
                   const std::function<void(u128 n, const Comparison&)>& emit) {
  constexpr u128 block = 1 << 14;
  for (u128 start = from; start <= to; start += block) {
    const auto count = static_cast<std::size_t>(std::min<u128>(block, to - start + 1));
    const auto rows =
        core::parallel_map(count, threads, [&](std::size_t i) { return compare_methods(start + i, methods); });
    for (std::size_t i = 0; i < count; ++i) emit(start + i, rows[i]);
    if (to - start < block) break;  // start + block could pass max_n's neighbourhood and wrap
  }
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
  return {m, decade, n, s.candidates, elapsed / static_cast<double>(runs), s.sum, gap_to_two_sqrt(n, s.sum)};
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

std::size_t scaling_jobs(const ScalingConfig& config) {
  return scaling_job_list(config).size();
}

ScalingResult scaling_study(const ScalingConfig& config, const std::function<void()>& tick) {
  const auto jobs = scaling_job_list(config);
  ScalingResult result;
  result.rows = core::parallel_map(jobs.size(), config.decades.threads, [&](std::size_t i) {
    ScalingRow row = timed_solve(jobs[i].method, jobs[i].decade, jobs[i].n);
    tick();
    return row;
  });
  for (Method m : exact_methods) {
    std::vector<double> x, y;
    for (const auto& r : result.rows)
      if (r.method == m && r.n >= config.fit_from) {
        x.push_back(core::to_double(r.n));
        y.push_back(static_cast<double>(r.candidates));
      }
    if (x.size() >= 3 && std::any_of(x.begin(), x.end(), [&](double v) { return v != x[0]; }))
      result.fits.push_back({m, core::fit_power_law(x, y), expected_work_exponent(m)});
  }
  return result;
}

GapResult gap_study(const GapConfig& config, const std::function<void()>& tick) {
  const auto& d = config.decades;
  const auto samples = draw(d);
  const auto gap = core::parallel_map(samples.size(), d.threads, [&](std::size_t i) {
    const double g = gap_to_two_sqrt(samples[i].n, min_sum_abc(samples[i].n).sum);
    tick();
    return g;
  });
  GapResult result{};
  std::vector<double> fit_x, fit_y;
  for (unsigned k = d.from_exponent; k <= d.to_exponent; ++k) {
    std::vector<double> gaps, over16, over14;
    double worst = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
      if (samples[i].decade != k) continue;
      const double root = std::sqrt(core::to_double(samples[i].n)), g = gap[i];
      gaps.push_back(g);
      over16.push_back(g / std::cbrt(root));
      over14.push_back(g / std::sqrt(root));
      worst = std::max(worst, g / (2 + std::sqrt(1 + 4 * root)));
      if (samples[i].n >= config.fit_from && g > 0) fit_x.push_back(core::to_double(samples[i].n)), fit_y.push_back(g);
    }
    std::sort(gaps.begin(), gaps.end());
    std::sort(over16.begin(), over16.end());
    std::sort(over14.begin(), over14.end());
    auto q = [](const std::vector<double>& v, double f) {
      return gsl_stats_quantile_from_sorted_data(v.data(), 1, v.size(), f);
    };
    result.rows.push_back({k, gaps.size(), gaps.front(), q(gaps, 0.1), q(gaps, 0.5), q(gaps, 0.9), gaps.back(),
                           q(over16, 0.5), q(over14, 0.5), worst});
  }
  if (fit_x.size() >= 3) result.fit = core::fit_power_law(fit_x, fit_y);
  return result;
}

}  // namespace abc
