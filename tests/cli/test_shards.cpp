// Issue 24's promise, over every sweep of every tool: a run split with --shard K/N and joined with `TOOL
// merge` writes the unsharded run's CSV and summary byte for byte, for N = 1, 2, 3 and 7 (more shards than
// points included), whatever --threads each shard used; and merge refuses, with one line naming the shard,
// exit 2 and no file, every set of shards that is not one whole run.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "run_process.hpp"

namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> tools() {
  const auto paths = tool_paths(SUITE_TOOLS);
  return {paths.begin(), paths.end()};
}

struct SweepRun {
  std::string tool;
  std::vector<std::string> args;        // the subcommand first; quick options
  std::set<std::string> timing = {};    // columns that time this machine: compared only by their presence
  bool summary_counts_threads = false;  // the summary (not the CSV) counts work that depends on --threads
};

// Every subcommand that shards, with options that keep it quick (a few hundred ms at most).
const std::vector<SweepRun>& sweep_runs() {
  static const std::vector<SweepRun> runs{
      {"abc-min", {"sweep", "--from", "100", "--to", "3000"}},
      {"abc-min", {"scaling", "--to-exp", "6", "--samples", "3"}, {"seconds"}},
      {"abc-min", {"gaps", "--to-exp", "9", "--samples", "5"}},
      {"abc-min",
       {"gaps", "--from-exp", "3", "--to-exp", "3", "--samples", "2"}},  // 2 points: N = 3, 7 leave shards empty
      {"quanta-scaling", {"simulate", "--points", "4", "--seeds", "3"}},
      // LAW is a 12-run file of losses from a known law, written by the test (the bundled 245 runs take 6 s a fit).
      {"quanta-scaling", {"fit", "--csv", "LAW", "--exclude-highest", "0", "--bootstrap", "20"}},
      {"jl-entropy", {"min-dim", "--points", "10,20", "--dim", "16"}},
      {"jl-entropy", {"norm-tail", "--n", "4,8", "--eps", "0.5", "--trials", "1500"}},
      {"jl-entropy", {"ortho-tail", "--n", "4,8", "--eps", "0.5", "--trials", "1500"}},
      {"jl-entropy", {"entropy", "--log2-to", "7", "--work", "512", "--min-queries", "8", "--needle"}},
      {"jl-entropy", {"positions", "--log2-to", "7", "--work", "512", "--min-queries", "8", "--needle"}},
      {"score-w2", {"gaussian", "--dims", "2", "--etas", "0.1"}},
      {"score-w2", {"mixture", "--particles", "400", "--etas", "0.1", "--errors", "bias,scale"}},
      {"rnn-fixpoint",
       {"sweep", "--d", "2", "--T", "20", "--T-list", "20,40", "--rho-list", "0.5", "--sigma-list", "0.1", "--max-iter",
        "40"}},
      {"attn-sweep", {"scale", "--n-count", "5", "--mc-every", "2", "--mc-rows", "50"}},
      {"attn-sweep", {"sparsity", "--samples", "3000", "--betas", "-1,0.5", "--gammas", "0.5", "--rnn-n", "5"}},
      {"attn-sweep", {"noise", "--n", "16,64", "--sigmas", "0.5", "--trials", "20", "--floor-n", "5", "--starts", "2"}},
      // rope-base's summary counts the bases refuted from a cache of refuting m, which depends on --threads.
      {"attn-sweep", {"rope-base", "--L", "1k,2k,4k,8k", "--certify-max", "8192"}, {}, true},
      {"attn-sweep",
       {"rope-base", "--L", "256,1k,4k,8k", "--d", "64", "--rel", "1e-4", "--certify-max", "4096", "--cert-parts", "5"},
       {},
       true},
      {"attn-sweep", {"rope-law", "--L", "64,128,256,512", "--d", "16,32"}},
  };
  return runs;
}

bool shards(const std::string& exe, const std::string& sub) {
  for (const auto& o : help_options(exe, sub))
    if (o.name == "--shard") return true;
  return false;
}

std::string call(const SweepRun& r) {
  std::string s = r.tool;
  for (const auto& a : r.args) s += " " + a;
  return s;
}

}  // namespace

TEST_CASE(
    "the sweeps that shard are exactly the subcommands whose --help offers --shard, and each tool with one has merge") {
  const auto exe = tools();
  std::set<std::pair<std::string, std::string>> listed, offered;
  for (const auto& r : sweep_runs()) listed.emplace(r.tool, r.args.front());
  for (const auto& [tool, path] : exe) {
    bool any = false;
    for (const auto& sub : help_subcommands(path))
      if (sub != "merge" && shards(path, sub)) offered.emplace(tool, sub), any = true;
    const auto subs = help_subcommands(path);
    CHECK((std::find(subs.begin(), subs.end(), "merge") != subs.end()) == any);
  }
  CHECK(listed == offered);
  CHECK(offered.size() >= 16);
}

TEST_CASE("every sweep split into 1, 2, 3 or 7 shards and merged writes the unsharded CSV and summary byte for byte") {
  const auto exe = tools();
  const auto dir = fresh_dir("shards");
  const auto law = write_law_runs(dir);
  for (const auto& r : sweep_runs()) {
    INFO(call(r));
    const auto& path = exe.at(r.tool);
    auto sweep_args = r.args;
    for (auto& a : sweep_args)
      if (a == "LAW") a = law;
    auto args = sweep_args;
    args.insert(args.end(), {"-o", (dir / "whole.csv").string()});
    const auto whole = run_process(path, args);
    REQUIRE(whole.exit_code == 0);
    const auto whole_csv = slurp(dir / "whole.csv");
    for (int n : {1, 2, 3, 7}) {
      INFO(n << " shards");
      std::vector<std::string> merge_args{"merge"};
      for (int k = n - 1; k >= 0; --k) {  // given to merge in reverse: the order of the files does not matter
        const auto part = (dir / ("part-" + std::to_string(k) + ".csv")).string();
        auto shard_args = sweep_args;
        shard_args.insert(shard_args.end(), {"--shard", std::to_string(k) + "/" + std::to_string(n), "-q", "-o", part,
                                             "--threads", std::to_string(1 + k % 2)});
        const auto s = run_process(path, shard_args);
        INFO(s.err);
        REQUIRE(s.exit_code == 0);
        CHECK(s.out.empty());
        CHECK(slurp(part + ".meta.json").find("\"shard\": {\"index\": " + std::to_string(k)) != std::string::npos);
        merge_args.push_back(part);
      }
      merge_args.insert(merge_args.end(), {"-o", (dir / "merged.csv").string()});
      const auto m = run_process(path, merge_args);
      INFO(m.err);
      REQUIRE(m.exit_code == 0);
      CHECK(mask_columns(slurp(dir / "merged.csv"), r.timing) == mask_columns(whole_csv, r.timing));
      if (r.timing.empty() && !r.summary_counts_threads) CHECK(m.err == whole.err);
      CHECK(fs::exists(dir / "merged.csv.meta.json"));
      for (int k = 0; k < n; ++k) {
        fs::remove(dir / ("part-" + std::to_string(k) + ".csv"));
        fs::remove(dir / ("part-" + std::to_string(k) + ".csv.meta.json"));
      }
    }
  }
  fs::remove_all(dir);
}

TEST_CASE(
    "merge refuses a missing, duplicated, foreign, edited or truncated shard: one line naming it, exit 2, no file") {
  const auto exe = tools();
  const auto& abc = exe.at("abc-min");
  const auto dir = fresh_dir("merge-refusals");
  const auto part = [&](const std::string& name) { return (dir / name).string(); };
  const std::vector<std::string> gaps{"gaps", "--to-exp", "8", "--samples", "5"};
  auto shard = [&](const std::string& name, const std::string& spec, std::vector<std::string> extra = {}) {
    auto args = gaps;
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), {"--shard", spec, "-q", "-o", part(name)});
    REQUIRE(run_process(abc, args).exit_code == 0);
  };
  shard("a0.csv", "0/3");
  shard("a1.csv", "1/3");
  shard("a2.csv", "2/3");
  shard("seed.csv", "1/3", {"--seed", "2"});
  shard("option.csv", "1/3", {"--fit-from", "1000"});
  shard("four.csv", "1/4");
  REQUIRE(run_process(abc, {"gaps", "--to-exp", "8", "--samples", "5", "-q", "-o", part("whole.csv")}).exit_code == 0);
  REQUIRE(run_process(exe.at("jl-entropy"), {"norm-tail", "--n", "8", "--eps", "0.5", "--trials", "300", "--shard",
                                             "1/3", "-q", "-o", part("jl.csv")})
              .exit_code == 0);
  const std::string text = slurp(part("a1.csv"));
  std::ofstream(part("cut.csv")) << text.substr(0, text.size() - 5);
  fs::copy_file(part("a1.csv.meta.json"), part("cut.csv.meta.json"));
  std::string meta = slurp(part("a1.csv.meta.json"));
  meta.replace(meta.find("\"version\": \""), 12, "\"version\": \"9");
  std::ofstream(part("version.csv")) << text;
  std::ofstream(part("version.csv.meta.json")) << meta;
  std::ofstream(part("nometa.csv")) << text;

  const std::vector<std::pair<std::vector<std::string>, std::string>> refusals{
      {{part("a0.csv"), part("a2.csv")}, "1 of 3 shards missing: 1/3"},
      {{part("a0.csv"), part("a1.csv"), part("a1.csv"), part("a2.csv")}, "are both shard 1/3"},
      {{part("a0.csv"), part("seed.csv"), part("a2.csv")}, "'" + part("seed.csv") + "' comes from another command"},
      {{part("a0.csv"), part("option.csv"), part("a2.csv")}, "options --fit-from=1000 --samples=5 --to-exp=8, not"},
      {{part("a0.csv"), part("four.csv"), part("a2.csv")}, "shard count 4, not 3"},
      {{part("a0.csv"), part("cut.csv"), part("a2.csv")}, "'" + part("cut.csv") + "' is truncated or altered"},
      {{part("a0.csv"), part("version.csv"), part("a2.csv")}, "'" + part("version.csv") + "': its meta.json does not"},
      {{part("a0.csv"), part("nometa.csv"), part("a2.csv")}, "'" + part("nometa.csv") + "' has no"},
      {{part("a0.csv"), part("missing.csv")}, "'" + part("missing.csv") + "': cannot read it"},
      {{part("whole.csv")}, "is a whole run's output, not a shard"},
      {{part("jl.csv")}, "is a shard of jl-entropy, not of abc-min"},
      {{}, "merge: expected the shard files"},
  };
  for (const auto& [files, expected] : refusals) {
    std::vector<std::string> args{"merge"};
    args.insert(args.end(), files.begin(), files.end());
    args.insert(args.end(), {"-o", part("out/merged.csv")});
    fs::create_directories(dir / "out");
    const auto r = run_process(abc, args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.rfind("abc-min: error: merge: ", 0) == 0);
    CHECK(r.err.find(expected) != std::string::npos);
    CHECK(r.out.empty());
    CHECK(fs::is_empty(dir / "out"));
    fs::remove_all(dir / "out");
  }
  // A shard needs a file (its meta.json is what merge reads), and a subcommand that is no sweep has no --shard.
  const auto no_file = run_process(abc, {"gaps", "--shard", "0/2"});
  CHECK(no_file.exit_code == 2);
  CHECK(no_file.err.find("--shard: needs -o FILE") != std::string::npos);
  CHECK(no_file.out.empty());
  CHECK(run_process(abc, {"solve", "130", "--shard", "0/2", "-o", part("solve.csv")}).exit_code == 2);
  fs::remove_all(dir);
}

TEST_CASE("a shard's time check counts its share of the work, and a merge, which evaluates no point, has none") {
  // abc-min gaps --samples 20: about 1.7 s estimated (0.4 s a quarter), refused under a 0.5 s limit.
  const auto dir = fresh_dir("shard-time");
  const std::string exe = tools().at("abc-min"), limit = "MLDERIV_MAX_SECONDS=0.5 ";
  const auto sh = [&](const std::string& args) {
    return run_process("/bin/sh", {"-c", limit + "'" + exe + "' " + args + " -q"});
  };
  const auto whole = sh("gaps --samples 20 -o " + (dir / "whole.csv").string());
  CHECK(whole.exit_code == 2);
  CHECK(whole.err.find("would take about") != std::string::npos);
  std::string parts;
  for (int k = 0; k < 4; ++k) {
    const auto part = (dir / "p").string() + std::to_string(k) + ".csv";  // not "p" + ...: GCC 12's -Wrestrict
    CHECK(sh("gaps --samples 20 --shard " + std::to_string(k) + "/4 -o " + part).exit_code == 0);
    parts += " " + part;
  }
  CHECK(sh("merge" + parts + " -o " + (dir / "merged.csv").string()).exit_code == 0);
  CHECK(fs::exists(dir / "merged.csv"));
  fs::remove_all(dir);
}
