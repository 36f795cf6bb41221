// Published values as data (00-suite.md, "Published values" and "TOOL reproduce"). Every figure a tool
// checks is written once in lib/<topic>/ as a Claim (what, source, published value, tolerance); the
// subcommand summaries and `TOOL reproduce` both read it from there. What is the same for every tool
// lives here: the record, turning a measurement into a status, the reproduce CSV and its subcommand.
// A tool only declares its claims and a function that measures them.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/cli.hpp"

namespace core {

// How ours is compared with the published value.
enum class Compare {
  absolute,  // agrees when |ours - value| <= tolerance
  relative,  // agrees when |ours - value| <= tolerance * |value|
  holds,     // a property (an inequality, "every method agrees"): agrees when it held
  finding,   // a figure of ours that the sources do not have: status `new`
};

struct Claim {
  std::string_view key;        // stable identifier ("n130_sum"): the `key` column, tests, find_claim
  std::string_view claim;      // one line: what is claimed
  std::string_view source;     // the article or paper (never a spec file)
  std::string_view published;  // as the source states it: "23", "1/4", "holds"; "" for a finding
  Compare compare = Compare::absolute;
  double value = std::numeric_limits<double>::quiet_NaN();  // the numeric form of `published`
  double tolerance = 0;                                     // see Compare
  bool quick = true;  // measured in seconds: part of `reproduce --quick` and of the CI regression test
};

// Looks a claim up by key; std::logic_error if absent (a programming error, not bad input).
const Claim& find_claim(std::span<const Claim> claims, std::string_view key);

enum class Status { agrees, differs, new_finding };
std::string_view to_string(Status s);  // "agrees", "differs", "new"

// What we computed for one claim.
struct Measured {
  double value = std::numeric_limits<double>::quiet_NaN();  // absolute, relative (and optionally findings)
  bool holds = false;                                       // holds
  std::string text;  // `ours` as printed; empty: the value in shortest round-trip form (or "holds"/"fails")
  std::string note;  // the measurement behind it: grid, interval, why it differs, reduced grid
};

// The status of a measurement against its claim. A non-finite value never agrees.
Status assess(const Claim& claim, const Measured& measured);

// One row of `TOOL reproduce` (columns tool, key, claim, source, published, ours, status, note).
struct ReproRow {
  std::string tool, key, claim, source, published, ours;
  Status status;
  std::string note;
};

// assess() and format: when a numeric claim differs, the note says by how much and the tolerance.
ReproRow reproduce_row(std::string_view tool, const Claim& claim, const Measured& measured);

// Settings every tool's reproduce gets from the command line.
struct ReproduceSettings {
  bool quick = false;  // only the claims with quick = true
  unsigned threads = 1;
  std::uint64_t seed = 1;
};

// Collects a tool's measurements: rows come out in claim-table order, and every claim wanted (all of
// them, or the quick ones under --quick) must have been measured exactly once (std::logic_error if not).
class ReproTable {
 public:
  ReproTable(std::string_view tool, std::span<const Claim> claims, const ReproduceSettings& settings);
  bool wanted(std::string_view key) const;  // false for a slow claim under --quick
  void add(std::string_view key, const Measured& measured);
  std::vector<ReproRow> rows() const;

 private:
  std::string tool_;
  std::span<const Claim> claims_;
  bool quick_;
  std::vector<std::pair<std::size_t, ReproRow>> rows_;  // (index in claims_, row)
};

// A tool's measurement of its claims: rows in the order of its claim table, quick ones only under quick.
using ReproduceFn = std::function<std::vector<ReproRow>(const ReproduceSettings&)>;

// The `reproduce` subcommand for a tool: --quick, --list, --threads, --seed; writes the rows and a summary
// ("k agree, m differ, j new"). Differing rows are findings, not failures: the exit code stays 0.
// `tables` are the tool's claim tables, in the order `measure` reports them: --list prints them
// (tool, key, claim, source, published, quick) without measuring anything.
Command reproduce_command(ReproduceFn measure, std::vector<std::span<const Claim>> tables);

// The CSV columns of reproduce, in order, and those of reproduce --list.
std::vector<Column> reproduce_columns();
std::vector<Column> claim_list_columns();

}  // namespace core
