#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/errors.hpp"
#include "core/options.hpp"
#include "run_process.hpp"

namespace fs = std::filesystem;

namespace {

// A dummy subcommand exercising every option type.
struct Probe {
  static inline double last_x = 0;
  static inline std::uint64_t last_seed = 0;
  core::u128 n = 7;
  unsigned count = 3;
  double x = 0.5;
  std::string mode = "fast";
  bool loud = false;
  std::vector<std::string> rest;

  void declare(core::Options& o) {
    o.integer("n", n, 0, (core::u128{1} << 127) - 1, "an exact integer")
        .integer("count", count, 1u, 10u, "a small count")
        .real("x", x, {0, 1, true, true}, "a probability")
        .choice("mode", mode, {"fast", "slow"}, "how")
        .flag("loud", loud, "louder")
        .positional("ITEM", rest, "items", "none");
  }
  void run(core::Run& r) {
    last_x = x;
    last_seed = r.seed;
    auto& csv = r.csv({{"n"}, {"count"}, {"x"}, {"mode"}, {"items"}});
    csv.row({n, count, x, mode, static_cast<std::uint64_t>(rest.size())});
  }
};

struct Fails {
  void declare(core::Options&) {}
  void run(core::Run& r) {
    auto& csv = r.csv({{"a"}});
    csv.row({1});
    throw core::NumericalError("did not converge");
  }
};

enum class Shape { round, square, flat };
std::string_view to_string(Shape s) {
  return s == Shape::round ? "round" : s == Shape::square ? "square" : "flat";
}
constexpr Shape all_shapes[] = {Shape::round, Shape::square, Shape::flat};

// A lib-style config: its default member initialisers are the only defaults.
struct TypedConfig {
  Shape shape = Shape::square;
  std::vector<Shape> shapes{Shape::round, Shape::flat};
  std::vector<std::uint64_t> sizes{16, 1024};
  std::vector<double> scales{0.5, 2};
  unsigned from = 2, to = 5;
};

const std::vector<core::Column> typed_columns{{"shape", "the --shape"}, {"sizes", "how many --sizes"}, {"sum"}};

struct Typed {
  static inline bool ran = false;
  static inline TypedConfig last;
  TypedConfig config;
  bool wrong_columns = false;

  void declare(core::Options& o) {
    o.choice("shape", config.shape, all_shapes, "one shape")
        .choice_list("shapes", config.shapes, all_shapes, "shapes")
        .integer_list("sizes", config.sizes, 1, 1u << 20, "sizes")
        .real_list("scales", config.scales, {0, 10, true, false}, "scales")
        .integer("from", config.from, 0u, 100u, "first")
        .integer("to", config.to, 0u, 100u, "last")
        .require_order("from", config.from, "to", config.to)
        .flag("wrong-columns", wrong_columns, "write a header the help does not list")
        .check([this] {
          if (config.sizes.size() > 3) throw core::InputError("--sizes: at most 3 sizes");
        });
  }
  void run(core::Run& r) {
    ran = true;
    last = config;
    auto& csv = r.csv(wrong_columns ? std::vector<core::Column>{{"other"}} : typed_columns);
    double sum = 0;
    for (double x : config.scales) sum += x;
    csv.row({to_string(config.shape), config.sizes.size(), sum});
  }
};

const core::ToolInfo tool{"probe", "a test tool", ""};
const core::Command commands[] = {
    core::command<Probe>("probe", "probe options", core::uses_seed | core::uses_threads,
                         {{"", {{"n"}, {"count"}, {"x", true}, {"mode"}, {"items"}}}}),
    core::command<Fails>("fails", "fails after writing", core::no_features, {{"", {{"a"}}}}),
    core::command<Typed>("typed", "typed options", core::no_features, {{"", typed_columns}}, "A note.")};

int run(std::vector<std::string> args) {
  args.insert(args.begin(), "probe");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return core::run_tool(tool, commands, static_cast<int>(argv.size()), argv.data());
}

std::string temp_path(const char* name) {
  return (fs::temp_directory_path() / (std::to_string(::getpid()) + "-" + name)).string();
}

}  // namespace

TEST_CASE("parse_integer names the option, the range and the value in one line") {
  try {
    core::parse_integer("N", "12x", 0, (core::u128{1} << 127) - 1);
    FAIL("no error");
  } catch (const core::InputError& e) {
    CHECK(std::string(e.what()) == "N: expected an integer in [0, 2^127-1], got '12x'");
  }
}

TEST_CASE("a valid command line runs and writes a whole CSV with its meta.json") {
  const auto out = temp_path("probe.csv");
  REQUIRE(run({"probe", "--n", "2^100", "--count=4", "--x", "0.25", "--mode", "slow", "--seed", "9", "a", "b", "-q",
               "-o", out}) == 0);
  CHECK(slurp(out) == "n,count,x,mode,items\n1267650600228229401496703205376,4,0.25,slow,2\n");
  const auto meta = slurp(out + ".meta.json");
  CHECK(meta.find("\"seed\": 9") != std::string::npos);
  CHECK(meta.find("\"subcommand\": \"probe\"") != std::string::npos);
  CHECK(meta.find("\"rows\": 1") != std::string::npos);
  CHECK(meta.find("\"wall_seconds\": ") != std::string::npos);
  fs::remove(out);
  fs::remove(out + ".meta.json");
}

TEST_CASE("bad input exits 2 and leaves no output file") {
  const auto out = temp_path("bad.csv");
  for (std::vector<std::string> bad : std::vector<std::vector<std::string>>{{"probe", "--n", "-5"},
                                                                            {"probe", "--n", "2^127"},
                                                                            {"probe", "--count", "0"},
                                                                            {"probe", "--count", "11"},
                                                                            {"probe", "--x", "1"},
                                                                            {"probe", "--x", "0"},
                                                                            {"probe", "--x", "nan"},
                                                                            {"probe", "--x", "0.5x"},
                                                                            {"probe", "--mode", "medium"},
                                                                            {"probe", "--unknown"},
                                                                            {"probe", "--n"},
                                                                            {"probe", "--n", "1", "--n", "2"},
                                                                            {"probe", "--threads", "0"},
                                                                            {"probe", "--seed", "-1"},
                                                                            {"probe", "--cou", "3"},
                                                                            {"nosuch"},
                                                                            {}}) {
    bad.push_back("-o");
    bad.push_back(out);
    INFO("args: " << bad.size());
    CHECK(run(bad) == 2);
    CHECK_FALSE(fs::exists(out));
  }
}

TEST_CASE("a runtime failure exits 1 and the partial CSV is removed") {
  const auto out = temp_path("fails.csv");
  CHECK(run({"fails", "-o", out}) == 1);
  CHECK_FALSE(fs::exists(out));
  for (const auto& e : fs::directory_iterator(fs::temp_directory_path()))
    CHECK(e.path().filename().string().rfind(fs::path(out).filename().string() + ".tmp.", 0) != 0);
}

TEST_CASE("a runtime failure on stdout prints no row there") {
  std::ostringstream captured;
  auto* old = std::cout.rdbuf(captured.rdbuf());
  const int code = run({"fails", "-o", "-"});
  std::cout.rdbuf(old);
  CHECK(code == 1);
  CHECK(captured.str().empty());
}

TEST_CASE("help: --help and --version exit 0 without running") {
  CHECK(run({"--help"}) == 0);
  CHECK(run({"--version"}) == 0);
  std::ostringstream captured;
  auto* old = std::cout.rdbuf(captured.rdbuf());
  const int code = run({"probe", "--help"});
  std::cout.rdbuf(old);
  CHECK(code == 0);
  // A column that may hold nan says so even where its declaration gives no words.
  CHECK(captured.str().find("\n  count\n  x                     may be nan\n  mode\n") != std::string::npos);
}

TEST_CASE("list options: comma-separated reals and integers, each checked, the option named in the error") {
  CHECK(core::parse_real_list("--eps", "0.1,0.5", {0, 1, true, true}) == std::vector<double>{0.1, 0.5});
  CHECK(core::parse_integer_list("--n", "16,2^10,10^3", 1, 1u << 20) == std::vector<std::uint64_t>{16, 1024, 1000});
  CHECK(core::split_list("--errors", "bias,scale") == std::vector<std::string>{"bias", "scale"});
  CHECK_THROWS_WITH(core::parse_real_list("--eps", "0.1,1", {0, 1, true, true}),
                    "--eps: expected a number in (0, 1), got '1'");
  CHECK_THROWS_WITH(core::parse_real_list("--eps", "0.1,nan", {0, 1}), "--eps: expected a number in [0, 1], got 'nan'");
  CHECK_THROWS_WITH(core::parse_integer_list("--n", "16,x", 1, 100), "--n: expected an integer in [1, 100], got 'x'");
  for (const char* bad : {"", ",", "1,", ",1", "1,,2"})
    CHECK_THROWS_WITH(core::split_list("--n", bad),
                      std::string("--n: expected a comma-separated list, got '") + bad + "'");
}

TEST_CASE("binary sizes: k and M only for whole multiples of 2^10 and 2^20, read back exactly") {
  CHECK(core::binary_size_name(1024) == "1k");
  CHECK(core::binary_size_name(1u << 17) == "128k");
  CHECK(core::binary_size_name(3u << 20) == "3M");
  CHECK(core::binary_size_name((1u << 20) + 1024) == "1025k");
  CHECK(core::binary_size_name(1000) == "1000");
  CHECK(core::binary_size_name((1u << 20) + 1) == "1048577");
  CHECK(core::binary_size_name(0) == "0");
  const std::vector<std::uint64_t> sizes{1, 1000, 1024, 1536, 3u << 20, (1u << 20) + 1024, 1u << 24};
  CHECK(core::binary_size_list(sizes) == "1,1000,1k,1536,3M,1025k,16M");
  CHECK(core::binary_size_list({1u << 10, 1u << 14}, " ") == "1k 16k");
  for (std::uint64_t n : sizes) CHECK(core::parse_binary_size("--L", core::binary_size_name(n), 1, 1u << 24) == n);
  CHECK(core::parse_binary_size("--L", "2K", 1, 1u << 24) == 2048);
  CHECK(core::parse_binary_size("--L", "2^3k", 1, 1u << 24) == 8192);
  CHECK(core::parse_binary_size("--L", "16M", 1, 1u << 24) == 1u << 24);
  for (const char* bad : {"0", "17M", "x", "", "k", "1.5k", "-1", "1kk", "2^70"})
    CHECK_THROWS_WITH(core::parse_binary_size("--L", bad, 1, 1u << 24),
                      std::string("--L: expected an integer in [1, 2^24] (k = 2^10, M = 2^20), got '") + bad + "'");
}

TEST_CASE("binary_size_list and optional_real bind their fields, --help prints their defaults") {
  std::vector<std::uint64_t> lengths{1024, 3u << 20};
  std::optional<double> base, scale = 2.5;
  core::Options o;
  o.binary_size_list("L", lengths, 1, 1u << 24, "lengths").optional_real("base", base, {0, 1e9, true}, "a base");
  o.optional_real("scale", scale, {0, 10}, "a scale");
  const auto& e = o.entries();
  CHECK(e[0].default_text == "1k,3M");
  CHECK(e[1].default_text == "none");
  CHECK(e[2].default_text == "2.5");
  e[0].set("4k,100");
  CHECK(lengths == std::vector<std::uint64_t>{4096, 100});
  CHECK_THROWS_WITH(e[0].set("4k,,1"), "--L: expected a comma-separated list, got '4k,,1'");
  e[1].set("1e4");
  CHECK(base == 1e4);
  CHECK_THROWS_WITH(e[1].set("0"), "--base: expected a number in (0, 1e+09], got '0'");
}

TEST_CASE("typed options bind lib config fields: enums by name, lists, defaults from the initialisers") {
  const auto out = temp_path("typed.csv");
  CHECK(run({"typed", "--shape", "flat", "--shapes", "square,round,square", "--sizes", "2^10,7", "--scales",
             "0.25,1e-3", "-o", out, "-q"}) == 0);
  CHECK(Typed::last.shape == Shape::flat);
  CHECK(Typed::last.shapes == std::vector<Shape>{Shape::square, Shape::round, Shape::square});
  CHECK(Typed::last.sizes == std::vector<std::uint64_t>{1024, 7});
  CHECK(Typed::last.scales == std::vector<double>{0.25, 1e-3});
  CHECK(slurp(out) == "shape,sizes,sum\nflat,2,0.251\n");
  fs::remove(out);
  fs::remove(out + ".meta.json");
  CHECK(run({"typed", "-o", out, "-q"}) == 0);
  CHECK(Typed::last.shape == Shape::square);
  CHECK(Typed::last.shapes == std::vector<Shape>{Shape::round, Shape::flat});
  fs::remove(out);
  fs::remove(out + ".meta.json");
}

TEST_CASE("typed options: --help prints the bound defaults and the columns one a line") {
  std::ostringstream captured;
  auto* old = std::cout.rdbuf(captured.rdbuf());
  const int code = run({"typed", "--help"});
  std::cout.rdbuf(old);
  const auto help = captured.str();
  CHECK(code == 0);
  CHECK(help.find("--shape NAME") != std::string::npos);
  CHECK(help.find("(one of round, square, flat) [default: square]") != std::string::npos);
  CHECK(help.find("(comma-separated: round, square, flat) [default: round,flat]") != std::string::npos);
  CHECK(help.find("--sizes LIST") != std::string::npos);
  CHECK(help.find("[default: 16,1024]") != std::string::npos);
  CHECK(help.find("[default: 0.5,2]") != std::string::npos);
  CHECK(
      help.find("\nColumns:\n  shape                 the --shape\n  sizes                 how many --sizes\n  sum\n") !=
      std::string::npos);
  CHECK(help.find("\nA note.\n") != std::string::npos);
}

TEST_CASE("typed options: bad names, items and order are one-line input errors naming the option") {
  auto error_of = [](std::vector<std::string> args) {
    std::ostringstream captured;
    auto* old = std::cerr.rdbuf(captured.rdbuf());
    Typed::ran = false;
    const int code = run(std::move(args));
    std::cerr.rdbuf(old);
    CHECK(code == 2);
    CHECK(!Typed::ran);
    return captured.str();
  };
  CHECK(error_of({"typed", "--shape", "oval"}) ==
        "probe: error: --shape: expected one of round, square, flat, got 'oval'\n");
  CHECK(error_of({"typed", "--shapes", "round,oval"}) ==
        "probe: error: --shapes: expected a comma-separated list of round, square, flat, got 'round,oval'\n");
  CHECK(error_of({"typed", "--shapes", "round,,flat"}) ==
        "probe: error: --shapes: expected a comma-separated list, got 'round,,flat'\n");
  CHECK(error_of({"typed", "--sizes", "0"}) == "probe: error: --sizes: expected an integer in [1, 2^20], got '0'\n");
  CHECK(error_of({"typed", "--scales", "0"}) == "probe: error: --scales: expected a number in (0, 10], got '0'\n");
  CHECK(error_of({"typed", "--from", "7", "--to", "6"}) ==
        "probe: error: --from: must not exceed --to, got --from 7 > --to 6\n");
  CHECK(error_of({"typed", "--sizes", "1,2,3,4"}) == "probe: error: --sizes: at most 3 sizes\n");
  CHECK(run({"typed", "--from", "6", "--to", "6", "-q", "-o", "-"}) == 0);  // equal is allowed
}

TEST_CASE("a missing value, an empty value, a stray argument and no subcommand: one line naming it, exit 2") {
  auto error_of = [](std::vector<std::string> args) {
    std::ostringstream captured, out;
    auto* old = std::cerr.rdbuf(captured.rdbuf());
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    Typed::ran = false;
    const int code = run(std::move(args));
    std::cerr.rdbuf(old);
    std::cout.rdbuf(old_out);
    CHECK(code == 2);
    CHECK(!Typed::ran);
    CHECK(out.str().empty());
    return captured.str();
  };
  // The value of -o is not the next option (which would write a file named --quiet, and drop the flag).
  CHECK(error_of({"typed", "-o", "--quiet"}) ==
        "probe: error: --out: missing value (the next argument is the option '--quiet')\n");
  // Boost reads "-q" as the flag itself and says the value of --shape is missing.
  CHECK(error_of({"typed", "--shape", "-q"}) == "probe: error: the required argument for option '--shape' is missing\n");
  CHECK(error_of({"typed", "-o", ""}) == "probe: error: --out: expected a value, got ''\n");
  CHECK(error_of({"typed", "--shape="}) ==
        "probe: error: the argument for option '--shape' should follow immediately after the equal sign\n");
  CHECK(error_of({"typed", "--shape", "flat", "stray"}) ==
        "probe: error: unexpected argument 'stray' (this subcommand takes no positional arguments)\n");
  CHECK(error_of({"typed", "-o", "-", "-q", "again"}) ==
        "probe: error: unexpected argument 'again' (this subcommand takes no positional arguments)\n");
  CHECK(error_of({}) == "probe: error: missing subcommand (one of probe, fails, typed; probe --help for more)\n");
  // Values that only look like options are still values: negative numbers and '-' (stdout).
  CHECK(error_of({"typed", "--from", "-3", "-o", "-", "-q"}) ==
        "probe: error: --from: expected an integer in [0, 100], got '-3'\n");
}

TEST_CASE("an unwritable --out fails before the subcommand runs") {
  std::ostringstream captured;
  auto* old = std::cerr.rdbuf(captured.rdbuf());
  Typed::ran = false;
  const int code = run({"typed", "-o", "/nonexistent-suite-dir/x.csv"});
  std::cerr.rdbuf(old);
  CHECK(code == 2);
  CHECK(!Typed::ran);
  CHECK(captured.str().rfind("probe: error: --out: cannot create '/nonexistent-suite-dir/x.csv'", 0) == 0);
}

TEST_CASE("a header that the subcommand's --help does not list is a programming error (exit 1)") {
  const auto out = temp_path("wrong.csv");
  std::ostringstream captured;
  auto* old = std::cerr.rdbuf(captured.rdbuf());
  const int code = run({"typed", "--wrong-columns", "-o", out});
  std::cerr.rdbuf(old);
  CHECK(code == 1);
  CHECK(captured.str().find("writes columns that its --help does not list") != std::string::npos);
  CHECK(!fs::exists(out));
}
