#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "run_process.hpp"

namespace {

ProcessResult attn_sweep(const std::vector<std::string>& args) {
  return run_process(TOOL_EXE, args);
}

}  // namespace

TEST_CASE("rope-base --L 1k: one row with the grid result, the certified bracket and the paper's check") {
  const auto r = attn_sweep({"rope-base", "--L", "1k", "--threads", "2"});
  REQUIRE(r.exit_code == 0);
  CHECK(count_lines(r.out) == 2);
  CHECK(r.out.rfind("L,d,precision,b_grid,b_grid_below,refuter_below_m,", 0) == 0);
  CHECK(r.out.find("\n1024,128,double,4293.45") != std::string::npos);
  CHECK(r.out.find(",true,") != std::string::npos);  // certified
  CHECK(r.err.find("rope-base") != std::string::npos);
}

TEST_CASE("rope-base --base checks a given base: Llama 3's 500000 at 8192 holds, the paper's 2.7e4 at 4k fails") {
  const auto llama = attn_sweep({"rope-base", "--base", "500000", "--L", "8192"});
  REQUIRE(llama.exit_code == 0);
  CHECK(llama.out.rfind("b,L,d,precision,min_f,argmin,first_negative_m,feasible,error_bound\n", 0) == 0);
  CHECK(llama.out.find(",-1,true,") != std::string::npos);
  const auto paper = attn_sweep({"rope-base", "--base", "2.7e4", "--L", "4k", "-q"});
  REQUIRE(paper.exit_code == 0);
  CHECK(paper.out.find(",4079,false,") != std::string::npos);
  CHECK(paper.err.empty());
}

TEST_CASE("rope-base gives the same CSV at 1 and 2 threads, in double and float") {
  for (const char* p : {"double", "float"}) {
    const auto one = attn_sweep({"rope-base", "--L", "1k,2k", "--precision", p, "--threads", "1", "-q"});
    const auto two = attn_sweep({"rope-base", "--L", "1k,2k", "--precision", p, "--threads", "2", "-q"});
    REQUIRE(one.exit_code == 0);
    CHECK(one.out == two.out);
  }
}

TEST_CASE("rope-curves writes bins of f_b(m) for each L and factor") {
  const auto r = attn_sweep({"rope-curves", "--L", "1k", "--factors", "0.5,1", "--bins", "64", "-q"});
  REQUIRE(r.exit_code == 0);
  CHECK(count_lines(r.out) == 1 + 2 * 64);
  CHECK(r.out.rfind("L,factor,b,m_lo,m_hi,f_min,argmin,ci_estimate\n", 0) == 0);
}

TEST_CASE("bad input: one line naming the option, exit 2, no file left behind") {
  const std::vector<std::vector<std::string>> cases = {
      {"rope-base", "--d", "7"},
      {"rope-base", "--d", "0"},
      {"rope-base", "--d", "1"},
      {"rope-base", "--L", "0"},
      {"rope-base", "--L", "1k,x"},
      {"rope-base", "--L", "32M"},
      {"rope-base", "--base", "0"},
      {"rope-base", "--base", "-5"},
      {"rope-base", "--base", "1e5x"},
      {"rope-base", "--rel", "0"},
      {"rope-base", "--precision", "half"},
      {"rope-curves", "--factors", "0"},
      {"rope-curves", "--L", ""},
      {"rope-curves", "--d", "9"},
  };
  // "error: --OPTION": the one line starts with the option (attn-sweep: error: --OPTION: ...).
  for (const auto& args : cases) CHECK(bad_input_problem(TOOL_EXE, "attn-sweep", args, "error: " + args[1]) == "");
}

TEST_CASE("every subcommand's --help lists the columns it writes") {
  // attn-sweep's other subcommands are the softmax group's (tests/attn runs help_columns_problem over all).
  const auto base = help_columns(TOOL_EXE, "rope-base");
  REQUIRE(base.size() == 2);  // the study's columns, and with --base the check's
  CHECK(csv_header(attn_sweep({"rope-base", "--L", "64", "--certify-max", "64", "-q"}).out) == base[0]);
  CHECK(csv_header(attn_sweep({"rope-base", "--base", "1e4", "--L", "64", "-q"}).out) == base[1]);
  const auto curves = help_columns(TOOL_EXE, "rope-curves");
  REQUIRE(curves.size() == 1);
  CHECK(csv_header(attn_sweep({"rope-curves", "--L", "64", "--bins", "4", "-q"}).out) == curves[0]);
}

TEST_CASE("device: --device cuda without a usable device is bad input, not a crash") {
  const auto r = attn_sweep({"rope-base", "--L", "1k", "--device", "cuda"});
  if (r.exit_code == 0) return;  // a machine with a GPU
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--device") != std::string::npos);
}

TEST_CASE("rope-base --base has no sweep: --shard with it is bad input, exit 2, no file left behind") {
  const auto dir = fresh_dir("rope_base_shard");
  const auto file = (dir / "shard.csv").string();
  const auto r = attn_sweep({"rope-base", "--base", "500000", "--L", "8k", "--shard", "0/2", "-o", file});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("error: --shard:") != std::string::npos);
  CHECK(count_lines(r.err) == 1);
  CHECK(std::filesystem::is_empty(dir));
}
