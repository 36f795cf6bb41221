#include "core/claims.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <stdexcept>

#include "core/csv.hpp"

namespace core {

const Claim& find_claim(std::span<const Claim> claims, std::string_view key) {
  for (const auto& c : claims)
    if (c.key == key) return c;
  throw std::logic_error("no claim with key '" + std::string(key) + "'");
}

std::string_view to_string(Status s) {
  switch (s) {
    case Status::agrees: return "agrees";
    case Status::differs: return "differs";
    case Status::new_finding: return "new";
  }
  return "?";
}

Status assess(const Claim& claim, const Measured& m) {
  switch (claim.compare) {
    case Compare::finding: return Status::new_finding;
    case Compare::holds: return m.holds ? Status::agrees : Status::differs;
    case Compare::absolute:
    case Compare::relative: {
      if (!std::isfinite(m.value) || !std::isfinite(claim.value)) return Status::differs;
      const double allowed =
          claim.compare == Compare::absolute ? claim.tolerance : claim.tolerance * std::abs(claim.value);
      return std::abs(m.value - claim.value) <= allowed ? Status::agrees : Status::differs;
    }
  }
  return Status::differs;
}

ReproRow reproduce_row(std::string_view tool, const Claim& claim, const Measured& m) {
  ReproRow row{std::string(tool),
               std::string(claim.key),
               std::string(claim.claim),
               std::string(claim.source),
               std::string(claim.published),
               m.text,
               assess(claim, m),
               m.note};
  const bool numeric = claim.compare == Compare::absolute || claim.compare == Compare::relative;
  if (row.ours.empty()) {
    if (claim.compare == Compare::holds)
      row.ours = m.holds ? "holds" : "fails";
    else
      row.ours = format_double(m.value);
  }
  if (numeric && row.status == Status::differs) {
    const std::string tol = claim.compare == Compare::absolute ? "+-" + format_double(claim.tolerance)
                                                               : "+-" + format_double(claim.tolerance * 100) + "%";
    const std::string by = "differs from " + format_double(claim.value) + " by " +
                           format_double(m.value - claim.value) + " (tolerance " + tol + ")";
    row.note = row.note.empty() ? by : row.note + "; " + by;
  }
  return row;
}

ReproTable::ReproTable(std::string_view tool, std::span<const Claim> claims, const ReproduceSettings& settings)
    : tool_(tool), claims_(claims), quick_(settings.quick) {}

bool ReproTable::wanted(std::string_view key) const {
  return !quick_ || find_claim(claims_, key).quick;
}

void ReproTable::add(std::string_view key, const Measured& measured) {
  const Claim& c = find_claim(claims_, key);
  const auto index = static_cast<std::size_t>(&c - claims_.data());
  for (const auto& r : rows_)
    if (r.first == index) throw std::logic_error("claim '" + std::string(key) + "' measured twice");
  rows_.emplace_back(index, reproduce_row(tool_, c, measured));
}

std::vector<ReproRow> ReproTable::rows() const {
  std::vector<ReproRow> out;
  for (std::size_t i = 0; i < claims_.size(); ++i) {
    if (!wanted(claims_[i].key)) continue;
    const auto it = std::find_if(rows_.begin(), rows_.end(), [&](const auto& r) { return r.first == i; });
    if (it == rows_.end()) throw std::logic_error("claim '" + std::string(claims_[i].key) + "' was not measured");
    out.push_back(it->second);
  }
  return out;
}

std::vector<Column> reproduce_columns() {
  return {{"tool"},
          {"key", "the claim's stable identifier (what tests and check_reproduce match on)"},
          {"claim", "one line: what is claimed"},
          {"source", "the article or paper"},
          {"published", "as the source states it"},
          {"ours"},
          {"status",
           "agrees: within the stated tolerance; differs: the reason, measured, is in note; new: a "
           "figure of ours that the sources do not have"},
          {"note", "grid, interval, tolerance, reduced grids"}};
}

std::vector<Column> claim_list_columns() {
  return {{"tool"},   {"key"},       {"claim"},
          {"source"}, {"published"}, {"quick", "measured by reproduce --quick (and so by the CI regression test)"}};
}

namespace {

struct Reproduce {
  ReproduceFn measure;
  std::vector<std::span<const Claim>> tables;
  bool quick = false, list = false;

  void declare(Options& o) {
    o.flag("quick", quick, "only the claims that take seconds (what the CI regression test re-runs)");
    o.flag("list", list, "list the claims (key, claim, published, quick) without measuring them");
  }

  void run(Run& r) {
    if (list) return write_list(r);
    const auto rows = measure(ReproduceSettings{quick, r.threads, r.seed});
    auto& csv = r.csv(reproduce_columns());
    std::size_t counts[3] = {0, 0, 0};
    for (const auto& row : rows) {
      csv.row({row.tool, row.key, row.claim, row.source, row.published, row.ours, to_string(row.status), row.note});
      ++counts[static_cast<int>(row.status)];
    }
    auto& out = r.summary();
    out << r.tool().name << " reproduce" << (quick ? " --quick" : "") << ": " << rows.size() << " claims: " << counts[0]
        << " agree with the published value, " << counts[1] << " differ, " << counts[2] << " are new findings.";
    for (const auto& row : rows)
      if (row.status == Status::differs) out << "\n  differs: " << row.claim << " -- " << row.note;
    out << "\n";
  }

  void write_list(Run& r) const {
    auto& csv = r.csv(claim_list_columns());
    std::size_t n = 0, fast = 0;
    for (const auto& table : tables)
      for (const auto& c : table) {
        csv.row({r.tool().name, c.key, c.claim, c.source, c.published, c.quick});
        ++n;
        fast += c.quick;
      }
    r.summary() << r.tool().name << " reproduce --list: " << n << " claims, " << fast << " of them quick.\n";
  }
};

}  // namespace

Command reproduce_command(ReproduceFn measure, std::vector<std::span<const Claim>> tables) {
  struct Adapter final : Subcommand {
    Reproduce cmd;
    void declare(Options& options) override { cmd.declare(options); }
    void run(Run& run) override { cmd.run(run); }
  };
  return {"reproduce",
          "one CSV row per published claim: ours next to the published value, and the verdict",
          uses_threads | uses_seed,
          {{"", reproduce_columns()}, {"with --list", claim_list_columns()}},
          "A claim that differs is a finding, not a failure: the exit code is 0 when the CSV is whole.",
          [measure, tables] {
            auto sub = std::make_unique<Adapter>();
            sub->cmd.measure = measure;
            sub->cmd.tables = tables;
            return sub;
          }};
}

}  // namespace core
