// For the topics' library tests of their sweeps: `study(sweep)` run through `shards` shard Sweeps
// (core/sweep.hpp), each writing its rows to a file as a --shard run does and stopping with ShardComplete, then
// through a merge Sweep reading them back; returns the merge's result, to compare with the whole run's.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/shard.hpp"
#include "core/sweep.hpp"

template <class Study>
auto shard_and_merge(const std::string& name, std::uint64_t shards, Study study) {
  const auto dir = std::filesystem::temp_directory_path() / ("mlderiv-shards-" + name);
  std::filesystem::create_directories(dir);
  std::vector<std::string> files;
  std::size_t points = 0;
  for (std::uint64_t k = 0; k < shards; ++k) {
    files.push_back((dir / (std::to_string(k) + ".csv")).string());
    std::ofstream out(files.back());
    out << core::shard_header << "\n";
    const auto sweep = core::Sweep::shard({k, shards}, out);
    CHECK_THROWS_AS(study(sweep.get()), core::ShardComplete);
    CHECK(sweep->rows() == core::ShardSpec{k, shards}.share(sweep->points()));
    points = sweep->points();
  }
  const auto merge = core::Sweep::merge(files, points);
  auto merged = study(merge.get());
  CHECK(merge->rows() == points);
  std::filesystem::remove_all(dir);
  return merged;
}
