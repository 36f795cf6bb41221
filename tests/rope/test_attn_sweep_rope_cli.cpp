#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
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
      {"rope-law", "--d", "7"},
      {"rope-law", "--L", "1"},
      {"rope-law", "--L", "1k,2k,4k"},
      {"rope-law", "--L", "1k,2k,4k,4k"},
      {"rope-law", "--input", "/nonexistent/ropebase.csv"},
      {"rope-recommend", "--d", "9"},
      {"rope-recommend", "--digits", "16"},
      {"rope-recommend", "--fit-max", "4096"},
      {"rope-recommend", "--input", "/nonexistent/ropebase.csv", "--L", "1M"},
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
  const auto law = help_columns(TOOL_EXE, "rope-law");
  REQUIRE(law.size() == 1);
  CHECK(csv_header(attn_sweep({"rope-law", "--L", "64,128,256,512", "--d", "32", "-q"}).out) == law[0]);
  const auto recommend = help_columns(TOOL_EXE, "rope-recommend");
  REQUIRE(recommend.size() == 1);
  CHECK(csv_header(attn_sweep({"rope-recommend", "--L", "300", "--d", "32", "-q"}).out) == recommend[0]);
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

TEST_CASE("rope-law fits the same law from rope-base's CSV (--input) as from the points it certifies itself") {
  const auto dir = fresh_dir("rope_law_input");
  const auto table = (dir / "ropebase64.csv").string();
  REQUIRE(attn_sweep({"rope-base", "--L", "1k,2k,4k,8k", "--d", "64", "--certify-max", "8192", "-q", "-o", table})
              .exit_code == 0);
  const auto from_file = attn_sweep({"rope-law", "--input", table});
  REQUIRE(from_file.exit_code == 0);
  const auto computed = attn_sweep({"rope-law", "--L", "1k,2k,4k,8k", "--d", "64", "--threads", "2"});
  REQUIRE(computed.exit_code == 0);
  CHECK(from_file.out == computed.out);
  CHECK(count_lines(computed.out) == 5);
  CHECK(computed.out.rfind("d,L,b_star_lo,b_star_hi,law,residual,paper_law,c,k,", 0) == 0);
  CHECK(computed.out.find("\n64,1024,7752.98") != std::string::npos);
  CHECK(computed.err.find("d = 64: b* = ") != std::string::npos);
  // --input reads its points: nothing to shard.
  const auto shard = attn_sweep({"rope-law", "--input", table, "--shard", "0/2", "-o", (dir / "s.csv").string()});
  CHECK(shard.exit_code == 2);
  CHECK(shard.err.find("error: --shard:") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("rope-recommend: certified b* rounded up to a proven base, stepping past the paper's failing 2.7e4 at 4k") {
  const auto r = attn_sweep({"rope-recommend", "--L", "1k,4k", "--certify-max", "4096"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("L,d,source,base,min_f,argmin,error_bound,candidates,b_star_lo,b_star_hi,", 0) == 0);
  CHECK(r.out.find("\n1024,128,certified,4300,") != std::string::npos);
  CHECK(r.out.find("\n4096,128,certified,29000,") != std::string::npos);
  CHECK(r.err.find("L = 4k: 29000") != std::string::npos);
  const auto exact = attn_sweep({"rope-recommend", "--L", "1k", "--digits", "0", "-q"});
  REQUIRE(exact.exit_code == 0);
  // --digits 0: the base is the certificate's b_hi itself (b* of 1k lies in [4293.4374, 4293.4402]: the
  // bracket of the committed table and the bisection of test_accuracy agree on it).
  const auto row_at = exact.out.find("\n1024,128,certified,");
  REQUIRE(row_at != std::string::npos);
  std::vector<std::string> cells;
  std::stringstream row(exact.out.substr(row_at + 1, exact.out.find('\n', row_at + 1) - row_at - 1));
  for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
  REQUIRE(cells.size() > 9);
  CHECK(cells[3] == cells[9]);  // base = b_star_hi
  CHECK(std::stod(cells[3]) >= 4293.4374);
  CHECK(std::stod(cells[3]) <= 4293.4374 * (1 + 2e-6));
}
