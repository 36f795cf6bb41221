// attn-sweep's softmax claims: each quick one measured, the published fits agreeing.
#include <catch2/catch.hpp>
#include <string>

#include "attn/claims.hpp"

TEST_CASE("reproduce --quick measures every quick claim and c1, c2, the entropy gap agree") {
  const core::ReproduceSettings quick{.quick = true, .threads = 2, .seed = 1};
  const auto rows = attn::reproduce(quick);
  std::size_t quick_claims = 0;
  for (const auto& c : attn::claims()) quick_claims += c.quick;
  REQUIRE(rows.size() == quick_claims);
  for (const auto& r : rows) {
    INFO(r.claim << ": " << r.ours << " (" << r.note << ")");
    CHECK(r.tool == "attn-sweep");
    CHECK(r.claim.find(',') == std::string::npos);
    CHECK(r.ours.find(',') == std::string::npos);
    CHECK(r.note.find(',') == std::string::npos);
    const bool must_agree = r.claim.rfind("normal scores: alpha* ~", 0) == 0 ||
                            r.claim.rfind("cosine scores (d", 0) == 0 || r.claim.rfind("f = ", 0) == 0 ||
                            r.published == "0.4745" || r.published == "-1/2";
    if (must_agree) CHECK(r.status == core::Status::agrees);
  }
}
