// Runs an executable as a user would, for the CLI tests: arguments, optional stdin text, and the
// exit code, stdout and stderr it produced.
#pragma once

#include <string>
#include <vector>

struct ProcessResult {
  int exit_code;  // 128 + signal when killed by one
  std::string out;
  std::string err;
};

ProcessResult run_process(const std::string& exe, const std::vector<std::string>& args,
                          const std::string& stdin_text = "");

// Number of lines in s (a last line without '\n' counts).
std::size_t count_lines(const std::string& s);
