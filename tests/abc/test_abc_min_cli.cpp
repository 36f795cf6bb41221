#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "run_process.hpp"

namespace fs = std::filesystem;

namespace {

const std::string exe = TOOL_EXE;

ProcessResult abc_min(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  return run_process(exe, args, stdin_text);
}

}  // namespace

TEST_CASE("abc-min solve 130 prints a=10, b=13, c=0, S=23 and says it reproduces the published value") {
  const auto r = abc_min({"solve", "130"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("N,a,b,c,S,method,candidates,naive_S\n130,10,13,0,23,pruned,", 0) == 0);
  CHECK(r.out.substr(r.out.rfind(',')) == ",31\n");
  CHECK(r.err.find("reproduced") != std::string::npos);
  CHECK(r.err.find("NOT") == std::string::npos);
}

TEST_CASE("solve with no N runs the published demo, N = 130") {
  const auto r = abc_min({"solve"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\n130,10,13,0,23,") != std::string::npos);
}

TEST_CASE("solve reads numbers from stdin with '-', exactly up to 2^127-1") {
  const auto r = abc_min({"solve", "-", "--quiet"}, "130\n 4  10^24\n170141183460469231731687303715884105727\n");
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(count_lines(r.out) == 5);
  CHECK(r.out.find("\n4,2,2,0,4,") != std::string::npos);
  CHECK(r.out.find("\n170141183460469231731687303715884105727,") != std::string::npos);
}

TEST_CASE("every method gives the same answer through the CLI") {
  std::string first;
  for (const char* m : {"brute", "sqrt", "quarter", "pruned", "auto"}) {
    const auto r = abc_min({"solve", "987654", "--method", m, "-q"});
    REQUIRE(r.exit_code == 0);
    const auto row = r.out.substr(r.out.find('\n') + 1);
    const auto triple =
        row.substr(0, row.find(",", row.find(",", row.find(",", row.find(",", row.find(",") + 1) + 1) + 1) + 1));
    if (first.empty()) first = triple;
    CHECK(triple == first);
  }
}

TEST_CASE("sweep's default covers N = 1..200, every method agreeing") {
  const auto r = abc_min({"sweep"});
  CHECK(r.exit_code == 0);
  CHECK(count_lines(r.out) == 201);
  CHECK(r.out.rfind("N,a,b,c,S,S_minus_2sqrtN,naive_S,all_agree,agreeing\n", 0) == 0);
  CHECK(r.out.find(",false,") == std::string::npos);
  CHECK(r.out.find("\n130,10,13,0,23,") != std::string::npos);
  CHECK(r.err.find("all agree on every N") != std::string::npos);
}

TEST_CASE("the sweep CSV does not depend on --threads") {
  const auto one = abc_min({"sweep", "--from", "10^6", "--to", "1001000", "--threads", "1", "-q"});
  const auto two = abc_min({"sweep", "--from", "10^6", "--to", "1001000", "--threads", "2", "-q"});
  CHECK(one.exit_code == 0);
  CHECK(one.out == two.out);
}

TEST_CASE("scaling leaves the fit columns nan (documented) for a method with too few points to fit") {
  const auto r = abc_min({"scaling", "--from-exp", "2", "--to-exp", "9", "--samples", "3", "--brute-max", "10^6",
                          "--fit-from", "10^7", "-q"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\nbrute,2,") != std::string::npos);
  CHECK(r.out.find(",nan,nan,nan,1\n") != std::string::npos);  // brute: no fit, expected exponent still 1
}

TEST_CASE("gaps writes one row per decade and checks the derived window") {
  const auto r = abc_min({"gaps", "--from-exp", "3", "--to-exp", "12", "--samples", "20"});
  CHECK(r.exit_code == 0);
  CHECK(count_lines(r.out) == 11);
  CHECK(r.err.find("within it, as derived") != std::string::npos);
}

TEST_CASE("with --out the CSV and its meta.json are written, and nothing else") {
  const auto dir = fresh_dir("out");
  const auto r =
      abc_min({"scaling", "--to-exp", "6", "--samples", "3", "--seed", "11", "-o", (dir / "s.csv").string()});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(count_lines(slurp(dir / "s.csv")) == 1 + 6 * 3 * 4);  // 6 decades, 3 N each, 4 methods
  const auto meta = slurp(dir / "s.csv.meta.json");
  CHECK(meta.find("\"seed\": 11") != std::string::npos);
  CHECK(meta.find("\"command_line\": [") != std::string::npos);
  CHECK(static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {})) == 2);
  fs::remove_all(dir);
}

TEST_CASE("bad input: one line on stderr, exit code 2, no output file") {
  const auto dir = fresh_dir("bad");
  const auto out = (dir / "x.csv").string();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"solve", "-5"}, ""},
      {{"solve", "2^127"}, ""},
      {{"solve", "340282366920938463463374607431768211456"}, ""},
      {{"solve", "12x"}, ""},
      {{"solve", ""}, ""},
      {{"solve", "1.5"}, ""},
      {{"solve", "0x10"}, ""},
      {{"solve", "130", "--method", "fastest"}, ""},
      {{"solve", "130", "--method"}, ""},
      {{"solve", "130", "--nosuch"}, ""},
      {{"solve", "10^10", "--method", "brute"}, ""},
      {{"solve", "10^19", "--method", "sqrt"}, ""},
      {{"solve", "-"}, ""},
      {{"solve", "-"}, "12\n13 x14\n"},
      {{"sweep", "--from", "10", "--to", "5"}, ""},
      {{"sweep", "--to", "2^127"}, ""},
      {{"sweep", "--from", "1", "--to", "10^8"}, ""},
      {{"sweep", "--methods", "brute,foo"}, ""},
      {{"sweep", "--methods", "brute", "--from", "10^10", "--to", "10^10"}, ""},
      {{"sweep", "--methods", "brute", "--to", "10^7"}, ""},  // beyond brute's sweep limit 10^6 (issue 23)
      {{"sweep", "--methods", "brute,"}, ""},
      {{"sweep", "--methods", ""}, ""},
      {{"sweep", "--from", "-1"}, ""},
      {{"scaling", "--from-exp", "5", "--to-exp", "3"}, ""},
      {{"scaling", "--samples", "0"}, ""},
      {{"scaling", "--threads", "0"}, ""},
      {{"scaling", "--seed", "x"}, ""},
      {{"gaps", "--from-exp", "9", "--to-exp", "2"}, ""},
      {{"gaps", "--to-exp", "39"}, ""},
      {{"nosuch"}, ""},
  };
  for (const auto& [args, input] : cases) {
    auto with_out = args;
    with_out.push_back("-o");
    with_out.push_back(out);
    const auto r = abc_min(with_out, input);
    std::string shown;
    for (const auto& a : args) shown += "'" + a + "' ";
    INFO("abc-min " << shown << "-> " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.rfind("abc-min: error: ", 0) == 0);
    CHECK(r.out.empty());
    CHECK(fs::is_empty(dir));
  }
  fs::remove_all(dir);
}

TEST_CASE("the error names the option, the range and the value") {
  CHECK(abc_min({"solve", "12x"}).err == "abc-min: error: N: expected an integer in [0, 2^127-1], got '12x'\n");
  CHECK(abc_min({"sweep", "--to", "-3"}).err ==
        "abc-min: error: --to: expected an integer in [0, 2^127-1], got '-3'\n");
  CHECK(abc_min({"solve", "--method", "x"}).err ==
        "abc-min: error: --method: expected one of brute, sqrt, quarter, pruned, auto, got 'x'\n");
}

TEST_CASE("an unwritable --out is exit code 2 before any work") {
  const auto r = abc_min({"solve", "130", "-o", "/nonexistent-dir/x.csv"});
  CHECK(r.exit_code == 2);
  CHECK(count_lines(r.err) == 1);
}

TEST_CASE(
    "help: --help lists the subcommands, SUBCOMMAND --help every option with its default, --version the version") {
  const auto top = abc_min({"--help"});
  CHECK(top.exit_code == 0);
  for (const char* s : {"solve", "sweep", "scaling"}) CHECK(top.out.find(s) != std::string::npos);
  const auto sub = abc_min({"sweep", "--help"});
  CHECK(sub.exit_code == 0);
  for (const char* s : {"--from", "[default: 1]", "--to", "[default: 200]", "--threads", "--out", "--quiet"})
    CHECK(sub.out.find(s) != std::string::npos);
  const auto v = abc_min({"--version"});
  CHECK(v.exit_code == 0);
  CHECK(v.out.rfind("abc-min ", 0) == 0);
  const auto none = abc_min({});
  CHECK(none.exit_code == 2);
}

TEST_CASE("SIGINT during a long run leaves neither the CSV nor a temporary file") {
  const auto dir = fresh_dir("sigint");
  const auto out = (dir / "long.csv").string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::freopen("/dev/null", "w", stderr);
    ::execl(exe.c_str(), exe.c_str(), "sweep", "--from", "1", "--to", "1000000", "--methods", "brute", "-o",
            out.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Wait until the temporary file exists (the run has started), then interrupt it.
  for (int i = 0; i < 500 && fs::is_empty(dir); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  CHECK(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST_CASE("reproduce --quick: the columns of 00-suite.md, one row per quick claim, the N = 130 rows agree") {
  const auto r = abc_min({"reproduce", "--quick"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("tool,key,claim,source,published,ours,status,note\n", 0) == 0);
  CHECK(count_lines(r.out) == 6);
  CHECK(r.out.find(
            "abc-min,n130_sum,N = 130: the minimum of a + b + c,kexue.fm/archives/9775 (2023-09-20),23,23,agrees,") !=
        std::string::npos);
  CHECK(r.out.find(",differs,") == std::string::npos);
  CHECK(r.err.find("5 claims: 4 agree with the published value, 0 differ, 1 are new findings") != std::string::npos);
}

TEST_CASE("reproduce --help documents the columns and the statuses") {
  const auto r = abc_min({"reproduce", "--help"});
  CHECK(r.exit_code == 0);
  for (const char* word : {"Columns:\n  tool\n  key ", "agrees", "differs", "new", "--quick", "--seed", "--threads"})
    CHECK(r.out.find(word) != std::string::npos);
}

TEST_CASE("every subcommand's --help lists the columns it writes") {
  CHECK(help_columns_problem(exe, {{"solve"},
                                   {"sweep", "--to", "50"},
                                   {"scaling", "--to-exp", "4", "--samples", "2"},
                                   {"gaps", "--to-exp", "4", "--samples", "5"},
                                   {"reproduce", "--list"},
                                   {"reproduce", "--quick"}}) == "");
}
