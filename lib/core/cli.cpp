#include "core/cli.hpp"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <iostream>
#include <new>
#include <sstream>

#include "core/errors.hpp"
#include "core/output.hpp"
#include "core/parallel.hpp"

#ifndef SUITE_VERSION
#define SUITE_VERSION "0.0.0-dev"
#endif

namespace po = boost::program_options;

namespace core {

std::string_view suite_version() {
  return SUITE_VERSION;
}

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string long_name(const std::string& name) {
  return name.substr(0, name.find(','));
}

std::string display_name(const std::string& name) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
  const auto comma = name.find(',');
  std::string out;
  if (comma != std::string::npos) out.append("-").append(name, comma + 1).append(", ");
  return out.append("--").append(name, 0, comma);
}

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

// Tokens such as "-5" or "-1e3" are values, not options: hand them to the positional arguments (or
// to the option before them) so that the error names the value instead of an unknown option "-5".
std::vector<po::option> negative_numbers_are_values(std::vector<std::string>& args) {
  if (args.empty()) return {};
  const std::string& a = args.front();
  if (a.size() < 2 || a[0] != '-' || !(std::isdigit(static_cast<unsigned char>(a[1])) || a[1] == '.')) return {};
  po::option opt;
  opt.value.push_back(a);
  opt.original_tokens.push_back(a);  // string_key left empty: Boost treats it as a positional token
  args.erase(args.begin());
  return {opt};
}

}  // namespace

u128 parse_integer(std::string_view what, std::string_view text, u128 lo, u128 hi) {
  const auto v = parse_u128(text);
  if (!v || *v < lo || *v > hi)
    throw InputError(std::string(what) + ": expected an integer in [" + describe_integer(lo) + ", " +
                     describe_integer(hi) + "], got '" + std::string(text) + "'");
  return *v;
}

// ---- Options ----

Options& Options::add(Entry e) {
  entries_.push_back(std::move(e));
  return *this;
}

Options& Options::flag(const char* name, bool& target, const char* help) {
  Entry e{name, "", help, "", nullptr, true, &target};
  return add(std::move(e));
}

Options& Options::integer(const char* name, u128& target, u128 lo, u128 hi, const char* help) {
  const std::string what = "--" + long_name(name);
  return add({name, "N", help, describe_integer(target),
              [&target, what, lo, hi](const std::string& s) { target = parse_integer(what, s, lo, hi); }});
}

Options& Options::integer(const char* name, std::uint64_t& target, std::uint64_t lo, std::uint64_t hi,
                          const char* help) {
  const std::string what = "--" + long_name(name);
  return add({name, "N", help, describe_integer(target), [&target, what, lo, hi](const std::string& s) {
                target = static_cast<std::uint64_t>(parse_integer(what, s, lo, hi));
              }});
}

Options& Options::integer(const char* name, unsigned& target, unsigned lo, unsigned hi, const char* help) {
  const std::string what = "--" + long_name(name);
  return add({name, "N", help, describe_integer(target), [&target, what, lo, hi](const std::string& s) {
                target = static_cast<unsigned>(parse_integer(what, s, lo, hi));
              }});
}

Options& Options::real(const char* name, double& target, Interval allowed, const char* help) {
  const std::string what = "--" + long_name(name);
  return add({name, "X", help, format_double(target),
              [&target, what, allowed](const std::string& s) { target = parse_real(what, s, allowed); }});
}

Options& Options::choice(const char* name, std::string& target, std::vector<std::string> allowed, const char* help) {
  const std::string what = "--" + long_name(name);
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  return add({name, "NAME", std::string(help) + " (one of " + list + ")", target,
              [&target, what, allowed, list](const std::string& s) {
                for (const auto& a : allowed)
                  if (s == a) {
                    target = s;
                    return;
                  }
                throw InputError(what + ": expected one of " + list + ", got '" + s + "'");
              }});
}

Options& Options::text(const char* name, std::string& target, const char* metavar, const char* help) {
  return add({name, metavar, help, target, [&target](const std::string& s) { target = s; }});
}

Options& Options::positional(const char* name, std::vector<std::string>& target, const char* help,
                             const char* default_text) {
  positional_ = std::make_unique<Entry>(Entry{name, name, help, default_text, nullptr});
  positional_target_ = &target;
  return *this;
}

// ---- Run ----

Run::Run(const ToolInfo& tool, std::string subcommand, std::vector<std::string> argv, unsigned features)
    : tool_(tool),
      subcommand_(std::move(subcommand)),
      argv_(std::move(argv)),
      features_(features),
      start_seconds_(now_seconds()) {}

Run::~Run() = default;

CsvWriter& Run::csv(std::vector<Column> columns) {
  if (csv_) throw std::logic_error("Run::csv called twice");
  output_ = std::make_unique<Output>(out_path);
  csv_ = std::make_unique<CsvWriter>(output_->stream(), std::move(columns));
  return *csv_;
}

std::ostream& Run::summary() {
  if (progress_) progress_->clear();
  if (!quiet) return std::cerr;
  if (!null_stream_) null_stream_ = std::make_unique<std::ostream>(nullptr);
  return *null_stream_;
}

Progress& Run::progress(std::string label, std::size_t total) {
  progress_ = std::make_unique<Progress>(std::move(label), total, progress_wanted(quiet));
  return *progress_;
}

void Run::finish() {
  if (!csv_) throw std::logic_error("subcommand wrote no CSV");
  output_->commit();
  if (!output_->is_file()) return;
  std::ostringstream meta;
  meta << "{\n  \"tool\": " << json_string(tool_.name) << ",\n  \"subcommand\": " << json_string(subcommand_)
       << ",\n  \"version\": " << json_string(suite_version()) << ",\n  \"command_line\": [";
  for (std::size_t i = 0; i < argv_.size(); ++i) meta << (i ? ", " : "") << json_string(argv_[i]);
  meta << "],\n  \"seed\": " << ((features_ & uses_seed) ? std::to_string(seed) : "null");
  if (features_ & uses_threads) meta << ",\n  \"threads\": " << threads;
  if (features_ & uses_device) meta << ",\n  \"device\": " << json_string(to_string(device));
  meta << ",\n  \"rows\": " << csv_->rows()
       << ",\n  \"wall_seconds\": " << format_double(now_seconds() - start_seconds_)
       << ",\n  \"finished_utc\": " << json_string(utc_timestamp()) << "\n}\n";
  write_file_atomically(output_->path() + ".meta.json", meta.str());
}

// ---- dispatch ----

namespace {

void print_tool_help(const ToolInfo& tool, std::span<const Command> commands, std::ostream& os) {
  os << tool.name << " " << suite_version() << ": " << tool.summary << "\n\nusage: " << tool.name
     << " SUBCOMMAND [options]\n       " << tool.name << " SUBCOMMAND --help\n\nsubcommands:\n";
  for (const auto& c : commands) {
    os << "  " << c.name << std::string(c.name.size() < 12 ? 12 - c.name.size() : 1, ' ') << c.summary << "\n";
  }
  if (!tool.details.empty()) os << "\n" << tool.details << "\n";
  os << "\nOutput is CSV on stdout, or to -o FILE (written atomically, with FILE.meta.json).\n"
        "Exit codes: 0 success, 1 runtime failure, 2 bad input.\n";
}

void print_command_help(const ToolInfo& tool, const Command& c, const Options& opts, std::ostream& os) {
  const auto* pos = opts.positional_entry();
  os << tool.name << " " << c.name << ": " << c.summary << "\n\nusage: " << tool.name << " " << c.name << " [options]"
     << (pos ? " [" + pos->name + " ...]" : "") << "\n";
  auto line = [&os](const std::string& left, const std::string& help, const std::string& def) {
    os << "  " << left << std::string(left.size() < 24 ? 24 - left.size() : 1, ' ') << help;
    if (!def.empty()) os << " [default: " << def << "]";
    os << "\n";
  };
  if (pos) {
    os << "\narguments:\n";
    line(pos->name + " ...", pos->help, pos->default_text);
  }
  os << "\noptions:\n";
  for (const auto& e : opts.entries())
    line(display_name(e.name) + (e.metavar.empty() ? "" : " " + e.metavar), e.help, e.default_text);
  line("-h, --help", "show this help and exit", "");
  if (!c.details.empty()) os << "\n" << c.details << "\n";
}

void add_common_options(Options& opts, unsigned features, Run& run, std::string& device) {
  opts.text("out,o", run.out_path, "FILE", "write the CSV to FILE (atomically) and FILE.meta.json; '-' is stdout");
  opts.flag("quiet,q", run.quiet, "no progress and no summary on stderr (errors are still reported)");
  if (features & uses_threads)
    opts.integer("threads", run.threads, 1u, 1024u, "worker threads; results do not depend on it");
  if (features & uses_seed)
    opts.integer("seed", run.seed, std::uint64_t{0}, ~std::uint64_t{0},
                 "random seed; the same seed gives the same random draws");
  if (features & uses_device) opts.choice("device", device, {"cpu", "cuda", "auto"}, "where the heavy kernels run");
}

// Parses args into opts; returns false when --help was asked for.
bool parse_options(const std::vector<std::string>& args, Options& opts) {
  po::options_description desc;
  bool help = false;
  desc.add_options()("help,h", po::bool_switch(&help));
  for (const auto& e : opts.entries()) {
    if (e.is_flag)
      desc.add_options()(e.name.c_str(), po::bool_switch(e.flag_target));
    else
      desc.add_options()(e.name.c_str(), po::value<std::string>());
  }
  po::positional_options_description pos;
  if (opts.positional_entry()) {
    desc.add_options()("positional-arguments", po::value<std::vector<std::string>>());
    pos.add("positional-arguments", -1);
  }
  po::variables_map vm;
  const auto style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  try {
    po::store(po::command_line_parser(args)
                  .options(desc)
                  .positional(pos)
                  .style(style)
                  .extra_style_parser(negative_numbers_are_values)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::too_many_positional_options_error&) {
    throw InputError("unexpected argument (this subcommand takes no positional arguments)");
  } catch (const po::error& e) {
    throw InputError(e.what());
  }
  if (help) return false;
  for (const auto& e : opts.entries())
    if (!e.is_flag && vm.count(long_name(e.name))) e.set(vm[long_name(e.name)].as<std::string>());
  if (opts.positional_entry() && vm.count("positional-arguments"))
    *opts.positional_target() = vm["positional-arguments"].as<std::vector<std::string>>();
  return true;
}

int dispatch(const ToolInfo& tool, std::span<const Command> commands, const std::vector<std::string>& argv) {
  if (argv.size() < 2) {
    print_tool_help(tool, commands, std::cerr);
    throw InputError("missing subcommand");
  }
  const std::string& sub = argv[1];
  if (sub == "--help" || sub == "-h" || sub == "help") {
    print_tool_help(tool, commands, std::cout);
    return 0;
  }
  if (sub == "--version") {
    std::cout << tool.name << " " << suite_version() << "\n";
    return 0;
  }
  const Command* cmd = nullptr;
  std::string names;
  for (const auto& c : commands) {
    if (c.name == sub) cmd = &c;
    names += (names.empty() ? "" : ", ") + c.name;
  }
  if (!cmd) throw InputError("unknown subcommand '" + sub + "' (expected one of " + names + ")");

  auto instance = cmd->make();
  Run run(tool, cmd->name, argv, cmd->features);
  run.threads = hardware_threads();
  std::string device = "auto";
  Options opts;
  instance->declare(opts);
  add_common_options(opts, cmd->features, run, device);
  if (!parse_options({argv.begin() + 2, argv.end()}, opts)) {
    print_command_help(tool, *cmd, opts, std::cout);
    return 0;
  }
  if (cmd->features & uses_device) run.device = resolve_device(device);
  instance->run(run);
  run.finish();
  if (!run.deferred_failure().empty()) throw NumericalError(run.deferred_failure());
  return 0;
}

}  // namespace

int run_tool(const ToolInfo& tool, std::span<const Command> commands, int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  try {
    return dispatch(tool, commands, args);
  } catch (const InputError& e) {
    std::cerr << tool.name << ": error: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << tool.name << ": error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << tool.name << ": error: " << e.what() << "\n";
    return 1;
  }
}

double parse_real(std::string_view what, std::string_view text, Interval allowed) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  const bool ok = !text.empty() && ec == std::errc() && end == text.data() + text.size() && std::isfinite(v) &&
                  (allowed.lo_open ? v > allowed.lo : v >= allowed.lo) &&
                  (allowed.hi_open ? v < allowed.hi : v <= allowed.hi);
  if (!ok)
    throw InputError(std::string(what) + ": expected a number in " + (allowed.lo_open ? "(" : "[") +
                     format_double(allowed.lo) + ", " + format_double(allowed.hi) + (allowed.hi_open ? ")" : "]") +
                     ", got '" + std::string(text) + "'");
  return v;
}

std::vector<std::string> split_list(std::string_view what, std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    out.emplace_back(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (out.back().empty())
      throw InputError(std::string(what) + ": expected a comma-separated list, got '" + std::string(text) + "'");
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::vector<double> parse_real_list(std::string_view what, std::string_view text, Interval allowed) {
  std::vector<double> out;
  for (const auto& item : split_list(what, text)) out.push_back(parse_real(what, item, allowed));
  return out;
}

std::vector<std::uint64_t> parse_integer_list(std::string_view what, std::string_view text, std::uint64_t lo,
                                              std::uint64_t hi) {
  std::vector<std::uint64_t> out;
  for (const auto& item : split_list(what, text))
    out.push_back(static_cast<std::uint64_t>(parse_integer(what, item, lo, hi)));
  return out;
}

}  // namespace core
