// The command line every tool shares (00-suite.md): `TOOL SUBCOMMAND [options]`, a table of
// subcommands, typed options declared once (core/options.hpp), one-line errors with exit code 2 for bad
// input and 1 for runtime failures, and the common options (--out, --quiet, and where a subcommand uses
// them --threads, --seed, --device). Parsing is Boost.Program_options (core/cli.cpp); --help is
// core/help.cpp; the values themselves are read by core/parse.hpp.
//
// A subcommand is a struct with `void declare(core::Options&)` binding its members as options (their
// initial values are the defaults) and `void run(core::Run&)` doing the work: one call into lib/, the
// CSV rows, the summary's wording.
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
#include "core/options.hpp"
#include "core/parse.hpp"
#include "core/progress.hpp"
#include "core/sweep.hpp"
#include "core/u128.hpp"
#include "core/version.hpp"

namespace core {

struct ToolInfo {
  std::string name;     // "abc-min"
  std::string summary;  // one line for --help
  std::string details;  // a paragraph after the subcommand list (may be empty)
};

// What a subcommand may use beyond --out and --quiet. uses_shards: a sweep (core/sweep.hpp) that takes
// --shard K/N and that `TOOL merge` joins; the dispatcher adds the merge subcommand to a tool that has one.
enum Feature : unsigned { no_features = 0, uses_threads = 1, uses_seed = 2, uses_device = 4, uses_shards = 8 };

class Output;

// Everything a running subcommand needs from the command line: where the CSV goes, the summary
// stream, threads, seed, device, progress. Created after every option has been validated; the --out
// file is opened (and its directory checked) before run() starts.
class Run {
 public:
  Run(const ToolInfo& tool, std::string subcommand, std::vector<std::string> argv, unsigned features,
      std::span<const ColumnSet> declared = {});
  ~Run();

  // Opens --out (InputError if it cannot be written). The dispatcher calls it before run().
  void open_output();
  // Starts the CSV (header now, rows by the caller). Call once. The columns must be one of the sets the
  // subcommand's --help lists (std::logic_error otherwise), so the two cannot drift apart.
  CsvWriter& csv(std::vector<Column> columns);
  // The human summary on stderr (a sink that discards everything under --quiet); ends the progress line.
  std::ostream& summary();
  // A progress indicator for `total` steps, shown only on a terminal and without --quiet; it lives until
  // the next call or the end of the run.
  Progress& progress(std::string label, std::size_t total);
  // progress(label, total) as the Tick a study calls.
  Tick ticker(std::string label, std::size_t total);

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

  // The sweep the study maps its points through (core/sweep.hpp): a shard's or a merge's; nullptr for a
  // whole run, which is every run but those two.
  Sweep* sweep() { return sweep_.get(); }
  // --shard K/N: the CSV becomes the shard file (the CSV the subcommand writes is discarded), and `options`
  // (the options given, canonical) name the grid in its meta.json.
  void start_shard(ShardSpec spec, std::vector<std::string> options);
  // merge: the sweep's rows come from `files` (by shard index; checked by core/shard.hpp).
  void start_merge(std::vector<std::string> files, std::size_t points);

  const ToolInfo& tool() const { return tool_; }

 private:
  const ToolInfo& tool_;
  std::string subcommand_;
  std::vector<std::string> argv_;
  unsigned features_;
  std::span<const ColumnSet> declared_;
  std::unique_ptr<Output> output_;
  std::unique_ptr<CsvWriter> csv_;
  std::unique_ptr<std::ostream> null_stream_;
  std::unique_ptr<Progress> progress_;
  double start_seconds_;
  std::string deferred_failure_;
  std::unique_ptr<Sweep> sweep_;
  bool sharding_ = false;
  std::vector<std::string> shard_options_;
  std::unique_ptr<std::ostream> discarded_csv_;  // a shard's: the subcommand's own CSV is not its output
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
  std::vector<ColumnSet> columns;  // what --help lists under "Columns:" and Run::csv accepts
  std::string details;             // printed after the columns in SUBCOMMAND --help: caveats, exit codes
  std::function<std::unique_ptr<Subcommand>()> make;  // a fresh instance per invocation
};

// Builds a table entry for a subcommand struct Cmd (see the header comment).
template <class Cmd>
Command command(std::string name, std::string summary, unsigned features, std::vector<ColumnSet> columns,
                std::string details = "") {
  struct Adapter final : Subcommand {
    Cmd cmd;
    void declare(Options& options) override { cmd.declare(options); }
    void run(Run& run) override { cmd.run(run); }
  };
  return {std::move(name),    std::move(summary), features,
          std::move(columns), std::move(details), [] { return std::make_unique<Adapter>(); }};
}

// --threads and --seed as every tool declares them (also the Python module's threads= and seed=).
void declare_threads(Options& opts, unsigned& threads);
void declare_seed(Options& opts, std::uint64_t& seed);

// Calls fn with each subcommand's options as the dispatcher declares them (its own, then the common ones).
void for_each_command_options(const ToolInfo& tool, std::span<const Command> commands,
                              const std::function<void(const Command&, const Options&)>& fn);

// The whole of a tool's main(): dispatch, parse, validate, open --out, run, write; returns the exit code.
int run_tool(const ToolInfo& tool, std::span<const Command> commands, int argc, char** argv);

}  // namespace core
