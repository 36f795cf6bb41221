#include "run_process.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace {

std::string slurp_and_remove(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::remove(path.c_str());
  return s.str();
}

std::string temp_file(const std::string& text) {
  char name[] = "/tmp/suite-cli-XXXXXX";
  const int fd = ::mkstemp(name);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  if (!text.empty() && ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    throw std::runtime_error("write failed");
  ::close(fd);
  return name;
}

}  // namespace

ProcessResult run_process(const std::string& exe, const std::vector<std::string>& args, const std::string& stdin_text) {
  const std::string in = temp_file(stdin_text), out = temp_file(""), err = temp_file("");
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (!std::freopen(in.c_str(), "r", stdin) || !std::freopen(out.c_str(), "w", stdout) ||
        !std::freopen(err.c_str(), "w", stderr))
      ::_exit(127);
    std::vector<char*> argv{const_cast<char*>(exe.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::remove(in.c_str());
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return {code, slurp_and_remove(out), slurp_and_remove(err), seconds};
}

std::size_t count_lines(const std::string& s) {
  std::size_t n = 0;
  for (char ch : s) n += ch == '\n';
  return n + (!s.empty() && s.back() != '\n');
}

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("suite-cli-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string bad_input_problem(const std::string& exe, const std::string& tool, std::vector<std::string> args,
                              const std::string& option, const std::string& stdin_text) {
  std::string call = tool;
  for (const auto& a : args) call += " " + a;
  const auto dir = fresh_dir("bad-input");
  args.insert(args.end(), {"-o", (dir / "out.csv").string()});
  const auto r = run_process(exe, args, stdin_text);
  std::string problem;
  if (r.exit_code != 2)
    problem = "exit code " + std::to_string(r.exit_code) + ", expected 2";
  else if (count_lines(r.err) != 1)
    problem = "stderr has " + std::to_string(count_lines(r.err)) + " lines, expected 1";
  else if (r.err.size() > 1000)
    problem = "the message has " + std::to_string(r.err.size()) + " characters (a line, not a page)";
  else if (r.err.rfind(tool + ": error: ", 0) != 0)
    problem = "stderr does not start with '" + tool + ": error: '";
  else if (r.err.find(option) == std::string::npos)
    problem = "stderr does not name " + option;
  else if (!r.out.empty())
    problem = "stdout is not empty";
  else if (!fs::is_empty(dir))
    problem = "a file was left in the output directory";
  fs::remove_all(dir);
  return problem.empty() ? "" : call + ": " + problem + " (stderr: " + r.err + ")";
}

namespace {

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string first_word(const std::string& line) {
  const auto start = line.find_first_not_of(' ');
  if (start == std::string::npos) return "";
  return line.substr(start, line.find(' ', start) - start);
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
  return out;
}

}  // namespace

std::vector<std::string> help_subcommands(const std::string& exe) {
  std::vector<std::string> out;
  bool in_list = false;
  for (const auto& line : lines(run_process(exe, {"--help"}).out)) {
    if (line == "subcommands:")
      in_list = true;
    else if (in_list && line.rfind("  ", 0) == 0)
      out.push_back(first_word(line));
    else if (in_list)
      break;
  }
  return out;
}

std::vector<std::vector<std::string>> help_columns(const std::string& exe, const std::string& subcommand) {
  std::vector<std::vector<std::string>> sets;
  bool in_set = false;
  for (const auto& line : lines(run_process(exe, {subcommand, "--help"}).out)) {
    if (line.rfind("Columns", 0) == 0 && line.back() == ':') {
      sets.emplace_back();
      in_set = true;
    } else if (in_set && line.rfind("  ", 0) == 0) {
      sets.back().push_back(first_word(line));
    } else {
      in_set = false;
    }
  }
  return sets;
}

std::vector<HelpOption> help_options(const std::string& exe, const std::string& subcommand) {
  std::vector<HelpOption> out;
  bool in_list = false;
  for (const auto& line : lines(run_process(exe, {subcommand, "--help"}).out)) {
    if (line == "options:") {
      in_list = true;
      continue;
    }
    if (!in_list) continue;
    if (line.rfind("  ", 0) != 0) break;
    std::stringstream words(line);
    std::string name, metavar;
    words >> name;
    if (name.back() == ',') words >> name;  // "-o, --out FILE"
    if (name.rfind("--", 0) != 0) continue;
    // The metavar is the next word when it is upper case ("K/N" too); a flag's next word is its help.
    const auto at = line.find(name) + name.size();
    if (at < line.size() && line[at] == ' ' && at + 1 < line.size() && line[at + 1] != ' ') {
      std::stringstream rest(line.substr(at + 1));
      rest >> metavar;
      if (metavar.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ/") != std::string::npos) metavar.clear();
    }
    out.push_back({name, metavar, line.find("(one of ") != std::string::npos});
  }
  return out;
}

std::vector<std::string> csv_header(const std::string& csv) {
  std::vector<std::string> out;
  std::stringstream in(csv.substr(0, csv.find('\n')));
  for (std::string name; std::getline(in, name, ',');) out.push_back(name);
  return out;
}

std::string help_columns_problem(const std::string& exe, const std::vector<std::vector<std::string>>& runs) {
  std::map<std::string, std::vector<std::vector<std::string>>> declared;
  std::map<std::string, std::set<std::size_t>> written;
  std::string problems;
  for (const auto& sub : help_subcommands(exe)) {
    // merge writes the columns of the subcommand whose shards it joins (tests/cli/test_shards.cpp).
    if (sub == "merge") continue;
    declared[sub] = help_columns(exe, sub);
    if (declared[sub].empty()) problems += sub + ": --help lists no columns; ";
  }
  for (const auto& run : runs) {
    std::string call;
    for (const auto& a : run) call += (call.empty() ? "" : " ") + a;
    const auto it = declared.find(run.at(0));
    if (it == declared.end()) {
      problems += call + ": not a subcommand of --help; ";
      continue;
    }
    auto args = run;
    args.push_back("--quiet");
    const auto r = run_process(exe, args);
    if (r.exit_code != 0) {
      problems += call + ": exit code " + std::to_string(r.exit_code) + " (" + r.err + "); ";
      continue;
    }
    const auto header = csv_header(r.out);
    bool listed = false;
    for (std::size_t i = 0; i < it->second.size(); ++i)
      if (it->second[i] == header) {
        listed = true;
        written[run[0]].insert(i);
      }
    if (!listed) problems += call + ": header " + joined(header) + " is not listed by its --help; ";
  }
  for (const auto& [sub, sets] : declared)
    for (std::size_t i = 0; i < sets.size(); ++i)
      if (!written[sub].count(i)) problems += sub + ": no run writes its --help's columns " + joined(sets[i]) + "; ";
  return problems;
}

std::vector<std::pair<std::string, std::string>> tool_paths(const std::string& list) {
  std::vector<std::pair<std::string, std::string>> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ';');)
    out.emplace_back(item.substr(0, item.find('=')), item.substr(item.find('=') + 1));
  return out;
}

std::string mask_columns(const std::string& csv, const std::set<std::string>& columns) {
  std::stringstream in(csv);
  std::string line, out;
  std::vector<bool> masked;
  for (bool header = true; std::getline(in, line); header = false) {
    std::stringstream fields(line);  // no quoted commas in the columns of these CSVs that are compared
    std::size_t i = 0;
    for (std::string f; std::getline(fields, f, ','); ++i) {
      if (header) masked.push_back(columns.count(f) > 0);
      out += (!header && i < masked.size() && masked[i] ? std::string("T") : f) + ",";
    }
    out += "\n";
  }
  return out;
}

std::string write_law_runs(const std::filesystem::path& dir) {
  const auto path = (dir / "law.csv").string();
  std::ofstream f(path);
  f << "loss,Model Size,Training FLOP\n";
  for (double n : {1e7, 3e7, 1e8, 3e8})
    for (double c : {1e18, 1e19, 1e20})
      f << 1.7 + 400 / std::pow(n, 0.34) + 410 / std::pow(c / (6 * n), 0.28) << "," << n << "," << c << "\n";
  return path;
}
