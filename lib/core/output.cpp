#include "core/output.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <sstream>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"

namespace core {

namespace {

// Temporary files to remove if a signal ends the process. The handler may only touch
// async-signal-safe state: fixed buffers and lock-free atomics, and unlink(2).
constexpr std::size_t max_temps = 8;
constexpr std::size_t max_path = 4096;
std::array<std::array<char, max_path>, max_temps> temp_paths{};
std::array<std::atomic<bool>, max_temps> temp_used{};

std::atomic<bool> deferring{false};
std::atomic<int> deferred_signal{0};

extern "C" void remove_temps_and_reraise(int sig) {
  if (deferring.load()) {  // inside a SignalBlock: its end re-enters here
    deferred_signal.store(sig);
    return;
  }
  for (std::size_t i = 0; i < max_temps; ++i)
    if (temp_used[i].load()) ::unlink(temp_paths[i].data());
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_signal_handlers() {
  static const bool installed = [] {
    std::signal(SIGINT, remove_temps_and_reraise);
    std::signal(SIGTERM, remove_temps_and_reraise);
    std::signal(SIGHUP, remove_temps_and_reraise);
    return true;
  }();
  (void)installed;
}

// SIGINT, SIGTERM and SIGHUP held back for a scope: between creating a temporary and registering it, and
// between the two renames of a commit, so that a signal never leaves a temporary behind nor a CSV
// without its meta.json. The handler, whichever thread it runs on, only records a signal that arrives
// meanwhile; the scope's end acts on it.
class SignalBlock {
 public:
  SignalBlock() { deferring.store(true); }
  ~SignalBlock() {
    deferring.store(false);
    if (const int sig = deferred_signal.exchange(0)) remove_temps_and_reraise(sig);
  }
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;
};

int register_temp(const std::string& path) {
  if (path.size() >= max_path) return -1;
  for (std::size_t i = 0; i < max_temps; ++i) {
    if (temp_used[i].load()) continue;
    std::memcpy(temp_paths[i].data(), path.c_str(), path.size() + 1);
    temp_used[i].store(true);
    return static_cast<int>(i);
  }
  return -1;
}

void unregister_temp(const std::string& path) {
  for (std::size_t i = 0; i < max_temps; ++i)
    if (temp_used[i].load() && path == temp_paths[i].data()) temp_used[i].store(false);
}

// Creates a unique temporary file beside `path` (same directory, so rename is atomic).
std::string make_temp_beside(const std::string& path) {
  install_signal_handlers();
  std::string templ = path + ".tmp.XXXXXX";
  int fd = -1;
  {
    SignalBlock block;
    fd = ::mkstemp(templ.data());
    if (fd >= 0) register_temp(templ);
  }
  if (fd < 0) throw InputError("--out: cannot create '" + path + "': " + std::strerror(errno));
  const mode_t mask = ::umask(0);  // mkstemp makes the file 0600; give it the mode a plain open() would
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  return templ;
}

void remove_temp(const std::string& temp) {
  if (temp.empty()) return;
  ::unlink(temp.c_str());
  unregister_temp(temp);
}

void rename_into_place(const std::string& temp, const std::string& path) {
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    unregister_temp(temp);
    throw NumericalError("cannot write '" + path + "': " + why);
  }
  unregister_temp(temp);
}

}  // namespace

Output::Output(const std::string& path, bool with_meta) : path_(path == "-" ? std::string() : path) {
  if (path_.empty()) return;
  auto is_directory = [](const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  };
  if (path_.back() == '/' || is_directory(path_))
    throw InputError("--out: expected a file name, got the directory '" + path_ + "'");
  if (with_meta && is_directory(meta_path()))
    throw InputError("--out: cannot write '" + meta_path() + "': it is a directory");
  temp_path_ = make_temp_beside(path_);
  file_.open(temp_path_, std::ios::binary | std::ios::trunc);
  if (!file_) {
    remove_temp(temp_path_);
    throw InputError("--out: cannot open '" + path_ + "' for writing");
  }
  if (with_meta) meta_temp_path_ = make_temp_beside(meta_path());
}

Output::~Output() {
  if (is_file() && !committed_) {
    file_.close();
    remove_temp(temp_path_);
    remove_temp(meta_temp_path_);
  }
}

std::ostream& Output::stream() {
  return is_file() ? static_cast<std::ostream&>(file_) : held_;
}

void Output::commit(std::string_view meta) {
  if (!is_file()) {
    std::cout << held_.view() << std::flush;
    if (!std::cout) throw NumericalError("write error on stdout");
    committed_ = true;
    return;
  }
  file_.flush();
  if (!file_) throw NumericalError("write error on '" + path_ + "'");
  file_.close();
  if (file_.fail()) throw NumericalError("write error on '" + path_ + "'");
  if (!meta_temp_path_.empty()) {
    std::ofstream m(meta_temp_path_, std::ios::binary | std::ios::trunc);
    m << meta;
    m.close();
    if (!m) throw NumericalError("write error on '" + meta_path() + "'");
  }
  SignalBlock block;  // both files land, or (a failed rename) neither is left half-done
  rename_into_place(temp_path_, path_);
  if (!meta_temp_path_.empty()) rename_into_place(meta_temp_path_, meta_path());
  committed_ = true;
}

void write_file_atomically(const std::string& path, const std::string& text) {
  Output out(path);
  out.stream() << text;
  out.commit();
}

}  // namespace core

namespace core {

namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", ch);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string utc_timestamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string meta_json(const RunRecord& r) {
  std::ostringstream meta;
  meta << "{\n  \"tool\": " << json_string(r.tool) << ",\n  \"subcommand\": " << json_string(r.subcommand)
       << ",\n  \"version\": " << json_string(suite_version()) << ",\n  \"command_line\": [";
  for (std::size_t i = 0; i < r.command_line.size(); ++i) meta << (i ? ", " : "") << json_string(r.command_line[i]);
  meta << "],\n  \"seed\": " << (r.seed ? std::to_string(*r.seed) : "null");
  if (r.threads) meta << ",\n  \"threads\": " << *r.threads;
  if (r.device) meta << ",\n  \"device\": " << json_string(*r.device);
  if (r.shard)
    meta << ",\n  \"shard\": {\"index\": " << r.shard->index << ", \"count\": " << r.shard->count
         << ", \"points\": " << r.shard->points << ", \"grid\": " << json_string(r.shard->grid)
         << ", \"rows_digest\": " << json_string(r.shard->rows_digest) << "}";
  meta << ",\n  \"rows\": " << r.rows << ",\n  \"wall_seconds\": " << format_double(r.wall_seconds)
       << ",\n  \"finished_utc\": " << json_string(utc_timestamp()) << "\n}\n";
  return meta.str();
}

void write_binary(const std::string& path, std::span<const double> data, std::string_view what) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size_bytes()));
  f.close();
  if (!f) throw InputError(std::string(what) + ": cannot write '" + path + "'");
}

}  // namespace core
