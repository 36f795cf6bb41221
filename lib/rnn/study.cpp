#include "rnn/study.hpp"

#include <omp.h>

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>

#include "core/errors.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "rnn/claims.hpp"

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
struct SolverTiming {
  double seconds = std::numeric_limits<double>::infinity();
  ScanStats stats;
  double diff = 0;
};

// [0]: the sequential solver; [p]: the chunked one on p threads. Best of `repeats` rounds, each running
// every variant once in turn: on a shared machine a load that comes and goes then hits all of them alike,
// where separate best-of series seconds apart compared a quiet moment with a busy one.
template <class Seq, class Chunked, class Diff>
std::vector<SolverTiming> time_interleaved(std::size_t repeats, unsigned threads, Seq&& sequential, Chunked&& chunked,
                                           Diff&& diff) {
  std::vector<SolverTiming> t(std::size_t{threads} + 1);
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

std::unique_ptr<Model> random_model(const RnnConfig& c, bool gru, std::uint64_t seed) {
  if (gru) return std::make_unique<Gru>(Gru::random(c, seed));
  return std::make_unique<TanhRnn>(TanhRnn::random(c, seed));
}

// The options that set a model's size, for the memory check's message.
std::string size_options(const RnnConfig& c) {
  return "--T " + std::to_string(c.T) + " with --d " + std::to_string(c.d);
}

// ---- time estimates
// Measured with the Release build (2 cores shared with other sessions, load 3-8), CPU time on one thread:
// converge (T 1000, d 16, 333 iterations) 0.09 s, --d 64 0.48 s, --d 256 --schemes newton 0.39 s; gru 0.18 s,
// gru --d 64 1.3 s: about 1.2 ns per d^2 and 100 ns per step for the tanh RNN, 3 ns per d^2 and 1 us per step
// for the GRU (at d 64 and T 2000 on one thread 1.0 s for 282 iterations: 1e-9 s per d^2 counted with 3e-7 s per
// step, which keeps d 16's wall time below); in wall time on --threads 2 (sweep over T 100 .. 10^4; sweep --T-list 1000
// --d 32 --max-iter 1000, 36 s) about twice that, which is what is counted. Where an iteration's passes run on more
// threads (pass_threads) each of their parallel regions may wait for a time slice on a shared machine: converge
// --T 1000 on 2 threads took 1-11 s instead of 0.26 s, 1.5-15 ms per region (12 ms at load 7.5); at load 1.5
// converge --d 64 --T 2000 took 0.87 s on 2 threads: 1 ms counted. The GRU's costs are its one-thread ones,
// and its gates damp the iteration: fixed-point takes a third of the tanh RNN's count (80 at the defaults).
constexpr double seconds_per_d2_step = 1e-9, seconds_per_step = 3e-7;
constexpr double gru_seconds_per_d2_step = 3e-9, gru_seconds_per_step = 1e-6;
constexpr double seconds_per_region = 1e-3;
constexpr double seconds_per_d3_eigen = 2e-8;  // Eigen's ComplexEigenSolver, about 25 d^3 flops

// One iteration of any scheme over T steps (the sequential reference is one more).
double iteration_seconds(const RnnConfig& m, bool gru) {
  const auto d = static_cast<double>(m.d), T = static_cast<double>(m.T);
  return T * (gru ? gru_seconds_per_d2_step * d * d + gru_seconds_per_step
                  : seconds_per_d2_step * d * d + seconds_per_step);
}

// The iterations a scheme takes on this model within `cap` (see estimated_seconds(ConvergeConfig)).
double iterations(Scheme scheme, const RnnConfig& m, bool gru, double tolerance, std::size_t cap) {
  const auto most = static_cast<double>(cap);
  if (!(m.rho < 1)) return most;
  const double fixed = std::ceil(std::log(tolerance) / std::log(std::max(m.rho, 1e-3))) + 10;
  if (scheme == Scheme::newton) return std::min(most, 20.0);
  if (gru) return std::min(most, scheme == Scheme::fixed ? fixed / 3 : fixed / 12 + 10);
  if (scheme == Scheme::fixed) return std::min(most, fixed);
  return m.sigma_u <= 0.2 ? std::min(most, fixed / 4 + 10) : most;
}

// One point of converge or sweep on `threads` threads for the map and scans.
double point_seconds(const RnnConfig& m, bool gru, const std::vector<Scheme>& schemes, double tolerance,
                     std::size_t cap, unsigned threads) {
  double its = 1;  // the sequential reference
  for (Scheme scheme : schemes) its += iterations(scheme, m, gru, tolerance, cap);
  const auto d = static_cast<double>(m.d);
  const bool eigen = std::find(schemes.begin(), schemes.end(), Scheme::diagonal) != schemes.end();
  const unsigned passes = pass_threads(m.d, m.T, threads);
  return its * (iteration_seconds(m, gru) / passes + (passes > 1 ? 2 * seconds_per_region : 0.0)) +
         (eigen ? 2 * seconds_per_d3_eigen * d * d * d : 0.0);
}

template <class Config>
double converge_seconds(const Config& c) {
  const auto& it = c.iteration;
  const std::size_t cap = it.max_iterations ? std::min(it.max_iterations, c.model.T) : c.model.T;
  return point_seconds(c.model, Config::gru, it.schemes, it.tolerance, cap, std::max(1u, it.threads));
}

// "--T 1000 with --d 16, --rho 0.9, --sigma-u 0.1 and --max-iter 0": what sets converge's estimate.
std::string time_options(const RnnConfig& m, std::size_t max_iterations) {
  return size_options(m) + ", --rho " + core::format_double(m.rho) + ", --sigma-u " + core::format_double(m.sigma_u) +
         " and --max-iter " + std::to_string(max_iterations);
}

ConvergeResult compare_schemes(const Model& model, const SchemeIterationConfig& c, const core::Tick& tick,
                               std::string_view matrix) {
  const std::size_t T = model.length();
  IterationSettings s;
  s.tolerance = c.tolerance;
  s.max_iterations = c.max_iterations ? std::min(c.max_iterations, T) : T;
  s.chunked = c.scan == ScanMethod::chunked;
  s.plan = {c.threads, c.chunks};
  s.diagonal_fallback = c.diagonal_fallback;
  if (std::find(c.schemes.begin(), c.schemes.end(), Scheme::diagonal) != c.schemes.end() && !c.diagonal_fallback &&
      !diagonalise(model.constant_linearisation()))
    throw core::InputError("--schemes: diagonal needs a diagonalisable A, but this one (" + std::string(matrix) +
                           ") is defective to double precision; drop diagonal or pass --diagonal-fallback");
  ConvergeResult out{{}, s.max_iterations, true, model.sequential()};
  for (Scheme scheme : c.schemes) {
    SchemeOutcome o{solve_by_iteration(model, out.states, scheme, s)};
    const SchemeResult& r = o.run;
    o.prefix_failed = !r.prefix_holds && r.converged;
    o.prefix_lagged = !r.prefix_holds && !r.converged;
    o.unterminated = !r.converged && !r.diverged && s.max_iterations == T;
    o.newton_ratio_failed = scheme == Scheme::newton && r.newton_ratio > newton_ratio_bound;
    out.checks_hold &= !o.prefix_failed && !o.unterminated && !o.newton_ratio_failed;
    out.schemes.push_back(std::move(o));
    tick();
  }
  return out;
}

ConvergeResult compare_schemes(const RnnConfig& m, bool gru, const SchemeIterationConfig& c, const core::Tick& tick,
                               double estimate) {
  core::require_memory(iteration_bytes(m.d, m.T, gru), size_options(m));
  core::require_time(estimate, time_options(m, c.max_iterations));
  const auto model = random_model(m, gru, c.seed);
  return compare_schemes(*model, c, tick, "--matrix " + std::string(to_string(m.matrix)));
}

}  // namespace

std::string_view to_string(ScanMethod m) {
  return m == ScanMethod::chunked ? "chunked" : "sequential";
}

double estimated_seconds(const ConvergeConfig& c) {
  return converge_seconds(c);
}
double estimated_seconds(const GruConvergeConfig& c) {
  return converge_seconds(c);
}

void declare_model(core::Options& o, RnnConfig& m) {
  o.integer("d", m.d, 1, max_dim, "state dimension d");
  o.integer("T", m.T, 1, max_length, "sequence length T");
  o.real("rho", m.rho, {0, 1e6}, "spectral radius of the recurrence matrix");
  o.real("sigma-u", m.sigma_u, {0, 1e6}, "standard deviation of the inputs u_t");
}

void declare_matrix(core::Options& o, MatrixKind& matrix) {
  o.choice("matrix", matrix, matrix_kinds,
           "random: Gaussian rescaled to rho; jordan: rho (I + shift), defective (cannot be diagonalised)");
}

void declare_options(core::Options& o, SchemeIterationConfig& it) {
  o.real("tol", it.tolerance, {0, 1, true, false}, "stop when max_t |h_t^(n) - h_t|_inf <= tol * max_t |h_t|_inf");
  o.choice_list("schemes", it.schemes, all_schemes, "the schemes to run");
  o.integer("max-iter", it.max_iterations, 0, max_length,
            "iteration cap per scheme; 0: T (where every scheme must have ended)");
  o.choice("scan", it.scan, scan_methods, "the linear-recurrence solver of every iteration");
  o.integer("chunks", it.chunks, 0, max_length,
            "chunks of the chunked scan (results do not depend on --threads); 0: one per thread, fastest, but "
            "the last digits then depend on --threads");
  o.flag("diagonal-fallback", it.diagonal_fallback,
         "run `diagonal` as the dense perturbation scheme when A is defective");
}

ConvergeResult converge(const ConvergeConfig& c, const core::Tick& tick) {
  return compare_schemes(c.model, c.gru, c.iteration, tick, estimated_seconds(c));
}

ConvergeResult converge(const GruConvergeConfig& c, const core::Tick& tick) {
  return compare_schemes(c.model, c.gru, c.iteration, tick, estimated_seconds(c));
}

ConvergeResult converge(const Model& model, const SchemeIterationConfig& c, const core::Tick& tick) {
  core::require_memory(iteration_bytes(model.dim(), model.length(), false),
                       "u of length " + std::to_string(model.length()) + " with d = " + std::to_string(model.dim()));
  return compare_schemes(model, c, tick, "the A given");
}

const std::vector<core::Column>& converge_columns() {
  static const std::vector<core::Column> columns{
      {"scheme", "fixed, perturb, diagonal, first_order or newton"},
      {"iteration", "n"},
      {"max_error", "max_t |h_t^(n) - h_t|_inf against the sequential model"},
      {"exact_prefix", "steps within the tolerance from t = 1"},
      {"residual", "max_t |h_t^(n) - F_t(h_{t-1}^(n))|_inf (F_t: the model's step)"}};
  return columns;
}

std::vector<SweepPoint> sweep_points(const SweepConfig& c) {
  std::vector<SweepPoint> points;
  RnnConfig base = c.base;
  base.d = c.d;
  for (std::size_t T : c.lengths) points.push_back({"T", base}), points.back().config.T = T;
  for (double rho : c.radii) points.push_back({"rho", base}), points.back().config.rho = rho;
  for (double s : c.input_scales) points.push_back({"sigma_u", base}), points.back().config.sigma_u = s;
  return points;
}

double estimated_seconds(const SweepConfig& c) {
  double total = 0, longest = 0;
  for (const auto& p : sweep_points(c)) {
    const double s = point_seconds(p.config, c.gru, c.schemes, c.tolerance, std::min(c.max_iterations, p.config.T), 1);
    total += s;
    longest = std::max(longest, s);
  }
  return std::max(longest, total / std::max(1u, c.threads));
}

SweepResult iteration_sweep(const SweepConfig& c, const core::Tick& tick, core::Sweep* sweep) {
  std::string lengths;
  for (std::size_t T : c.lengths) lengths.append(lengths.empty() ? "" : ",").append(std::to_string(T));
  for (std::size_t T : c.lengths)
    core::require_memory(c.threads * iteration_bytes(c.d, std::max(T, c.base.T), c.gru), "--T-list " + lengths);
  core::require_time(estimated_seconds(c),
                     "--T-list " + (lengths.size() > 200 ? lengths.substr(0, 200) + "..." : lengths) + " with --d " +
                         std::to_string(c.d) + ", --T " + std::to_string(c.base.T) + " and --max-iter " +
                         std::to_string(c.max_iterations));
  const auto points = sweep_points(c);
  auto per_point = core::sweep_map(sweep, points.size(), c.threads, [&](std::size_t k) {
    const SweepPoint& p = points[k];
    const auto model = random_model(p.config, c.gru, c.seed);
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
      rows.push_back({k, p.axis, p.config, scheme, r.converged ? r.iterations_used() : s.max_iterations, r.converged,
                      r.diverged_at, any ? r.iterations.back().max_error : scale,
                      any ? r.iterations.back().exact_prefix : 0, r.prefix_holds});
    }
    tick();
    return rows;
  });
  SweepResult out;
  out.points = points.size();
  for (const auto& rows : per_point) {  // one point's rows: compare its perturb and fixed runs
    for (const auto& perturb : rows)
      for (const auto& fixed : rows)
        if (perturb.scheme == Scheme::perturb && fixed.scheme == Scheme::fixed) {
          ++out.perturb_compared;
          out.perturb_beats_fixed += perturb.converged && perturb.iterations < fixed.iterations;
        }
    out.rows.insert(out.rows.end(), rows.begin(), rows.end());
  }
  std::vector<SchemeDivergences> by_scheme;
  for (Scheme scheme : all_schemes) by_scheme.push_back({scheme, {}});
  for (std::size_t i = 0; i < out.rows.size(); ++i) {
    const SweepRow& row = out.rows[i];
    if (row.diverged_at) by_scheme[static_cast<std::size_t>(row.scheme)].rows.push_back(i);
    if (!row.prefix_holds && row.converged) out.prefix_failures.push_back(row.scheme);
    out.prefix_lagged += !row.prefix_holds && !row.converged;
  }
  for (auto& d : by_scheme)
    if (!d.rows.empty()) out.divergences.push_back(std::move(d));
  return out;
}

std::string point_text(const SweepRow& row) {
  if (row.axis == "T") return "T " + std::to_string(row.config.T);
  if (row.axis == "rho") return "rho " + core::format_double(row.config.rho);
  return "sigma_u " + core::format_double(row.config.sigma_u);
}

const std::vector<core::Column>& sweep_columns() {
  static const std::vector<core::Column> columns{
      {"axis", "T, rho or sigma_u: the one that varies"},
      {"T", "sequence length"},
      {"rho", "spectral radius of A"},
      {"sigma_u", "standard deviation of the inputs"},
      {"scheme", "fixed, perturb, diagonal, first_order or newton"},
      {"iterations", "used; the cap when not converged"},
      {"converged", "within the tolerance before the cap"},
      {"diverged_at", "the iteration whose iterate overflowed; 0: stayed finite"},
      {"final_error", "of the last finite iterate (of h^(0) = 0 if the first overflowed)"},
      {"exact_prefix", "of the last finite iterate"}};
  return columns;
}

std::size_t scan_bench_rows(const ScanBenchConfig& c) {
  const std::size_t per = 2 + (c.cuda ? 1 : 0);
  return 2 * std::size_t{c.threads} + c.lengths.size() * c.dims.size() * per;
}

double estimated_seconds(const ScanBenchConfig& c) {
  // Measured with the Release build on --threads 2 (2 cores shared, load 3-6): the default took 7 s (load 3),
  // --repeats 1 7.6 s (load 6); the dense scans' costs are converge's. Once, not per repeat: the copies'
  // 512 MiB and the forcing's draws (5e-8 s per value with the complex copy).
  constexpr double setup_seconds = 1, setup_seconds_per_value = 5e-8;
  constexpr double copy_seconds = 0.1, reference_seconds = 0.15;  // per thread count, 2^25 doubles, 2^26 steps
  constexpr double diagonal_seconds_per_element = 5e-9;           // complex multiply-add per step and dimension
  const double p = std::max(1u, c.threads);
  double per_repeat = p * (copy_seconds + reference_seconds), setup = setup_seconds;
  for (std::size_t T : c.lengths)
    for (std::size_t d : c.dims) {
      const auto dd = static_cast<double>(d), steps = static_cast<double>(T);
      // The sequential solver, then the chunked one on 1 .. p threads: about p + 1 sequential passes each.
      const double dense = steps * (seconds_per_d2_step * dd * dd + seconds_per_step);
      const double diagonal = steps * (diagonal_seconds_per_element * dd + seconds_per_step);
      per_repeat += (1 + p) * (dense + diagonal);
      setup += steps * dd * setup_seconds_per_value;
    }
  return setup + static_cast<double>(std::max<std::size_t>(c.repeats, 1)) * per_repeat;
}

ScanBenchResult scan_bench(const ScanBenchConfig& c, const core::Tick& tick) {
  for (std::size_t T : c.lengths)
    for (std::size_t d : c.dims)
      core::require_memory(7.0 * 16.0 * static_cast<double>(T) * static_cast<double>(d),
                           "--T-list " + std::to_string(T) + " with --d-list " + std::to_string(d));
  core::require_time(estimated_seconds(c), "--repeats " + std::to_string(c.repeats) + " with " +
                                               core::list_extent("--T-list", c.lengths) + " and " +
                                               core::list_extent("--d-list", c.dims));
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
      tick();
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
      tick();
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
      tick();
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
      tick();
      if (c.cuda) {
        const double s = best_of(c.repeats, [&] { solve_diagonal_cuda(lambda, cb.data(), cx.data(), T, 0); });
        rows.push_back(
            {"diagonal_cuda", T, d, 0, std::min<std::size_t>(256, T), s, diag_bytes, dseq / s, max_rel_diff(cx, cref)});
        tick();
      }
    }
  }
  ScanBenchResult out;
  for (auto& row : rows) {
    row.gb_per_s = row.bytes / row.seconds / 1e9;
    if (row.method != "stream_copy" && row.method != "parallel_reference") {
      const auto cost = associative_scan_cost(row.T, row.d);
      row.work_flops = cost.work_flops;
      row.depth_levels = cost.depth_levels;
    }
    if (row.method == "parallel_reference") out.parallel_ceiling = row.speedup;
    out.max_rel_diff = std::max(out.max_rel_diff, row.max_rel_diff);
    if (row.method == "stream_copy") out.copy_gb_per_s = std::max(out.copy_gb_per_s, row.gb_per_s);
    if (row.threads == c.threads && row.method.find("chunked") != std::string::npos)
      out.best_speedup = std::max(out.best_speedup, row.speedup);
  }
  out.scans_agree = out.max_rel_diff <= scan_diff_bound;
  out.rows = std::move(rows);
  return out;
}

const std::vector<core::Column>& scan_bench_columns() {
  static const std::vector<core::Column> columns{
      {"method", "the solver or reference (see below)"},
      {"T", "sequence length (stream_copy: doubles copied; parallel_reference: loop steps)"},
      {"d", "state dimension"},
      {"threads", "threads it ran on (0: the GPU)"},
      {"chunks", "chunks of a chunked scan (1: sequential)"},
      {"seconds", "best of --repeats"},
      {"GB_per_s", "forcing read + states written, per second"},
      {"speedup", "over the sequential solver of the same form"},
      {"max_rel_diff", "from that sequential solver, relative to max |x|"},
      {"work_flops", "of an associative scan of a time-varying dense A (0: not a scan)"},
      {"depth_levels", "of that associative scan's composition levels (0: not a scan)"},
      {"pass2_steps", "chunked: steps run after the parallel pass"}};
  return columns;
}

std::string scan_bench_methods() {
  return "Methods: stream_copy (the machine's memory bandwidth on 1 .. --threads), parallel_reference (an\n"
         "arithmetic-only loop split over 1 .. --threads, whose speedup is the ceiling a shared machine allows),\n"
         "dense_* (constant d x d A), diagonal_* (complex eigenvalues); *_chunked on 1 .. --threads, diagonal_cuda\n"
         "on the GPU. pass2_steps: the carry scan stops each chunk's correction once it is below rounding, the\n"
         "two-pass scan reruns chunks 1..K-1.";
}

std::vector<RnnTiming> time_rnn(const TanhRnn& model, std::size_t repeats, unsigned threads,
                                std::vector<double>* states, bool newton) {
  std::vector<double> reference;
  const double seq = best_of(repeats, [&] { model.sequential(reference); });
  std::vector<RnnTiming> out{{"sequential", 1, seq, 1, 0, seq / seq}};
  for (bool chunked : {false, true}) {
    if (!newton) break;
    IterationSettings s;
    s.chunked = chunked;
    s.plan.threads = threads;
    SchemeResult r;
    const double t = best_of(repeats, [&] { r = solve_by_iteration(model, reference, Scheme::newton, s); });
    out.push_back(
        {chunked ? "newton_chunked_scan" : "newton_sequential_scan", chunked ? threads : 1u, t, r.iterations_used(),
         r.iterations.empty() ? std::numeric_limits<double>::infinity() : r.iterations.back().max_error, t / seq});
  }
  if (states) *states = std::move(reference);
  return out;
}

double estimated_seconds(const TimingConfig& c) {
  // Newton takes 5-6 iterations at the defaults (converge); each as converge counts it, the chunked scan's
  // over the threads. The sequential RNN's pass is a quarter of an iteration (no map, forcing or check).
  constexpr double newton_iterations = 6;
  const double p = std::max(1u, c.threads);
  const double iteration = iteration_seconds(c.model, false);
  const double newton =
      c.sequential_only ? 0.0 : newton_iterations * (iteration + iteration / p + 3 * seconds_per_region);
  return static_cast<double>(std::max<std::size_t>(c.repeats, 1)) * (iteration / 4 + newton);
}

TimingResult timing(const TimingConfig& c) {
  core::require_memory(iteration_bytes(c.model.d, c.model.T, false), size_options(c.model));
  core::require_time(estimated_seconds(c), "--repeats " + std::to_string(c.repeats) + " with --T " +
                                               std::to_string(c.model.T) + " and --d " + std::to_string(c.model.d));
  TimingResult out{TanhRnn::random(c.model, c.seed), {}, {}, 0};
  out.rows = time_rnn(out.model, c.repeats, c.threads, &out.states, !c.sequential_only);
  out.ns_per_step = out.rows[0].seconds * 1e9 / static_cast<double>(c.model.T);
  return out;
}

const std::vector<core::Column>& timing_columns() {
  static const std::vector<core::Column> columns{
      {"method", "sequential, newton_sequential_scan or newton_chunked_scan"},
      {"d", "state dimension"},
      {"T", "sequence length"},
      {"threads", "the chunked scan's; 1 for the others"},
      {"seconds", "best of --repeats"},
      {"iterations", "Newton's (1: the sequential pass)"},
      {"sequential_passes", "seconds over the sequential RNN's"},
      {"max_error", "against the sequential RNN"}};
  return columns;
}

}  // namespace rnn
