// check_reproduce matches claims by key: these cases prove that it fails when a committed claim is
// renamed or missing, when a quick claim is not measured or regresses, and when it checks nothing, and
// that it passes on the committed summary. The real abc-min is used where a real tool can show it; a
// stand-in script plays a tool whose quick run loses or changes a claim.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "run_process.hpp"

namespace {

const std::string checker = CHECK_REPRODUCE_EXE, abc_min = ABC_MIN_EXE, summary = SUMMARY_CSV;

std::string write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path.string();
}

// The committed summary with `edit` applied to every line.
template <class Edit>
std::string edited_summary(const std::filesystem::path& dir, Edit edit) {
  std::ifstream in(summary);
  std::string out;
  for (std::string line; std::getline(in, line);)
    if (edit(line)) out += line + "\n";
  return write(dir / "summary.csv", out);
}

// A tool whose `reproduce --list` and `reproduce --quick` print the given CSVs.
std::string stand_in(const std::filesystem::path& dir, const std::string& list, const std::string& quick) {
  write(dir / "list.csv", list);
  write(dir / "quick.csv", quick);
  const auto script =
      write(dir / "tool.sh", "#!/bin/sh\ncase \"$2\" in\n  --list) cat '" + (dir / "list.csv").string() +
                                 "' ;;\n  --quick) cat '" + (dir / "quick.csv").string() + "' ;;\nesac\n");
  ::chmod(script.c_str(), 0755);
  return script;
}

const std::string list_header = "tool,key,claim,source,published,quick\n";
const std::string repro_header = "tool,key,claim,source,published,ours,status,note\n";

}  // namespace

TEST_CASE("check_reproduce passes on the committed summary") {
  const auto r = run_process(checker, {abc_min, "abc-min", summary});
  INFO(r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("check_reproduce fails when a committed claim is renamed") {
  const auto dir = fresh_dir("check-reproduce-renamed");
  const auto path = edited_summary(dir, [](std::string& line) {
    if (line.rfind("abc-min,n130_sum,", 0) == 0) line.replace(0, 17, "abc-min,n130_total,");
    return true;
  });
  const auto r = run_process(checker, {abc_min, "abc-min", path});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("MISSING: committed claim 'n130_total'") != std::string::npos);
  CHECK(r.err.find("NOT COMMITTED: claim 'n130_sum'") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("check_reproduce fails when the tool's claims are missing from the summary (zero checked)") {
  const auto dir = fresh_dir("check-reproduce-none");
  const auto path = edited_summary(dir, [](const std::string& line) { return line.rfind("abc-min,", 0) != 0; });
  const auto r = run_process(checker, {abc_min, "abc-min", path});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("checked zero claims") != std::string::npos);
  CHECK(r.err.find("NOT COMMITTED: claim 'n130_sum'") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("check_reproduce fails when a quick claim is not measured, or no longer agrees") {
  const auto dir = fresh_dir("check-reproduce-stand-in");
  const auto committed =
      write(dir / "summary.csv", repro_header + "t,a,claim a,src,1,1,agrees,\nt,b,claim b,src,2,2,agrees,\n");
  const std::string list = list_header + "t,a,claim a,src,1,true\nt,b,claim b,src,2,true\n";
  SECTION("both measured and agreeing: passes") {
    const auto tool = stand_in(dir, list, repro_header + "t,a,claim a,src,1,1,agrees,\nt,b,claim b,src,2,2,agrees,\n");
    const auto r = run_process(checker, {tool, "t", committed});
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }
  SECTION("quick claim b missing from the quick run") {
    const auto tool = stand_in(dir, list, repro_header + "t,a,claim a,src,1,1,agrees,\n");
    const auto r = run_process(checker, {tool, "t", committed});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("MISSING: quick claim 'b'") != std::string::npos);
  }
  SECTION("claim b now differs") {
    const auto tool = stand_in(dir, list, repro_header + "t,a,claim a,src,1,1,agrees,\nt,b,claim b,src,2,3,differs,\n");
    const auto r = run_process(checker, {tool, "t", committed});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("REGRESSION: b") != std::string::npos);
  }
  SECTION("no claim is quick: zero checked") {
    const auto tool = stand_in(dir, list_header + "t,a,claim a,src,1,false\nt,b,claim b,src,2,false\n", repro_header);
    const auto r = run_process(checker, {tool, "t", committed});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("checked zero claims") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}
