// A sweep is a grid of independent points (00-suite.md): the row of point i is a function of i, the options
// and the seed alone. A study maps its points through sweep_map (or sweep_for_each, which streams) and
// finishes over the rows: fits, verdicts, the summary. The map is where a sweep splits across processes:
//   - no Sweep (nullptr, the default): every point here, as parallel_map;
//   - a shard (`--shard K/N`): only the points i with i mod N = K, their rows written to the shard file
//     (core/row_codec.hpp), and then the study stops (ShardComplete, caught by the dispatcher);
//   - a merge (`TOOL merge SHARD...`): no point evaluated, the rows read back from the shards in point order,
//     so the finish, the CSV and the summary are the unsharded run's, byte for byte.
// Points are dealt round-robin, not in contiguous blocks: the cost of a point usually grows along the grid
// (a RoPE table's L, a sweep's N, a decade), and round-robin gives every shard the same mix of cheap and
// dear points, so N shards finish together. A study has one sharded map; what it computes before the map,
// every shard computes too (cheap by design: the grid, a point estimate), and what follows is the finish.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "core/row_codec.hpp"

namespace core {

// --shard K/N: this process evaluates the points i with i mod count == index.
struct ShardSpec {
  std::uint64_t index = 0, count = 1;

  bool holds(std::size_t point) const { return point % count == index; }
  // How many of `points` points are this shard's.
  std::size_t share(std::size_t points) const {
    return points > index ? static_cast<std::size_t>((points - index + count - 1) / count) : 0;
  }
};

// "K/N" with 0 <= K < N <= max_shards; InputError "--shard: expected K/N ..." otherwise.
inline constexpr std::uint64_t max_shards = 1000000;
ShardSpec parse_shard(std::string_view text);

// 64-bit FNV-1a, for the digests of a shard's grid and rows (they detect a foreign or damaged shard; they
// are not a cryptographic seal).
std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = 0xcbf29ce484222325ull);
std::string hex64(std::uint64_t v);

// Thrown by a shard's map once its rows are written: the study has nothing more to do in this process. Not
// a std::exception, so that no study's error handling mistakes it for a failure.
struct ShardComplete {};

class Sweep {
 public:
  // A shard: rows go to `out` as CSV lines "point,row" after a header the caller wrote.
  static std::unique_ptr<Sweep> shard(ShardSpec spec, std::ostream& out);
  // A merge: the shard files (already checked: core/shard.hpp), by index; `points` is what they cover.
  static std::unique_ptr<Sweep> merge(std::vector<std::string> files, std::size_t points);

  bool mapped() const { return mapped_; }
  std::size_t points() const { return points_; }
  std::size_t rows() const { return rows_; }
  std::uint64_t rows_digest() const { return digest_; }
  const ShardSpec& spec() const { return spec_; }

  // sweep_for_each's work in this mode.
  template <class F, class Emit>
  void for_each(std::size_t n, unsigned threads, F&& f, Emit&& emit);

 private:
  enum class Mode { shard, merge };
  Sweep(Mode mode) : mode_(mode) {}
  void begin(std::size_t n);
  void write_row(std::size_t point, const std::string& text);
  std::string read_row(std::size_t point);  // the encoded row of `point` from its shard
  std::string row_what(std::size_t point) const;

  Mode mode_;
  ShardSpec spec_;
  std::ostream* out_ = nullptr;
  std::vector<std::string> files_;
  std::vector<std::unique_ptr<std::ifstream>> in_;
  std::size_t expected_points_ = 0;
  bool mapped_ = false;
  std::size_t points_ = 0, rows_ = 0;
  std::uint64_t digest_ = fnv1a("");
  std::string line_;
};

// Points are evaluated in blocks of this many per thread, so that a long sweep streams with bounded memory.
inline constexpr std::size_t sweep_block_per_thread = 4096;

// emit(i, f(i)) for i in [0, n) in increasing i, f computed on `threads` threads; with a Sweep, as its mode
// says (the header comment). emit runs on the calling thread.
template <class F, class Emit>
void sweep_for_each(Sweep* sweep, std::size_t n, unsigned threads, F&& f, Emit&& emit) {
  if (sweep) return sweep->for_each(n, threads, f, emit);
  const std::size_t block = sweep_block_per_thread * std::max(1u, threads);
  for (std::size_t start = 0; start < n; start += block) {
    const std::size_t count = std::min(block, n - start);
    auto rows = parallel_map(count, threads, [&](std::size_t k) { return f(start + k); });
    for (std::size_t k = 0; k < count; ++k) emit(start + k, std::move(rows[k]));
  }
}

// results[i] = f(i) for i in [0, n): parallel_map, through the Sweep when there is one.
template <class F>
auto sweep_map(Sweep* sweep, std::size_t n, unsigned threads, F&& f) -> std::vector<decltype(f(std::size_t{}))> {
  if (!sweep) return parallel_map(n, threads, f);
  std::vector<decltype(f(std::size_t{}))> out;
  out.reserve(n);
  sweep->for_each(n, threads, f, [&](std::size_t, auto&& row) { out.push_back(std::move(row)); });
  return out;
}

template <class F, class Emit>
void Sweep::for_each(std::size_t n, unsigned threads, F&& f, Emit&& emit) {
  using Row = decltype(f(std::size_t{}));
  begin(n);
  if (mode_ == Mode::merge) {
    for (std::size_t i = 0; i < n; ++i) emit(i, decode_row<Row>(read_row(i), row_what(i)));
    return;
  }
  const std::size_t mine = spec_.share(n);
  const std::size_t block = sweep_block_per_thread * std::max(1u, threads);
  for (std::size_t start = 0; start < mine; start += block) {
    const std::size_t count = std::min(block, mine - start);
    const auto point = [&](std::size_t k) { return static_cast<std::size_t>(spec_.index + (start + k) * spec_.count); };
    const auto texts = parallel_map(count, threads, [&](std::size_t k) { return encode_row(f(point(k))); });
    for (std::size_t k = 0; k < count; ++k) write_row(point(k), texts[k]);
  }
  throw ShardComplete{};
}

}  // namespace core
