#include <catch2/catch.hpp>

#include "abc/claims.hpp"

TEST_CASE("abc-min reproduce --quick: the N = 130 claims agree and the N = 1 finding is new") {
  const auto rows = abc::reproduce({.quick = true, .threads = 2});
  REQUIRE(rows.size() == 5);
  for (const auto& r : rows) {
    CHECK(r.tool == "abc-min");
    CHECK(r.status == (r.claim.find("beyond") == 0 ? core::Status::new_finding : core::Status::agrees));
  }
  CHECK(rows[0].ours == "a = 10; b = 13; c = 0");
  CHECK(rows[1].ours == "23");
  CHECK(rows[2].ours == "31");
}

TEST_CASE("every abc-min claim names the article, and only findings have no published value") {
  for (const auto& c : abc::claims()) {
    CHECK(!c.source.empty());
    CHECK(c.published.empty() == (c.compare == core::Compare::finding));
    CHECK(c.source.find(".md") == std::string_view::npos);
  }
}

TEST_CASE("the N = 130 claims are built from the one published example") {
  const auto& ex = abc::published_example;
  const auto& triple = core::find_claim(abc::claims(), "n130_triple");
  CHECK(triple.published == abc::triple_text(ex.minimum));
  CHECK(core::find_claim(abc::claims(), "n130_sum").value == core::to_double(ex.minimum.sum));
  CHECK(core::find_claim(abc::claims(), "n130_naive").value == core::to_double(ex.naive_sum));
  CHECK(abc::reproduces_published_example(abc::min_sum_abc(ex.n), abc::naive_sum(ex.n)));
  CHECK_FALSE(abc::reproduces_published_example(abc::min_sum_abc(ex.n + 1), abc::naive_sum(ex.n)));
}
