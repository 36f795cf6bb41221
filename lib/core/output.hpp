// Where a tool's CSV goes: stdout, or a file written atomically (a temporary file beside it, renamed
// into place only when the run succeeds). An error, an exception or SIGINT/SIGTERM removes the
// temporary file, so a reader never sees a partial CSV under the requested name. On stdout the CSV is
// held in memory and written at commit, so a run that fails prints no rows there either.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace core {

class Output {
 public:
  // path empty or "-": stdout. Otherwise creates the temporary file now (and, with_meta, the one of
  // PATH.meta.json), so an unwritable destination is reported (InputError) before any work is done.
  explicit Output(const std::string& path, bool with_meta = false);
  ~Output();  // removes the temporary files unless commit() succeeded
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  std::ostream& stream();
  bool is_file() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  std::string meta_path() const { return path_ + ".meta.json"; }

  // Flushes, checks for write errors (NumericalError if any) and renames the file into place, with
  // `meta` as PATH.meta.json when constructed with_meta (the two renames with signals held back, so the
  // pair lands together); on stdout, writes the held CSV.
  void commit(std::string_view meta = {});

 private:
  std::string path_;
  std::string temp_path_, meta_temp_path_;
  std::ofstream file_;
  std::ostringstream held_;  // stdout's CSV until commit
  bool committed_ = false;
};

// Writes `text` to `path` atomically (temporary file and rename). Used for FILE.meta.json.
void write_file_atomically(const std::string& path, const std::string& text);

// What FILE.meta.json records of a run (00-suite.md): the invocation, its settings, and the outcome.
struct RunRecord {
  std::string tool, subcommand;
  std::vector<std::string> command_line;
  std::optional<std::uint64_t> seed;  // null in the JSON when the subcommand draws nothing at random
  std::optional<unsigned> threads;    // omitted when the subcommand has no --threads
  std::optional<std::string> device;  // omitted when it has no --device
  std::size_t rows = 0;
  double wall_seconds = 0;
  // A shard's (--shard K/N; core/shard.hpp): which share of how many points, and the digests merge checks.
  struct Shard {
    std::uint64_t index, count;
    std::size_t points;
    std::string grid, rows_digest;
  };
  std::optional<Shard> shard;
};

// The text of FILE.meta.json.
std::string meta_json(const RunRecord& record);

// Writes `data` raw (little-endian float64 on this platform) to `path`; InputError "WHAT: cannot write
// 'PATH'" (the option's path is unwritable) on failure. For the files benchmark peers read (--save, --dump).
void write_binary(const std::string& path, std::span<const double> data, std::string_view what);

}  // namespace core
