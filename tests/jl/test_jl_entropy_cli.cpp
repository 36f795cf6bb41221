#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "run_process.hpp"

namespace fs = std::filesystem;

namespace {

const std::string exe = TOOL_EXE;

ProcessResult jl_entropy(const std::vector<std::string>& args) {
  return run_process(exe, args);
}

void check_bad_input(const std::vector<std::string>& args, const std::string& option) {
  CHECK(bad_input_problem(exe, "jl-entropy", args, option) == "");
}

}  // namespace

TEST_CASE("dims prints 8.33 ln N next to the published 52, 96 and 128") {
  const auto r = jl_entropy({"dims"});
  CHECK(r.exit_code == 0);
  CHECK(count_lines(r.out) == 4);
  CHECK(r.out.rfind("N,ln_N,entropy_833,jl24,jl16,dasgupta_gupta,eps,log512_N,d_log512_N\n512,", 0) == 0);
  CHECK(r.err.find("52") != std::string::npos);
}

TEST_CASE("bad input is one line naming the option, exit 2, no file") {
  check_bad_input({"min-dim", "--eps", "1.5"}, "--eps");
  check_bad_input({"min-dim", "--eps", "0"}, "--eps");
  check_bad_input({"min-dim", "--delta", "1"}, "--delta");
  check_bad_input({"min-dim", "--points", "1"}, "--points");
  check_bad_input({"dims", "--points", "100,1"}, "--points");
  check_bad_input({"project", "--n", "0"}, "--n");
  check_bad_input({"norm-tail", "--n", "8,0"}, "--n");
  check_bad_input({"ortho-tail", "--eps", "0.5,1"}, "--eps");
  check_bad_input({"entropy", "--d", "0"}, "--d");
  check_bad_input({"entropy", "--rho", "1.5"}, "--rho");
  check_bad_input({"entropy", "--log2-from", "30", "--log2-to", "30"}, "--log2-to");
  check_bad_input({"entropy", "--log2-from", "9", "--log2-to", "8"}, "--log2-from");
  check_bad_input({"project", "--points", "16000000", "--dim", "10"}, "GiB");
}

TEST_CASE("a malformed vector CSV is bad input") {
  const auto dir = fresh_dir("csv");
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  check_bad_input({"project", "--input", write("words.csv", "x,y\n1,2\n3,oops\n")}, "oops");
  check_bad_input({"project", "--input", write("ragged.csv", "x,y\n1,2\n3\n")}, "--input");
  check_bad_input({"project", "--input", write("dup.csv", "x,y\n1,2\n1,2\n")}, "same point");
  check_bad_input({"project", "--input", write("zero.csv", "x,y\n1,2\n0,0\n3,1\n")},
                  "line 3 holds the zero point");  // issue 23
  check_bad_input({"project", "--input", (dir / "missing.csv").string()}, "missing.csv");
  const auto ok = jl_entropy({"project", "--input", write("ok.csv", "x,y,z\n1,2,3\n3,1,0\n0,0,1\n"), "--n", "2,4"});
  CHECK(ok.exit_code == 0);
  CHECK(count_lines(ok.out) == 3);
  fs::remove_all(dir);
}

TEST_CASE("the same seed gives the same CSV at 1 and 2 threads") {
  const std::vector<std::vector<std::string>> runs{
      {"project", "--points", "40", "--dim", "50", "--n", "4,16"},
      {"min-dim", "--points", "10,40", "--dim", "32"},
      {"norm-tail", "--n", "8,64", "--trials", "3000"},
      {"ortho-tail", "--n", "8,64", "--trials", "3000"},
      {"entropy", "--log2-to", "8", "--work", "2048", "--min-queries", "8", "--needle"},
  };
  for (auto args : runs) {
    INFO(args[0]);
    args.insert(args.end(), {"--seed", "11", "-q", "--threads", "1"});
    const auto one = jl_entropy(args);
    args.pop_back();
    args.emplace_back("2");
    const auto two = jl_entropy(args);
    CHECK(one.exit_code == 0);
    CHECK(one.out == two.out);
    CHECK(count_lines(one.out) > 1);
  }
}

TEST_CASE("norm-tail and ortho-tail say every bound holds") {
  for (const char* sub : {"norm-tail", "ortho-tail"}) {
    const auto r = jl_entropy({sub, "--trials", "2000"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("holds at every point") != std::string::npos);
    CHECK(r.out.find(",false\n") == std::string::npos);
  }
}

TEST_CASE("every subcommand's --help lists the columns it writes") {
  CHECK(help_columns_problem(exe, {{"project", "--points", "20", "--dim", "10", "--n", "4"},
                                   {"min-dim", "--points", "10", "--dim", "16"},
                                   {"norm-tail", "--n", "8", "--eps", "0.5", "--trials", "100"},
                                   {"ortho-tail", "--n", "8", "--eps", "0.5", "--trials", "100"},
                                   {"entropy", "--log2-to", "6", "--work", "256", "--min-queries", "8"},
                                   {"entropy", "--log2-to", "6", "--work", "256", "--min-queries", "8", "--needle"},
                                   {"positions", "--log2-to", "6", "--work", "256", "--min-queries", "8"},
                                   {"dims"},
                                   {"reproduce", "--list"},
                                   {"reproduce", "--quick"}}) == "");
}

TEST_CASE("reversed ranges name the first option of the pair") {
  check_bad_input({"entropy", "--min-queries", "100", "--max-queries", "50"}, "--min-queries");
  check_bad_input({"positions", "--log2-from", "9", "--log2-to", "5"}, "--log2-from");
}

TEST_CASE("a run estimated above MLDERIV_MAX_SECONDS is refused at once with the estimate (exit 2)") {
  ::setenv("MLDERIV_MAX_SECONDS", "2", 1);
  const auto r = jl_entropy({"norm-tail", "--trials", "10^8"});
  const auto dims = jl_entropy({"dims"});
  ::unsetenv("MLDERIV_MAX_SECONDS");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("jl-entropy: error: --trials 100000000 with --n up to 1024 (9 values): would take about ") == 0);
  CHECK(r.err.find("at most 2 s is allowed (MLDERIV_MAX_SECONDS)") != std::string::npos);
  CHECK(r.out.empty());
  CHECK(r.seconds < 1);
  CHECK(dims.exit_code == 0);
}
