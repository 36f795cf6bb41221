#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "w2/claims.hpp"

TEST_CASE("score-w2's claims: unique keys, a source each, no commas in the printed texts") {
  std::set<std::string> keys;
  for (const auto& c : w2::claims()) {
    INFO(c.key);
    CHECK(keys.insert(std::string(c.key)).second);
    CHECK(!c.source.empty());
    CHECK(c.claim.find(',') == std::string_view::npos);
    CHECK(c.source.find(',') == std::string_view::npos);
    CHECK(c.published.find(',') == std::string_view::npos);
    CHECK(c.source.find("spec") == std::string_view::npos);
  }
  CHECK(core::find_claim(w2::claims(), "literal_constant").published == "holds");
}
