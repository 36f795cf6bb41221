#include "rnn/study.hpp"

#include <omp.h>

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>

#include "core/parallel.hpp"
#include "core/rng.hpp"

namespace rnn {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Best wall time of `repeats` runs of f.
template <class F>
double best_of(std::size_t repeats, F&& f) {
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < std::max<std::size_t>(repeats, 1); ++i) {
    const auto start = Clock::now();
    f();
    best = std::min(best, since(start));
  }
  return best;
}

template <class V>
double max_rel_diff(const V& x, const V& ref) {
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    diff = std::max(diff, std::abs(x[i] - ref[i]));
    scale = std::max(scale, std::abs(ref[i]));
  }
  return scale > 0 ? diff / scale : diff;
}

// One solver's timing in time_interleaved: the best of its runs, what its last run reported and how far its
// result was from the sequential one.
struct Timed {
  double seconds = std::numeric_limits<double>::infinity();
  ScanStats stats;
  double diff = 0;
};

// [0]: the sequential solver; [p]: the chunked one on p threads. Best of `repeats` rounds, each running
// every variant once in turn: on a shared machine a load that comes and goes then hits all of them alike,
// where separate best-of series seconds apart compared a quiet moment with a busy one.
template <class Seq, class Chunked, class Diff>
std::vector<Timed> time_interleaved(std::size_t repeats, unsigned threads, Seq&& sequential, Chunked&& chunked,
                                    Diff&& diff) {
  std::vector<Timed> t(std::size_t{threads} + 1);
  for (std::size_t r = 0; r < std::max<std::size_t>(repeats, 1); ++r) {
    auto start = Clock::now();
    sequential();
    t[0].seconds = std::min(t[0].seconds, since(start));
    for (unsigned p = 1; p <= threads; ++p) {
      start = Clock::now();
      t[p].stats = chunked(p);
      t[p].seconds = std::min(t[p].seconds, since(start));
      t[p].diff = std::max(t[p].diff, diff());
    }
  }
  return t;
}

// n steps of four independent multiply-add chains: arithmetic only, the same on every thread.
double independent_work(std::size_t n) {
  double a = 1, b = 2, c = 3, d = 4;
  for (std::size_t i = 0; i < n; ++i) {
    a = a * 0.9999999 + 1e-9;
    b = b * 0.9999999 + 1e-9;
    c = c * 0.9999999 + 1e-9;
    d = d * 0.9999999 + 1e-9;
  }
  return a + b + c + d;
}

}  // namespace

std::vector<SweepPoint> sweep_points(const SweepConfig& c) {
  std::vector<SweepPoint> points;
  RnnConfig base = c.base;
  base.d = c.d;
  for (std::size_t T : c.lengths) points.push_back({"T", base}), points.back().config.T = T;
  for (double rho : c.radii) points.push_back({"rho", base}), points.back().config.rho = rho;
  for (double s : c.input_scales) points.push_back({"sigma_u", base}), points.back().config.sigma_u = s;
  return points;
}

std::vector<SweepRow> iteration_sweep(const SweepConfig& c, const std::function<void()>& on_point) {
  const auto points = sweep_points(c);
  auto per_point = core::parallel_map(points.size(), c.threads, [&](std::size_t k) {
    const SweepPoint& p = points[k];
    std::unique_ptr<Model> model;
    if (c.gru)
      model = std::make_unique<Gru>(Gru::random(p.config, c.seed));
    else
      model = std::make_unique<TanhRnn>(TanhRnn::random(p.config, c.seed));
    const auto reference = model->sequential();
    double scale = 0;
    for (double v : reference) scale = std::max(scale, std::abs(v));
    IterationSettings s;
    s.tolerance = c.tolerance;
    s.max_iterations = std::min(c.max_iterations, p.config.T);
    s.diagonal_fallback = true;
    std::vector<SweepRow> rows;
    for (Scheme scheme : c.schemes) {
      const SchemeResult r = solve_by_iteration(*model, reference, scheme, s);
      const bool any = !r.iterations.empty();
      rows.push_back({p.axis, p.config, scheme, r.converged ? r.iterations_used() : s.max_iterations, r.converged,
                      r.diverged_at, any ? r.iterations.back().max_error : scale,
                      any ? r.iterations.back().exact_prefix : 0, r.prefix_holds});
    }
    on_point();
    return rows;
  });
  std::vector<SweepRow> rows;
  for (auto& p : per_point) rows.insert(rows.end(), p.begin(), p.end());
  return rows;
}

std::size_t scan_bench_rows(const ScanBenchConfig& c) {
  const std::size_t per = 2 + (c.cuda ? 1 : 0);
  return 2 * std::size_t{c.threads} + c.lengths.size() * c.dims.size() * per;
}

std::vector<ScanBenchRow> scan_bench(const ScanBenchConfig& c, const std::function<void()>& on_row) {
  std::vector<ScanBenchRow> rows;
  const std::size_t copy_n = std::size_t{1} << 25;  // 256 MiB each way: far beyond the caches
  {
    // On 1 .. threads threads, each copying its own contiguous part: whether more threads get more
    // bandwidth decides what a memory-bound scan can gain from them.
    std::vector<double> src(copy_n, 1.0), dst(copy_n);
    for (unsigned p = 1; p <= c.threads; ++p) {
      const double s = best_of(c.repeats, [&] {
#pragma omp parallel num_threads(static_cast <int>(p))
        {
          const std::size_t k = static_cast<std::size_t>(omp_get_thread_num()),
                            n = static_cast<std::size_t>(omp_get_num_threads());
          std::copy(src.begin() + static_cast<std::ptrdiff_t>(k * copy_n / n),
                    src.begin() + static_cast<std::ptrdiff_t>((k + 1) * copy_n / n),
                    dst.begin() + static_cast<std::ptrdiff_t>(k * copy_n / n));
        }
      });
      rows.push_back({"stream_copy", copy_n, 1, p, 0, s, 16.0 * copy_n, 1, 0});
      on_row();
    }
  }
  {
    // What p threads can gain at all right now: a loop with no memory traffic and no communication, split
    // evenly. On a machine shared with other work this, not p, is the ceiling for any scan's speedup.
    const std::size_t steps = std::size_t{1} << 26;
    double one = 0;
    for (unsigned p = 1; p <= c.threads; ++p) {
      const double s = best_of(c.repeats, [&] {
        double sink = 0;
#pragma omp parallel num_threads(static_cast <int>(p)) reduction(+ : sink)
        sink += independent_work(steps / static_cast<std::size_t>(omp_get_num_threads()));
        if (sink == 0.5) std::abort();  // keeps the work observable
      });
      if (p == 1) one = s;
      rows.push_back({"parallel_reference", steps, 1, p, 0, s, 0, one / s, 0});
      on_row();
    }
  }
  for (std::size_t di = 0; di < c.dims.size(); ++di) {
    for (std::size_t ti = 0; ti < c.lengths.size(); ++ti) {
      const std::size_t d = c.dims[di], T = c.lengths[ti], n = T * d;
      const std::uint64_t k = di * c.lengths.size() + ti;
      const Recurrence a = Recurrence::constant(recurrence_matrix(d, c.rho, MatrixKind::random, c.seed, 2 * k), T);
      core::Rng rng = core::rng_stream(c.seed, 2 * k + 1);
      boost::random::normal_distribution<double> normal;
      std::vector<double> b(n), ref(n), x(n);
      for (double& v : b) v = normal(rng);
      const double dense_bytes = 16.0 * static_cast<double>(n);
      const auto dense = time_interleaved(
          c.repeats, c.threads, [&] { solve_sequential(a, b.data(), ref.data()); },
          [&](unsigned p) {
            return solve_chunked(a, b.data(), x.data(), {p, 0});
          },
          [&] { return max_rel_diff(x, ref); });
      rows.push_back({"dense_sequential", T, d, 1, 1, dense[0].seconds, dense_bytes, 1, 0});
      for (unsigned p = 1; p <= c.threads; ++p)
        rows.push_back({"dense_chunked", T, d, p, dense[p].stats.chunks, dense[p].seconds, dense_bytes,
                        dense[0].seconds / dense[p].seconds, dense[p].diff, dense[p].stats.pass2_steps});
      on_row();
      // The diagonal form: the eigenvalues of A and a complex forcing.
      const auto g = diagonalise(recurrence_matrix(d, c.rho, MatrixKind::random, c.seed, 2 * k));
      std::vector<cplx> lambda = g ? g->lambda : std::vector<cplx>(d, c.rho);
      std::vector<cplx> cb(n), cref(n), cx(n);
      for (std::size_t i = 0; i < n; ++i) cb[i] = {b[i], b[(i + 1) % n]};
      const double diag_bytes = 32.0 * static_cast<double>(n);
      const auto diag = time_interleaved(
          c.repeats, c.threads, [&] { solve_diagonal_sequential(lambda, cb.data(), cref.data(), T); },
          [&](unsigned p) {
            return solve_diagonal_chunked(lambda, cb.data(), cx.data(), T, {p, 0});
          },
          [&] { return max_rel_diff(cx, cref); });
      const double dseq = diag[0].seconds;
      rows.push_back({"diagonal_sequential", T, d, 1, 1, dseq, diag_bytes, 1, 0});
      for (unsigned p = 1; p <= c.threads; ++p)
        rows.push_back({"diagonal_chunked", T, d, p, diag[p].stats.chunks, diag[p].seconds, diag_bytes,
                        dseq / diag[p].seconds, diag[p].diff, diag[p].stats.pass2_steps});
      on_row();
      if (c.cuda) {
        const double s = best_of(c.repeats, [&] { solve_diagonal_cuda(lambda, cb.data(), cx.data(), T, 0); });
        rows.push_back(
            {"diagonal_cuda", T, d, 0, std::min<std::size_t>(256, T), s, diag_bytes, dseq / s, max_rel_diff(cx, cref)});
        on_row();
      }
    }
  }
  return rows;
}

std::vector<RnnTiming> time_rnn(const TanhRnn& model, std::size_t repeats, unsigned threads,
                                std::vector<double>* states, bool newton) {
  std::vector<double> reference;
  const double seq = best_of(repeats, [&] { model.sequential(reference); });
  std::vector<RnnTiming> out{{"sequential", seq, 1, 0}};
  for (bool chunked : {false, true}) {
    if (!newton) break;
    IterationSettings s;
    s.chunked = chunked;
    s.plan.threads = threads;
    SchemeResult r;
    const double t = best_of(repeats, [&] { r = solve_by_iteration(model, reference, Scheme::newton, s); });
    out.push_back({chunked ? "newton_chunked_scan" : "newton_sequential_scan", t, r.iterations_used(),
                   r.iterations.empty() ? std::numeric_limits<double>::infinity() : r.iterations.back().max_error});
  }
  if (states) *states = std::move(reference);
  return out;
}

}  // namespace rnn
