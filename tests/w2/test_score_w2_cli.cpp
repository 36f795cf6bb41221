#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_process.hpp"

namespace fs = std::filesystem;

namespace {

const std::string exe = TOOL_EXE;

ProcessResult score_w2(const std::vector<std::string>& args) {
  return run_process(exe, args);
}

}  // namespace

TEST_CASE("score-w2 --help lists the subcommands") {
  const auto r = score_w2({"--help"});
  CHECK(r.exit_code == 0);
  for (const char* sub : {"gaussian", "mixture", "sde", "dsm", "integrand", "clouds", "reproduce"})
    CHECK(r.out.find(sub) != std::string::npos);
}

TEST_CASE("gaussian: a small sweep, every row states the chain and each form's verdict") {
  const auto r = score_w2({"gaussian", "--dims", "1,2", "--variances", "0.25,4", "--etas", "0.01,0.5"});
  CHECK(r.exit_code == 0);
  CHECK(count_lines(r.out) == 1 + 2 * 2 * 4 * 2 * 2);
  CHECK(r.out.rfind("d,variances,error,eta,prior,W2,W2_coupling,W2_T,drift_term_proof,", 0) == 0);
  CHECK(r.out.find("coupling_holds,chain_holds,ode_steps\n") != std::string::npos);
  CHECK(r.err.find("holds on every row") != std::string::npos);
  CHECK(r.err.find("smallest counterexample for L_t proof: d = 1") != std::string::npos);
  CHECK(r.out.find("nan") == std::string::npos);
}

TEST_CASE("mixture and sde CSVs do not depend on --threads") {
  for (const auto& args :
       {std::vector<std::string>{"mixture", "--particles", "3000", "--etas", "0.1", "-q"},
        std::vector<std::string>{"sde", "--particles", "3000", "--steps", "200", "--etas", "0.5", "-q"}}) {
    auto one = args, two = args;
    one.insert(one.end(), {"--threads", "1"});
    two.insert(two.end(), {"--threads", "2"});
    const auto a = score_w2(one), b = score_w2(two);
    CHECK(a.exit_code == 0);
    CHECK(a.out == b.out);
  }
}

TEST_CASE("sde prints the negative cross term it finds, dsm shows the theta-independent gap") {
  const auto s = score_w2({"sde", "--particles", "500", "--steps", "200"});
  CHECK(s.exit_code == 0);
  CHECK(s.err.find("NEGATIVE") != std::string::npos);
  const auto d = score_w2({"dsm", "--samples", "20000"});
  CHECK(d.exit_code == 0);
  CHECK(count_lines(d.out) == 1 + 2 * 3 * 4);
  CHECK(d.err.find("theta-independent") != std::string::npos);
}

TEST_CASE("integrand and clouds write their plotting CSVs") {
  const auto i = score_w2({"integrand", "--points", "20"});
  CHECK(i.exit_code == 0);
  CHECK(count_lines(i.out) == 22);
  const auto c = score_w2({"clouds", "--particles", "2000", "--bins", "30"});
  CHECK(c.exit_code == 0);
  CHECK(count_lines(c.out) == 31);
}

TEST_CASE("bad input: one line on stderr naming the option, exit code 2, no output file") {
  const auto dir = fresh_dir("bad");
  const auto out = (dir / "x.csv").string();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"gaussian", "--variances", "-1"}, "--variances"},
      {{"gaussian", "--variances", "0"}, "--variances"},
      {{"gaussian", "--variances", "2:0"}, "--variances"},
      {{"gaussian", "--dims", "0"}, "--dims"},
      {{"gaussian", "--dims", "1.5"}, "--dims"},
      {{"gaussian", "--beta-min", "0"}, "--beta-min"},
      {{"gaussian", "--beta-min", "-1"}, "--beta-min"},
      {{"gaussian", "--beta-min", "20"}, "--beta-max"},
      {{"gaussian", "--beta-min", "5", "--beta-max", "1"}, "--beta-max"},
      {{"gaussian", "--T", "0"}, "--T"},
      {{"gaussian", "--T", "-1"}, "--T"},
      {{"gaussian", "--etas", "nan"}, "--etas"},
      {{"gaussian", "--etas", "inf"}, "--etas"},
      {{"gaussian", "--etas", "0.1,x"}, "--etas"},
      {{"gaussian", "--errors", "bogus"}, "--errors"},
      {{"mixture", "--weights", "0.5,0.6"}, "--weights"},
      {{"mixture", "--weights", "-0.5,1.5"}, "--weights"},
      {{"mixture", "--weights", "1"}, "--weights"},
      {{"mixture", "--particles", "1"}, "--particles"},
      {{"mixture", "--etas", "nan"}, "--etas"},
      {{"clouds", "--eta", "nan"}, "--eta"},
      {{"sde", "--variances", "0"}, "--variances"},
      {{"dsm", "--weights", "0.2,0.2"}, "--weights"},
  };
  for (const auto& [args, option] : cases) {
    auto full = args;
    full.insert(full.end(), {"-o", out});
    const auto r = score_w2(full);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.rfind("score-w2: error: " + option, 0) == 0);
    CHECK(!fs::exists(out));
  }
  fs::remove_all(dir);
}

TEST_CASE("every subcommand's --help lists the columns it writes") {
  CHECK(help_columns_problem(exe, {{"gaussian", "--dims", "1", "--variances", "4", "--etas", "0.1"},
                                   {"mixture", "--particles", "500", "--etas", "0.1", "--errors", "bias"},
                                   {"sde", "--particles", "200", "--steps", "50", "--etas", "0.5", "--variances", "4"},
                                   {"dsm", "--samples", "2000", "--times", "0.2", "--thetas", "0,1"},
                                   {"integrand", "--points", "10"},
                                   {"clouds", "--particles", "500", "--bins", "10"},
                                   {"reproduce", "--list"},
                                   {"reproduce", "--quick"}}) == "");
}
