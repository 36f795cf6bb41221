// Fuzz target: the CSV reader (lib/core/csv.hpp) and the two tools' readers on top of it:
// `quanta-scaling fit --csv` (observations_from_csv) and `jl-entropy project --input` (points_from_table).
// Properties checked on every input:
// - only InputError escapes (never a crash, another exception, or a hang);
// - every parsed row is as wide as the header, and each row's line number increases;
// - observations are positive and finite (loss, N, D) and at least as many as the law has parameters;
// - points are finite, at least two, one coordinate per column, none the zero vector, and (in tables of up
//   to 256 points) no two the same.
#include "core/csv.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/errors.hpp"
#include "jl/projection.hpp"
#include "quanta/fit.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  core::CsvTable table;
  try {
    table = core::parse_csv(text, "--csv");
  } catch (const core::InputError&) {
    return 0;
  }
  check(table.rows.size() == table.lines.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    check(table.rows[r].size() == table.header.size());
    if (r > 0) check(table.lines[r] > table.lines[r - 1]);
  }
  for (const auto form : {quanta::LawForm::chinchilla, quanta::LawForm::power}) {
    for (const auto& names :
         {quanta::ColumnNames{}, quanta::ColumnNames{"loss", "Model Size", "Training FLOP", "tokens"}}) {
      try {
        const auto o = quanta::observations_from_csv(table, names, form, "--csv");
        check(o.size() >= quanta::parameter_count(form));
        for (std::size_t i = 0; i < o.size(); ++i) {
          check(std::isfinite(o.loss[i]) && o.loss[i] > 0);
          check(std::isfinite(o.n[i]) && o.n[i] > 0);
          if (form == quanta::LawForm::chinchilla) check(std::isfinite(o.d[i]) && o.d[i] > 0);
        }
      } catch (const core::InputError&) {
      }
    }
  }
  try {
    const auto p = jl::points_from_table(table, "--input");
    check(p.cols() >= 2 && p.rows() == static_cast<Eigen::Index>(table.header.size()) && p.allFinite());
    for (Eigen::Index j = 0; j < p.cols(); ++j) check(p.col(j).squaredNorm() > 0);
    if (p.cols() <= 256)  // pairs of a small table: no two points the same
      for (Eigen::Index j = 0; j < p.cols(); ++j)
        for (Eigen::Index i = j + 1; i < p.cols(); ++i) check(p.col(i) != p.col(j));
  } catch (const core::InputError&) {
  }
  return 0;
}
