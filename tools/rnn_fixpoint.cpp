// rnn-fixpoint: a nonlinear RNN computed by iterating parallel linear recurrences (fixed point,
// perturbation, diagonalised, first-order, Newton/DEER), after Lim et al. 2023 (../shared/spec/rnn-fixpoint.md).
// A thin driver: parses the command line, calls lib/rnn, writes CSV rows and a summary.
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/claims.hpp"
#include "core/cli.hpp"
#include "core/errors.hpp"
#include "rnn/claims.hpp"
#include "rnn/fixpoint.hpp"
#include "rnn/study.hpp"

namespace {

using rnn::Scheme;

constexpr std::uint64_t max_length = 100000000;  // 10^8 steps
constexpr unsigned max_dim = 4096;

std::vector<Scheme> parse_schemes(const std::string& list) {
  std::vector<Scheme> out;
  for (const auto& name : core::split_list("--schemes", list)) {
    const auto s = rnn::parse_scheme(name);
    if (!s)
      throw core::InputError(
          "--schemes: expected a comma-separated list of fixed, perturb, diagonal, first_order, "
          "newton, got '" +
          list + "'");
    out.push_back(*s);
  }
  if (out.empty()) throw core::InputError("--schemes: expected at least one scheme, got '" + list + "'");
  return out;
}

// "Sizes that would not fit in memory" (the spec's bad input): more than half of this machine's memory.
void check_memory(double bytes, const std::string& what) {
  const double physical = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
  if (bytes > 0.5 * physical)
    throw core::InputError(what + ": needs about " + core::format_sig(bytes / (1 << 30), 3) +
                           " GiB; at most half of this machine's " + core::format_sig(physical / (1 << 30), 3) +
                           " GiB is allowed");
}

std::string describe(const rnn::SchemeResult& r) {
  if (r.diverged) return "DIVERGED at iteration " + std::to_string(r.diverged_at) + " (an iterate overflowed)";
  if (!r.converged) return "not converged in " + std::to_string(r.iterations_used()) + " iterations";
  return std::to_string(r.iterations_used()) + " iterations";
}

// What converge and gru share: the model's options, the iteration, the CSV and the checks.
struct Iterate {
  rnn::RnnConfig config;
  std::uint64_t d = 16, T = 1000, max_iter = 0;
  std::uint64_t chunks = 0;
  double tol = 1e-12;
  std::string schemes = "fixed,perturb,diagonal,first_order,newton";
  std::string scan = "sequential", matrix = "random";
  bool fallback = false;

  void declare(core::Options& o) {
    o.integer("d", d, 1, max_dim, "state dimension d");
    o.integer("T", T, 1, max_length, "sequence length T");
    o.real("rho", config.rho, {0, 1e6}, "spectral radius of the recurrence matrix");
    o.real("sigma-u", config.sigma_u, {0, 1e6}, "standard deviation of the inputs u_t");
    o.real("tol", tol, {0, 1, true, false}, "stop when max_t |h_t^(n) - h_t|_inf <= tol * max_t |h_t|_inf");
    o.text("schemes", schemes, "LIST", "comma-separated: fixed, perturb, diagonal, first_order, newton");
    o.integer("max-iter", max_iter, 0, max_length,
              "iteration cap per scheme; 0: T (where every scheme must have ended)");
    o.choice("scan", scan, {"sequential", "chunked"}, "the linear-recurrence solver of every iteration");
    o.integer("chunks", chunks, 0, max_length, "chunks of the chunked scan; 0: threads + 1");
    o.choice("matrix", matrix, {"random", "jordan"},
             "random: Gaussian rescaled to rho; jordan: rho (I + shift), defective (cannot be diagonalised)");
    o.flag("diagonal-fallback", fallback, "run `diagonal` as the dense perturbation scheme when A is defective");
  }

  void run(core::Run& r, const char* tool, bool gru) {
    config.d = d;
    config.T = T;
    config.matrix = matrix == "jordan" ? rnn::MatrixKind::jordan : rnn::MatrixKind::random;
    const auto chosen = parse_schemes(schemes);
    check_memory(rnn::iteration_bytes(d, T, gru), "--T " + std::to_string(T) + " with --d " + std::to_string(d));
    std::unique_ptr<rnn::Model> model;
    if (gru)
      model = std::make_unique<rnn::Gru>(rnn::Gru::random(config, r.seed));
    else
      model = std::make_unique<rnn::TanhRnn>(rnn::TanhRnn::random(config, r.seed));
    rnn::IterationSettings s;
    s.tolerance = tol;
    s.max_iterations = max_iter ? std::min(max_iter, T) : T;
    s.chunked = scan == "chunked";
    s.plan = {r.threads, chunks};
    s.diagonal_fallback = fallback;
    if (std::find(chosen.begin(), chosen.end(), Scheme::diagonal) != chosen.end() && !fallback &&
        !rnn::diagonalise(model->constant_linearisation()))
      throw core::InputError("--schemes: diagonal needs a diagonalisable A, but this one (--matrix " + matrix +
                             ") is defective to double precision; drop diagonal or pass --diagonal-fallback");
    const auto reference = model->sequential();
    auto& progress = r.progress(tool, chosen.size());
    std::vector<rnn::SchemeResult> results;
    for (Scheme scheme : chosen) {
      results.push_back(rnn::solve_by_iteration(*model, reference, scheme, s));
      progress.advance();
    }
    auto& csv = r.csv({{"scheme"}, {"iteration"}, {"max_error"}, {"exact_prefix"}, {"residual"}});
    for (const auto& res : results)
      for (const auto& it : res.iterations)
        csv.row({rnn::to_string(res.scheme), it.n, it.max_error, it.exact_prefix, it.residual});
    summarise(r, tool, gru, results, s.max_iterations);
  }

  void summarise(core::Run& r, const char* tool, bool gru, const std::vector<rnn::SchemeResult>& results,
                 std::size_t cap) {
    auto& out = r.summary();
    out << tool << ": " << (gru ? "GRU" : "h_t = tanh(A h_{t-1} + u_t)") << ", d = " << d << ", T = " << T
        << ", rho = " << config.rho << ", sigma_u = " << config.sigma_u << ", tolerance " << tol
        << " relative. Iterations to reach the sequential solution:";
    std::string failures;
    for (const auto& res : results) {
      out << "\n  " << rnn::to_string(res.scheme) << (res.fell_back ? " (dense fallback)" : "") << ": "
          << describe(res);
      if (res.scheme == Scheme::newton && !std::isnan(res.newton_ratio))
        out << "; max e_(n+1)/e_n^2 = " << core::format_sig(res.newton_ratio, 3);
      if (!res.prefix_holds && !res.converged)
        out << "; its exact prefix lagged behind n from iteration " << res.prefix_violation
            << " (rounding amplified by an expanding linear recurrence)";
      if (!res.prefix_holds && res.converged)
        failures += std::string(failures.empty() ? "" : "; ") + std::string(rnn::to_string(res.scheme)) +
                    ": exact prefix < n at iteration " + std::to_string(res.prefix_violation);
      if (!res.converged && !res.diverged && cap == T)
        failures += std::string(failures.empty() ? "" : "; ") + std::string(rnn::to_string(res.scheme)) +
                    ": not converged after T iterations";
      if (res.scheme == Scheme::newton && res.newton_ratio > rnn::newton_ratio_bound)
        failures += std::string(failures.empty() ? "" : "; ") +
                    "newton: e_(n+1)/e_n^2 = " + core::format_sig(res.newton_ratio, 3) + " exceeds " +
                    core::format_sig(rnn::newton_ratio_bound, 3);
    }
    out << "\n  Checks: exact prefix >= n after n iterations, termination within T, Newton's ratio <= "
        << rnn::newton_ratio_bound << ": " << (failures.empty() ? "all hold." : "FAILED (" + failures + ").");
    const auto& handful = core::find_claim(rnn::claims(), "newton_handful");
    out << " Published (" << handful.source << "): Newton converges in " << handful.published
        << " iterations for contractive A.\n";
    if (!failures.empty()) r.fail_after_writing(failures);
  }
};

struct Converge {
  Iterate it;
  Converge() { it.config.sigma_u = 0.1; }
  void declare(core::Options& o) { it.declare(o); }
  void run(core::Run& r) { it.run(r, "rnn-fixpoint converge", false); }
};

struct GruCmd {
  Iterate it;
  GruCmd() { it.config.sigma_u = 0.5; }
  void declare(core::Options& o) { it.declare(o); }
  void run(core::Run& r) { it.run(r, "rnn-fixpoint gru", true); }
};

struct Sweep {
  rnn::SweepConfig config;
  std::uint64_t d = 16, max_iter = 200;
  double tol = 1e-12;
  std::string lengths = "100,1000,10000,100000", radii = "0.1,0.3,0.5,0.7,0.9,1.1,1.3,1.5", scales = "0.03,0.1,0.3,1,3",
              schemes = "fixed,perturb,diagonal,first_order,newton";
  bool gru = false;

  Sweep() { config.base.sigma_u = 0.1; }

  void declare(core::Options& o) {
    o.integer("d", d, 1, max_dim, "state dimension d");
    o.text("T-list", lengths, "LIST", "sequence lengths of the T axis (at the base rho and sigma_u)");
    o.text("rho-list", radii, "LIST", "spectral radii of the rho axis (at the base T and sigma_u)");
    o.text("sigma-list", scales, "LIST", "input scales of the sigma_u axis (at the base T and rho)");
    o.integer("T", config.base.T, 1, max_length, "base T");
    o.real("rho", config.base.rho, {0, 1e6}, "base spectral radius");
    o.real("sigma-u", config.base.sigma_u, {0, 1e6}, "base input scale");
    o.real("tol", tol, {0, 1, true, false}, "relative tolerance");
    o.integer("max-iter", max_iter, 1, max_length, "iteration cap per point and scheme (and at most T)");
    o.text("schemes", schemes, "LIST", "comma-separated: fixed, perturb, diagonal, first_order, newton");
    o.flag("gru", gru, "sweep the GRU instead of the tanh RNN");
  }

  void run(core::Run& r) {
    config.d = d;
    config.lengths = core::parse_integer_list("--T-list", lengths, 1, max_length);
    config.radii = core::parse_real_list("--rho-list", radii, {0, 1e300});
    config.input_scales = core::parse_real_list("--sigma-list", scales, {0, 1e300});
    config.schemes = parse_schemes(schemes);
    config.tolerance = tol;
    config.max_iterations = max_iter;
    config.gru = gru;
    config.seed = r.seed;
    config.threads = r.threads;
    for (std::size_t T : config.lengths)
      check_memory(r.threads * rnn::iteration_bytes(d, std::max(T, config.base.T), gru), "--T-list " + lengths);
    auto& progress = r.progress("sweep", rnn::sweep_points(config).size());
    const auto rows = rnn::iteration_sweep(config, [&] { progress.advance(); });
    auto& csv = r.csv({{"axis"},
                       {"T"},
                       {"rho"},
                       {"sigma_u"},
                       {"scheme"},
                       {"iterations"},
                       {"converged"},
                       {"diverged_at"},
                       {"final_error"},
                       {"exact_prefix"}});
    std::string diverged, prefix_fail, diverged_by_scheme[std::size(rnn::all_schemes)];
    std::size_t beats = 0, compared = 0, lagging = 0;
    for (const auto& row : rows) {
      csv.row({row.axis, row.config.T, row.config.rho, row.config.sigma_u, rnn::to_string(row.scheme), row.iterations,
               row.converged, row.diverged_at, row.final_error, row.exact_prefix});
      if (row.diverged_at) {
        auto& list = diverged_by_scheme[static_cast<std::size_t>(row.scheme)];
        list.append(list.empty() ? "" : "; ")
            .append(row.axis == "T"     ? "T " + std::to_string(row.config.T)
                    : row.axis == "rho" ? "rho " + core::format_double(row.config.rho)
                                        : "sigma_u " + core::format_double(row.config.sigma_u))
            .append(" at iteration ")
            .append(std::to_string(row.diverged_at));
      }
      if (!row.prefix_holds && row.converged) prefix_fail.append(" ").append(rnn::to_string(row.scheme));
      lagging += !row.prefix_holds && !row.converged;
    }
    for (Scheme sc : rnn::all_schemes) {
      const auto& list = diverged_by_scheme[static_cast<std::size_t>(sc)];
      if (!list.empty())
        diverged.append(diverged.empty() ? "" : ", ").append(rnn::to_string(sc)).append(" (").append(list).append(")");
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].scheme != Scheme::perturb) continue;
      for (std::size_t j = 0; j < rows.size(); ++j)
        if (rows[j].scheme == Scheme::fixed && rows[j].axis == rows[i].axis && rows[j].config.T == rows[i].config.T &&
            rows[j].config.rho == rows[i].config.rho && rows[j].config.sigma_u == rows[i].config.sigma_u) {
          ++compared;
          beats += rows[i].converged && rows[i].iterations < rows[j].iterations;
        }
    }
    auto& out = r.summary();
    out << "rnn-fixpoint sweep" << (gru ? " (GRU)" : "") << ": iterations to tolerance " << tol << " (cap " << max_iter
        << ") over " << rnn::sweep_points(config).size() << " points. The perturbation scheme beats the "
        << "plain fixed point at " << beats << " of " << compared << " points (small inputs; see the sigma_u axis). "
        << "Diverged: " << (diverged.empty() ? std::string("none") : diverged)
        << ". Exact-prefix check: " << (prefix_fail.empty() ? "holds on every converged run" : "FAILS for")
        << prefix_fail << "; on " << lagging
        << " runs that did not converge the prefix lagged behind n (rounding amplified by an expanding "
           "recurrence).\n";
    if (!prefix_fail.empty())
      r.fail_after_writing(std::string("the exact-prefix property failed for").append(prefix_fail));
  }
};

struct ScanBench {
  rnn::ScanBenchConfig config;
  std::string lengths = "10000,100000,1000000", dims = "16";
  std::uint64_t repeats = 3;

  void declare(core::Options& o) {
    o.text("T-list", lengths, "LIST", "sequence lengths");
    o.text("d-list", dims, "LIST", "state dimensions");
    o.integer("repeats", repeats, 1, 1000, "timed runs per row; the best is kept");
    o.real("rho", config.rho, {0, 1.5}, "spectral radius of the constant A");
  }

  void run(core::Run& r) {
    config.lengths = core::parse_integer_list("--T-list", lengths, 1, max_length);
    config.dims = core::parse_integer_list("--d-list", dims, 1, max_dim);
    config.repeats = repeats;
    config.threads = r.threads;
    config.seed = r.seed;
    config.cuda = r.device == core::Device::cuda;
    for (std::size_t T : config.lengths)
      for (std::size_t d : config.dims)
        check_memory(7.0 * 16.0 * static_cast<double>(T) * static_cast<double>(d),
                     "--T-list " + std::to_string(T) + " with --d-list " + std::to_string(d));
    auto& progress = r.progress("scan-bench", rnn::scan_bench_rows(config));
    const auto rows = rnn::scan_bench(config, [&] { progress.advance(); });
    auto& csv = r.csv({{"method"},
                       {"T"},
                       {"d"},
                       {"threads"},
                       {"chunks"},
                       {"seconds"},
                       {"GB_per_s"},
                       {"speedup"},
                       {"max_rel_diff"},
                       {"work_flops"},
                       {"depth_levels"},
                       {"pass2_steps"}});
    double worst = 0, copy_gbs = 0, best_speedup = 0, ceiling = 0;
    for (const auto& row : rows) {
      const auto cost = rnn::associative_scan_cost(row.T, row.d);
      const bool scan = row.method != "stream_copy" && row.method != "parallel_reference";
      if (row.method == "parallel_reference") ceiling = row.speedup;
      csv.row({row.method, row.T, row.d, row.threads, row.chunks, row.seconds, row.bytes / row.seconds / 1e9,
               row.speedup, row.max_rel_diff, scan ? cost.work_flops : 0.0, scan ? cost.depth_levels : 0.0,
               row.pass2_steps});
      worst = std::max(worst, row.max_rel_diff);
      if (row.method == "stream_copy") copy_gbs = std::max(copy_gbs, row.bytes / row.seconds / 1e9);
      if (row.threads == config.threads && row.method.find("chunked") != std::string::npos)
        best_speedup = std::max(best_speedup, row.speedup);
    }
    auto& out = r.summary();
    out << "rnn-fixpoint scan-bench: x_t = A x_{t-1} + b_t solved sequentially, by the chunked carry scan on 1 .. "
        << config.threads << " threads" << (config.cuda ? " and on the GPU" : " (no GPU: --device cpu)")
        << "; best speedup on " << config.threads << " threads " << core::format_sig(best_speedup, 3)
        << "x (at most the thread count, and the memory bandwidth's gain on that many threads, for a scan that "
           "streams its forcing and states); a loop with no memory traffic reached "
        << core::format_sig(ceiling, 3)
        << "x on the same threads (the parallelism this machine had to give); best memory copy "
        << core::format_sig(copy_gbs, 3) << " GB/s; largest difference from the sequential solver "
        << core::format_sig(worst, 3)
        << " relative (bound 1e-12). An associative scan would do O(T d^3) work in O(log T) depth (work_flops, "
           "depth_levels).\n";
    if (worst > 1e-12) r.fail_after_writing("a scan differs from the sequential recurrence beyond rounding");
  }
};

void write_binary(const std::string& path, const double* data, std::size_t n) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n * sizeof(double)));
  if (!f) throw core::NumericalError("--save: could not write " + path);
}

struct Timing {
  rnn::RnnConfig config;
  std::uint64_t d = 16, T = 100000, repeats = 3;
  std::string save;
  bool sequential_only = false;

  Timing() { config.sigma_u = 0.5; }

  void declare(core::Options& o) {
    o.integer("d", d, 1, max_dim, "state dimension d");
    o.integer("T", T, 1, max_length, "sequence length T");
    o.real("rho", config.rho, {0, 1e6}, "spectral radius of A");
    o.real("sigma-u", config.sigma_u, {0, 1e6}, "standard deviation of the inputs");
    o.integer("repeats", repeats, 1, 1000, "timed runs; the best is kept");
    o.flag("sequential-only", sequential_only, "time the sequential RNN only (no Newton rows)");
    o.text("save", save, "PREFIX",
           "also write PREFIX.A.bin (d x d, column-major), PREFIX.u.bin and PREFIX.h.bin (T x d, row-major), "
           "little-endian float64, for the benchmark's peers");
  }

  void run(core::Run& r) {
    config.d = d;
    config.T = T;
    check_memory(rnn::iteration_bytes(d, T, false), "--T " + std::to_string(T) + " with --d " + std::to_string(d));
    const auto model = rnn::TanhRnn::random(config, r.seed);
    std::vector<double> states;
    const auto rows = rnn::time_rnn(model, repeats, r.threads, &states, !sequential_only);
    auto& csv = r.csv(
        {{"method"}, {"d"}, {"T"}, {"threads"}, {"seconds"}, {"iterations"}, {"sequential_passes"}, {"max_error"}});
    for (const auto& row : rows)
      csv.row({row.method, d, T, row.method == "newton_chunked_scan" ? r.threads : 1u, row.seconds, row.iterations,
               row.seconds / rows[0].seconds, row.max_error});
    if (!save.empty()) {
      write_binary(save + ".A.bin", model.a().data(), d * d);
      write_binary(save + ".u.bin", model.u().data(), model.u().size());
      write_binary(save + ".h.bin", states.data(), states.size());
    }
    r.summary() << "rnn-fixpoint timing: the sequential tanh RNN (d = " << d << ", T = " << T << ") takes "
                << core::format_sig(rows[0].seconds * 1e9 / static_cast<double>(T), 4) << " ns per step";
    if (rows.size() < 3) {
      r.summary() << ".\n";
      return;
    }
    r.summary() << "; the whole Newton solve costs " << core::format_sig(rows[1].seconds / rows[0].seconds, 3)
                << " sequential passes with the sequential scan and "
                << core::format_sig(rows[2].seconds / rows[0].seconds, 3) << " with the chunked scan on " << r.threads
                << " threads (" << rows[1].iterations << " iterations).\n";
  }
};

const core::Command commands[] = {
    core::command<Converge>(
        "converge", "error per iteration of every scheme against the sequential RNN",
        core::uses_threads | core::uses_seed,
        "Columns: scheme, iteration n, max_error = max_t |h_t^(n) - h_t|_inf, exact_prefix (steps within the\n"
        "tolerance from t = 1), residual = max_t |h_t^(n) - tanh(A h_{t-1}^(n) + u_t)|_inf. A scheme whose iterate\n"
        "overflows stops there (the summary says where); its rows end at the last finite iterate. Exit 1 after\n"
        "writing if the exact prefix, termination within T, or Newton's quadratic ratio fails."),
    core::command<Sweep>(
        "sweep", "iterations to tolerance against T, rho and sigma_u for each scheme",
        core::uses_threads | core::uses_seed,
        "Columns: axis (T, rho or sigma_u: the one that varies), T, rho, sigma_u, scheme, iterations (the cap\n"
        "when not converged), converged, diverged_at (0: stayed finite), final_error and exact_prefix of the last\n"
        "finite iterate (the error of h^(0) = 0 if the first overflowed)."),
    core::command<GruCmd>(
        "gru", "the same for a GRU cell with the rewritten iteration A = 1/2 (I + 1/2 U_h)",
        core::uses_threads | core::uses_seed,
        "Columns as converge. first_order uses the GRU's Jacobian at h = 0, newton at the previous iterate."),
    core::command<ScanBench>(
        "scan-bench", "the linear-recurrence solver: wall time, bandwidth and speedup against T and d",
        core::uses_threads | core::uses_seed | core::uses_device,
        "Columns: method (stream_copy: the machine's memory bandwidth on 1 .. --threads; parallel_reference: an\n"
        "arithmetic-only loop split over 1 .. --threads, whose speedup is the ceiling a shared machine allows;\n"
        "dense_* constant d x d A; diagonal_* complex eigenvalues; *_chunked on 1 .. --threads), T, d, threads,\n"
        "chunks, seconds (best of --repeats),\n"
        "GB_per_s (forcing read + states written), speedup over the sequential solver of the same form,\n"
        "max_rel_diff from it, work_flops and depth_levels of an associative scan of a time-varying dense A,\n"
        "pass2_steps (chunked: steps run after the parallel pass; the carry scan stops each chunk's correction\n"
        "once it is below rounding, the two-pass scan reruns chunks 1..K-1)."),
    core::command<Timing>(
        "timing", "the sequential RNN against the whole Newton solve (for make bench)",
        core::uses_threads | core::uses_seed,
        "Columns: method (sequential, newton_sequential_scan, newton_chunked_scan; the first only with\n"
        "--sequential-only), d, T, threads, seconds (best of --repeats), iterations, sequential_passes (seconds\n"
        "over the sequential RNN's), max_error."),
    core::reproduce_command(rnn::reproduce, {rnn::claims()}),
};

}  // namespace

int main(int argc, char** argv) {
  const core::ToolInfo tool{"rnn-fixpoint",
                            "a nonlinear RNN computed by iterating parallel linear recurrences (fixed point, "
                            "perturbation, Newton/DEER)",
                            "h_t = tanh(A h_{t-1} + u_t), h_0 = 0; A random with spectral radius --rho, u_t ~ N(0, "
                            "sigma_u^2). After Lim et al. 2023 (DEER)."};
  return core::run_tool(tool, commands, argc, argv);
}
