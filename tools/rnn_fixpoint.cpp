// rnn-fixpoint: a nonlinear RNN computed by iterating parallel linear recurrences (fixed point,
// perturbation, diagonalised, first-order, Newton/DEER), after Lim, Zhu, Selfridge and Kasim,
// "Parallelizing Non-Linear Sequential Models over the Sequence Length" (DEER; ICLR 2024, arXiv:2309.12252).
// A thin driver: the option table, one call into lib/rnn/study.hpp, the CSV rows and the summary's wording.
#include <cmath>
#include <span>
#include <string>

#include "core/claims.hpp"
#include "core/cli.hpp"
#include "core/output.hpp"
#include "rnn/claims.hpp"
#include "rnn/study.hpp"

namespace {

using rnn::max_dim, rnn::max_length;

using rnn::declare_model;

void append(std::string& list, const std::string& item, const char* separator = "; ") {
  list.append(list.empty() ? "" : separator).append(item);
}

// converge (the tanh RNN) and gru: every scheme against the sequential model, with the paper's checks.
template <class Config>
struct SchemeComparison {
  Config config;
  static constexpr const char* label = Config::gru ? "rnn-fixpoint gru" : "rnn-fixpoint converge";

  void declare(core::Options& o) {
    declare_model(o, config.model);
    rnn::declare_matrix(o, config.model.matrix);
    rnn::declare_options(o, config.iteration);
  }

  void run(core::Run& r) {
    config.iteration.seed = r.seed, config.iteration.threads = r.threads;
    const auto result = rnn::converge(config, r.ticker(label, config.iteration.schemes.size()));
    auto& csv = r.csv(rnn::converge_columns());
    for (const auto& s : result.schemes)
      for (const auto& it : s.run.iterations)
        csv.row({rnn::to_string(s.run.scheme), it.n, it.max_error, it.exact_prefix, it.residual});
    const auto& m = config.model;
    auto& out = r.summary();
    out << label << ": " << (Config::gru ? "GRU" : "h_t = tanh(A h_{t-1} + u_t)") << ", d = " << m.d << ", T = " << m.T
        << ", rho = " << m.rho << ", sigma_u = " << m.sigma_u << ", tolerance " << config.iteration.tolerance
        << " relative. Iterations to reach the sequential solution:";
    std::string failures;
    for (const auto& s : result.schemes) {
      const auto& res = s.run;
      const std::string name(rnn::to_string(res.scheme));
      out << "\n  " << name << (res.fell_back ? " (dense fallback)" : "") << ": " << rnn::describe(res);
      if (res.scheme == rnn::Scheme::newton && !std::isnan(res.newton_ratio))
        out << "; max e_(n+1)/e_n^2 = " << core::format_sig(res.newton_ratio, 3);
      if (s.prefix_lagged)
        out << "; its exact prefix lagged behind n from iteration " << res.prefix_violation
            << " (rounding amplified by an expanding linear recurrence)";
      if (s.prefix_failed)
        append(failures, name + ": exact prefix < n at iteration " + std::to_string(res.prefix_violation));
      if (s.unterminated) append(failures, name + ": not converged after T iterations");
      if (s.newton_ratio_failed)
        append(failures, "newton: e_(n+1)/e_n^2 = " + core::format_sig(res.newton_ratio, 3) + " exceeds " +
                             core::format_sig(rnn::newton_ratio_bound, 3));
    }
    out << "\n  Checks: exact prefix >= n after n iterations, termination within T, Newton's ratio <= "
        << rnn::newton_ratio_bound << ": " << (result.checks_hold ? "all hold." : "FAILED (" + failures + ").");
    const auto& handful = core::find_claim(rnn::claims(), "newton_handful");
    out << " Published (" << handful.source << "): Newton converges in " << handful.published
        << " iterations for contractive A.\n";
    if (!result.checks_hold) r.fail_after_writing(failures);
  }
};

struct Sweep {
  rnn::SweepConfig config;

  void declare(core::Options& o) {
    o.integer("d", config.d, 1, max_dim, "state dimension d");
    o.integer_list("T-list", config.lengths, 1, max_length,
                   "sequence lengths of the T axis (at the base rho and sigma_u)");
    o.real_list("rho-list", config.radii, {0, 1e300}, "spectral radii of the rho axis (at the base T and sigma_u)");
    o.real_list("sigma-list", config.input_scales, {0, 1e300},
                "input scales of the sigma_u axis (at the base T and rho)");
    o.integer("T", config.base.T, 1, max_length, "base T");
    o.real("rho", config.base.rho, {0, 1e6}, "base spectral radius");
    o.real("sigma-u", config.base.sigma_u, {0, 1e6}, "base input scale");
    o.real("tol", config.tolerance, {0, 1, true, false}, "relative tolerance");
    o.integer("max-iter", config.max_iterations, 1, max_length, "iteration cap per point and scheme (and at most T)");
    o.choice_list("schemes", config.schemes, rnn::all_schemes, "the schemes to run");
    o.flag("gru", config.gru, "sweep the GRU instead of the tanh RNN");
  }

  void run(core::Run& r) {
    config.seed = r.seed, config.threads = r.threads;
    const auto result = rnn::iteration_sweep(config, r.ticker("sweep", rnn::sweep_points(config).size()), r.sweep());
    auto& csv = r.csv(rnn::sweep_columns());
    for (const auto& row : result.rows)
      csv.row({row.axis, row.config.T, row.config.rho, row.config.sigma_u, rnn::to_string(row.scheme), row.iterations,
               row.converged, row.diverged_at, row.final_error, row.exact_prefix});
    std::string diverged, prefix_fail;
    for (const auto& scheme : result.divergences) {
      std::string list;
      for (std::size_t i : scheme.rows)
        append(list, rnn::point_text(result.rows[i]) + " at iteration " + std::to_string(result.rows[i].diverged_at));
      append(diverged, std::string(rnn::to_string(scheme.scheme)) + " (" + list + ")", ", ");
    }
    for (rnn::Scheme s : result.prefix_failures) prefix_fail.append(" ").append(rnn::to_string(s));
    r.summary() << "rnn-fixpoint sweep" << (config.gru ? " (GRU)" : "") << ": iterations to tolerance "
                << config.tolerance << " (cap " << config.max_iterations << ") over " << result.points
                << " points. The perturbation scheme beats the plain fixed point at " << result.perturb_beats_fixed
                << " of " << result.perturb_compared << " points (small inputs; see the sigma_u axis). Diverged: "
                << (diverged.empty() ? std::string("none") : diverged)
                << ". Exact-prefix check: " << (prefix_fail.empty() ? "holds on every converged run" : "FAILS for")
                << prefix_fail << "; on " << result.prefix_lagged
                << " runs that did not converge the prefix lagged behind n (rounding amplified by an expanding "
                   "recurrence).\n";
    if (!prefix_fail.empty()) r.fail_after_writing("the exact-prefix property failed for" + prefix_fail);
  }
};

struct ScanBench {
  rnn::ScanBenchConfig config;

  void declare(core::Options& o) {
    o.integer_list("T-list", config.lengths, 1, max_length, "sequence lengths");
    o.integer_list("d-list", config.dims, 1, max_dim, "state dimensions");
    o.integer("repeats", config.repeats, 1, 1000, "timed runs per row; the best is kept");
    o.real("rho", config.rho, {0, 1.5}, "spectral radius of the constant A");
  }

  void run(core::Run& r) {
    config.seed = r.seed, config.threads = r.threads, config.cuda = r.device == core::Device::cuda;
    const auto result = rnn::scan_bench(config, r.ticker("scan-bench", rnn::scan_bench_rows(config)));
    auto& csv = r.csv(rnn::scan_bench_columns());
    for (const auto& row : result.rows)
      csv.row({row.method, row.T, row.d, row.threads, row.chunks, row.seconds, row.gb_per_s, row.speedup,
               row.max_rel_diff, row.work_flops, row.depth_levels, row.pass2_steps});
    r.summary() << "rnn-fixpoint scan-bench: x_t = A x_{t-1} + b_t solved sequentially, by the chunked carry scan "
                << "on 1 .. " << config.threads << " threads"
                << (config.cuda ? " and on the GPU" : " (no GPU: --device cpu)") << "; best speedup on "
                << config.threads << " threads " << core::format_sig(result.best_speedup, 3)
                << "x (at most the thread count, and the memory bandwidth's gain on that many threads, for a scan "
                   "that streams its forcing and states); a loop with no memory traffic reached "
                << core::format_sig(result.parallel_ceiling, 3)
                << "x on the same threads (the parallelism this machine had to give); best memory copy "
                << core::format_sig(result.copy_gb_per_s, 3) << " GB/s; largest difference from the sequential solver "
                << core::format_sig(result.max_rel_diff, 3) << " relative (bound " << rnn::scan_diff_bound
                << "). An associative scan would do O(T d^3) work in O(log T) depth (work_flops, depth_levels).\n";
    if (!result.scans_agree) r.fail_after_writing("a scan differs from the sequential recurrence beyond rounding");
  }
};

struct Timing {
  rnn::TimingConfig config;
  std::string save;

  void declare(core::Options& o) {
    declare_model(o, config.model);
    o.integer("repeats", config.repeats, 1, 1000, "timed runs; the best is kept");
    o.flag("sequential-only", config.sequential_only, "time the sequential RNN only (no Newton rows)");
    o.output_prefix("save", save,
           "also write PREFIX.A.bin (d x d, column-major), PREFIX.u.bin and PREFIX.h.bin (T x d, row-major), "
           "little-endian float64, for the benchmark's peers");
  }

  void run(core::Run& r) {
    config.seed = r.seed, config.threads = r.threads;
    const auto result = rnn::timing(config);
    const auto& m = config.model;
    auto& csv = r.csv(rnn::timing_columns());
    for (const auto& row : result.rows)
      csv.row({row.method, m.d, m.T, row.threads, row.seconds, row.iterations, row.sequential_passes, row.max_error});
    if (!save.empty()) {
      const auto& a = result.model.a();
      core::write_binary(save + ".A.bin", std::span<const double>(a.data(), a.size()), "--save");
      core::write_binary(save + ".u.bin", result.model.u(), "--save");
      core::write_binary(save + ".h.bin", result.states, "--save");
    }
    r.summary() << "rnn-fixpoint timing: the sequential tanh RNN (d = " << m.d << ", T = " << m.T << ") takes "
                << core::format_sig(result.ns_per_step, 4) << " ns per step";
    if (config.sequential_only) return void(r.summary() << ".\n");
    const auto &sequential_scan = result.rows[1], &chunked_scan = result.rows[2];
    r.summary() << "; the whole Newton solve costs " << core::format_sig(sequential_scan.sequential_passes, 3)
                << " sequential passes with the sequential scan and "
                << core::format_sig(chunked_scan.sequential_passes, 3) << " with the chunked scan on " << r.threads
                << " threads (" << sequential_scan.iterations << " iterations).\n";
  }
};

const char* const converge_notes =
    "A scheme whose iterate overflows stops there (the summary says where); its rows end at the last finite\n"
    "iterate. Exit 1 after writing if the exact prefix, termination within T, or Newton's quadratic ratio fails.";

const core::Command commands[] = {
    core::command<SchemeComparison<rnn::ConvergeConfig>>(
        "converge", "error per iteration of every scheme against the sequential RNN",
        core::uses_threads | core::uses_seed, {{"", rnn::converge_columns()}}, converge_notes),
    core::command<Sweep>("sweep", "iterations to tolerance against T, rho and sigma_u for each scheme",
                         core::uses_threads | core::uses_seed | core::uses_shards, {{"", rnn::sweep_columns()}}),
    core::command<SchemeComparison<rnn::GruConvergeConfig>>(
        "gru", "the same for a GRU cell with the rewritten iteration A = 1/2 (I + 1/2 U_h)",
        core::uses_threads | core::uses_seed, {{"", rnn::converge_columns()}},
        std::string(converge_notes) +
            "\nfirst_order uses the GRU's Jacobian at h = 0, newton at the previous iterate."),
    core::command<ScanBench>(
        "scan-bench", "the linear-recurrence solver: wall time, bandwidth and speedup against T and d",
        core::uses_threads | core::uses_seed | core::uses_device, {{"", rnn::scan_bench_columns()}},
        rnn::scan_bench_methods() + "\nExit 1 after writing if a scan differs from the sequential solver beyond " +
            core::format_sig(rnn::scan_diff_bound, 3) + " relative."),
    core::command<Timing>("timing", "the sequential RNN against the whole Newton solve (for make bench)",
                          core::uses_threads | core::uses_seed, {{"", rnn::timing_columns()}},
                          "With --sequential-only the sequential row alone."),
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
