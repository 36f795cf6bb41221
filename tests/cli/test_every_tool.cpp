// What every tool and every subcommand must do, checked over all of them (the subcommands are read from
// each tool's --help, so a new one is covered without editing this file).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "run_process.hpp"

namespace {

std::vector<std::pair<std::string, std::string>> tools() {
  return tool_paths(SUITE_TOOLS);
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

namespace {

// EXE ARGS... -q -o OUT
std::vector<std::string> quiet_to(const std::string& exe, const std::vector<std::string>& args,
                                  const std::string& out) {
  std::vector<std::string> argv{exe};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"-q", "-o", out});
  return argv;
}

struct Signalled {
  int status;      // as waitpid gives it
  double seconds;  // from the signal to the end of the process
};

// Runs argv with stderr to /dev/null and sends `sig` after `delay` (or to the zombie, if it ended first).
Signalled run_and_signal(std::vector<std::string> argv, std::chrono::microseconds delay, int sig) {
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  // The signal may arrive before the exec: the child, a copy of this test with Catch's handlers, blocks
  // it until the default action is back, so that it dies of it as the tool would.
  sigset_t signals, old;
  sigemptyset(&signals);
  sigaddset(&signals, sig);
  ::sigprocmask(SIG_BLOCK, &signals, &old);
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::signal(sig, SIG_DFL);
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    std::freopen("/dev/null", "w", stderr);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  std::this_thread::sleep_for(delay);
  const auto sent = std::chrono::steady_clock::now();
  ::kill(pid, sig);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {status, std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count()};
}

}  // namespace

TEST_CASE(
    "SIGINT or SIGTERM at any moment of a run of every tool: no temporary file, never a CSV without its meta.json") {
  // One short run per tool, the quanta one writing 0.7 MB; each is timed once, then signalled at times
  // uniform over twice its length: before the temporaries exist, while rows and the file are written,
  // around the two renames, and after the run has ended. What is left must be nothing or the whole pair.
  const std::vector<std::pair<std::string, std::vector<std::string>>> runs{
      {"abc-min", {"sweep", "--to", "3000"}},
      {"quanta-scaling", {"emergence", "--points", "10000"}},
      {"jl-entropy", {"dims", "--points", "10,100,1000,10000,100000"}},
      {"score-w2", {"gaussian", "--dims", "2", "--etas", "0.1"}},
      {"rnn-fixpoint", {"converge", "--T", "200"}},
      {"attn-sweep", {"scale", "--n-count", "200", "--mc-every", "0"}}};
  std::map<std::string, std::string> exe;
  for (const auto& [name, path] : tools()) exe[name] = path;
  const auto dir = fresh_dir("signal-any-moment");
  const auto out = (dir / "out.csv").string();
  std::mt19937 rng(5);
  for (const auto& [tool, args] : runs) {
    const auto argv = quiet_to(exe.at(tool), args, out);
    const auto whole_run = run_process(argv.front(), {argv.begin() + 1, argv.end()});
    REQUIRE(whole_run.exit_code == 0);
    std::uniform_int_distribution<long> delay_us(0, static_cast<long>(2e6 * whole_run.seconds));
    int interrupted = 0;
    for (int run = 0; run < 40; ++run) {
      std::filesystem::remove_all(dir);
      std::filesystem::create_directories(dir);
      const int sig = run % 2 == 0 ? SIGINT : SIGTERM;
      const int status = run_and_signal(argv, std::chrono::microseconds(delay_us(rng)), sig).status;
      std::set<std::string> left;
      for (const auto& e : std::filesystem::directory_iterator(dir)) left.insert(e.path().filename().string());
      INFO(tool << " run " << run << ": " << left.size() << " files left");
      const bool whole = left == std::set<std::string>{"out.csv", "out.csv.meta.json"};
      CHECK((left.empty() || whole));
      if (WIFSIGNALED(status)) {
        CHECK(WTERMSIG(status) == sig);
        ++interrupted;
      } else {
        CHECK(WEXITSTATUS(status) == 0);
        CHECK(whole);
      }
    }
    INFO(tool);
    CHECK(interrupted > 5);  // the signals did land inside runs
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "bad values and repeated options for every option of every subcommand, generated from --help: one line, exit 2, "
    "nothing left") {
  // Values no option of its kind accepts: N (unsigned integers), X (finite reals), LIST (comma-separated),
  // NAME (a choice). Each invocation also gets -o DIR/out.csv; bad_input_problem checks the rest.
  const std::vector<std::string> integers{"-1", "1.5", "x", "", "0x10", " 7", "7 ", "2^128", "1e400", "12abc"};
  const std::vector<std::string> reals{"nan", "inf", "-inf", "1e400", "x", "", "1x", " 1", "0x1p3"};
  const std::vector<std::string> lists{"", ",", "1,,2", ",1", "x,,y"};
  const std::vector<std::string> choices{"nosuch", "", "NOSUCH"};
  const std::vector<std::string> shards{"", "1", "3/3", "-1/2", "0/0", "a/b", "1/2/3", "0 /2", "0/1000001", "0/2x"};
  // Files no file-reading option accepts.
  const auto files_dir = fresh_dir("bad-files");
  auto file = [&](const std::string& name, const std::string& text) {
    std::ofstream(files_dir / name, std::ios::binary) << text;
    return (files_dir / name).string();
  };
  const std::vector<std::string> files{(files_dir / "missing.csv").string(),
                                       files_dir.string(),  // a directory
                                       file("empty.csv", ""),
                                       file("header.csv", "loss,Model Size,Training FLOP,x,y\n"),
                                       file("binary.csv", std::string("\x00\x01\x02\xff\xfe\n\x00", 7)),
                                       file("latin1.csv", "loss,Model Size,Training FLOP\n\xe9,1e8,1e18\n"),
                                       file("nan.csv",
                                            "loss,Model Size,Training FLOP,x,y\nnan,nan,nan,nan,nan\n"
                                            "nan,nan,nan,nan,nan\nnan,nan,nan,nan,nan\n"),
                                       file("ragged.csv", "loss,Model Size,Training FLOP,x,y\n1,2\n3,4,5,6,7,8\n"),
                                       file("wide.csv", [] {  // a 10^6-column line
                                         std::string t;
                                         for (int i = 0; i < 1000000; ++i) t += (i ? ",c" : "c") + std::to_string(i);
                                         return t + "\n" + t + "\n";
                                       }())};
  std::size_t invocations = 0;
  std::string problems;
  for (const auto& [tool, exe] : tools())
    for (const auto& sub : help_subcommands(exe))
      for (const auto& o : help_options(exe, sub)) {
        if (o.name == "--out" || o.name == "--help") continue;  // --out has its own test; --help runs
        const std::vector<std::string>* values = o.metavar == "FILE"               ? &files
                                                 : o.metavar == "N"                ? &integers
                                                 : o.metavar == "X"                ? &reals
                                                 : o.metavar == "LIST"             ? &lists
                                                 : o.metavar == "NAME" && o.choice ? &choices
                                                 : o.metavar == "K/N"              ? &shards
                                                                                   : nullptr;
        if (!o.metavar.empty()) {  // given twice: refused, not "the last one wins"
          const auto p = bad_input_problem(exe, tool, {sub, o.name, "1", o.name, "2"}, o.name);
          if (!p.empty()) problems += p + "\n";
          ++invocations;
        }
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
  // A binary file is named as such, not echoed (its NUL would cut the message short).
  for (const auto& [tool, exe] : tools())
    if (tool == "quanta-scaling") {
      const auto r = run_process(exe, {"fit", "--csv", files[4]});
      CHECK(r.exit_code == 2);
      CHECK(r.err.find(std::string(1, '\0')) == std::string::npos);
      CHECK(r.err.find("line 1 holds the control byte 0x00: not a text CSV") != std::string::npos);
    }
  std::filesystem::remove_all(files_dir);
}

TEST_CASE("every subcommand that draws random numbers: the same CSV at --threads 1, 2 and 3, and twice in a row") {
  const std::set<std::string> timing{"seconds", "GB_per_s", "gb_per_s", "speedup", "sequential_passes", "ns_per_step"};
  std::map<std::string, std::string> exe;
  for (const auto& [name, path] : tools()) exe[name] = path;
  const auto dir = fresh_dir("determinism");
  const auto law = write_law_runs(dir);
  // Quick versions of every subcommand with --seed (reproduce aside: its claims are pinned by check_reproduce).
  const std::vector<std::pair<std::string, std::vector<std::string>>> runs{
      {"abc-min", {"scaling", "--to-exp", "5", "--samples", "3"}},
      {"abc-min", {"gaps", "--to-exp", "6", "--samples", "5"}},
      {"attn-sweep", {"scale", "--n-count", "5", "--mc-every", "2", "--mc-rows", "50"}},
      {"attn-sweep", {"sparsity", "--samples", "3000", "--betas", "-1,0.5", "--gammas", "0.5", "--rnn-n", "5"}},
      {"attn-sweep", {"noise", "--n", "16,64", "--sigmas", "0.5", "--trials", "20", "--floor-n", "5", "--starts", "2"}},
      {"attn-sweep", {"stats", "--n", "256", "--queries", "8", "--d", "16", "--device", "cpu"}},
      {"jl-entropy", {"project", "--points", "30", "--dim", "10", "--n", "4,8"}},
      {"jl-entropy", {"min-dim", "--points", "10", "--dim", "16"}},
      {"jl-entropy", {"norm-tail", "--n", "8", "--eps", "0.5", "--trials", "300"}},
      {"jl-entropy", {"ortho-tail", "--n", "8", "--eps", "0.5", "--trials", "300"}},
      {"jl-entropy", {"entropy", "--log2-to", "7", "--work", "512", "--min-queries", "8", "--needle"}},
      {"jl-entropy", {"positions", "--log2-to", "7", "--work", "512", "--min-queries", "8", "--needle"}},
      {"quanta-scaling", {"simulate", "--points", "4", "--seeds", "3"}},
      {"quanta-scaling", {"fit", "--csv", law, "--exclude-highest", "0", "--bootstrap", "20"}},
      {"quanta-scaling", {"allocate", "--csv", law, "--exclude-highest", "0", "--bootstrap", "20"}},
      {"quanta-scaling",
       {"synthetic", "--csv", law, "--exclude-highest", "0", "--bootstrap", "5", "--draws", "2", "--sigma", "0.01"}},
      {"rnn-fixpoint", {"converge", "--T", "300", "--d", "4", "--scan", "chunked"}},
      {"rnn-fixpoint", {"gru", "--T", "300", "--d", "4"}},
      {"rnn-fixpoint",
       {"sweep", "--d", "2", "--T", "20", "--T-list", "20,40", "--rho-list", "0.5", "--sigma-list", "0.1", "--max-iter",
        "40"}},
      {"rnn-fixpoint", {"scan-bench", "--T-list", "300", "--d-list", "2", "--repeats", "1", "--device", "cpu"}},
      {"rnn-fixpoint", {"timing", "--T", "300", "--d", "4", "--repeats", "1"}},
      {"score-w2", {"mixture", "--particles", "400", "--etas", "0.1", "--errors", "bias"}},
      {"score-w2", {"sde", "--particles", "100", "--steps", "40", "--etas", "0.5", "--variances", "4"}},
      {"score-w2", {"dsm", "--samples", "2000", "--times", "0.2", "--thetas", "0,1"}},
      {"score-w2", {"clouds", "--particles", "400", "--bins", "10"}}};
  for (const auto& [tool, args] : runs) {
    std::string call = tool;
    for (const auto& a : args) call += " " + a;
    INFO(call);
    std::vector<std::string> outs;
    for (const char* threads : {"1", "2", "3", "2"}) {
      auto with = args;
      with.insert(with.end(), {"--seed", "7", "--threads", threads, "-q"});
      const auto r = run_process(exe.at(tool), with);
      REQUIRE(r.exit_code == 0);
      outs.push_back(mask_columns(r.out, timing));
    }
    // scan-bench and timing measure the scans at the given thread count (a `threads` column, and the
    // chunked scan's rounding follows it): for them, only twice in a row at the same count.
    if (tool != "rnn-fixpoint" || (args.front() != "scan-bench" && args.front() != "timing")) {
      CHECK(outs[0] == outs[1]);
      CHECK(outs[0] == outs[2]);
    }
    CHECK(outs[1] == outs[3]);
  }
  // And every subcommand with --seed is in the list above (or is reproduce), so a new one is not forgotten.
  for (const auto& [tool, path] : tools())
    for (const auto& sub : help_subcommands(path)) {
      bool seeded = false;
      for (const auto& o : help_options(path, sub)) seeded |= o.name == "--seed";
      if (!seeded || sub == "reproduce") continue;
      bool listed = false;
      for (const auto& [t, args] : runs) listed |= t == tool && args.front() == sub;
      INFO(tool << " " << sub);
      CHECK(listed);
    }
  std::filesystem::remove_all(dir);
}

TEST_CASE("SIGINT and SIGTERM mid-run end every tool's long subcommand within a second, leaving no file") {
  // One default run per tool that takes many seconds; interrupted after 0.4 s, once by each signal.
  const std::vector<std::pair<std::string, std::vector<std::string>>> long_runs{
      {"abc-min", {"sweep", "--to", "1000000", "--methods", "brute"}},
      {"attn-sweep", {"rope-base"}},
      {"jl-entropy", {"entropy"}},
      {"quanta-scaling", {"fit"}},
      {"rnn-fixpoint", {"sweep"}},
      {"score-w2", {"gaussian"}}};
  std::map<std::string, std::string> exe;
  for (const auto& [name, path] : tools()) exe[name] = path;
  const auto dir = fresh_dir("interrupt");
  const auto out = (dir / "out.csv").string();
  for (const auto& [tool, args] : long_runs)
    for (int sig : {SIGINT, SIGTERM}) {
      INFO(tool << " " << args.front() << " signal " << sig);
      const auto [status, seconds] =
          run_and_signal(quiet_to(exe.at(tool), args, out), std::chrono::milliseconds(400), sig);
      CHECK(WIFSIGNALED(status));
      if (WIFSIGNALED(status)) CHECK(WTERMSIG(status) == sig);  // the shell's exit code 128 + sig: 130, 143
      CHECK(seconds < 1.0);
      CHECK(std::filesystem::is_empty(dir));
    }
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "every size option at its largest allowed value is refused up front with its estimate or finishes and is never "
    "killed or hung or out of memory") {
  // Under a 4 GiB address-space limit and MLDERIV_MAX_SECONDS=2, each N option of every subcommand alone at
  // the largest value its range admits (read from the refusal of 2^64 - 1): the run must be refused up front
  // (exit 2, one line: the memory or the time it would need) or finish. A kill by the 30 s timeout means an
  // estimate that was far too low, or none; exit 1 or a signal means a size the resource policy let through.
  if (address_sanitizer) {
    WARN("skipped: an AddressSanitizer build cannot run under ulimit -v (the release build runs this test)");
    return;
  }
  const auto dir = fresh_dir("largest-sizes");
  std::size_t checked = 0, refused = 0;
  std::string problems;
  for (const auto& [tool, exe] : tools())
    for (const auto& sub : help_subcommands(exe))
      for (const auto& o : help_options(exe, sub)) {
        if (o.metavar != "N" || o.name == "--threads" || o.name == "--seed") continue;
        const auto probe = run_process(exe, {sub, o.name, "18446744073709551615"});
        const auto at = probe.err.find(" in [");
        if (probe.exit_code != 2 || at == std::string::npos) continue;  // no upper bound: a cap, not a size
        const auto comma = probe.err.find(", ", at), close = probe.err.find(']', at);
        if (comma == std::string::npos || close == std::string::npos) continue;
        const std::string largest = probe.err.substr(comma + 2, close - comma - 2);
        const std::string command = "ulimit -v 4194304; exec timeout -s KILL 30 env MLDERIV_MAX_SECONDS=2 '" + exe +
                                    "' " + sub + " " + o.name + " '" + largest + "' -q -o '" +
                                    (dir / "out.csv").string() + "'";
        const auto r = run_process("/bin/sh", {"-c", command});
        ++checked;
        const std::string what = tool + " " + sub + " " + o.name + " " + largest;
        if (r.exit_code == 2 && count_lines(r.err) == 1)
          ++refused;
        else if (r.exit_code != 0)
          problems += what + ": exit " + std::to_string(r.exit_code) + " after " + std::to_string(r.seconds) +
                      " s; stderr: " + r.err.substr(0, 300) + "\n";
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
      }
  CHECK(problems == "");
  CHECK(checked >= 60);
  CHECK(refused >= 30);
  std::filesystem::remove_all(dir);
}

TEST_CASE("no nan or inf in results/ outside the columns whose --help says they may hold one") {
  // Each results/TOOL/NAME.csv names its subcommand in NAME.csv.meta.json; a column may hold nan or inf
  // only when some line of that subcommand's --help "Columns" text for it mentions nan or inf.
  std::size_t files = 0, cells = 0;
  std::string problems;
  for (const auto& [tool, exe] : tools()) {
    const std::filesystem::path dir = std::filesystem::path(SUITE_RESULTS) / tool;
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".csv") continue;
      const std::string meta = slurp(entry.path().string() + ".meta.json");
      const auto key = meta.find("\"subcommand\": \"");
      REQUIRE(key != std::string::npos);
      const auto start = key + 15;
      const std::string sub = meta.substr(start, meta.find('"', start) - start);
      // Columns whose help line mentions nan or inf.
      std::set<std::string> allowed;
      std::stringstream help(run_process(exe, {sub, "--help"}).out);
      bool in_columns = false;
      for (std::string line; std::getline(help, line);) {
        if (line.rfind("Columns", 0) == 0)
          in_columns = true;
        else if (!line.empty() && line[0] != ' ')
          in_columns = false;
        if (!in_columns || line.size() < 3 || line[0] != ' ') continue;
        std::stringstream words(line);
        std::string name;
        words >> name;
        std::string lower = line;
        for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (lower.find("nan") != std::string::npos || lower.find("inf") != std::string::npos) allowed.insert(name);
      }
      std::stringstream csv(slurp(entry.path()));
      std::string line;
      std::getline(csv, line);
      const auto header = csv_header(line + "\n");
      ++files;
      for (std::size_t row = 2; std::getline(csv, line); ++row) {
        // Split on commas outside quotes.
        std::vector<std::string> fields(1);
        bool quoted = false;
        for (char ch : line) {
          if (ch == '"')
            quoted = !quoted;
          else if (ch == ',' && !quoted)
            fields.emplace_back();
          else
            fields.back() += ch;
        }
        for (std::size_t i = 0; i < fields.size() && i < header.size(); ++i) {
          ++cells;
          const auto& f = fields[i];
          if ((f == "nan" || f == "inf" || f == "-inf") && !allowed.count(header[i]))
            problems += entry.path().filename().string() + " (" + tool + " " + sub + ") line " + std::to_string(row) +
                        ": column " + header[i] + " holds " + f + "\n";
        }
        if (problems.size() > 4000) break;
      }
    }
  }
  CHECK(problems == "");
  CHECK(files >= 30);
  CHECK(cells > 10000);
}
