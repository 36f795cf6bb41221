#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/cli.hpp"
#include "core/errors.hpp"
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

const core::ToolInfo tool{"probe", "a test tool", ""};
const core::Command commands[] = {core::command<Probe>("probe", "probe options", core::uses_seed | core::uses_threads),
                                  core::command<Fails>("fails", "fails after writing")};

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

TEST_CASE("help: --help and --version exit 0 without running") {
  CHECK(run({"--help"}) == 0);
  CHECK(run({"--version"}) == 0);
  CHECK(run({"probe", "--help"}) == 0);
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
