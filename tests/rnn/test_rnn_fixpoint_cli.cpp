#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "run_process.hpp"

namespace fs = std::filesystem;

namespace {

const std::string exe = TOOL_EXE;

ProcessResult tool(const std::vector<std::string>& args) {
  return run_process(exe, args);
}

}  // namespace

TEST_CASE("converge at its defaults: every scheme reaches the sequential RNN and the checks hold") {
  const auto r = tool({"converge", "--T", "300"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("scheme,iteration,max_error,exact_prefix,residual\n", 0) == 0);
  for (const char* s : {"\nfixed,1,", "\nperturb,1,", "\ndiagonal,1,", "\nfirst_order,1,", "\nnewton,1,"})
    CHECK(r.out.find(s) != std::string::npos);
  CHECK(r.err.find("all hold") != std::string::npos);
  CHECK(r.out.find("nan") == std::string::npos);
}

TEST_CASE("an unstable A: the overflowing schemes are named with their iteration, and no row holds nan or inf") {
  const auto r = tool({"converge", "--rho", "1.5", "--sigma-u", "0.5", "--T", "1000", "--schemes", "perturb,newton"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("perturb: DIVERGED at iteration") != std::string::npos);
  CHECK(r.out.find("nan") == std::string::npos);
  CHECK(r.out.find("inf") == std::string::npos);
}

TEST_CASE("converge writes the same CSV at 1 and 2 threads and with the chunked scan to rounding") {
  const auto one = tool({"converge", "--T", "200", "--threads", "1", "--schemes", "fixed,first_order"});
  const auto two = tool({"converge", "--T", "200", "--threads", "2", "--schemes", "fixed,first_order"});
  CHECK(one.exit_code == 0);
  CHECK(one.out == two.out);
  const auto chunked = tool({"converge", "--T", "200", "--scan", "chunked", "--threads", "2", "--schemes", "newton"});
  CHECK(chunked.exit_code == 0);
}

TEST_CASE("converge and gru --scan chunked: byte-identical at 1, 2 and 3 threads with the default --chunks") {
  // Issue 23: the default was threads + 1 chunks, so the last digits followed --threads.
  for (const char* sub : {"converge", "gru"}) {
    std::vector<std::string> outs;
    for (const char* t : {"1", "2", "3"}) {
      const auto r =
          tool({sub, "--T", "2000", "--scan", "chunked", "--threads", t, "--schemes", "perturb,newton", "-q"});
      REQUIRE(r.exit_code == 0);
      outs.push_back(r.out);
    }
    INFO(sub);
    CHECK(outs[0] == outs[1]);
    CHECK(outs[0] == outs[2]);
  }
}

TEST_CASE("sweep on a small grid: the same CSV at 1 and 2 threads") {
  const std::vector<std::string> args{"sweep",    "--d",        "4",          "--T",     "100",
                                      "--T-list", "50,100",     "--rho-list", "0.5,1.4", "--sigma-list",
                                      "0.1",      "--max-iter", "50"};
  auto a1 = args, a2 = args;
  a1.insert(a1.end(), {"--threads", "1"});
  a2.insert(a2.end(), {"--threads", "2"});
  const auto one = tool(a1), two = tool(a2);
  CHECK(one.exit_code == 0);
  CHECK(one.out == two.out);
  CHECK(count_lines(one.out) == 1 + 5 * 5);
  CHECK(one.out.rfind("axis,T,rho,sigma_u,scheme,iterations,converged,diverged_at,final_error,exact_prefix\n", 0) == 0);
}

TEST_CASE("gru converges with every scheme") {
  const auto r = tool({"gru", "--T", "200", "--d", "8"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("all hold") != std::string::npos);
}

TEST_CASE("scan-bench on a small grid: the scans equal the sequential solver") {
  const auto r =
      tool({"scan-bench", "--T-list", "1000", "--d-list", "4", "--repeats", "1", "--threads", "2", "--device", "cpu"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\ndense_chunked,1000,4,2,2,") != std::string::npos);
  CHECK(r.out.find("\ndiagonal_chunked,1000,4,2,2,") != std::string::npos);
  CHECK(r.out.find("\nparallel_reference,") != std::string::npos);
  CHECK(r.out.find("nan") == std::string::npos);
}

TEST_CASE("timing writes the sequential and Newton rows and, with --save, the peers' inputs") {
  const auto dir = fresh_dir("save");
  const auto r = tool({"timing", "--T", "500", "--d", "4", "--repeats", "1", "--save", (dir / "x").string()});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\nsequential,4,500,1,") != std::string::npos);
  CHECK(fs::file_size(dir / "x.u.bin") == 500 * 4 * 8);
  CHECK(fs::file_size(dir / "x.h.bin") == 500 * 4 * 8);
  CHECK(fs::file_size(dir / "x.A.bin") == 16 * 8);
  fs::remove_all(dir);
}

TEST_CASE("timing --sequential-only writes the sequential row alone") {
  const auto r = tool({"timing", "--T", "500", "--d", "4", "--repeats", "2", "--sequential-only"});
  CHECK(r.exit_code == 0);
  CHECK(count_lines(r.out) == 2);
  CHECK(r.out.find("\nsequential,4,500,1,") != std::string::npos);
  CHECK(r.out.find("newton") == std::string::npos);
}

TEST_CASE("reproduce --quick: every quick claim agrees") {
  const auto r = tool({"reproduce", "--quick"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("tool,key,claim,source,published,ours,status,note\n", 0) == 0);
  CHECK(r.out.find(",differs,") == std::string::npos);
  CHECK(count_lines(r.out) >= 8);
}

TEST_CASE("bad input: one line naming the option, exit 2, no file") {
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"converge", "--d", "0"}, "--d") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"timing", "--save", "/proc/x/y", "--T", "100"}, "--save") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"timing", "--save", "--sequential-only"}, "--save") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"converge", "--T", "0"}, "--T") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"converge", "--rho", "-0.1"}, "--rho") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"converge", "--rho", "nan"}, "--rho") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"converge", "--rho", "inf"}, "--rho") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"converge", "--sigma-u", "-1"}, "--sigma-u") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"converge", "--tol", "0"}, "--tol") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"converge", "--tol", "-1e-9"}, "--tol") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"converge", "--schemes", "fixed,magic"}, "--schemes") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"converge", "--matrix", "jordan"}, "--schemes") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"converge", "--T", "100000000", "--d", "4096"}, "--T") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"gru", "--T", "1000000", "--d", "1000"}, "--T") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"sweep", "--rho-list", "0.5,x"}, "--rho-list") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"sweep", "--T-list", "0"}, "--T-list") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"scan-bench", "--d-list", "0"}, "--d-list") == "");
  CHECK(bad_input_problem(exe, "rnn-fixpoint", {"converge", "--scan", "magic"}, "--scan") == "");
}

TEST_CASE("a defective A runs the diagonal scheme densely when the fallback is asked for") {
  const auto r = tool({"converge", "--matrix", "jordan", "--diagonal-fallback", "--T", "100", "--schemes", "diagonal"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("dense fallback") != std::string::npos);
}

TEST_CASE("device: --device cuda without CUDA or a GPU is bad input") {
  const auto r = tool({"scan-bench", "--device", "cuda", "--T-list", "100"});
  if (r.exit_code == 0) return;  // a machine with a GPU
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--device") != std::string::npos);
}

TEST_CASE("every subcommand's --help lists the columns it writes") {
  CHECK(help_columns_problem(
            exe, {{"converge", "--T", "50", "--d", "4"},
                  {"gru", "--T", "50", "--d", "4"},
                  {"sweep", "--d", "2", "--T", "20", "--T-list", "20", "--rho-list", "0.5", "--sigma-list", "0.1",
                   "--max-iter", "20"},
                  {"scan-bench", "--T-list", "100", "--d-list", "2", "--repeats", "1", "--device", "cpu"},
                  {"timing", "--T", "100", "--d", "4", "--repeats", "1"},
                  {"reproduce", "--list"},
                  {"reproduce", "--quick"}}) == "");
}

TEST_CASE("a run estimated above MLDERIV_MAX_SECONDS is refused at once with the estimate (exit 2)") {
  ::setenv("MLDERIV_MAX_SECONDS", "2", 1);
  const auto r = tool({"timing", "--repeats", "1000"});
  const auto small = tool({"converge", "--T", "100", "--threads", "1"});
  ::unsetenv("MLDERIV_MAX_SECONDS");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("rnn-fixpoint: error: --repeats 1000 with --T 100000 and --d 16: would take about ") == 0);
  CHECK(r.err.find("at most 2 s is allowed (MLDERIV_MAX_SECONDS)") != std::string::npos);
  CHECK(r.out.empty());
  CHECK(r.seconds < 1);
  CHECK(small.exit_code == 0);
}
