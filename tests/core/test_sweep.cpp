// core/sweep.hpp, core/row_codec.hpp and core/shard.hpp: rows round-trip exactly, shards deal every point
// once, and merge's checks name the shard at fault.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <random>
#include <sstream>

#include "core/errors.hpp"
#include "core/output.hpp"
#include "core/shard.hpp"
#include "core/sweep.hpp"
#include "run_process.hpp"

namespace demo {

enum class Kind : unsigned char { plain, fancy };

struct Inner {
  double x = 0;
  core::u128 n = 0;
};
template <class Io>
void fields(Io& io, Inner& i) {
  io(i.x, i.n);
}

struct Row {
  Kind kind = Kind::plain;
  bool flag = false;
  int negative = 0;
  std::uint64_t count = 0;
  std::string text;
  std::vector<double> values;
  std::optional<Inner> inner;
  std::vector<Inner> inners;
  std::array<float, 2> pair{};
  long double wide = 0;
};
template <class Io>
void fields(Io& io, Row& r) {
  io(r.kind, r.flag, r.negative, r.count, r.text, r.values, r.inner, r.inners, r.pair, r.wide);
}

}  // namespace demo

namespace {

bool same_bits(double a, double b) {
  return std::isnan(a) ? std::isnan(b) : std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace

TEST_CASE("a row round-trips bit for bit: every double (zeros, subnormals, extremes, inf, nan), u128, text") {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> values{
      0.0,  -0.0, 1.0 / 3,      -1e-310,  std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max(),
      -inf, inf,  std::nan(""), 0.1 + 0.2};
  std::mt19937_64 rng(3);
  for (int i = 0; i < 1000; ++i) {  // random bit patterns: every exponent and mantissa
    const std::uint64_t bits = rng();
    double x;
    std::memcpy(&x, &bits, sizeof x);
    values.push_back(x);
  }
  const demo::Row row{.kind = demo::Kind::fancy,
                      .flag = true,
                      .negative = -42,
                      .count = ~std::uint64_t{0},
                      .text = "a b,c\"d%e\n\x01 \xff",
                      .values = values,
                      .inner = demo::Inner{2.5, core::u128_max},
                      .inners = {{1, 2}, {-0.0, 0}},
                      .pair = {1.5f, -3e-39f},
                      .wide = 1.0L / 3};
  const auto text = core::encode_row(row);
  CHECK(text.find(',') == std::string::npos);  // a CSV field without quoting
  CHECK(text.find('\n') == std::string::npos);
  const auto back = core::decode_row<demo::Row>(text, "test");
  CHECK(back.kind == row.kind);
  CHECK(back.flag);
  CHECK(back.negative == -42);
  CHECK(back.count == row.count);
  CHECK(back.text == row.text);
  REQUIRE(back.values.size() == values.size());
  for (std::size_t i = 0; i < values.size(); ++i) CHECK(same_bits(back.values[i], values[i]));
  REQUIRE(back.inner);
  CHECK(back.inner->n == core::u128_max);
  CHECK(back.inners.size() == 2);
  CHECK(std::signbit(back.inners[1].x));
  CHECK(back.pair[1] == row.pair[1]);
  CHECK(back.wide == row.wide);
  CHECK(core::encode_row(back) == text);
  CHECK(core::encode_row(demo::Row{}) ==
        core::encode_row(core::decode_row<demo::Row>(core::encode_row(demo::Row{}), "")));
}

TEST_CASE("a damaged row is an InputError naming where, never a crash or a half-read row") {
  const auto good = core::encode_row(demo::Row{.text = "x", .values = {1, 2}});
  const std::vector<std::string> bad{
      "", good + " 7", good.substr(0, good.size() - 2), "9 " + good, "0 2 0 0 sx 99999999999 1", "0 0 0 0 sx 2 1 zz"};
  for (const auto& text : bad) {
    INFO(text);
    CHECK_THROWS_AS(core::decode_row<demo::Row>(text, "merge: 'f', the row of point 3"), core::InputError);
  }
  try {
    core::decode_row<demo::Row>("", "merge: 'f', the row of point 3");
  } catch (const core::InputError& e) {
    CHECK(std::string(e.what()).rfind("merge: 'f', the row of point 3: ", 0) == 0);
  }
}

TEST_CASE("parse_shard reads K/N with 0 <= K < N <= 10^6, and anything else names the option and the value") {
  CHECK(core::parse_shard("0/1").count == 1);
  CHECK(core::parse_shard("999999/1000000").index == 999999);
  for (const char* bad :
       {"", "1", "1/1", "-1/2", "0/0", "a/b", "1/2/3", " 0/2", "0/2 ", "0/1000001", "+0/2", "0x1/2"}) {
    INFO(bad);
    try {
      core::parse_shard(bad);
      FAIL("accepted");
    } catch (const core::InputError& e) {
      CHECK(std::string(e.what()).rfind("--shard: expected K/N", 0) == 0);
      CHECK(std::string(e.what()).find("got '" + std::string(bad) + "'") != std::string::npos);
    }
  }
}

TEST_CASE("the shards of a sweep hold every point exactly once, round-robin, whatever N and the point count") {
  for (std::size_t points : {0, 1, 5, 100, 9000})
    for (std::uint64_t n : {1, 2, 3, 7, 150}) {
      std::size_t total = 0;
      for (std::uint64_t k = 0; k < n; ++k) {
        const core::ShardSpec spec{k, n};
        std::size_t mine = 0;
        for (std::size_t i = 0; i < points; ++i) mine += spec.holds(i);
        CHECK(spec.share(points) == mine);
        total += mine;
      }
      CHECK(total == points);
    }
}

namespace {

// A sweep of `points` through shard Sweeps into files under dir, then a merge Sweep reading them back.
std::vector<demo::Inner> shard_and_merge(std::size_t points, std::uint64_t n, unsigned threads,
                                         const std::filesystem::path& dir) {
  const auto row = [](std::size_t i) { return demo::Inner{std::sqrt(static_cast<double>(i)), i * core::u128{i}}; };
  std::vector<core::ShardManifest> shards;
  for (std::uint64_t k = 0; k < n; ++k) {
    const auto file = (dir / ("p" + std::to_string(k) + ".csv")).string();
    std::ofstream out(file);
    out << core::shard_header << "\n";
    auto sweep = core::Sweep::shard({k, n}, out);
    CHECK_THROWS_AS(core::sweep_map(sweep.get(), points, threads, row), core::ShardComplete);
    CHECK(sweep->rows() == core::ShardSpec{k, n}.share(points));
    shards.push_back({.file = file,
                      .spec = {k, n},
                      .points = points,
                      .rows = sweep->rows(),
                      .rows_digest = core::hex64(sweep->rows_digest())});
  }
  for (const auto& m : shards) core::check_shard_rows(m);
  const auto files = core::check_shard_set(shards, std::vector<std::vector<std::string>>(n));
  auto merge = core::Sweep::merge(files, points);
  return core::sweep_map(merge.get(), points, threads,
                         [](std::size_t) -> demo::Inner { throw std::logic_error("a merge evaluates no point"); });
}

}  // namespace

TEST_CASE("sweep_map through shards and a merge gives the whole map's rows, for every N and thread count") {
  const auto dir = fresh_dir("sweep-map");
  for (std::size_t points : {1, 10, 10000})
    for (std::uint64_t n : {1, 2, 3, 7, 20}) {
      INFO(points << " points, " << n << " shards");
      const auto whole = core::sweep_map(nullptr, points, 2, [](std::size_t i) {
        return demo::Inner{std::sqrt(static_cast<double>(i)), i * core::u128{i}};
      });
      const auto merged = shard_and_merge(points, n, n % 2 ? 1 : 2, dir);
      REQUIRE(merged.size() == whole.size());
      bool same = true;
      for (std::size_t i = 0; i < points; ++i) same &= same_bits(merged[i].x, whole[i].x) && merged[i].n == whole[i].n;
      CHECK(same);
    }
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "merge's checks: a missing, duplicated or foreign shard, a truncated or edited file, a grid of another size") {
  const auto dir = fresh_dir("sweep-checks");
  const auto row = [](std::size_t i) { return static_cast<double>(i) / 7; };
  std::vector<core::ShardManifest> shards;
  for (std::uint64_t k = 0; k < 3; ++k) {
    const auto file = (dir / ("p" + std::to_string(k) + ".csv")).string();
    std::ofstream out(file);
    out << core::shard_header << "\n";
    auto sweep = core::Sweep::shard({k, 3}, out);
    CHECK_THROWS_AS(core::sweep_map(sweep.get(), 20, 1, row), core::ShardComplete);
    shards.push_back({.file = file,
                      .subcommand = "s",
                      .version = "1",
                      .seed = 1,
                      .spec = {k, 3},
                      .points = 20,
                      .rows = sweep->rows(),
                      .grid = "g",
                      .rows_digest = core::hex64(sweep->rows_digest())});
  }
  const std::vector<std::vector<std::string>> options(3, {"--x=1"});
  const auto message = [&](std::vector<core::ShardManifest> set, std::vector<std::vector<std::string>> opts = {}) {
    if (opts.empty()) opts.assign(set.size(), {"--x=1"});
    try {
      core::check_shard_set(set, opts);
      for (const auto& m : set) core::check_shard_rows(m);
      return std::string("accepted");
    } catch (const core::InputError& e) {
      return std::string(e.what());
    }
  };
  CHECK(message(shards) == "accepted");
  CHECK(message({shards[0], shards[2]}) == "merge: 1 of 3 shards missing: 1/3 (given 2)");
  CHECK(message({shards[0], shards[1], shards[1], shards[2]}).find("are both shard 1/3") != std::string::npos);
  auto other = shards;
  other[2].seed = 2;
  CHECK(message(other).find("seed 2, not 1") != std::string::npos);
  CHECK(message(shards, {{"--x=1"}, {"--x=2"}, {"--x=1"}}).find("options --x=2, not --x=1") != std::string::npos);
  other = shards;
  other[1].version = "0.9";
  CHECK(message(other).find("version 0.9, not 1") != std::string::npos);
  other = shards;
  other[1].points = 21;
  CHECK(message(other).find("points 21, not 20") != std::string::npos);
  // The file itself: cut short, a row edited, a row dropped with its count.
  const std::string text = slurp(shards[1].file);
  std::ofstream(shards[1].file, std::ios::trunc) << text.substr(0, text.size() - 1);
  CHECK(message(shards).find("'" + shards[1].file + "' is truncated or altered: its last line has no end") !=
        std::string::npos);
  std::string edited = text;
  edited[edited.size() - 2] = edited[edited.size() - 2] == '1' ? '2' : '1';
  std::ofstream(shards[1].file, std::ios::trunc) << edited;
  CHECK(message(shards).find("do not match the digest") != std::string::npos);
  std::ofstream(shards[1].file, std::ios::trunc) << text.substr(0, text.rfind('\n', text.size() - 2) + 1);
  CHECK(message(shards).find("rows where its meta.json says 7") != std::string::npos);
  // The grid the merging build computes must be the one the shards cover.
  std::ofstream(shards[1].file, std::ios::trunc) << text;
  auto merge = core::Sweep::merge({shards[0].file, shards[1].file, shards[2].file}, 20);
  CHECK_THROWS_AS(core::sweep_map(merge.get(), 21, 1, row), core::InputError);
  std::filesystem::remove_all(dir);
}
