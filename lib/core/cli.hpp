// The command line every tool shares (00-suite.md): `TOOL SUBCOMMAND [options]`, a table of
// subcommands, typed options declared once (name, help, default, allowed range), one-line errors with
// exit code 2 for bad input and 1 for runtime failures, and the common options (--out, --quiet, and
// where a subcommand uses them --threads, --seed, --device). Parsing is Boost.Program_options;
// this layer adds the types, ranges and messages.
//
// A subcommand is a struct with `void declare(core::Options&)` binding its members as options (their
// initial values are the defaults) and `void run(core::Run&)` doing the work.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "core/device.hpp"
#include "core/progress.hpp"
#include "core/u128.hpp"

namespace core {

struct ToolInfo {
  std::string name;     // "abc-min"
  std::string summary;  // one line for --help
  std::string details;  // a paragraph after the subcommand list (may be empty)
};

std::string_view suite_version();

// Parses an exact non-negative integer ("123", "10^24", "2^127-1") within [lo, hi]; on failure an
// InputError "WHAT: expected an integer in [lo, hi], got 'TEXT'".
u128 parse_integer(std::string_view what, std::string_view text, u128 lo, u128 hi);

struct Interval {
  double lo, hi;
  bool lo_open = false, hi_open = false;
};

// Parses a finite number within `allowed`; on failure an InputError "WHAT: expected a number in (lo, hi],
// got 'TEXT'".
double parse_real(std::string_view what, std::string_view text, Interval allowed);

// The items of a comma-separated list ("0.1,0.5,1"). An empty text or an empty item is an InputError
// "WHAT: expected a comma-separated list, got 'TEXT'". Options holding lists are declared as text and
// parsed with these in the subcommand's run(), where the other options are known.
std::vector<std::string> split_list(std::string_view what, std::string_view text);
std::vector<double> parse_real_list(std::string_view what, std::string_view text, Interval allowed);
// Each item as parse_integer reads it ("16,2^10,10^5").
std::vector<std::uint64_t> parse_integer_list(std::string_view what, std::string_view text, std::uint64_t lo,
                                              std::uint64_t hi);

class Options {
 public:
  Options& flag(const char* name, bool& target, const char* help);
  Options& integer(const char* name, u128& target, u128 lo, u128 hi, const char* help);
  Options& integer(const char* name, std::uint64_t& target, std::uint64_t lo, std::uint64_t hi, const char* help);
  Options& integer(const char* name, unsigned& target, unsigned lo, unsigned hi, const char* help);
  Options& real(const char* name, double& target, Interval allowed, const char* help);
  Options& choice(const char* name, std::string& target, std::vector<std::string> allowed, const char* help);
  Options& text(const char* name, std::string& target, const char* metavar, const char* help);
  // Remaining non-option arguments, as text (the subcommand validates them).
  Options& positional(const char* name, std::vector<std::string>& target, const char* help, const char* default_text);

  struct Entry {
    std::string name;     // "method" or "out,o"
    std::string metavar;  // "NAME"; empty for a flag
    std::string help;
    std::string default_text;
    std::function<void(const std::string&)> set;  // converts and stores, or throws InputError
    bool is_flag = false;
    bool* flag_target = nullptr;
  };
  const std::vector<Entry>& entries() const { return entries_; }
  const Entry* positional_entry() const { return positional_ ? &*positional_ : nullptr; }
  std::vector<std::string>* positional_target() const { return positional_target_; }

 private:
  Options& add(Entry e);
  std::vector<Entry> entries_;
  std::unique_ptr<Entry> positional_;
  std::vector<std::string>* positional_target_ = nullptr;
};

// What a subcommand may use beyond --out and --quiet.
enum Feature : unsigned { no_features = 0, uses_threads = 1, uses_seed = 2, uses_device = 4 };

class Output;

// Everything a running subcommand needs from the command line: where the CSV goes, the summary
// stream, threads, seed, device, progress. Created after every option has been validated.
class Run {
 public:
  Run(const ToolInfo& tool, std::string subcommand, std::vector<std::string> argv, unsigned features);
  ~Run();

  // Starts the CSV (header now, rows by the caller). Call once.
  CsvWriter& csv(std::vector<Column> columns);
  // The human summary on stderr (a sink that discards everything under --quiet); ends the progress line.
  std::ostream& summary();
  // A progress indicator for `total` steps, shown only on a terminal and without --quiet; it lives until
  // the next call or the end of the run.
  Progress& progress(std::string label, std::size_t total);

  unsigned threads = 1;
  std::uint64_t seed = 1;
  Device device = Device::cpu;
  bool quiet = false;
  std::string out_path;

  // The CSV is whole and is written, but the run found something wrong (methods that disagree, a
  // bound that fails): the dispatcher reports `message` and exits 1 after committing the output.
  void fail_after_writing(std::string message) { deferred_failure_ = std::move(message); }
  const std::string& deferred_failure() const { return deferred_failure_; }

  // Called by the dispatcher when run() returned: commits the CSV and writes FILE.meta.json.
  void finish();

  const ToolInfo& tool() const { return tool_; }

 private:
  const ToolInfo& tool_;
  std::string subcommand_;
  std::vector<std::string> argv_;
  unsigned features_;
  std::unique_ptr<Output> output_;
  std::unique_ptr<CsvWriter> csv_;
  std::unique_ptr<std::ostream> null_stream_;
  std::unique_ptr<Progress> progress_;
  double start_seconds_;
  std::string deferred_failure_;
};

// A subcommand as the dispatcher sees it; command<Cmd>() adapts a plain struct to it.
struct Subcommand {
  virtual ~Subcommand() = default;
  virtual void declare(Options& options) = 0;
  virtual void run(Run& run) = 0;
};

struct Command {
  std::string name;
  std::string summary;
  unsigned features;
  std::string details;  // printed at the end of SUBCOMMAND --help: the CSV columns, caveats
  std::function<std::unique_ptr<Subcommand>()> make;  // a fresh instance per invocation
};

// Builds a table entry for a subcommand struct Cmd (see the header comment).
template <class Cmd>
Command command(std::string name, std::string summary, unsigned features = no_features, std::string details = "") {
  struct Adapter final : Subcommand {
    Cmd cmd;
    void declare(Options& options) override { cmd.declare(options); }
    void run(Run& run) override { cmd.run(run); }
  };
  return {std::move(name), std::move(summary), features, std::move(details),
          [] { return std::make_unique<Adapter>(); }};
}

// The whole of a tool's main(): dispatch, parse, validate, run, write; returns the exit code.
int run_tool(const ToolInfo& tool, std::span<const Command> commands, int argc, char** argv);

}  // namespace core
