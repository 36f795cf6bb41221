#include "core/sweep.hpp"

#include <charconv>
#include <cstdio>

#include "core/parse.hpp"

namespace core {

ShardSpec parse_shard(std::string_view text) {
  const auto fail = [&]() -> ShardSpec {
    throw InputError("--shard: expected K/N, this process's share K of N shards with 0 <= K < N <= " +
                     std::to_string(max_shards) + ", got '" + std::string(text) + "'");
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return fail();
  const auto number = [&](std::string_view s) {
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) fail();
    return v;
  };
  const ShardSpec spec{number(text.substr(0, slash)), number(text.substr(slash + 1))};
  if (spec.count == 0 || spec.count > max_shards || spec.index >= spec.count) return fail();
  return spec;
}

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::unique_ptr<Sweep> Sweep::shard(ShardSpec spec, std::ostream& out) {
  std::unique_ptr<Sweep> s(new Sweep(Mode::shard));
  s->spec_ = spec;
  s->out_ = &out;
  return s;
}

std::unique_ptr<Sweep> Sweep::merge(std::vector<std::string> files, std::size_t points) {
  std::unique_ptr<Sweep> s(new Sweep(Mode::merge));
  s->spec_ = {0, files.size()};
  s->expected_points_ = points;
  for (const auto& f : files) {
    auto in = std::make_unique<std::ifstream>(f, std::ios::binary);
    std::string header;
    if (!*in || !std::getline(*in, header)) throw InputError("merge: cannot read '" + f + "'");
    s->in_.push_back(std::move(in));
  }
  s->files_ = std::move(files);
  return s;
}

void Sweep::begin(std::size_t n) {
  // One sharded map per study: a second would see only this shard's share of the first.
  if (mapped_) throw std::logic_error("a study mapped two sweeps; only one can be sharded");
  mapped_ = true;
  points_ = n;
  if (mode_ == Mode::merge && n != expected_points_)
    throw InputError("merge: the shards cover " + std::to_string(expected_points_) + " points, but their command's " +
                     "grid has " + std::to_string(n) + " here (shards of another build?)");
}

void Sweep::write_row(std::size_t point, const std::string& text) {
  line_.assign(std::to_string(point)).append(",").append(text).append("\n");
  digest_ = fnv1a(line_, digest_);
  *out_ << line_;
  ++rows_;
}

std::string Sweep::row_what(std::size_t point) const {
  return "merge: '" + files_[point % files_.size()] + "', the row of point " + std::to_string(point);
}

std::string Sweep::read_row(std::size_t point) {
  auto& in = *in_[point % in_.size()];
  if (!std::getline(in, line_)) throw InputError(row_what(point) + " is missing");
  const auto comma = line_.find(',');
  if (comma == std::string::npos || line_.substr(0, comma) != std::to_string(point))
    throw InputError(row_what(point) + ": expected it next, got '" + line_.substr(0, 40) + "'");
  ++rows_;
  return line_.substr(comma + 1);
}

}  // namespace core
