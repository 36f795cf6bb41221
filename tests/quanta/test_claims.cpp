#include <catch2/catch.hpp>

#include "quanta/claims.hpp"

TEST_CASE("reproduce --quick: the model's exponents and the tail ratio agree with Michaud et al.") {
  core::ReproduceSettings s;
  s.quick = true;
  s.threads = 2;
  const auto rows = quanta::reproduce(s);
  CHECK(rows.size() == 10);
  for (const auto& r : rows) {
    INFO(r.claim << ": " << r.ours << " (" << r.note << ")");
    CHECK(r.status == core::Status::agrees);
  }
}

TEST_CASE("every claim has a source and no commas in its texts") {
  for (const auto& c : quanta::claims()) {
    CHECK(!c.source.empty());
    CHECK(c.claim.find(',') == std::string_view::npos);
    CHECK(c.published.find(',') == std::string_view::npos);
  }
}
