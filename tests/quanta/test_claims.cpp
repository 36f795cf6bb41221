#include <catch2/catch.hpp>

#include "quanta/claims.hpp"

TEST_CASE(
    "reproduce --quick: the model's exponents and the tail ratio agree with Michaud et al., approach 2's exponents "
    "with Hoffmann et al.") {
  core::ReproduceSettings s;
  s.quick = true;
  s.threads = 2;
  const auto rows = quanta::reproduce(s);
  CHECK(rows.size() == 13);  // 10 of the model, approach 2's a and b, and its bands (a finding)
  std::size_t findings = 0;
  for (const auto& r : rows) {
    INFO(r.claim << ": " << r.ours << " (" << r.note << ")");
    const bool finding = core::find_claim(quanta::claims(), r.key).compare == core::Compare::finding;
    findings += finding;
    CHECK(r.status == (finding ? core::Status::new_finding : core::Status::agrees));
  }
  CHECK(findings == 1);
}

TEST_CASE("every claim has a source and no commas in its texts") {
  for (const auto& c : quanta::claims()) {
    CHECK(!c.source.empty());
    CHECK(c.claim.find(',') == std::string_view::npos);
    CHECK(c.published.find(',') == std::string_view::npos);
  }
}
