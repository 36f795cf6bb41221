#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "core/output.hpp"

namespace fs = std::filesystem;

namespace {

fs::path scratch_dir() {
  auto dir = fs::temp_directory_path() / ("suite-output-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

}  // namespace

TEST_CASE("an output file appears only on commit, whole") {
  const auto dir = scratch_dir();
  const auto path = (dir / "a.csv").string();
  {
    core::Output out(path);
    out.stream() << "x\n1\n";
    CHECK_FALSE(fs::exists(path));
    out.commit();
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "x\n1\n");
  CHECK(entries(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("an output abandoned by an error leaves nothing behind, not even an older file's replacement") {
  const auto dir = scratch_dir();
  const auto path = (dir / "b.csv").string();
  { std::ofstream(path) << "old\n"; }
  try {
    core::Output out(path);
    out.stream() << "partial";
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  CHECK(line == "old");
  CHECK(entries(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("an unwritable destination is an input error before any work") {
  CHECK_THROWS_AS(core::Output("/nonexistent-dir/x.csv"), core::InputError);
  CHECK_THROWS_AS(core::Output("some-dir/"), core::InputError);
  CHECK_THROWS_AS(core::Output(fs::temp_directory_path().string()), core::InputError);  // an existing directory
}

TEST_CASE("a CSV and its meta.json land together, a meta.json that cannot be written fails before any work") {
  const auto dir = scratch_dir() / "meta";
  fs::create_directories(dir);
  const auto path = (dir / "c.csv").string();
  {
    core::Output out(path, true);
    out.stream() << "x\n2\n";
    CHECK(entries(dir) == 2);  // the two temporaries
    CHECK_FALSE(fs::exists(path));
    CHECK_FALSE(fs::exists(path + ".meta.json"));
    out.commit("{}\n");
  }
  CHECK(entries(dir) == 2);
  std::ifstream meta(path + ".meta.json");
  std::string line;
  std::getline(meta, line);
  CHECK(line == "{}");
  {
    core::Output abandoned(path, true);  // an error before commit: both old files stay, no temporary
    abandoned.stream() << "partial";
  }
  CHECK(entries(dir) == 2);
  std::ifstream csv(path);
  std::getline(csv, line);
  CHECK(line == "x");
  fs::remove_all(dir);
  fs::create_directories(dir / "d.csv.meta.json");  // FILE.meta.json is a directory: refused up front
  CHECK_THROWS_WITH(core::Output((dir / "d.csv").string(), true),
                    "--out: cannot write '" + (dir / "d.csv.meta.json").string() + "': it is a directory");
  CHECK(entries(dir) == 1);
  fs::remove_all(dir);
}
