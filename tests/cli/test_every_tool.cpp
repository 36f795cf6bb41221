// What every tool and every subcommand must do, checked over all of them (the subcommands are read from
// each tool's --help, so a new one is covered without editing this file).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <thread>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "run_process.hpp"

namespace {

// "name=path;name=path" from CMake.
std::vector<std::pair<std::string, std::string>> tools() {
  std::vector<std::pair<std::string, std::string>> out;
  std::stringstream in(SUITE_TOOLS);
  for (std::string item; std::getline(in, item, ';');)
    out.emplace_back(item.substr(0, item.find('=')), item.substr(item.find('=') + 1));
  return out;
}

}  // namespace

TEST_CASE("an unwritable -o fails with exit 2 before any work, for every subcommand of every tool") {
  const std::string bad = "/nonexistent-suite-dir/out.csv";
  std::size_t checked = 0;
  for (const auto& [name, exe] : tools())
    for (const auto& sub : help_subcommands(exe)) {
      INFO(name << " " << sub);
      double fastest = 1e9;
      ProcessResult r{};
      for (int attempt = 0; attempt < 3; ++attempt) {  // the fastest of three: a busy machine can stall one
        r = run_process(exe, {sub, "-o", bad});
        fastest = std::min(fastest, r.seconds);
      }
      INFO(r.err);
      CHECK(r.exit_code == 2);
      CHECK(count_lines(r.err) == 1);
      CHECK(r.err.rfind(name + ": error: --out: ", 0) == 0);
      CHECK(r.err.find(bad) != std::string::npos);
      CHECK(r.out.empty());
      CHECK(fastest < 0.1);
      ++checked;
    }
  CHECK(checked >= 30);
}

TEST_CASE("every subcommand's --help lists the CSV columns it writes") {
  // Each tool's CLI test ties these lists to the headers written (help_columns_problem); here: none is empty.
  std::size_t checked = 0;
  for (const auto& [name, exe] : tools())
    for (const auto& sub : help_subcommands(exe)) {
      INFO(name << " " << sub);
      CHECK(!help_columns(exe, sub).empty());
      ++checked;
    }
  CHECK(checked >= 30);
}

TEST_CASE("SIGINT at any moment of a run: no temporary file left, and never a CSV without its meta.json") {
  // abc-min sweep --to 3000 runs about 30 ms; the signals fall uniformly over 0 .. 60 ms, so before the
  // temporaries exist, while they are written, around the renames, and after the run has ended.
  std::string exe;
  for (const auto& [name, path] : tools())
    if (name == "abc-min") exe = path;
  REQUIRE(!exe.empty());
  const auto dir = fresh_dir("sigint-any-moment");
  const auto out = (dir / "out.csv").string();
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> delay_us(0, 60000);
  int interrupted = 0, finished = 0;
  for (int run = 0; run < 120; ++run) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const pid_t pid = ::fork();
    if (pid == 0) {
      std::freopen("/dev/null", "w", stderr);
      ::execl(exe.c_str(), exe.c_str(), "sweep", "--to", "3000", "-q", "-o", out.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
    ::kill(pid, SIGINT);
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::set<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(dir)) left.insert(e.path().filename().string());
    INFO("run " << run << ": " << left.size() << " files left");
    const bool whole = left == std::set<std::string>{"out.csv", "out.csv.meta.json"};
    CHECK((left.empty() || whole));
    if (WIFSIGNALED(status)) {
      CHECK(WTERMSIG(status) == SIGINT);
      ++interrupted;
    } else {
      CHECK(WEXITSTATUS(status) == 0);
      CHECK(whole);
      ++finished;
    }
  }
  CHECK(interrupted > 10);  // the signals did land inside runs
  std::filesystem::remove_all(dir);
}

TEST_CASE("bad values for every option of every subcommand, generated from --help: one line, exit 2, nothing left") {
  // Values no option of its kind accepts: N (unsigned integers), X (finite reals), LIST (comma-separated),
  // NAME (a choice). Each invocation also gets -o DIR/out.csv; bad_input_problem checks the rest.
  const std::vector<std::string> integers{"-1", "1.5", "x", "", "0x10", " 7", "7 ", "2^128", "1e400", "12abc"};
  const std::vector<std::string> reals{"nan", "inf", "-inf", "1e400", "x", "", "1x", " 1", "0x1p3"};
  const std::vector<std::string> lists{"", ",", "1,,2", ",1", "x,,y"};
  const std::vector<std::string> choices{"nosuch", "", "NOSUCH"};
  std::size_t invocations = 0;
  std::string problems;
  for (const auto& [tool, exe] : tools())
    for (const auto& sub : help_subcommands(exe))
      for (const auto& o : help_options(exe, sub)) {
        if (o.name == "--out" || o.name == "--help") continue;  // --out has its own test; --help runs
        const std::vector<std::string>* values = o.metavar == "N"                    ? &integers
                                                 : o.metavar == "X"                  ? &reals
                                                 : o.metavar == "LIST"               ? &lists
                                                 : o.metavar == "NAME" && o.choice ? &choices
                                                                                     : nullptr;
        if (!values) continue;
        for (const auto& v : *values) {
          // 0x1p3 is a valid hex float only to strtod; from_chars (what the tools use) rejects it.
          const auto p = bad_input_problem(exe, tool, {sub, o.name, v}, o.name);
          if (!p.empty()) problems += p + "\n";
          ++invocations;
        }
      }
  CHECK(problems == "");
  CHECK(invocations >= 300);
}
