// Shard files and what merge checks of them (core/sweep.hpp has the map itself). A shard is FILE, a CSV
// "point,row" of the points it evaluated (rows in core/row_codec.hpp's exact text), and FILE.meta.json: the
// run's record (core/output.hpp) with a "shard" object: index, count, points, the grid's digest (tool,
// subcommand, version, seed and the options given, canonically) and the rows' digest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/sweep.hpp"

namespace core {

struct ShardManifest {
  std::string file;  // the shard file as named to merge
  std::string tool, subcommand, version;
  std::vector<std::string> command_line;
  std::optional<std::uint64_t> seed;
  ShardSpec spec;
  std::size_t points = 0, rows = 0;
  std::string grid, rows_digest;
};

// The header of every shard file.
inline constexpr const char* shard_header = "point,row";

// The digest that names a grid: two shards with the same one come from the same command.
std::string grid_digest(const std::string& tool, const std::string& subcommand, std::string_view version,
                        std::optional<std::uint64_t> seed, const std::vector<std::string>& options, std::size_t points);

// FILE.meta.json of a shard; InputError "merge: 'FILE' ..." when it is missing, unreadable, not JSON, not a
// shard's, or from another tool than `tool`.
ShardManifest read_shard_manifest(const std::string& file, const std::string& tool);

// The shard file against its manifest: its header, as many rows as its share of the points, the rows'
// digest. InputError "merge: 'FILE' is truncated or altered: ..." otherwise.
void check_shard_rows(const ShardManifest& m);

// That the shards are one whole: the same subcommand, version, seed and options (`options[i]` is shard i's,
// canonical), the same count N and points, each index 0..N-1 exactly once. Returns the files by index;
// InputError naming the shard at fault otherwise.
std::vector<std::string> check_shard_set(const std::vector<ShardManifest>& shards,
                                         const std::vector<std::vector<std::string>>& options);

}  // namespace core
