// The studies behind rnn-fixpoint's subcommands: the sweep of iterations-to-tolerance over T, rho and
// sigma_u (after Lim et al., DEER, 2023: termination in <= T iterations, Newton in a handful for
// contractive A), the timing of the linear-recurrence solvers, and the sequential RNN against the whole
// Newton solve.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "rnn/fixpoint.hpp"

namespace rnn {

// ---- sweep ----
struct SweepConfig {
  std::size_t d = 16;
  RnnConfig base;  // the values held fixed while one axis varies
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

// Every point on every scheme. Every point rescales the same draw (A's Gaussian matrix to its rho, the
// unit inputs to its sigma_u, their first T steps), so the axes compare like with like and each row is a
// function of its point and the seed alone (not of threads or of the other points). on_point is called once per
// finished point (any thread).
std::vector<SweepRow> iteration_sweep(const SweepConfig& c, const std::function<void()>& on_point);

// ---- scan-bench ----
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
  double seconds;               // best of the repeats
  double bytes;                 // moved at least once: forcing read, states written
  double speedup;               // over the sequential solver of the same form
  double max_rel_diff;          // against that sequential solver, relative to max |x|
  std::size_t pass2_steps = 0;  // chunked scans: steps run after pass 1 (ScanStats)
};

// The solvers timed on one forcing per (T, d) drawn from the seed; on_row is called after every row.
std::vector<ScanBenchRow> scan_bench(const ScanBenchConfig& c, const std::function<void()>& on_row);
std::size_t scan_bench_rows(const ScanBenchConfig& c);

// ---- rnn: the sequential RNN against the whole Newton solve ----
struct RnnTiming {
  std::string method;  // sequential, newton_sequential_scan, newton_chunked_scan
  double seconds;
  std::size_t iterations;
  double max_error;
};
// Best of `repeats` each; the sequential pass writes into one reused buffer, so with repeats >= 2 its time
// is the recurrence alone, without first-touch page faults (the peers' own allocations are tiny against
// their per-step cost). Without `newton` only the sequential row.
std::vector<RnnTiming> time_rnn(const TanhRnn& model, std::size_t repeats, unsigned threads,
                                std::vector<double>* states, bool newton = true);

}  // namespace rnn
