#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "run_process.hpp"

namespace fs = std::filesystem;

namespace {

const std::string exe = TOOL_EXE;

ProcessResult tool(const std::vector<std::string>& args, const std::string& in = "") {
  return run_process(exe, args, in);
}

// Bad input: one line on stderr naming the problem, exit 2, and no output file.
void check_bad(const std::vector<std::string>& args, const std::string& mention, const std::string& in = "") {
  CHECK(bad_input_problem(exe, "quanta-scaling", args, mention, in) == "");
}

const std::string good_csv = "loss,Model Size,Training FLOP\n3.1,1e8,1e18\n2.9,2e8,2e18\n2.8,3e8,3e18\n2.7,4e8,5e18\n";

}  // namespace

TEST_CASE("curve writes one row per gamma and n, with the ratio tending to 1") {
  const auto r = tool({"curve", "--gamma", "0.5", "--points", "10"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("gamma,n,loss,loss_asymptotic,tail_ratio,n_times_1_minus_ratio\n", 0) == 0);
  CHECK(count_lines(r.out) == 11);
  CHECK(r.err.find("O(1/n)") != std::string::npos);
}

TEST_CASE("simulate writes the same CSV at 1 and 2 threads and reports covered intervals") {
  const std::vector<std::string> base{"simulate", "--points", "5", "--seeds", "3"};
  auto a = base, b = base;
  a.insert(a.end(), {"--threads", "1"});
  b.insert(b.end(), {"--threads", "2"});
  const auto one = tool(a), two = tool(b);
  CHECK(one.exit_code == 0);
  CHECK(one.out == two.out);
  CHECK(count_lines(one.out) == 1 + 4 * 5);
  CHECK(one.err.find("intervals cover the prediction") != std::string::npos);
}

TEST_CASE("emergence reports where the floor is reached") {
  const auto r = tool({"emergence", "--quanta", "100", "--points", "9"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("N = C K = 100000") != std::string::npos);
}

TEST_CASE("fit --form power runs on a small CSV from stdin") {
  const auto r =
      tool({"fit", "--csv", "-", "--form", "power", "--exclude-highest", "0", "--bootstrap", "20"}, good_csv);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\n0,4,alpha,") != std::string::npos);
}

TEST_CASE("bad options: gamma <= 0, b <= a, tau < 1, B < 1, points") {
  check_bad({"curve", "--gamma", "0"}, "--gamma");
  check_bad({"curve", "--gamma", "0.5,-1"}, "--gamma");
  check_bad({"simulate", "--gamma", "x"}, "--gamma");
  check_bad({"emergence", "--gamma", "0"}, "--gamma");
  check_bad({"curve", "--a", "2", "--b", "2"}, "--b");
  check_bad({"simulate", "--tau", "0"}, "--tau");
  check_bad({"simulate", "--batch", "0.5"}, "--batch");
  check_bad({"simulate", "--from", "1e9", "--to", "1e6"}, "--from");
  check_bad({"simulate", "--axis", "tokens"}, "--axis");
}

TEST_CASE("bad CSV input: empty, malformed, missing or non-numeric column, non-positive values, too few rows") {
  check_bad({"fit", "--csv", "-"}, "--csv", "");
  check_bad({"fit", "--csv", "-"}, "--csv", "loss,Model Size,Training FLOP\n\"3,1e8,1e18\n");
  check_bad({"fit", "--csv", "-"}, "Training FLOP", "loss,Model Size\n3,1e8\n2,2e8\n");
  check_bad({"fit", "--csv", "-", "--loss-column", "L"}, "'L'", good_csv);
  check_bad({"fit", "--csv", "-", "--exclude-highest", "0"}, "expected a number",
            "loss,Model Size,Training FLOP\n3,1e8,1e18\nx,2e8,1e18\n2,1,1\n2,1,1\n2,1,1\n");
  check_bad({"fit", "--csv", "-", "--form", "power"}, "positive", "loss,Model Size\n3,1e8\n2,0\n2,3\n");
  check_bad({"fit", "--csv", "-", "--form", "power"}, "positive", "loss,Model Size\n-3,1e8\n2,2\n2,3\n");
  check_bad({"fit", "--csv", "-", "--exclude-highest", "0"}, "positive",
            "loss,Model Size,Training FLOP\n3,1e8,0\n2,2e8,1e18\n2,1,1\n2,1,1\n2,1,1\n");
  check_bad({"fit", "--csv", "-", "--exclude-highest", "0"}, "5 parameters", good_csv);
  check_bad({"fit", "--csv", "-", "--form", "power", "--exclude-highest", "2"}, "--exclude-highest", good_csv);
  check_bad({"fit", "--csv", "/nonexistent/file.csv"}, "/nonexistent/file.csv");
}

TEST_CASE("a fit that does not converge exits 1 and prints no number") {
  const auto dir = fresh_dir("noconv");
  const auto out = (dir / "fit.csv").string();
  const auto r = tool(
      {"fit", "--csv", "-", "--form", "power", "--exclude-highest", "0", "--max-iterations", "1", "-o", out}, good_csv);
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("converge") != std::string::npos);
  CHECK(fs::is_empty(dir));
  fs::remove_all(dir);
}

namespace {

// Twelve runs on an exact Chinchilla law, so the five-parameter fit is quick.
void write_law_csv(const std::string& path) {
  std::ofstream f(path);
  f << "loss,Model Size,Training FLOP\n";
  for (double n : {1e7, 3e7, 1e8, 3e8})
    for (double c : {1e18, 1e19, 1e20}) {
      const double d = c / (6 * n);
      f << 1.7 + 400 / std::pow(n, 0.34) + 410 / std::pow(d, 0.28) << "," << n << "," << c << "\n";
    }
}

}  // namespace

TEST_CASE("fit --bootstrap 0 says there is no interval instead of calling every value outside it") {
  const auto dir = fresh_dir("no_bootstrap");
  const auto csv = (dir / "law.csv").string();
  write_law_csv(csv);
  const auto r = tool({"fit", "--csv", csv, "--exclude-highest", "0", "--bootstrap", "0"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("OUTSIDE") == std::string::npos);
  CHECK(r.err.find("does NOT hold") == std::string::npos);
  CHECK(r.err.find("Chinchilla paper 1.69 (no interval to compare with)") != std::string::npos);
  CHECK(r.err.find("cannot be tested: beta has no interval") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("allocate --bootstrap 0: a row per budget, nan intervals, and a summary that says there is none") {
  const auto dir = fresh_dir("allocate_no_bootstrap");
  const auto csv = (dir / "law.csv").string();
  write_law_csv(csv);
  const auto r =
      tool({"allocate", "--csv", csv, "--exclude-highest", "0", "--bootstrap", "0", "--compute", "1e20,1e24"});
  REQUIRE(r.exit_code == 0);
  CHECK(count_lines(r.out) == 3);
  CHECK(r.out.find("\n1e+24,") != std::string::npos);
  CHECK(r.out.find(",nan,nan,") != std::string::npos);
  CHECK(r.err.find("OUTSIDE") == std::string::npos);
  CHECK(r.err.find("(no interval: --bootstrap 0)") != std::string::npos);
  CHECK(bad_input_problem(exe, "quanta-scaling", {"allocate", "--compute", "0"}, "--compute") == "");
  fs::remove_all(dir);
}

namespace {

// Fifteen runs on an exact Chinchilla law: five sizes at each of three budgets, whose parabolas all have an
// interior minimum.
std::string write_isoflop_csv(const fs::path& dir) {
  const auto path = (dir / "isoflop.csv").string();
  std::ofstream f(path);
  f << "loss,Model Size,Training FLOP\n";
  for (double c : {1e18, 1e19, 1e20})
    for (double n : {1e7, 3e7, 1e8, 3e8, 1e9}) {
      const double d = c / (6 * n);
      f << 1.7 + 400 / std::pow(n, 0.34) + 410 / std::pow(d, 0.28) << "," << n << "," << c << "\n";
    }
  return path;
}

}  // namespace

TEST_CASE("isoflop on the bundled Chinchilla runs: a row per budget, every band kept, the paper's approach 2 named") {
  const auto r = tool({"isoflop", "--no-comparison"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(count_lines(r.out) == 1 + 9);
  CHECK(r.out.rfind("budget,compute,runs,N_min,N_max,status,", 0) == 0);
  CHECK(r.err.find("9 of 9 bands have an interior minimum") != std::string::npos);
  CHECK(r.err.find("the Chinchilla paper's approach 2: 0.49 (0.462 .. 0.534)") != std::string::npos);
  CHECK(r.err.find("Approach 3") == std::string::npos);  // --no-comparison
}

TEST_CASE("isoflop: fewer than three bands with an interior minimum exit 1 naming the refused band, no file") {
  const auto dir = fresh_dir("isoflop_refused");
  const auto law = write_law_runs(dir);  // 4 sizes at 1e18, 1e19, 1e20: at 1e20 the optimum lies above them all
  const auto out = (dir / "out.csv").string();
  const auto r = tool({"isoflop", "--csv", law, "--exclude-highest", "0", "--budgets", "1e18,1e19,1e20", "-o", out});
  CHECK(r.exit_code == 1);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("1e+20: vertex_above_range") != std::string::npos);
  CHECK(!fs::exists(out));
  const auto ok = tool({"isoflop", "--csv", write_isoflop_csv(dir), "--exclude-highest", "0", "--budgets",
                        "1e18,1e19,1e20", "--threads", "1"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find(",kept,") != std::string::npos);
  CHECK(ok.err.find("Approach 3 on the same runs") != std::string::npos);
  CHECK(ok.out == tool({"isoflop", "--csv", write_isoflop_csv(dir), "--exclude-highest", "0", "--budgets",
                        "1e18,1e19,1e20", "--threads", "2"})
                      .out);
  fs::remove_all(dir);
}

TEST_CASE("isoflop bad input: budgets too few or not increasing, a band width of 0, an unknown band compute") {
  check_bad({"isoflop", "--budgets", "1e19,1e20"}, "--budgets");
  check_bad({"isoflop", "--budgets", "1e19,3e19,2e19"}, "--budgets");
  check_bad({"isoflop", "--budgets", "1e19,0,3e19"}, "--budgets");
  check_bad({"isoflop", "--band-width", "0"}, "--band-width");
  check_bad({"isoflop", "--band-width", "11"}, "--band-width");
  check_bad({"isoflop", "--band-compute", "median"}, "--band-compute");
}

TEST_CASE("every subcommand's --help lists the columns it writes") {
  const auto dir = fresh_dir("help_columns");
  const auto csv = (dir / "law.csv").string();
  write_law_csv(csv);
  const std::vector<std::string> fit{"fit", "--csv", csv, "--exclude-highest", "0", "--bootstrap", "0"};
  auto surface = fit;
  surface.insert(surface.end(), {"--table", "surface"});
  auto allocate = fit;
  allocate.front() = "allocate";
  auto synthetic = fit;
  synthetic.front() = "synthetic";
  synthetic.insert(synthetic.end(), {"--draws", "1"});
  const std::vector<std::string> loss_scale{"loss-scale",       "--csv", csv, "--exclude-highest", "0",
                                            "--max-iterations", "3"};
  const std::vector<std::string> isoflop{"isoflop", "--csv",     write_isoflop_csv(dir), "--exclude-highest",
                                         "0",       "--budgets", "1e18,1e19,1e20",       "--no-comparison"};
  auto isoflop_curves = isoflop;
  isoflop_curves.insert(isoflop_curves.end(), {"--table", "curves"});
  CHECK(help_columns_problem(exe, {{"curve", "--points", "3"},
                                   {"simulate", "--points", "3", "--seeds", "2"},
                                   {"emergence", "--points", "3"},
                                   fit,
                                   surface,
                                   allocate,
                                   synthetic,
                                   loss_scale,
                                   isoflop,
                                   isoflop_curves,
                                   {"reproduce", "--list"},
                                   {"reproduce", "--quick"}}) == "");
  fs::remove_all(dir);
}

TEST_CASE("a run estimated above MLDERIV_MAX_SECONDS is refused at once with the estimate (exit 2)") {
  ::setenv("MLDERIV_MAX_SECONDS", "2", 1);
  const auto r = tool({"simulate", "--seeds", "100000"});
  const auto curve = tool({"curve"});
  ::unsetenv("MLDERIV_MAX_SECONDS");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(
            "quanta-scaling: error: --points 25 with --seeds 100000, --tau 1 and --to 1e+12: would take about ") == 0);
  CHECK(r.err.find("at most 2 s is allowed (MLDERIV_MAX_SECONDS)") != std::string::npos);
  CHECK(r.out.empty());
  CHECK(r.seconds < 1);
  CHECK(curve.exit_code == 0);
}
