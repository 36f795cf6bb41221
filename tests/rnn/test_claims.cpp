#include <catch2/catch.hpp>

#include "rnn/claims.hpp"

TEST_CASE("rnn-fixpoint's quick claims all agree at the defaults") {
  const auto rows = rnn::reproduce({.quick = true, .threads = 2, .seed = 1});
  REQUIRE(rows.size() >= 7);
  for (const auto& row : rows) {
    INFO(row.claim << ": " << row.ours << " (" << row.note << ")");
    CHECK(row.status == core::Status::agrees);
  }
}

TEST_CASE("every claim names its source and keeps commas out of its texts") {
  for (const auto& c : rnn::claims()) {
    CHECK_FALSE(c.source.empty());
    CHECK(c.claim.find(',') == std::string_view::npos);
    CHECK(c.published.find(',') == std::string_view::npos);
  }
}
