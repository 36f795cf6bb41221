#include "rope/search.hpp"

#include <gsl/gsl_sf_expint.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <numbers>
#include <stdexcept>
#include <string>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "core/parse.hpp"
#include "rope/rope_cuda.hpp"

namespace rope {

namespace {

constexpr double u = std::numeric_limits<double>::epsilon() / 2;
constexpr double two_pi = 2 * std::numbers::pi;

std::uint64_t pow10(int k) {
  std::uint64_t n = 1;
  while (k-- > 0) n *= 10;
  return n;
}

// The smallest j in [1, N] whose grid point is feasible (0 when none; `last_known`: N need not be checked).
// Threads take blocks of consecutive j in increasing order and stop taking them above the smallest
// feasible j found so far, so every block below the answer is checked whole: the answer does not depend
// on the threads. Each thread keeps its own refuter cache, which changes the speed, never the answer.
std::uint64_t smallest_feasible(double B, std::uint64_t N, bool last_known, std::uint64_t L, unsigned d, Precision p,
                                unsigned threads, core::Device device, std::vector<FeasibilityChecker>& checkers,
                                const core::Tick& poll) {
  if (device == core::Device::cuda) {
    constexpr std::uint64_t chunk = 8192;
    for (std::uint64_t j0 = 1; j0 <= N; j0 += chunk) {
      const std::uint64_t j1 = std::min(N + 1, j0 + chunk);
      std::vector<double> bases;
      for (std::uint64_t j = j0; j < j1; ++j) bases.push_back(grid_point(B, N, j));
      const auto mins = rope_min_batch_cuda(bases, L, d, p, true);
      for (std::size_t k = 0; k < mins.size(); ++k)
        if (mins[k].feasible()) return j0 + k;
    }
    return 0;
  }
  constexpr std::uint64_t block = 16;
  std::atomic<std::uint64_t> next{1}, found{N + 1};
  std::exception_ptr error;  // the first thrown by poll: no thread takes another block, then it is rethrown
  std::mutex error_mutex;
#pragma omp parallel num_threads(threads)
  {
    auto& checker = checkers[static_cast<std::size_t>(omp_get_thread_num())];
    try {
      for (;;) {
        const std::uint64_t j0 = next.fetch_add(block);
        if (j0 > N || j0 >= found.load()) break;
        for (std::uint64_t j = j0; j < std::min(N + 1, j0 + block); ++j) {
          if (poll) poll();
          if ((j == N && last_known) || checker.feasible(grid_point(B, N, j))) {
            std::uint64_t cur = found.load();
            while (j < cur && !found.compare_exchange_weak(cur, j)) {
            }
            break;
          }
        }
      }
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      next.store(N + 1);
    }
  }
  if (error) std::rethrow_exception(error);
  return found.load() <= N ? found.load() : 0;
}

// max cos over the angles [lo, hi]: 1 when the interval may hold a multiple of 2π (tested with slack, so
// rounding can only make the bound larger), else the larger end.
double cos_max(double lo, double hi) {
  if (hi - lo >= two_pi) return 1;
  const double slack = 1e-12 * (1 + hi);
  const double k = std::floor(hi / two_pi);
  for (double j = k - 1; j <= k + 1; ++j)
    if (j * two_pi >= lo - slack && j * two_pi <= hi + slack) return 1;
  return std::max(std::cos(lo), std::cos(hi));
}

// One walk over [start, end): consecutive sub-intervals, each refuted by one m (an upper bound of f
// over the sub-interval below 0). Stops early (stalled) where no m refutes the current base with margin.
struct Walk {
  bool reached_end = false;
  double stop = 0;  // where it stalled
  double b_hi = 0;  // a certified feasible base within rel_precision above `stop` (0: none found)
  RopeMin at_hi;
  std::uint64_t intervals = 0, searches = 0;
};

struct Walker {
  std::uint64_t L;
  unsigned d;
  double rel;
  core::Device device;

  // All m < L at b (to the first negative sum when `stop` and on the CPU; the GPU always scans all m).
  RopeMin full_scan(double b, bool stop) const {
    return device == core::Device::cuda ? rope_scan_cuda(b, L, d) : rope_min(b, L, d, Precision::float64, stop);
  }

  // The largest relative step r (from a first guess) for which m refutes all of [b, b(1+r)]; 0 if none.
  double max_step(std::uint64_t m, double b, double guess) const {
    auto ok = [&](double r) { return rope_sum_upper_bound(m, b, b * (1 + r), d) < 0; };
    double r = guess;
    if (ok(r)) {
      for (int k = 0; k < 6 && r < 1 && ok(2 * r); ++k) r *= 2;
      return r;
    }
    while (r > 1e-15) {
      r /= 4;
      if (ok(r)) return r;
    }
    return 0;
  }

  // An m with f_b(m) below −(its rounding bound): near `hint` first, then over all m < L.
  std::int64_t find_refuter(double b, std::int64_t hint) const {
    const double e = rope_sum_error_bound(b, L, d);
    if (hint >= 0) {
      const std::uint64_t h = static_cast<std::uint64_t>(hint);
      const std::uint64_t lo = h > 512 ? h - 512 : 0, hi = std::min<std::uint64_t>(L, h + 512);
      const RopeMin w = rope_min(b, lo, hi, d, Precision::float64, false);
      if (w.min_f < -e) return static_cast<std::int64_t>(w.argmin);
    }
    const RopeMin all = full_scan(b, false);
    return all.min_f < -e ? static_cast<std::int64_t>(all.argmin) : -1;
  }

  // A base in (b, b(1 + rel·2^k)], k ≤ 10, whose minimum exceeds its rounding bound. A candidate that is
  // clearly infeasible ends the attempt: first tried against the recent refuters (a few sums), else by
  // the full scan, whose most negative m then joins them.
  bool certify_above(double b, Walk& w, RecentRefuters& cand) const {
    for (int k = 0; k <= 10; ++k) {
      const double hi = b * (1 + rel * std::ldexp(1.0, k)), e = rope_sum_error_bound(hi, L, d);
      for (std::uint64_t m : cand)
        if (rope_sum(hi, m, d) < -e) return false;
      RopeMin r = full_scan(hi, true);
      if (!r.feasible() && r.min_f < -e) {  // argmin: the first negative m on the CPU, the lowest f on the GPU
        cand.remember(r.argmin);
        return false;
      }
      // A negative sum within rounding of 0 needs the whole scan; the GPU's scan is a candidate only: the
      // feasibility proof is the CPU's, whose rounding rope_sum_error_bound bounds.
      if (!r.feasible() || device == core::Device::cuda) r = rope_min(hi, L, d);
      if (r.min_f >= e) {
        w.b_hi = hi;
        w.at_hi = r;
        return true;
      }
      if (r.min_f < -e) {
        cand.remember(r.argmin);
        return false;
      }
    }
    return false;
  }

  Walk walk(double start, double end, const std::atomic<int>& lowest_stall, int index, const core::Tick& poll) const {
    // Below this relative step a cached refuter is not trusted to be the best one: its f is touching 0
    // near b while other m may refute by far (a full search costs one scan of all m, so only then).
    constexpr double weak_step = 1e-12;
    Walk w;
    double b = start, r = 1e-7, next_check = 0;
    RecentRefuters cand;
    while (b < end) {
      if (lowest_stall.load(std::memory_order_relaxed) < index) return w;  // a lower walk decides (or -1: stop)
      if (poll) poll();
      double step = 0;
      // The first recent refuter that is not weak moves to the front (else the best weak one is kept).
      std::size_t best = cand.size();
      for (std::size_t k = 0; k < cand.size() && step < weak_step; ++k) {
        const double s = max_step(cand[k], b, r);
        if (s > step) step = s, best = k;
      }
      if (best < cand.size()) cand.promote(best);
      // No recent refuter, or only ones that barely refute (near a base where their f touches 0 while other
      // m refute by far): search all m for the most negative f.
      if (step < weak_step) {
        ++w.searches;
        const std::int64_t m = find_refuter(b, step > 0 || cand.empty() ? -1 : static_cast<std::int64_t>(cand.front()));
        const double found = m >= 0 ? max_step(static_cast<std::uint64_t>(m), b, std::max(r, weak_step)) : 0;
        if (found > step) {
          step = found;
          cand.remember(static_cast<std::uint64_t>(m));
        }
        if (step < weak_step) {  // even the most negative f barely refutes b: b* (or a tangency) is here
          w.stop = b;
          certify_above(b, w, cand);
          return w;
        }
      }
      // Steps shrinking toward a zero of the minimum: try to close the bracket here.
      if (step < rel / 16 && b >= next_check) {
        if (certify_above(b, w, cand)) {
          w.stop = b;
          return w;
        }
        next_check = b * (1 + rel / 4);
      }
      ++w.intervals;
      b = std::min(end, b * (1 + step));
      r = step;
    }
    w.reached_end = true;
    return w;
  }
};

}  // namespace

double grid_point(double B, std::uint64_t N, std::uint64_t j) {
  return j == N ? B : static_cast<double>(j) * (B / static_cast<double>(N));
}

std::vector<RopeMin> rope_min_batch(const std::vector<double>& bases, std::uint64_t L, unsigned d, Precision p,
                                    bool stop_at_negative, unsigned threads, core::Device device) {
  if (device == core::Device::cuda) return rope_min_batch_cuda(bases, L, d, p, stop_at_negative);
  return core::parallel_map(bases.size(), threads,
                            [&](std::size_t k) { return rope_min(bases[k], L, d, p, stop_at_negative); });
}

GridSearch published_grid_search(std::uint64_t L, unsigned d, Precision p, unsigned threads, core::Device device,
                                 const core::Tick& poll) {
  GridSearch g;
  std::vector<FeasibilityChecker> checkers(threads, FeasibilityChecker(L, d, p));
  double B = grid_start_factor * static_cast<double>(L);
  for (int k = 1; k <= grid_levels; ++k) {
    const std::uint64_t N = pow10(k);
    std::uint64_t j = smallest_feasible(B, N, k > 1, L, d, p, threads, device, checkers, poll);
    // The start itself infeasible (the first level checks its top, B): that level again from ten times it.
    while (k == 1 && j == 0 && B < grid_start_factor_max * static_cast<double>(L)) {
      g.checks += N;  // every point of the level was refuted
      B *= 10;
      j = smallest_feasible(B, N, false, L, d, p, threads, device, checkers, poll);
    }
    if (j == 0)
      throw core::NumericalError("rope-base: the grid search's start B = " + core::format_double(B) +
                                 " is not feasible for L = " + std::to_string(L) + " at d = " + std::to_string(d));
    if (k == 1) g.start = B;
    g.checks += j;
    g.b_below = j > 1 ? grid_point(B, N, j - 1) : 0;
    B = grid_point(B, N, j);
  }
  g.b = B;
  for (const auto& c : checkers) g.cache_hits += c.cache_hits();
  const auto mins = rope_min_batch({g.b, g.b_below > 0 ? g.b_below : g.b}, L, d, p, false, threads, device);
  g.at_result = mins[0];
  if (g.b_below > 0) g.refuter_below = mins[1].first_negative;
  return g;
}

double rope_sum_upper_bound(std::uint64_t m, double b1, double b2, unsigned d) {
  const auto hi = rope_frequencies(b1, d), lo = rope_frequencies(b2, d);  // θ_i decreases with b
  const double md = static_cast<double>(m);
  // θ_i = exp(−(2i/d) ln b): relative error ≤ (|ln b| + 3)·2u; m·θ_i adds u.
  const double rel = (std::fabs(std::log(std::max(b1, b2))) + std::fabs(std::log(std::min(b1, b2))) + 8) * 2 * u;
  double f = 0;
  for (std::size_t i = 0; i < hi.size(); ++i) f += cos_max(md * lo[i] * (1 - rel), md * hi[i] * (1 + rel));
  const double n = static_cast<double>(hi.size());
  return f + 1.1 * (n * 2 * u + n * n * u * 1.01);  // the cosines (≤ 1 ulp each) and the sum
}

CertificatePart certify_part(std::uint64_t L, unsigned d, double b_upper, double rel_precision, std::uint32_t part,
                             std::uint32_t parts, unsigned threads, core::Device device, const core::Tick& poll) {
  if (parts < 1 || parts > certificate_chunks || part >= parts)
    throw std::logic_error("certify_part: part " + std::to_string(part) + " of " + std::to_string(parts));
  const Walker walker{L, d, rel_precision, device};
  // Linear chunks of [1, b_upper] walked independently: the chunking (not the threads, nor the parts) fixes
  // the result. This part's are [first, last).
  constexpr int chunks = certificate_chunks;
  const int first = static_cast<int>(std::uint64_t{chunks} * part / parts);
  const int last = static_cast<int>(std::uint64_t{chunks} * (part + 1) / parts);
  constexpr double b_from = 1;
  auto edge = [&](int k) { return k == chunks ? b_upper : b_from + (b_upper - b_from) * k / chunks; };
  CertificatePart p{.part = part, .parts = parts, .b_upper = b_upper, .from = edge(first), .to = edge(last)};
  const int n = last - first;
  std::vector<Walk> walks(static_cast<std::size_t>(n));
  std::atomic<int> lowest_stall{n};
  std::exception_ptr error;  // the first thrown by poll (or a walk): every walk stops, then it is rethrown
  std::mutex error_mutex;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int k = 0; k < n; ++k) {
    try {
      walks[k] = walker.walk(edge(first + k), edge(first + k + 1), lowest_stall, k, poll);
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      lowest_stall.store(-1);
      continue;
    }
    if (!walks[k].reached_end) {
      int cur = lowest_stall.load();
      while (k < cur && !lowest_stall.compare_exchange_weak(cur, k)) {
      }
    }
  }
  if (error) std::rethrow_exception(error);
  const int stall = lowest_stall.load();
  for (int k = 0; k < std::min(stall + 1, n); ++k) {
    p.intervals += walks[k].intervals;
    p.refuter_searches += walks[k].searches;
  }
  p.reached_end = stall == n;
  Walk end;  // where this part ends the walk: its stall, or b_upper for the last part
  if (!p.reached_end) {
    end = walks[stall];
  } else if (last == chunks) {
    end.stop = b_upper;
    RecentRefuters none;
    walker.certify_above(b_upper, end, none);
  } else {
    p.stop = p.to;
    return p;  // the next part goes on from `to`
  }
  p.stop = p.reached_end ? p.to : end.stop;
  p.b_hi = end.b_hi;
  p.at_hi = end.b_hi > 0 ? end.at_hi : rope_min(b_upper, L, d);
  return p;
}

Certificate combine_certificate(std::uint64_t L, unsigned d, double b_upper,
                                const std::vector<CertificatePart>& parts) {
  const std::string what = "rope-base: the certificate of L = " + core::binary_size_name(L);
  const auto f = [](double x) { return core::format_double(x); };
  Certificate c;
  for (std::size_t j = 0; j < parts.size(); ++j)
    if (parts[j].part != j || parts[j].parts != parts.size() || parts[j].b_upper != b_upper)
      throw core::NumericalError(what + ": part " + std::to_string(j) + " of " + std::to_string(parts.size()) +
                                 " is part " + std::to_string(parts[j].part) + " of " + std::to_string(parts[j].parts) +
                                 " of [1, " + f(parts[j].b_upper) + "] (expected [1, " + f(b_upper) + "])");
  if (parts.empty()) throw core::NumericalError(what + ": no part");
  double b = c.b_from;  // [b_from, b) refuted so far
  const CertificatePart* end = nullptr;
  for (const auto& p : parts) {
    if (p.from != b || !(p.stop >= p.from) || (p.reached_end && p.stop != p.to))
      throw core::NumericalError(what + ": part " + std::to_string(p.part) + " refutes [" + f(p.from) + ", " +
                                 f(p.stop) + ") but the parts below it refute [1, " + f(b) + ")" +
                                 (p.from > b ? ": the gap [" + f(b) + ", " + f(p.from) + ") is refuted by none" : ""));
    b = p.stop;
    c.intervals += p.intervals;
    c.refuter_searches += p.refuter_searches;
    if (!p.reached_end) {
      end = &p;
      break;
    }
  }
  if (!end) {
    if (b != b_upper)
      throw core::NumericalError(what + ": the parts refute [1, " + f(b) + ") and stop short of b_upper = " +
                                 f(b_upper) + ": the gap [" + f(b) + ", " + f(b_upper) + ") is refuted by none");
    end = &parts.back();
  }
  c.b_lo = b;
  c.certified = end->b_hi > 0;
  c.b_hi = c.certified ? end->b_hi : b_upper;
  c.at_hi = end->at_hi;
  c.error_bound = rope_sum_error_bound(c.b_hi, L, d);
  if (c.certified && !(c.b_hi >= c.b_lo && c.at_hi.feasible() && c.at_hi.argmin < L && c.at_hi.min_f >= c.error_bound))
    throw core::NumericalError(
        what + ": part " + std::to_string(end->part) + " gives b_hi = " + f(c.b_hi) + " above b_lo = " + f(c.b_lo) +
        " without its proof of feasibility (min f = " + f(c.at_hi.min_f) + " at m = " + std::to_string(c.at_hi.argmin) +
        ", the rounding bound " + f(c.error_bound) + ")");
  return c;
}

Certificate certify_infimum(std::uint64_t L, unsigned d, double b_upper, double rel_precision, unsigned threads,
                            core::Device device, const core::Tick& poll) {
  return combine_certificate(L, d, b_upper, {certify_part(L, d, b_upper, rel_precision, 0, 1, threads, device, poll)});
}

double ci_first_zero() {
  auto ci = [](double x) { return gsl_sf_Ci(x); };
  std::uintmax_t iterations = 100;
  const auto root =
      boost::math::tools::toms748_solve(ci, 0.5, 0.7, boost::math::tools::eps_tolerance<double>(52), iterations);
  return (root.first + root.second) / 2;
}

double rope_sum_ci_estimate(double b, double m, unsigned d) {
  const double ci_m = m > 0 ? gsl_sf_Ci(m) : 0;
  if (m <= 0) return d / 2.0;
  return d / 2.0 * (ci_m - gsl_sf_Ci(m / b)) / std::log(b);
}

}  // namespace rope
