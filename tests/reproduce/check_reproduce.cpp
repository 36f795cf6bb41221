// The CI guard of the reproduction table (00-suite.md): claims are matched by key between the committed
// results/summary.csv and the tool. It fails when
//   - a committed key of TOOL is no longer in the tool's claim table (a claim renamed or removed),
//   - a claim of the tool is not in the committed summary (added since the last `make results`),
//   - a claim the tool marks as quick is missing from `TOOL reproduce --quick`,
//   - a quick claim that `agrees` in the committed summary no longer agrees,
//   - it checked zero claims.
// Claims measured only by the full reproduce (not quick) are not re-run here; `make results` refreshes them.
//   check_reproduce EXE TOOL SUMMARY_CSV
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "run_process.hpp"

namespace {

core::CsvTable run_csv(const std::string& exe, const std::string& tool, const std::vector<std::string>& args) {
  const auto run = run_process(exe, args);
  std::string what = tool;
  for (const auto& a : args) what += " " + a;
  if (run.exit_code != 0) throw std::runtime_error(what + " exited " + std::to_string(run.exit_code) + ": " + run.err);
  return core::parse_csv(run.out, what);
}

int check(const std::string& exe, const std::string& tool, const std::string& summary_path) {
  const auto committed = core::read_csv_file(summary_path);
  const auto c_tool = committed.column("tool", "summary"), c_key = committed.column("key", "summary"),
             c_status = committed.column("status", "summary");
  const auto listed = run_csv(exe, tool, {"reproduce", "--list", "--quiet"});
  const auto l_key = listed.column("key", "reproduce --list"), l_quick = listed.column("quick", "reproduce --list");
  const auto now = run_csv(exe, tool, {"reproduce", "--quick", "--quiet"});
  const auto n_key = now.column("key", "reproduce"), n_status = now.column("status", "reproduce"),
             n_ours = now.column("ours", "reproduce"), n_note = now.column("note", "reproduce");

  std::map<std::string, bool> table;  // key -> quick
  for (const auto& row : listed.rows) table[row[l_key]] = row[l_quick] == "true";
  std::map<std::string, std::size_t> fresh;
  for (std::size_t i = 0; i < now.rows.size(); ++i) fresh[now.rows[i][n_key]] = i;

  std::size_t failures = 0, checked = 0, regressed = 0;
  auto fail = [&](const std::string& message) {
    ++failures;
    std::cerr << tool << ": " << message << "\n";
  };
  std::set<std::string> committed_keys;
  for (const auto& row : committed.rows) {
    if (row[c_tool] != tool) continue;
    const std::string& key = row[c_key];
    committed_keys.insert(key);
    const auto it = table.find(key);
    if (it == table.end()) {
      fail("MISSING: committed claim '" + key +
           "' is not in the tool's claim table (renamed or removed; rerun make results)");
      continue;
    }
    if (!it->second) continue;  // a long reproduction
    const auto f = fresh.find(key);
    if (f == fresh.end()) {
      fail("MISSING: quick claim '" + key + "' was not measured by reproduce --quick");
      continue;
    }
    if (row[c_status] != "agrees") continue;
    ++checked;
    const auto& r = now.rows[f->second];
    if (r[n_status] != "agrees") {
      ++regressed;
      fail("REGRESSION: " + key + ": committed 'agrees', now '" + r[n_status] + "' (ours = " + r[n_ours] + "; " +
           r[n_note] + ")");
    }
  }
  for (const auto& [key, quick] : table) {
    if (!committed_keys.count(key)) fail("NOT COMMITTED: claim '" + key + "' is not in the summary (run make results)");
    if (quick && !fresh.count(key)) fail("MISSING: quick claim '" + key + "' was not measured by reproduce --quick");
  }
  if (checked == 0) fail("checked zero claims (no committed 'agrees' claim is quick)");
  std::cout << tool << ": " << checked << " committed 'agrees' claims re-run quickly, " << regressed
            << " no longer agree; " << failures << " failures\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: check_reproduce EXE TOOL SUMMARY_CSV\n";
    return 2;
  }
  try {
    return check(argv[1], argv[2], argv[3]);
  } catch (const std::exception& e) {
    std::cerr << "check_reproduce: " << e.what() << "\n";
    return 1;
  }
}
