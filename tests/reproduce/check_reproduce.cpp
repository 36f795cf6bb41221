// The CI guard of the reproduction table (00-suite.md): run `TOOL reproduce --quick` and fail if any
// claim of TOOL that `agrees` in the committed results/summary.csv no longer agrees. Claims measured
// only by the full reproduce (not quick) are not re-run here; `make results` refreshes them.
//   check_reproduce EXE TOOL SUMMARY_CSV
#include <iostream>
#include <map>
#include <string>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "run_process.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: check_reproduce EXE TOOL SUMMARY_CSV\n";
    return 2;
  }
  const std::string exe = argv[1], tool = argv[2];
  try {
    const auto committed = core::read_csv_file(argv[3]);
    const auto c_tool = committed.column("tool", "summary"), c_claim = committed.column("claim", "summary"),
               c_status = committed.column("status", "summary");
    const auto run = run_process(exe, {"reproduce", "--quick", "--quiet"});
    if (run.exit_code != 0) {
      std::cerr << tool << " reproduce --quick exited " << run.exit_code << ": " << run.err;
      return 1;
    }
    const auto now = core::parse_csv(run.out, tool + " reproduce --quick");
    const auto n_claim = now.column("claim", "reproduce"), n_status = now.column("status", "reproduce"),
               n_ours = now.column("ours", "reproduce"), n_note = now.column("note", "reproduce");
    std::map<std::string, std::size_t> quick_rows;
    for (std::size_t i = 0; i < now.rows.size(); ++i) quick_rows[now.rows[i][n_claim]] = i;
    if (quick_rows.empty()) {
      std::cerr << tool << " reproduce --quick measured no claim\n";
      return 1;
    }
    std::size_t checked = 0, regressed = 0;
    for (const auto& row : committed.rows) {
      if (row[c_tool] != tool || row[c_status] != "agrees") continue;
      const auto it = quick_rows.find(row[c_claim]);
      if (it == quick_rows.end()) continue;  // a long reproduction, or a claim renamed since
      ++checked;
      const auto& fresh = now.rows[it->second];
      if (fresh[n_status] != "agrees") {
        ++regressed;
        std::cerr << "REGRESSION: " << row[c_claim] << ": committed 'agrees', now '" << fresh[n_status]
                  << "' (ours = " << fresh[n_ours] << "; " << fresh[n_note] << ")\n";
      }
    }
    std::cout << tool << ": " << checked << " committed 'agrees' claims re-run quickly, " << regressed
              << " no longer agree\n";
    if (checked == 0 && !committed.rows.empty()) {
      bool tool_listed = false;
      for (const auto& row : committed.rows) tool_listed |= row[c_tool] == tool;
      if (!tool_listed) std::cout << tool << " has no rows in the committed summary yet (run make results)\n";
    }
    return regressed == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "check_reproduce: " << e.what() << "\n";
    return 1;
  }
}
