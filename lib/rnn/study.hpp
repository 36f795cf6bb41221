// The studies behind rnn-fixpoint's subcommands, after Lim, Zhu, Selfridge and Kasim, "Parallelizing
// Non-Linear Sequential Models over the Sequence Length" (DEER; ICLR 2024, arXiv:2309.12252): every
// scheme against the sequential RNN or GRU with the paper's checks (exact prefix, termination in <= T
// iterations, Newton's quadratic rate), the sweep of iterations-to-tolerance over T, rho and sigma_u, the
// timing of the linear-recurrence solvers, and the sequential RNN against the whole Newton solve. Each
// study takes a config whose default member initialisers are the tool's defaults, checks the sizes
// against the memory policy (core::require_memory), and returns its rows with what the summary needs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "core/options.hpp"
#include "core/progress.hpp"
#include "core/sweep.hpp"
#include "rnn/fixpoint.hpp"

namespace rnn {

// The largest sizes the options accept (memory is checked separately).
inline constexpr std::size_t max_length = 100000000;  // 10^8 steps
inline constexpr std::size_t max_dim = 4096;

// ---- converge and gru: every scheme against the sequential model ----
enum class ScanMethod { sequential, chunked };
inline constexpr ScanMethod scan_methods[] = {ScanMethod::sequential, ScanMethod::chunked};
std::string_view to_string(ScanMethod m);

// How converge and gru iterate.
struct SchemeIterationConfig {
  double tolerance = 1e-12;  // relative to max_t |h_t|_inf
  std::vector<Scheme> schemes{std::begin(all_schemes), std::end(all_schemes)};
  std::size_t max_iterations = 0;  // per scheme; 0: T (where every scheme must have ended)
  ScanMethod scan = ScanMethod::sequential;
  // Of the chunked scan: a fixed count, so that the iterates do not depend on --threads (the chunk
  // boundaries fix the rounding); 0: ScanPlan's thread-dependent default (fastest, not reproducible
  // across thread counts).
  std::size_t chunks = 16;
  bool diagonal_fallback = false;
  std::uint64_t seed = 1;
  unsigned threads = 1;
};

struct ConvergeConfig {  // the tanh RNN
  static constexpr bool gru = false;
  RnnConfig model{.sigma_u = 0.1};
  SchemeIterationConfig iteration;
};
struct GruConvergeConfig {  // the GRU, iterated with A = 1/2 (I + 1/2 U_h)
  static constexpr bool gru = true;
  RnnConfig model{.sigma_u = 0.5};
  SchemeIterationConfig iteration;
};

// One scheme's run and the checks on it.
struct SchemeOutcome {
  SchemeResult run;
  bool prefix_failed = false;        // converged, yet the exact prefix fell below n (at run.prefix_violation)
  bool prefix_lagged = false;        // not converged and the prefix lagged behind n (reported, not a failure)
  bool unterminated = false;         // neither converged nor overflowed within T iterations (cap T only)
  bool newton_ratio_failed = false;  // newton: max e_(n+1)/e_n^2 above newton_ratio_bound
};

struct ConvergeResult {
  std::vector<SchemeOutcome> schemes;  // in the order asked for
  std::size_t max_iterations;          // the cap applied
  bool checks_hold;                    // no scheme failed a check
  std::vector<double> states;          // the sequential solution h_1 .. h_T (T x d, row-major)
};

// The options of a random model (--d, --T, --rho, --sigma-u), its matrix (--matrix) and of the schemes'
// iteration (--tol, --schemes, --max-iter, --scan, --chunks, --diagonal-fallback): shared by rnn-fixpoint
// and the Python module.
void declare_model(core::Options& o, RnnConfig& m);
void declare_matrix(core::Options& o, MatrixKind& matrix);
void declare_options(core::Options& o, SchemeIterationConfig& it);

// InputError naming --T when the sizes do not fit in memory, --schemes when `diagonal` is asked for a
// defective A without the fallback. `tick` is called once per scheme.
ConvergeResult converge(const ConvergeConfig& c, const core::Tick& tick);
ConvergeResult converge(const GruConvergeConfig& c, const core::Tick& tick);
// The same for a model given (the Python module's rnn.solve: A and u from the caller); `c.seed` unused.
ConvergeResult converge(const Model& model, const SchemeIterationConfig& c, const core::Tick& tick);
// converge's run time on this machine, for core::require_time: per scheme its iterations (below) times T
// steps of about d^2 multiply-adds (the GRU's three matrices cost more), the eigendecomposition (d^3) where
// diagonal is asked, and on more than one thread the two parallel regions of every iteration, which on a
// shared machine wait for a time slice. The iterations: the cap (--max-iter, at most T) where a run can
// take them all (rho >= 1, or inputs above 0.2 for the linearised schemes, which then stall); below that
// what the schemes take: fixed-point about ln(tol)/ln(rho) + 10, the linearised ones a quarter of it,
// Newton 20 (the GRU: a third and a twelfth).
double estimated_seconds(const ConvergeConfig& c);
double estimated_seconds(const GruConvergeConfig& c);

// scheme, iteration, max_error, exact_prefix, residual: one row per iteration of each scheme.
const std::vector<core::Column>& converge_columns();

// ---- sweep ----
struct SweepConfig {
  std::size_t d = 16;
  RnnConfig base{.sigma_u = 0.1};  // the values held fixed while one axis varies (base.d is d)
  std::vector<std::size_t> lengths{100, 1000, 10000, 100000};
  std::vector<double> radii{0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5};
  std::vector<double> input_scales{0.03, 0.1, 0.3, 1.0, 3.0};
  std::vector<Scheme> schemes{std::begin(all_schemes), std::end(all_schemes)};
  double tolerance = 1e-12;
  std::size_t max_iterations = 200;  // per point and scheme (capped at T)
  bool gru = false;
  std::uint64_t seed = 1;
  unsigned threads = 1;
};

struct SweepPoint {
  std::string axis;  // "T", "rho" or "sigma_u"
  RnnConfig config;
};
std::vector<SweepPoint> sweep_points(const SweepConfig& c);

struct SweepRow {
  std::size_t point;  // index into sweep_points(c)
  std::string axis;
  RnnConfig config;
  Scheme scheme;
  std::size_t iterations;  // used; the cap when not converged
  bool converged;
  std::size_t diverged_at;   // 0: stayed finite
  double final_error;        // of the last finite iterate (of h^(0) = 0 if the first one overflowed)
  std::size_t exact_prefix;  // of the last finite iterate
  bool prefix_holds;         // checked where the iterates stayed finite
};

// Its members for a shard file (core/row_codec.hpp).
template <class Io>
void fields(Io& io, SweepRow& r) {
  io(r.point, r.axis, r.config, r.scheme, r.iterations, r.converged, r.diverged_at, r.final_error, r.exact_prefix,
     r.prefix_holds);
}

// The value that varies at the row's point, as the summary names it: "T 1000", "rho 1.3", "sigma_u 0.1".
std::string point_text(const SweepRow& row);

// The rows of one scheme whose iterates overflowed.
struct SchemeDivergences {
  Scheme scheme;
  std::vector<std::size_t> rows;  // indices into SweepResult::rows, in row order
};

struct SweepResult {
  std::vector<SweepRow> rows;  // point by point, the schemes in the order asked for
  std::size_t points = 0;
  // Points with both schemes, and those where perturb converged in fewer iterations than fixed.
  std::size_t perturb_compared = 0, perturb_beats_fixed = 0;
  std::vector<SchemeDivergences> divergences;  // in all_schemes order, schemes with an overflow only
  std::vector<Scheme> prefix_failures;         // the scheme of each converged row whose exact prefix fell below n
  std::size_t prefix_lagged = 0;               // rows that did not converge, with a lagging prefix
};

// Every point on every scheme. Every point rescales the same draw (A's Gaussian matrix to its rho, the
// unit inputs to its sigma_u, their first T steps), so the axes compare like with like and each row is a
// function of its point and the seed alone (not of threads or of the other points). `tick` is called once
// per finished point (any thread). InputError naming --T-list when the points do not fit in memory. A sweep
// whose points are sweep_points(c), the row of a point its schemes' rows (core/sweep.hpp: `sweep` shards or
// merges it).
SweepResult iteration_sweep(const SweepConfig& c, const core::Tick& tick, core::Sweep* sweep = nullptr);
// Its run time on this machine, for core::require_time: every point as converge counts it (one thread each,
// the points shared by the threads, never faster than the longest point).
double estimated_seconds(const SweepConfig& c);
const std::vector<core::Column>& sweep_columns();

// ---- scan-bench ----
// The bound on any scan's difference from the sequential solver, relative to max |x|.
inline constexpr double scan_diff_bound = 1e-12;

struct ScanBenchConfig {
  std::vector<std::size_t> lengths{10000, 100000, 1000000};
  std::vector<std::size_t> dims{16};
  unsigned threads = 1;  // the chunked scans run at 1 .. threads
  std::size_t repeats = 3;
  double rho = 0.9;
  bool cuda = false;
  std::uint64_t seed = 1;
};

struct ScanBenchRow {
  std::string method;  // stream_copy, parallel_reference, dense_sequential, dense_chunked, diagonal_sequential,
                       // diagonal_chunked, diagonal_cuda
  std::size_t T, d;
  unsigned threads;
  std::size_t chunks;
  double seconds;                           // best of the repeats
  double bytes;                             // moved at least once: forcing read, states written
  double speedup;                           // over the sequential solver of the same form
  double max_rel_diff;                      // against that sequential solver, relative to max |x|
  std::size_t pass2_steps = 0;              // chunked scans: steps run after pass 1 (ScanStats)
  double gb_per_s = 0;                      // bytes / seconds / 1e9
  double work_flops = 0, depth_levels = 0;  // of an associative scan of a time-varying dense A (scans only)
};

struct ScanBenchResult {
  std::vector<ScanBenchRow> rows;
  double max_rel_diff = 0;      // the largest of any scan
  double copy_gb_per_s = 0;     // the best stream_copy
  double best_speedup = 0;      // of a chunked scan on all the threads
  double parallel_ceiling = 0;  // parallel_reference's speedup on all the threads
  bool scans_agree = true;      // max_rel_diff <= scan_diff_bound
};

// The solvers timed on one forcing per (T, d) drawn from the seed; `tick` is called after every
// scan_bench_rows step. InputError naming --T-list when a size does not fit in memory.
ScanBenchResult scan_bench(const ScanBenchConfig& c, const core::Tick& tick);
std::size_t scan_bench_rows(const ScanBenchConfig& c);
// Its run time on this machine, for core::require_time: the set-up (buffers, draws), then --repeats times
// the copies and the arithmetic loop on 1 .. threads, and per (T, d) the dense (d^2 per step) and diagonal
// (d per step) scans, sequential and chunked on 1 .. threads.
double estimated_seconds(const ScanBenchConfig& c);
const std::vector<core::Column>& scan_bench_columns();
// What the methods are, for --help (a paragraph).
std::string scan_bench_methods();

// ---- timing: the sequential RNN against the whole Newton solve ----
struct RnnTiming {
  std::string method;  // sequential, newton_sequential_scan, newton_chunked_scan
  unsigned threads;    // the chunked scan's; 1 for the others
  double seconds;
  std::size_t iterations;
  double max_error;
  double sequential_passes;  // seconds over the sequential row's
};
// Best of `repeats` each; the sequential pass writes into one reused buffer, so with repeats >= 2 its time
// is the recurrence alone, without first-touch page faults (the peers' own allocations are tiny against
// their per-step cost). Without `newton` only the sequential row.
std::vector<RnnTiming> time_rnn(const TanhRnn& model, std::size_t repeats, unsigned threads,
                                std::vector<double>* states, bool newton = true);

struct TimingConfig {
  RnnConfig model{.T = 100000};
  std::size_t repeats = 3;
  bool sequential_only = false;  // no Newton rows
  std::uint64_t seed = 1;
  unsigned threads = 1;
};

struct TimingResult {
  TanhRnn model;               // A and u, for the benchmark's peers
  std::vector<double> states;  // the sequential h (T x d, row-major)
  std::vector<RnnTiming> rows;
  double ns_per_step;  // the sequential RNN's
};

// InputError naming --T when the sizes do not fit in memory.
TimingResult timing(const TimingConfig& c);
// Its run time on this machine, for core::require_time: --repeats times the sequential pass and the two
// Newton solves (about 6 iterations of T d^2 each).
double estimated_seconds(const TimingConfig& c);
const std::vector<core::Column>& timing_columns();

}  // namespace rnn
