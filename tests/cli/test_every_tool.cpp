// What every tool and every subcommand must do, checked over all of them (the subcommands are read from
// each tool's --help, so a new one is covered without editing this file).
#include <catch2/catch.hpp>
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
