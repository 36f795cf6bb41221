// Where a tool's CSV goes: stdout, or a file written atomically (a temporary file beside it, renamed
// into place only when the run succeeds). An error, an exception or SIGINT/SIGTERM removes the
// temporary file, so a reader never sees a partial CSV under the requested name.
#pragma once

#include <fstream>
#include <ostream>
#include <string>

namespace core {

class Output {
 public:
  // path empty or "-": stdout. Otherwise creates the temporary file now, so an unwritable
  // destination is reported (InputError) before any work is done.
  explicit Output(const std::string& path);
  ~Output();  // removes the temporary file unless commit() succeeded
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  std::ostream& stream();
  bool is_file() const { return !path_.empty(); }
  const std::string& path() const { return path_; }

  // Flushes, checks for write errors (NumericalError if any) and renames the file into place.
  void commit();

 private:
  std::string path_;
  std::string temp_path_;
  std::ofstream file_;
  bool committed_ = false;
};

// Writes `text` to `path` atomically (temporary file and rename). Used for FILE.meta.json.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace core
