#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "core/claims.hpp"
#include "core/csv.hpp"
#include "core/errors.hpp"

using core::Claim;
using core::Compare;
using core::Status;

namespace {
const Claim table[] = {
    {"abs", "an absolute claim", "a paper", "23", Compare::absolute, 23, 0.5},
    {"rel", "a relative claim", "a paper", "0.84", Compare::relative, 0.84, 0.01},
    {"prop", "a property", "a paper", "holds", Compare::holds},
    {"ours", "a finding", "this suite", "", Compare::finding, std::nan(""), 0, false},
};
}  // namespace

TEST_CASE("a measurement within the tolerance agrees, outside it differs, and the note says by how much") {
  CHECK(core::assess(table[0], {.value = 23.5}) == Status::agrees);
  CHECK(core::assess(table[0], {.value = 23.51}) == Status::differs);
  CHECK(core::assess(table[1], {.value = 0.84 * 1.0099}) == Status::agrees);
  CHECK(core::assess(table[1], {.value = 0.84 * 1.0101}) == Status::differs);
  const auto row = core::reproduce_row("t", table[0], {.value = 25, .note = "grid g"});
  CHECK(row.status == Status::differs);
  CHECK(row.ours == "25");
  CHECK(row.note == "grid g; differs from 23 by 2 (tolerance +-0.5)");
}

TEST_CASE("a non-finite measurement never agrees") {
  CHECK(core::assess(table[0], {.value = std::numeric_limits<double>::quiet_NaN()}) == Status::differs);
  CHECK(core::assess(table[1], {.value = std::numeric_limits<double>::infinity()}) == Status::differs);
}

TEST_CASE("a property agrees only when it held, a finding is always new") {
  CHECK(core::assess(table[2], {.holds = true}) == Status::agrees);
  CHECK(core::assess(table[2], {.holds = false}) == Status::differs);
  CHECK(core::reproduce_row("t", table[2], {.holds = false}).ours == "fails");
  CHECK(core::assess(table[3], {.value = 1}) == Status::new_finding);
  CHECK(core::to_string(Status::new_finding) == "new");
}

TEST_CASE("ReproTable gives rows in table order, skips slow claims under --quick, and insists on every claim") {
  core::ReproTable all("t", table, {.quick = false});
  all.add("prop", {.holds = true});
  all.add("abs", {.value = 23});
  all.add("rel", {.value = 0.84});
  CHECK_THROWS_AS(all.rows(), std::logic_error);  // "ours" was not measured
  all.add("ours", {.value = 1});
  CHECK_THROWS_AS(all.add("ours", {.value = 1}), std::logic_error);
  const auto rows = all.rows();
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].claim == "an absolute claim");
  CHECK(rows[2].claim == "a property");

  core::ReproTable quick("t", table, {.quick = true});
  CHECK_FALSE(quick.wanted("ours"));
  quick.add("abs", {.value = 23});
  quick.add("rel", {.value = 0.84});
  quick.add("prop", {.holds = true});
  CHECK(quick.rows().size() == 3);
  CHECK_THROWS_AS(core::find_claim(table, "nope"), std::logic_error);
}

TEST_CASE("parse_csv reads RFC 4180: quotes, doubled quotes, embedded newlines, CRLF, no final newline") {
  const auto t = core::parse_csv("a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n\n4,\"two\nlines\",6", "test");
  REQUIRE(t.header == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][1] == "x, \"y\"");
  CHECK(t.rows[1][1] == "two\nlines");
  CHECK(t.lines == std::vector<std::size_t>{2, 4});
  CHECK(t.column("c", "test") == 2);
  CHECK(core::csv_number(t, 1, 2, "test") == 6);
}

TEST_CASE("parse_csv refuses what is not a table, naming the input and the line") {
  CHECK_THROWS_WITH(core::parse_csv("", "f.csv"), "f.csv: empty CSV (expected a header row)");
  CHECK_THROWS_WITH(core::parse_csv("a,b\n1\n", "f.csv"), "f.csv: line 2: 1 fields, but the header has 2");
  CHECK_THROWS_WITH(core::parse_csv("a\n\"open\n", "f.csv"), "f.csv: line 2: unterminated quoted field");
  const auto t = core::parse_csv("a,b\n1,x\n2,nan\n", "f.csv");
  CHECK_THROWS_WITH(t.column("c", "f.csv"), "f.csv: no column 'c' (columns: a, b)");
  CHECK_THROWS_WITH(core::csv_number(t, 0, 1, "f.csv"), "f.csv: line 2, column 'b': expected a number, got 'x'");
  CHECK_THROWS_AS(core::csv_number(t, 1, 1, "f.csv"), core::InputError);  // nan is not a measurement
  CHECK_THROWS_AS(core::read_csv_file("/nonexistent/x.csv"), core::InputError);
}

TEST_CASE("read_csv_file names the option that gave the file in every error") {
  CHECK_THROWS_WITH(core::read_csv_file("/nonexistent/x.csv", "--csv"),
                    Catch::Matchers::StartsWith("--csv: /nonexistent/x.csv: cannot read ("));
}
