#include "core/cli.hpp"

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <new>

#include "core/completion.hpp"
#include "core/errors.hpp"
#include "core/help.hpp"
#include "core/memory.hpp"
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

// "--quiet", "-q": an option where a value was expected ("-" alone, "-3" and "-.5" are values).
bool looks_like_option(const std::string& a) {
  return a.size() >= 2 && a[0] == '-' && !(std::isdigit(static_cast<unsigned char>(a[1])) || a[1] == '.');
}

// The first argument that is neither an option nor an option's value: what Boost reports only as "too
// many positional options".
std::string stray_argument(const std::vector<std::string>& args, const Options& opts) {
  auto takes_value = [&](std::string_view token) {
    const std::string_view name = token.substr(0, token.find('='));
    for (const auto& e : opts.entries()) {
      const std::string_view declared = e.name;
      const auto comma = declared.find(',');
      const bool matches =
          (name.size() > 2 && name.substr(2) == declared.substr(0, comma)) ||
          (name.size() == 2 && comma != std::string_view::npos && name.substr(1) == declared.substr(comma + 1));
      if (matches) return !e.is_flag && token.find('=') == std::string_view::npos;
    }
    return false;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (looks_like_option(args[i])) {
      if (takes_value(args[i])) ++i;
      continue;
    }
    return args[i];
  }
  return "?";
}

bool same_names(const std::vector<Column>& a, const std::vector<Column>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name) return false;
  return true;
}

}  // namespace

// ---- Run ----

Run::Run(const ToolInfo& tool, std::string subcommand, std::vector<std::string> argv, unsigned features,
         std::span<const ColumnSet> declared)
    : tool_(tool),
      subcommand_(std::move(subcommand)),
      argv_(std::move(argv)),
      features_(features),
      declared_(declared),
      start_seconds_(now_seconds()) {}

Run::~Run() = default;

void Run::open_output() {
  if (!output_) output_ = std::make_unique<Output>(out_path, true);
}

CsvWriter& Run::csv(std::vector<Column> columns) {
  if (csv_) throw std::logic_error("Run::csv called twice");
  bool listed = false;
  for (const auto& set : declared_) listed |= same_names(set.columns, columns);
  if (!listed) throw std::logic_error(subcommand_ + " writes columns that its --help does not list");
  open_output();
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

Tick Run::ticker(std::string label, std::size_t total) {
  Progress* p = &progress(std::move(label), total);
  return [p] { p->advance(); };
}

void Run::finish() {
  if (!csv_) throw std::logic_error("subcommand wrote no CSV");
  if (!output_->is_file()) return output_->commit();
  RunRecord record{.tool = tool_.name, .subcommand = subcommand_, .command_line = argv_};
  if (features_ & uses_seed) record.seed = seed;
  if (features_ & uses_threads) record.threads = threads;
  if (features_ & uses_device) record.device = std::string(to_string(device));
  record.rows = csv_->rows();
  record.wall_seconds = now_seconds() - start_seconds_;
  output_->commit(meta_json(record));
}

// ---- dispatch ----

void declare_threads(Options& opts, unsigned& threads) {
  opts.integer("threads", threads, 1u, 1024u, "worker threads; results do not depend on it");
}

void declare_seed(Options& opts, std::uint64_t& seed) {
  opts.integer("seed", seed, std::uint64_t{0}, ~std::uint64_t{0},
               "random seed; the same seed gives the same random draws");
}

namespace {

void add_common_options(Options& opts, unsigned features, Run& run, std::string& device) {
  opts.text("out,o", run.out_path, "FILE", "write the CSV to FILE (atomically) and FILE.meta.json; '-' is stdout");
  opts.flag("quiet,q", run.quiet, "no progress and no summary on stderr (errors are still reported)");
  if (features & uses_threads) declare_threads(opts, run.threads);
  if (features & uses_seed) declare_seed(opts, run.seed);
  if (features & uses_device) opts.choice("device", device, {"cpu", "cuda", "auto"}, "where the heavy kernels run");
}

// Parses args into opts and runs its checks; returns false when --help was asked for.
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
    throw InputError("unexpected argument '" + stray_argument(args, opts) +
                     "' (this subcommand takes no positional arguments)");
  } catch (const po::error& e) {
    throw InputError(e.what());
  }
  if (help) return false;
  for (const auto& e : opts.entries()) {
    if (e.is_flag || !vm.count(long_name(e.name))) continue;
    const auto& value = vm[long_name(e.name)].as<std::string>();
    const std::string option = option_name(e.name);
    if (value.empty()) throw InputError(option + ": expected a value, got ''");
    if (looks_like_option(value))
      throw InputError(option + ": missing value (the next argument is the option '" + value + "')");
    e.set(value);
  }
  if (opts.positional_entry() && vm.count("positional-arguments"))
    *opts.positional_target() = vm["positional-arguments"].as<std::vector<std::string>>();
  opts.run_checks();
  return true;
}

int dispatch(const ToolInfo& tool, std::span<const Command> commands, const std::vector<std::string>& argv) {
  std::string names;
  for (const auto& c : commands) names += (names.empty() ? "" : ", ") + c.name;
  if (argv.size() < 2) throw InputError("missing subcommand (one of " + names + "; " + tool.name + " --help for more)");
  const std::string& sub = argv[1];
  if (sub == "--help" || sub == "-h" || sub == "help") {
    print_tool_help(tool, commands, std::cout);
    return 0;
  }
  if (sub == "--version") {
    std::cout << tool.name << " " << suite_version() << "\n";
    return 0;
  }
  if (sub == "--completion") {  // hidden: the build writes the installed bash completion with it
    if (argv.size() != 3 || argv[2] != "bash") throw InputError("--completion: expected 'bash'");
    print_bash_completion(tool, commands, std::cout);
    return 0;
  }
  const Command* cmd = nullptr;
  for (const auto& c : commands)
    if (c.name == sub) cmd = &c;
  if (!cmd) throw InputError("unknown subcommand '" + sub + "' (expected one of " + names + ")");

  auto instance = cmd->make();
  Run run(tool, cmd->name, argv, cmd->features, cmd->columns);
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
  run.open_output();  // an unwritable -o fails now, before any work
  announce_estimates(tool.name, !run.quiet);
  instance->run(run);
  run.finish();
  if (!run.deferred_failure().empty()) throw NumericalError(run.deferred_failure());
  return 0;
}

}  // namespace

void for_each_command_options(const ToolInfo& tool, std::span<const Command> commands,
                              const std::function<void(const Command&, const Options&)>& fn) {
  for (const auto& c : commands) {
    auto instance = c.make();
    Run run(tool, c.name, {}, c.features, c.columns);
    std::string device;
    Options opts;
    instance->declare(opts);
    add_common_options(opts, c.features, run, device);
    fn(c, opts);
  }
}

namespace {

// An error message as one printable line: control bytes from the input (a binary file's header, a tab)
// as \xNN, so the line neither breaks nor hides the rest.
std::string printable(std::string_view message) {
  std::string out;
  for (unsigned char ch : message) {
    if (ch < 0x20 || ch == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", ch);
      out += buf;
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out;
}

}  // namespace

int run_tool(const ToolInfo& tool, std::span<const Command> commands, int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  try {
    return dispatch(tool, commands, args);
  } catch (const InputError& e) {
    std::cerr << tool.name << ": error: " << printable(e.what()) << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << tool.name << ": error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << tool.name << ": error: " << printable(e.what()) << "\n";
    return 1;
  }
}

}  // namespace core
