#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "rope/claims.hpp"

TEST_CASE("rope claims: unique keys, a source each, no commas in the printed texts") {
  std::set<std::string> keys;
  for (const auto& c : rope::claims()) {
    CHECK(keys.insert(std::string(c.key)).second);
    CHECK(!c.source.empty());
    CHECK(std::string(c.claim).find(',') == std::string::npos);
    CHECK(std::string(c.published).find(',') == std::string::npos);
    CHECK(c.source.find("spec") == std::string_view::npos);
  }
}

TEST_CASE("the paper's table has the eleven lengths 1k .. 1M, each a claim") {
  CHECK(rope::paper_table().size() == 11);
  CHECK(rope::paper_base(1024) == 4.3e3);
  CHECK(rope::paper_base(1u << 20) == 5.1e8);
  CHECK(rope::paper_base(1000) == 0);
  for (const auto& e : rope::paper_table()) {
    const std::string key = e.L >= (1u << 20) ? "b_1M" : "b_" + std::to_string(e.L / 1024) + "k";
    CHECK(core::find_claim(rope::claims(), key).value == e.b);
  }
}

TEST_CASE("reproduce --quick measures every quick claim, without commas in its texts") {
  const auto rows = rope::reproduce({.quick = true, .threads = 2});
  std::size_t quick = 0;
  for (const auto& c : rope::claims()) quick += c.quick;
  CHECK(rows.size() == quick);
  for (const auto& r : rows) {
    CHECK(r.ours.find(',') == std::string::npos);
    CHECK(r.note.find(',') == std::string::npos);
  }
}
