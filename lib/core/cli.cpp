#include "core/cli.hpp"

#include <algorithm>
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
#include "core/shard.hpp"

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
  if (sharding_) {
    discarded_csv_ = std::make_unique<std::ostream>(nullptr);
    csv_ = std::make_unique<CsvWriter>(*discarded_csv_, std::move(columns));
  } else {
    csv_ = std::make_unique<CsvWriter>(output_->stream(), std::move(columns));
  }
  return *csv_;
}

void Run::start_shard(ShardSpec spec, std::vector<std::string> options) {
  open_output();
  if (!output_->is_file())
    throw InputError("--shard: needs -o FILE (a shard is FILE and FILE.meta.json, which " + tool_.name +
                     " merge reads)");
  output_->stream() << shard_header << "\n";
  sweep_ = Sweep::shard(spec, output_->stream());
  sharding_ = true;
  shard_options_ = std::move(options);
}

void Run::start_merge(std::vector<std::string> files, std::size_t points) {
  sweep_ = Sweep::merge(std::move(files), points);
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
  if (sweep_ && !sweep_->mapped())
    throw NumericalError(subcommand_ + (sharding_ ? " --shard" : " merge") +
                         ": with these options the run maps no sweep, so there is nothing to split");
  if (!sharding_) {
    if (!csv_) throw std::logic_error("subcommand wrote no CSV");
    if (!output_->is_file()) return output_->commit();
  }
  RunRecord record{.tool = tool_.name, .subcommand = subcommand_, .command_line = argv_};
  if (features_ & uses_seed) record.seed = seed;
  if (features_ & uses_threads) record.threads = threads;
  if (features_ & uses_device) record.device = std::string(to_string(device));
  record.rows = sharding_ ? sweep_->rows() : csv_->rows();
  record.wall_seconds = now_seconds() - start_seconds_;
  if (sharding_) {
    const auto& spec = sweep_->spec();
    record.shard = RunRecord::Shard{
        spec.index, spec.count, sweep_->points(),
        grid_digest(tool_.name, subcommand_, suite_version(), record.seed, shard_options_, sweep_->points()),
        hex64(sweep_->rows_digest())};
  }
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

// What the dispatcher reads besides the Run's own fields.
struct CommonText {
  std::string device = "auto";
  std::string shard;  // --shard K/N as given; empty without it
};

void add_common_options(Options& opts, unsigned features, Run& run, CommonText& text) {
  opts.text("out,o", run.out_path, "FILE", "write the CSV to FILE (atomically) and FILE.meta.json; '-' is stdout");
  opts.flag("quiet,q", run.quiet, "no progress and no summary on stderr (errors are still reported)");
  if (features & uses_threads) declare_threads(opts, run.threads);
  if (features & uses_seed) declare_seed(opts, run.seed);
  if (features & uses_device)
    opts.choice("device", text.device, {"cpu", "cuda", "auto"}, "where the heavy kernels run");
  if (features & uses_shards) {
    opts.text("shard", text.shard, "K/N",
              "evaluate only share K of N (the points i with i mod N = K) and write a shard to -o FILE; "
              "'merge' joins the N shards into this run's CSV");
    opts.check([&text] {
      if (!text.shard.empty()) parse_shard(text.shard);
    });
  }
}

// The options a command line gave, as "--name=value" sorted (positional arguments as "=value" in order):
// what names a sweep's grid, whatever the order or spelling (-o, --out=) of the arguments. The options that
// cannot change a row are left out: where the CSV goes, quiet, threads and the shard itself.
std::vector<std::string> given_options(const po::variables_map& vm, const Options& opts) {
  std::vector<std::string> out;
  for (const auto& e : opts.entries()) {
    const std::string name = long_name(e.name);
    if (name == "out" || name == "quiet" || name == "threads" || name == "shard") continue;
    if (e.is_flag) {
      if (*e.flag_target) out.push_back("--" + name);
    } else if (vm.count(name)) {
      out.push_back("--" + name + "=" + vm[name].as<std::string>());
    }
  }
  std::sort(out.begin(), out.end());
  if (vm.count("positional-arguments"))
    for (const auto& a : vm["positional-arguments"].as<std::vector<std::string>>()) out.push_back("=" + a);
  return out;
}

// Parses args into opts and runs its checks; returns false when --help was asked for. `given` (when not null)
// receives given_options.
bool parse_options(const std::vector<std::string>& args, Options& opts, std::vector<std::string>* given = nullptr) {
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
  if (given) *given = given_options(vm, opts);
  return true;
}

// `TOOL merge SHARD...`: its Subcommand only declares the files; the dispatcher does the rest.
struct MergeFiles final : Subcommand {
  std::vector<std::string> files;
  void declare(Options& o) override {
    o.positional("SHARD", files, "the shard files of one sweep (written with --shard K/N -o FILE), in any order",
                 "none");
  }
  void run(Run&) override { throw std::logic_error("merge runs in the dispatcher"); }
};

// The tool's table with `merge` last, when some subcommand shards.
std::vector<Command> with_merge(std::span<const Command> commands) {
  std::vector<Command> all(commands.begin(), commands.end());
  std::vector<ColumnSet> columns;
  std::string names;
  for (const auto& c : commands)
    if (c.features & uses_shards) {
      names += (names.empty() ? "" : ", ") + c.name;
      for (const auto& set : c.columns)
        columns.push_back({"of " + c.name + (set.when.empty() ? "" : " " + set.when), set.columns});
    }
  if (columns.empty()) return all;
  all.push_back({"merge", "join the shards of a sweep (--shard K/N) into the CSV and summary of the whole run",
                 uses_threads, std::move(columns),
                 "Subcommands that shard: " + names +
                     ". Each shard's meta.json names its command; merge checks that every shard comes from the same "
                     "one (subcommand, options, seed, version, grid), that each of 0..N-1 is there exactly once and "
                     "whole, then writes what the unsharded run writes, byte for byte. A missing, duplicated, "
                     "foreign or damaged shard: one line naming it, exit 2, nothing written.",
                 [] { return std::make_unique<MergeFiles>(); }});
  return all;
}

// A subcommand's instance with the options of `args` parsed into it (and into `run`'s common fields).
struct Parsed {
  std::unique_ptr<Subcommand> instance;
  Options options;
  CommonText text;
  std::vector<std::string> given;
  bool help = false;
};

std::unique_ptr<Parsed> parse_command(const Command& cmd, Run& run, const std::vector<std::string>& args) {
  auto p = std::make_unique<Parsed>();
  p->instance = cmd.make();
  p->instance->declare(p->options);
  add_common_options(p->options, cmd.features, run, p->text);
  p->help = !parse_options(args, p->options, &p->given);
  return p;
}

int merge_shards(const ToolInfo& tool, std::span<const Command> commands, const std::vector<std::string>& files,
                 Run& merge_run, const std::vector<std::string>& argv) {
  merge_run.open_output();  // an unwritable -o fails first, as for every subcommand
  if (files.empty())
    throw InputError("merge: expected the shard files of one sweep (" + tool.name +
                     " SUBCOMMAND ... --shard K/N -o FILE, for K = 0 .. N-1)");
  std::vector<ShardManifest> shards;
  for (const auto& f : files) shards.push_back(read_shard_manifest(f, tool.name));
  const Command* target = nullptr;
  for (const auto& c : commands)
    if (c.name == shards.front().subcommand) target = &c;
  if (!target || !(target->features & uses_shards))
    throw InputError("merge: '" + shards.front().file + "' is a shard of '" + shards.front().subcommand + "', which " +
                     tool.name + " does not shard");
  // Each shard's command line, parsed as its run parsed it: the options it gave name its grid.
  std::vector<std::vector<std::string>> options;
  std::unique_ptr<Parsed> first;
  Run run(tool, target->name, argv, target->features, target->columns);
  for (const auto& m : shards) {
    Run scratch(tool, target->name, {}, target->features, target->columns);
    std::unique_ptr<Parsed> p;
    try {
      if (m.command_line.size() < 2 || m.command_line[1] != m.subcommand) throw InputError("not its subcommand's");
      p = parse_command(*target, scratch, {m.command_line.begin() + 2, m.command_line.end()});
    } catch (const InputError& e) {
      throw InputError("merge: '" + m.file + "': its command line does not parse here: " + e.what());
    }
    const std::optional<std::uint64_t> seed =
        (target->features & uses_seed) ? std::optional(scratch.seed) : std::nullopt;
    if (seed != m.seed || grid_digest(tool.name, m.subcommand, m.version, seed, p->given, m.points) != m.grid)
      throw InputError("merge: '" + m.file + "': its meta.json does not match its command line (edited?)");
    options.push_back(p->given);
    if (!first) {
      first = std::move(p);
      run.seed = scratch.seed;
    }
  }
  const auto by_index = check_shard_set(shards, options);
  if (shards.front().version != suite_version())
    throw InputError("merge: the shards were written by version " + shards.front().version + ", this is " +
                     std::string(suite_version()) + " (rows may differ between versions; rerun them)");
  for (const auto& m : shards) check_shard_rows(m);
  run.out_path = merge_run.out_path;
  run.quiet = merge_run.quiet;
  run.threads = merge_run.threads;
  run.device = Device::cpu;  // the rows are computed; what remains (the finish) runs on the CPU
  run.open_output();
  run.start_merge(by_index, shards.front().points);
  set_estimate_share(0);
  first->instance->run(run);
  run.finish();
  if (!run.deferred_failure().empty()) throw NumericalError(run.deferred_failure());
  return 0;
}

int dispatch(const ToolInfo& tool, std::span<const Command> table, const std::vector<std::string>& argv) {
  const auto commands = with_merge(table);
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

  Run run(tool, cmd->name, argv, cmd->features, cmd->columns);
  run.threads = hardware_threads();
  const auto parsed = parse_command(*cmd, run, {argv.begin() + 2, argv.end()});
  if (parsed->help) {
    print_command_help(tool, *cmd, parsed->options, std::cout);
    return 0;
  }
  if (const auto* merge = dynamic_cast<const MergeFiles*>(parsed->instance.get()))
    return merge_shards(tool, table, merge->files, run, argv);
  if (cmd->features & uses_device) run.device = resolve_device(parsed->text.device);
  run.open_output();  // an unwritable -o fails now, before any work
  if (!parsed->text.shard.empty()) {
    const auto spec = parse_shard(parsed->text.shard);
    run.start_shard(spec, parsed->given);
    set_estimate_share(1.0 / static_cast<double>(spec.count));
  }
  announce_estimates(tool.name, !run.quiet);
  try {
    parsed->instance->run(run);
  } catch (const ShardComplete&) {
    // the shard's rows are written; the rest of the study is merge's
  }
  run.finish();
  if (!run.deferred_failure().empty()) throw NumericalError(run.deferred_failure());
  return 0;
}

}  // namespace

void for_each_command_options(const ToolInfo& tool, std::span<const Command> table,
                              const std::function<void(const Command&, const Options&)>& fn) {
  for (const auto& c : with_merge(table)) {
    Run run(tool, c.name, {}, c.features, c.columns);
    const auto parsed = std::make_unique<Parsed>();
    parsed->instance = c.make();
    parsed->instance->declare(parsed->options);
    add_common_options(parsed->options, c.features, run, parsed->text);
    fn(c, parsed->options);
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
