// Runs an executable as a user would, for the CLI tests: arguments, optional stdin text, and the
// exit code, stdout and stderr it produced; and the checks every tool's CLI tests share. The checks
// return a description of what is wrong ("" when all is well), so a test writes
// CHECK(bad_input_problem(...) == "") and a failure prints the reason.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

// True in a build with AddressSanitizer (make asan), whose shadow memory reserves terabytes of address
// space: the tests that lower RLIMIT_AS (ulimit -v) cannot run there and say so.
#ifdef __SANITIZE_ADDRESS__
inline constexpr bool address_sanitizer = true;
#else
inline constexpr bool address_sanitizer = false;
#endif

struct ProcessResult {
  int exit_code;  // 128 + signal when killed by one
  std::string out;
  std::string err;
  double seconds = 0;  // wall time, from fork to exit
};

ProcessResult run_process(const std::string& exe, const std::vector<std::string>& args,
                          const std::string& stdin_text = "");

// Number of lines in s (a last line without '\n' counts).
std::size_t count_lines(const std::string& s);

// An empty directory of its own under the system's temporary directory (`name` and this process's id).
std::filesystem::path fresh_dir(const std::string& name);

// The whole file as text ("" when it does not exist).
std::string slurp(const std::filesystem::path& path);

// Bad input as 00-suite.md wants it: TOOL ARGS... -o DIR/out.csv exits 2 with one line on stderr,
// "TOOL: error: ..." naming `option`, nothing on stdout and no file in DIR.
std::string bad_input_problem(const std::string& exe, const std::string& tool, std::vector<std::string> args,
                              const std::string& option, const std::string& stdin_text = "");

// The subcommands `TOOL --help` lists.
std::vector<std::string> help_subcommands(const std::string& exe);
// The column sets `TOOL SUBCOMMAND --help` lists ("Columns:", "Columns with --x:"), names only.
std::vector<std::vector<std::string>> help_columns(const std::string& exe, const std::string& subcommand);
// The options `TOOL SUBCOMMAND --help` lists: "--name", its metavar ("N", "X", "LIST", "NAME", "FILE"; empty
// for a flag), and whether it is a choice among names ("(one of ...").
struct HelpOption {
  std::string name, metavar;
  bool choice = false;
};
std::vector<HelpOption> help_options(const std::string& exe, const std::string& subcommand);
// The tools of the suite as CMake passes them to the tests that run every tool: "name=path;name=path".
std::vector<std::pair<std::string, std::string>> tool_paths(const std::string& list);

// The CSV with the values of the columns named in `columns` replaced by "T" (the header keeps every name):
// what two runs are compared by when those columns time this machine rather than the result.
std::string mask_columns(const std::string& csv, const std::set<std::string>& columns);

// DIR/law.csv: 12 runs (4 model sizes x 3 compute budgets) whose losses are exactly L = 1.7 + 400/N^0.34 +
// 410/D^0.28 with D = C/6N, in quanta-scaling's --csv columns; returns its path. A fit of it takes milliseconds.
std::string write_law_runs(const std::filesystem::path& dir);

// The header row of a CSV text.
std::vector<std::string> csv_header(const std::string& csv);

// Ties each subcommand's --help "Columns:" lists to the headers it writes: `runs` are invocations (the
// subcommand first, then quick options); each must succeed with a header that its --help lists, every
// subcommand of the tool must be run, and every column set its --help lists must be written by some run.
std::string help_columns_problem(const std::string& exe, const std::vector<std::vector<std::string>>& runs);
