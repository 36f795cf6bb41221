#include "core/shard.hpp"

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <fstream>
#include <map>

#include "core/errors.hpp"

namespace core {

namespace {

std::string quoted(const std::string& file) {
  return "'" + file + "'";
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : " ") + x;
  return out.empty() ? "(none)" : out;
}

}  // namespace

std::string grid_digest(const std::string& tool, const std::string& subcommand, std::string_view version,
                        std::optional<std::uint64_t> seed, const std::vector<std::string>& options,
                        std::size_t points) {
  std::string text = tool + '\0' + subcommand + '\0' + std::string(version) + '\0' +
                     (seed ? std::to_string(*seed) : "none") + '\0' + std::to_string(points);
  for (const auto& o : options) text += '\0' + o;
  return hex64(fnv1a(text));
}

ShardManifest read_shard_manifest(const std::string& file, const std::string& tool) {
  namespace pt = boost::property_tree;
  const std::string meta = file + ".meta.json";
  std::ifstream in(meta, std::ios::binary);
  if (!in) {
    std::ifstream data(file);
    throw InputError("merge: " + quoted(file) +
                     (data ? " has no " + quoted(meta) + " beside it: not a shard written with --shard K/N -o FILE"
                           : ": cannot read it"));
  }
  pt::ptree tree;
  ShardManifest m;
  m.file = file;
  try {
    pt::read_json(in, tree);
    m.tool = tree.get<std::string>("tool");
    m.subcommand = tree.get<std::string>("subcommand");
    m.version = tree.get<std::string>("version");
    for (const auto& [key, arg] : tree.get_child("command_line")) m.command_line.push_back(arg.data());
    if (const auto seed = tree.get<std::string>("seed"); seed != "null") m.seed = std::stoull(seed);
    if (!tree.get_child_optional("shard")) {
      throw InputError("merge: " + quoted(file) + " is a whole run's output, not a shard (its meta.json has no " +
                       "\"shard\"; write shards with --shard K/N)");
    }
    m.spec = {tree.get<std::uint64_t>("shard.index"), tree.get<std::uint64_t>("shard.count")};
    m.points = tree.get<std::size_t>("shard.points");
    m.grid = tree.get<std::string>("shard.grid");
    m.rows_digest = tree.get<std::string>("shard.rows_digest");
    m.rows = tree.get<std::size_t>("rows");
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError("merge: " + quoted(meta) + " is not a shard's meta.json: " + e.what());
  }
  if (m.tool != tool) throw InputError("merge: " + quoted(file) + " is a shard of " + m.tool + ", not of " + tool);
  if (m.spec.count == 0 || m.spec.index >= m.spec.count)
    throw InputError("merge: " + quoted(meta) + " holds shard " + std::to_string(m.spec.index) + "/" +
                     std::to_string(m.spec.count) + ", which no --shard K/N writes");
  return m;
}

void check_shard_rows(const ShardManifest& m) {
  const auto damaged = [&](const std::string& why) {
    throw InputError("merge: " + quoted(m.file) + " is truncated or altered: " + why);
  };
  std::ifstream in(m.file, std::ios::binary);
  if (!in) throw InputError("merge: cannot read " + quoted(m.file));
  std::string line;
  if (!std::getline(in, line) || line != shard_header)
    damaged("its first line is not '" + std::string(shard_header) + "'");
  const std::size_t expected = m.spec.share(m.points);
  if (m.rows != expected)
    damaged("its meta.json counts " + std::to_string(m.rows) + " rows, but shard " + std::to_string(m.spec.index) +
            "/" + std::to_string(m.spec.count) + " of " + std::to_string(m.points) + " points has " +
            std::to_string(expected));
  std::size_t rows = 0;
  std::uint64_t digest = fnv1a("");
  while (std::getline(in, line)) {
    if (in.eof()) damaged("its last line has no end");
    line += '\n';
    digest = fnv1a(line, digest);
    ++rows;
  }
  if (rows != expected) damaged(std::to_string(rows) + " rows where its meta.json says " + std::to_string(expected));
  if (hex64(digest) != m.rows_digest) damaged("its rows do not match the digest in its meta.json");
}

std::vector<std::string> check_shard_set(const std::vector<ShardManifest>& shards,
                                         const std::vector<std::vector<std::string>>& options) {
  const auto& first = shards.front();
  const auto foreign = [&](const ShardManifest& m, const std::string& what, const std::string& theirs,
                           const std::string& ours) {
    throw InputError("merge: " + quoted(m.file) + " comes from another command than " + quoted(first.file) + ": " +
                     what + " " + theirs + ", not " + ours);
  };
  const auto seed_text = [](const ShardManifest& m) { return m.seed ? std::to_string(*m.seed) : "none"; };
  std::map<std::uint64_t, const ShardManifest*> by_index;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const auto& m = shards[i];
    if (m.subcommand != first.subcommand) foreign(m, "subcommand", m.subcommand, first.subcommand);
    if (m.version != first.version) foreign(m, "version", m.version, first.version);
    if (m.seed != first.seed) foreign(m, "seed", seed_text(m), seed_text(first));
    if (options[i] != options.front()) foreign(m, "options", joined(options[i]), joined(options.front()));
    if (m.spec.count != first.spec.count)
      foreign(m, "shard count", std::to_string(m.spec.count), std::to_string(first.spec.count));
    if (m.points != first.points) foreign(m, "points", std::to_string(m.points), std::to_string(first.points));
    if (m.grid != first.grid) foreign(m, "grid digest", m.grid, first.grid);
    const auto [at, inserted] = by_index.emplace(m.spec.index, &m);
    if (!inserted)
      throw InputError("merge: " + quoted(m.file) + " and " + quoted(at->second->file) + " are both shard " +
                       std::to_string(m.spec.index) + "/" + std::to_string(m.spec.count));
  }
  std::string missing;
  std::size_t missing_count = 0;
  for (std::uint64_t k = 0; k < first.spec.count; ++k)
    if (!by_index.count(k) && ++missing_count <= 8)
      missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(first.spec.count);
  if (missing_count)
    throw InputError("merge: " + std::to_string(missing_count) + " of " + std::to_string(first.spec.count) +
                     " shards missing: " + missing + (missing_count > 8 ? ", ..." : "") + " (given " +
                     std::to_string(shards.size()) + ")");
  std::vector<std::string> files;
  for (const auto& [k, m] : by_index) files.push_back(m->file);
  return files;
}

}  // namespace core
