// attn-sweep scale, sparsity, noise and stats through the command line: shapes, thread independence,
// shards of the modes tests/cli/test_shards.cpp does not run, bad input (one line, exit 2, no file left
// behind), --help's column lists.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "run_process.hpp"

namespace {

const std::string exe = TOOL_EXE;

ProcessResult attn_sweep(const std::vector<std::string>& args) {
  return run_process(exe, args);
}

}  // namespace

TEST_CASE("scale's default approximation reproduces c1 = 0.84 and c2 = 3.5 over 1000 rows") {
  const auto r = attn_sweep({"scale", "--mc-every", "0"});
  REQUIRE(r.exit_code == 0);
  CHECK(count_lines(r.out) == 1001);
  CHECK(r.out.rfind("model,d,n,alpha_approx,", 0) == 0);
  CHECK(r.err.find("c1 = 0.8413 (published 0.84)") != std::string::npos);
  CHECK(r.err.find("c2 = 3.488 (published 3.5)") != std::string::npos);
}

TEST_CASE("every softmax subcommand writes the same CSV at 1 and 2 threads") {
  const std::vector<std::vector<std::string>> runs{
      {"scale", "--n-step", "100", "--n-count", "6", "--mc-every", "3", "--mc-rows", "40", "--device", "cpu"},
      {"sparsity", "--samples", "2000", "--betas", "-1,0.5", "--gammas", "0.5", "--rnn-n", "5,50"},
      {"noise", "--n", "16,64,256", "--sigmas", "0.5", "--trials", "20", "--floor-n", "5", "--starts", "2"},
      {"stats", "--n", "700", "--queries", "37", "--d", "16", "--needle-rho", "0.5", "--device", "cpu"},
  };
  for (const auto& args : runs) {
    INFO(args[0]);
    auto with_threads = [&](const char* threads) {
      auto a = args;
      a.insert(a.end(), {"-q", "--threads", threads});
      return attn_sweep(a);
    };
    const auto one = with_threads("1");
    const auto two = with_threads("2");
    REQUIRE(one.exit_code == 0);
    CHECK(one.out == two.out);
    CHECK(one.err.empty());
    CHECK(count_lines(one.out) > 1);
    if (args[0] == "stats") CHECK(one.out.find("nan") == std::string::npos);
  }
}

TEST_CASE("sparsity far below zero and far out: every row written, relu^2 as small as it truly is") {
  // Issue 17: --betas -3 --gammas 0.07 exited 1 with a nan quadrature after printing part of the CSV.
  for (const auto& [beta, gamma, expected] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"-3", "0.07", "1.49549212361856"}, {"-1.9", "0.05", "6.94426519294264"}, {"1e6", "1e-3", ""}}) {
    INFO("beta = " << beta << " gamma = " << gamma);
    const auto r = attn_sweep({"sparsity", "--samples", "1000", "--betas", beta, "--gammas", gamma, "--rnn-n", "5"});
    REQUIRE(r.exit_code == 0);
    const auto relu2 = r.out.find("\nrelu2,");
    REQUIRE(relu2 != std::string::npos);
    CHECK(r.out.find(expected, relu2) != std::string::npos);
  }
}

TEST_CASE("noise --floor writes the entropy floor table") {
  const auto r = attn_sweep({"noise", "--floor", "--floor-n", "2,10", "--starts", "3"});
  REQUIRE(r.exit_code == 0);
  CHECK(count_lines(r.out) == 3);
  CHECK(r.out.rfind("n,ln_n,found_gap,", 0) == 0);
  CHECK(r.err.find("published ln n - 0.4745") != std::string::npos);
}

TEST_CASE("scale --curves, scale without Monte Carlo and noise --floor: shards merged give the whole run") {
  // scale's points are its Monte Carlo n (none with --mc-every 0: every shard empty); noise --floor's are the
  // floor's n.
  const std::vector<std::vector<std::string>> runs{
      {"scale", "--curves", "--d", "16", "--n-count", "7", "--mc-every", "3", "--mc-rows", "40"},
      {"scale", "--n-count", "20", "--mc-every", "0"},
      {"noise", "--floor", "--floor-n", "5,10,20,30", "--starts", "3"},
  };
  const auto dir = fresh_dir("attn-softmax-shards");
  for (const auto& args : runs) {
    INFO(args[0] << " " << args[1]);
    const auto whole = attn_sweep(args);
    REQUIRE(whole.exit_code == 0);
    for (int n : {2, 3}) {
      std::vector<std::string> merge{"merge"};
      for (int k = 0; k < n; ++k) {
        const auto part = (dir / ("part-" + std::to_string(k) + ".csv")).string();
        auto a = args;
        a.insert(a.end(), {"--shard", std::to_string(k) + "/" + std::to_string(n), "-q", "-o", part, "--threads",
                           std::to_string(1 + k % 2)});
        REQUIRE(attn_sweep(a).exit_code == 0);
        merge.push_back(part);
      }
      const auto m = attn_sweep(merge);
      REQUIRE(m.exit_code == 0);
      CHECK(m.out == whole.out);
      CHECK(m.err == whole.err);
    }
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("bad input: one line naming the option, exit 2, no file left behind") {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"scale", "--d", "7"}, "--d"},
      {{"scale", "--d", "1"}, "--d"},
      {{"scale", "--n-step", "1"}, "--n-step"},
      {{"scale", "--n-step", "1000000", "--n-count", "100000"}, "memory"},
      {{"stats", "--alphas", "1,0"}, "--alphas"},
      {{"stats", "--dump", "/"}, "--dump"},                       // a directory, not a prefix (issue 23)
      {{"stats", "--dump", "/nonexistent-dir/draws"}, "--dump"},  // refused before the work
      {{"stats", "--dump", ""}, "--dump"},
      {{"sparsity", "--rnn-n", "1000000000000000"}, "--rnn-n"},  // an O(n) sum: refused, not run for days
      {{"stats", "--alphas", "-2"}, "--alphas"},
      {{"stats", "--d", "9"}, "--d"},
      {{"stats", "--n", "1"}, "--n"},
      {{"stats", "--n", "1073741824", "--d", "128"}, "memory"},
      {{"stats", "--device", "gpu"}, "--device"},
      {{"sparsity", "--lambdas", "0.5,1.5"}, "--lambdas"},
      {{"sparsity", "--lambdas", "0"}, "--lambdas"},
      {{"sparsity", "--gammas", "-1"}, "--gammas"},
      {{"sparsity", "--rnn-n", "1"}, "--rnn-n"},
      {{"noise", "--n", "1,10"}, "--n"},
      {{"noise", "--sigmas", "0"}, "--sigmas"},
      {{"noise", "--sigmas", "x"}, "--sigmas"},
  };
  for (const auto& [args, names] : cases) CHECK(bad_input_problem(exe, "attn-sweep", args, names) == "");
}

TEST_CASE("every subcommand's --help lists the columns it writes") {
  // The rope subcommands (tests/rope) run here too: help_columns_problem wants every subcommand of the tool.
  CHECK(help_columns_problem(
            exe, {{"scale", "--n-count", "5", "--mc-every", "0"},
                  {"scale", "--curves", "--n-step", "100", "--n-count", "2", "--mc-every", "1", "--mc-rows", "20",
                   "--d", "16"},
                  {"sparsity", "--samples", "2000", "--betas", "0", "--gammas", "0.5", "--rnn-n", "5"},
                  {"noise", "--n", "16,64,256", "--sigmas", "0.5", "--trials", "20", "--floor-n", "5", "--starts", "2"},
                  {"noise", "--floor", "--floor-n", "2,10", "--starts", "3"},
                  {"stats", "--n", "256", "--queries", "4", "--d", "16"},
                  {"rope-base", "--L", "64", "--certify-max", "64"},
                  {"rope-base", "--base", "1e4", "--L", "64"},
                  {"rope-curves", "--L", "64", "--bins", "4"},
                  {"rope-law", "--L", "64,128,256,512", "--d", "32"},
                  {"rope-recommend", "--L", "300", "--d", "32"},
                  {"reproduce", "--list"},
                  {"reproduce", "--quick"}}) == "");
}

TEST_CASE("device: --device cuda without a usable device is bad input") {
  const auto r = attn_sweep({"stats", "--device", "cuda", "--n", "10", "--queries", "2"});
  if (r.exit_code == 0) return;  // a machine with a GPU
  CHECK(r.exit_code == 2);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("--device") != std::string::npos);
}
