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
#include "core/simd.hpp"
#include "rope/rope_cuda.hpp"
#include "rope/scan_kernel.hpp"

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

#ifdef CORE_LIBMVEC
// Σ cos_max(lo_i, hi_i) four terms at a time (libmvec's cos: the caller's slack allows 4 ulp per cosine).
__attribute__((target("avx2,fma"))) double cos_max_sum_avx2(const double* lo, const double* hi, std::size_t n) {
  const __m256d two_pi_v = _mm256_set1_pd(two_pi), one = _mm256_set1_pd(1.0);
  __m256d acc = _mm256_setzero_pd();
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d l = _mm256_loadu_pd(lo + i), h = _mm256_loadu_pd(hi + i);
    const __m256d slack = _mm256_mul_pd(_mm256_set1_pd(1e-12), _mm256_add_pd(one, h));
    const __m256d l_s = _mm256_sub_pd(l, slack), h_s = _mm256_add_pd(h, slack);
    __m256d whole = _mm256_cmp_pd(_mm256_sub_pd(h, l), two_pi_v, _CMP_GE_OQ);
    const __m256d k = _mm256_floor_pd(_mm256_div_pd(h, two_pi_v));
    for (double dj : {-1.0, 0.0, 1.0}) {
      const __m256d a = _mm256_mul_pd(_mm256_add_pd(k, _mm256_set1_pd(dj)), two_pi_v);
      whole = _mm256_or_pd(whole, _mm256_and_pd(_mm256_cmp_pd(a, l_s, _CMP_GE_OQ), _mm256_cmp_pd(a, h_s, _CMP_LE_OQ)));
    }
    const __m256d c = _mm256_max_pd(_ZGVdN4v_cos(l), _ZGVdN4v_cos(h));
    acc = _mm256_add_pd(acc, _mm256_blendv_pd(c, one, whole));
  }
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, acc);
  double f = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  for (; i < n; ++i) f += cos_max(lo[i], hi[i]);
  return f;
}
#endif

// The step δ in ln b over which m refutes every base in [b, b·e^δ] by the second-order bound
//     f(ln b + t) ≤ f + t·f' + t²·M/2   (t ≥ 0),   f' = Σ a_i φ_i sin φ_i,   M = Σ a_i² φ_i (φ_i + 1) ≥ |f''|,
// with a_i = 2i/d and φ_i = m θ_i(b), which only falls as b grows (so M bounds f'' on the whole step). The
// first-order term is signed: pairs whose angles turn toward a larger cosine are offset by the others,
// which the per-pair maxima of rope_sum_upper_bound cannot do, so where the step is short next to a pair's
// period this one is usually longer. Rounding: θ_i and φ_i carry a relative error ρ = (|ln b| + 4)·4u + u,
// each cosine and sine (libmvec) 4 ulp, the sums (n−1)u of their absolute values; each is bounded and added.
// 0 when f + its rounding is not below 0. Not below 1e-7 (else 0): then b·(1 + δ), rounded, stays below
// b·e^δ, so the walk may step by the relative δ.
double taylor_log_step(std::uint64_t m, double b, const std::vector<double>& theta, unsigned d) {
  const std::size_t n = theta.size();
  const double md = static_cast<double>(m);
  double f0 = 0, f1 = 0, M = 0, sum_phi = 0, sum_aphi = 0, sum_aphi_phi = 0;
  constexpr std::size_t chunk = 64;
  for (std::size_t i0 = 0; i0 < n; i0 += chunk) {
    const std::size_t k = std::min(chunk, n - i0);
    double phi[chunk], c[chunk], sn[chunk];
    for (std::size_t i = 0; i < k; ++i) phi[i] = md * theta[i0 + i];
    detail::cos_sin_of_multiple(theta.data() + i0, k, md, c, sn);
    for (std::size_t i = 0; i < k; ++i) {
      const double a = 2.0 * static_cast<double>(i0 + i) / d, ap = a * phi[i];
      f0 += c[i];
      f1 += ap * sn[i];
      M += a * ap * (phi[i] + 1);
      sum_phi += phi[i];
      sum_aphi += ap;
      sum_aphi_phi += ap * phi[i];
    }
  }
  const double nd = static_cast<double>(n), rho = (std::fabs(std::log(b)) + 4) * 4 * u + u;
  const double e0 = 1.01 * (rho * sum_phi + nd * 4 * u + nd * nd * u);
  const double e1 = 1.01 * (rho * (sum_aphi + sum_aphi_phi) + (16 + nd) * u * sum_aphi);
  const double F0 = f0 + e0, F1 = f1 + e1, Mu = M * (1 + 4 * rho + (nd + 8) * u) * 1.01;
  if (!(F0 < 0) || !(Mu > 0)) return 0;
  const double root = std::sqrt(F1 * F1 - 2 * Mu * F0);
  double delta = F1 > 0 ? -2 * F0 / (F1 + root) : (root - F1) / Mu;
  delta = std::min(delta * (1 - 1e-6), 1.0);
  if (!(F0 + delta * (F1 + delta * Mu / 2) < 0) || delta < 1e-7) return 0;
  return delta;
}

// rope_sum_upper_bound with θ at b1 given (a step search tries many b2 from one b1).
double upper_bound_from(std::uint64_t m, const std::vector<double>& theta1, double b1, double b2, unsigned d) {
  const auto theta2 = rope_frequencies(b2, d);  // θ_i decreases with b: θ2 ≤ θ1 when b2 ≥ b1
  const std::vector<double>& hi = b2 >= b1 ? theta1 : theta2;
  const std::vector<double>& lo = b2 >= b1 ? theta2 : theta1;
  const double md = static_cast<double>(m);
  // θ_i = exp(−(2i/d) ln b): relative error ≤ (|ln b| + 3)·2u; m·θ_i adds u.
  const double rel = (std::fabs(std::log(std::max(b1, b2))) + std::fabs(std::log(std::min(b1, b2))) + 8) * 2 * u;
  const std::size_t n = hi.size();
  double a_lo[256], a_hi[256];
  double f = 0;
  for (std::size_t i0 = 0; i0 < n; i0 += 256) {
    const std::size_t k = std::min<std::size_t>(256, n - i0);
    for (std::size_t i = 0; i < k; ++i) {
      a_lo[i] = md * lo[i0 + i] * (1 - rel);
      a_hi[i] = md * hi[i0 + i] * (1 + rel);
    }
#ifdef CORE_LIBMVEC
    if (core::have_avx2()) {
      f += cos_max_sum_avx2(a_lo, a_hi, k);
      continue;
    }
#endif
    for (std::size_t i = 0; i < k; ++i) f += cos_max(a_lo[i], a_hi[i]);
  }
  const double nd = static_cast<double>(n);
  return f + 1.1 * (nd * 8 * u + nd * nd * u * 1.01);  // the cosines (≤ 4 ulp each) and the sum
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

// Where a walk looks for a refuter before it scans all m again: the m that refuted its latest bases, and
// the deepest dips of f at its last full scan (dips move slowly with b: an m deep below 0 at one base is
// usually below 0 a little further on).
struct Candidates {
  static constexpr std::size_t dip_count = 64;
  RecentRefuters recent;
  std::vector<std::uint64_t> dips;
};

struct Walker {
  std::uint64_t L;
  unsigned d;
  double rel;
  core::Device device;

  // All m < L at b; on the CPU its deepest dips replace the candidates' (the GPU gives the minimum only).
  RopeMin full_scan(double b, Candidates& cand) const {
    if (device == core::Device::cuda) return rope_scan_cuda(b, L, d);
    return rope_min_dips(b, 0, L, d, Candidates::dip_count, cand.dips);
  }

  // The deepest dips near each recent refuter replace the candidates' (a dip drifts in m as b grows).
  void neighbourhood_dips(double b, Candidates& cand) const {
    constexpr std::uint64_t half_width = 256;
    constexpr std::size_t per_window = 8;
    std::vector<std::uint64_t> near, found;
    for (std::uint64_t m : cand.recent) {
      const std::uint64_t lo = m > half_width ? m - half_width : 0, hi = std::min(L, m + half_width);
      rope_min_dips(b, lo, hi, d, per_window, found);
      for (std::uint64_t x : found)
        if (std::find(near.begin(), near.end(), x) == near.end()) near.push_back(x);
    }
    cand.dips = std::move(near);
  }

  // The dip whose refutation reaches furthest above b (0: none refutes b), moved to the recent refuters.
  double best_dip(double b, const std::vector<double>& theta_b, double guess, Candidates& cand) const {
    double best = 0;
    std::uint64_t where = 0;
    for (std::uint64_t m : cand.dips) {
      if (rope_sum(theta_b, m) >= 0) continue;
      const double s = max_step(m, b, theta_b, guess);
      if (s > best) best = s, where = m;
    }
    if (best > 0) cand.recent.remember(where);
    return best;
  }

  // The longest relative step over which m refutes every base: the second-order bound's when it gives one,
  // else the largest r (from a first guess) for which the per-pair bound refutes all of [b, b(1+r)]; 0 if none.
  double max_step(std::uint64_t m, double b, const std::vector<double>& theta_b, double guess) const {
    if (const double t = taylor_log_step(m, b, theta_b, d); t > 0) return t;
    auto ok = [&](double r) { return upper_bound_from(m, theta_b, b, b * (1 + r), d) < 0; };
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

  // A base in (b, b(1 + rel·2^k)] whose minimum exceeds its rounding bound, for k = 0, 1, …, 10 where the
  // walk tries to close the bracket early: a candidate that is clearly infeasible ends the attempt (first
  // tried against the recent refuters and the dips, a few sums each, else by the full scan, whose most
  // negative m then joins them). Where the walk has stalled, every k is tried, and first k = −1, …, −20: a
  // feasible window can open just above the stall and close again before b(1 + rel) (L = 4M: feasible from
  // about b(1 + 1e-10) to b(1 + 1e-7), infeasible at b(1 + 1e-6)).
  bool certify_above(double b, Walk& w, Candidates& cand, bool stalled = false) const {
    std::vector<int> ladder;
    for (int k = 0; k >= (stalled ? -20 : 0); --k) ladder.push_back(k);
    for (int k = 1; k <= 10; ++k) ladder.push_back(k);
    for (int k : ladder) {
      const double hi = b * (1 + rel * std::ldexp(1.0, k)), e = rope_sum_error_bound(hi, L, d);
      const std::vector<double> theta_hi = rope_frequencies(hi, d);
      bool refuted = false;
      for (std::uint64_t m : cand.recent)
        if (rope_sum(theta_hi, m) < -e) {
          refuted = true;
          break;
        }
      for (std::size_t k2 = 0; k2 < cand.dips.size() && !refuted; ++k2)
        if (rope_sum(theta_hi, cand.dips[k2]) < -e) {
          cand.recent.remember(cand.dips[k2]);
          refuted = true;
        }
      if (refuted && !stalled) return false;
      if (refuted) continue;
      RopeMin r = full_scan(hi, cand);
      // The GPU's scan is a candidate only: the feasibility proof is the CPU's, whose rounding
      // rope_sum_error_bound bounds.
      if (device == core::Device::cuda && r.min_f >= -e) r = rope_min(hi, L, d);
      if (r.min_f >= e) {
        w.b_hi = hi;
        w.at_hi = r;
        return true;
      }
      if (r.min_f < -e) {
        cand.recent.remember(r.argmin);
        if (!stalled) return false;
      }
    }
    return false;
  }

  Walk walk(double start, double end, const std::atomic<int>& lowest_stall, int index, const core::Tick& poll) const {
    // Below this relative step a cached refuter is not trusted to be the best one: its f is touching 0
    // near b while other m may refute by far (a full search costs one scan of all m, so only then).
    constexpr double weak_step = 1e-12;
    Walk w;
    double b = start, r = 1e-7, next_check = 0, next_scan = 0;
    Candidates cand;
    while (b < end) {
      if (lowest_stall.load(std::memory_order_relaxed) < index) return w;  // a lower walk decides (or -1: stop)
      if (poll) poll();
      double step = 0;
      const std::vector<double> theta_b = rope_frequencies(b, d);
      // The first recent refuter that is not weak moves to the front (else the best weak one is kept).
      auto& recent = cand.recent;
      std::size_t best = recent.size();
      for (std::size_t k = 0; k < recent.size() && step < weak_step; ++k) {
        const double s = max_step(recent[k], b, theta_b, r);
        if (s > step) step = s, best = k;
      }
      if (best < recent.size()) recent.promote(best);
      // Steps shrinking (or none): look further, the cheapest first: the deepest dips of the last scan, the
      // neighbourhoods of the recent refuters, then all m (for a short step at most once per rel/4 of b: near
      // b* the steps shrink for good).
      const double guess = std::max(r, weak_step);
      if (step < rel / 16) step = std::max(step, best_dip(b, theta_b, guess, cand));
      if (step < rel / 16 && !recent.empty()) {
        neighbourhood_dips(b, cand);
        step = std::max(step, best_dip(b, theta_b, guess, cand));
      }
      if (step < weak_step || (step < rel / 16 && b >= next_scan)) {
        ++w.searches;
        // Its most negative m (on the GPU the only one it gives; on the CPU also the first dip).
        if (const RopeMin all = full_scan(b, cand); all.min_f < -rope_sum_error_bound(b, L, d)) {
          const double s = max_step(all.argmin, b, theta_b, guess);
          recent.remember(all.argmin);
          step = std::max(step, s);
        }
        step = std::max(step, best_dip(b, theta_b, guess, cand));
        next_scan = b * (1 + rel / 4);
      }
      if (step < weak_step) {  // even the most negative f barely refutes b: b* (or a tangency) is here
        w.stop = b;
        certify_above(b, w, cand, true);
        return w;
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

double refuting_log_step(std::uint64_t m, double b, unsigned d) {
  return taylor_log_step(m, b, rope_frequencies(b, d), d);
}

double rope_sum_upper_bound(std::uint64_t m, double b1, double b2, unsigned d) {
  return upper_bound_from(m, rope_frequencies(b1, d), b1, b2, d);
}

CertificatePart certify_part(std::uint64_t L, unsigned d, double b_upper, double rel_precision, std::uint32_t part,
                             std::uint32_t parts, unsigned threads, core::Device device, const core::Tick& poll) {
  if (parts < 1 || parts > certificate_chunks || part >= parts)
    throw std::logic_error("certify_part: part " + std::to_string(part) + " of " + std::to_string(parts));
  const Walker walker{L, d, rel_precision, device};
  // Chunks of [1, b_upper] of equal width in ln b (the steps are relative: about as many per chunk), walked
  // independently: the chunking (not the threads, nor the parts) fixes the result. This part's are
  // [first, last).
  constexpr int chunks = certificate_chunks;
  const int first = static_cast<int>(std::uint64_t{chunks} * part / parts);
  const int last = static_cast<int>(std::uint64_t{chunks} * (part + 1) / parts);
  constexpr double b_from = 1;
  auto edge = [&](int k) {
    return k == chunks ? b_upper : b_from * std::pow(b_upper / b_from, static_cast<double>(k) / chunks);
  };
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
    Candidates none;
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
  c.b_hi = end->b_hi > 0 ? end->b_hi : b_upper;
  c.at_hi = end->at_hi;
  c.error_bound = rope_sum_error_bound(c.b_hi, L, d);
  // Where the walk stalled and no base from 2^−20·rel to 2^10·rel above it was provably feasible, b_upper
  // (the grid result) bounds b* instead, itself certified when its margin exceeds the rounding bound: a
  // wider bracket, but a proved one.
  c.certified = end->b_hi > 0 || (c.at_hi.feasible() && c.at_hi.argmin < L && c.at_hi.min_f >= c.error_bound);
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
