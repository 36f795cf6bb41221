// CSV rows of mixed types, as every tool writes them (00-suite.md): RFC 4180 quoting, one header row,
// LF line ends, numbers in their shortest round-trip form, and no silent nan/inf: a non-finite value is
// a NumericalError unless its column says it may hold one.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/u128.hpp"

namespace core {

struct Column {
  std::string name;
  bool nonfinite_ok = false;  // the column documents that nan/inf can appear (printed as nan, inf, -inf)
  std::string meaning;        // one line for the subcommand's --help ("Columns:"); empty: the name says it

  Column(std::string column_name, bool may_be_nonfinite = false)
      : name(std::move(column_name)), nonfinite_ok(may_be_nonfinite) {}
  // {"N", "the number solved"}, {"fit", "nan below three points", true}
  Column(std::string column_name, const char* what, bool may_be_nonfinite = false)
      : name(std::move(column_name)), nonfinite_ok(may_be_nonfinite), meaning(what) {}
};

// The columns a subcommand writes, as its --help lists them: `when` is empty for the usual header, or
// names the option that selects another one ("with --floor").
struct ColumnSet {
  std::string when;
  std::vector<Column> columns;
};

// One CSV field. Integers of any width stay exact; doubles print in shortest round-trip form.
class Cell {
 public:
  Cell(bool v) : kind_(Kind::boolean), u_(v) {}
  template <std::signed_integral T>
  Cell(T v) : kind_(Kind::signed_int), i_(v) {}
  template <std::unsigned_integral T>
  Cell(T v) : kind_(Kind::unsigned_int), u_(v) {}
  Cell(u128 v) : kind_(Kind::unsigned_int), u_(v) {}
  Cell(double v) : kind_(Kind::real), x_(v) {}
  Cell(std::string_view v) : kind_(Kind::text), s_(v) {}
  Cell(const char* v) : Cell(std::string_view(v)) {}
  Cell(const std::string& v) : Cell(std::string_view(v)) {}

  // Appends the field to out; `column` is used only to decide whether a non-finite value is allowed.
  void append_to(std::string& out, const Column& column) const;

 private:
  enum class Kind { boolean, signed_int, unsigned_int, real, text };
  Kind kind_;
  long long i_ = 0;
  u128 u_ = 0;
  double x_ = 0;
  std::string_view s_;
};

// Shortest decimal text that reads back as exactly x (std::to_chars).
std::string format_double(double x);

// x to `digits` significant digits (%.*g), for human-readable text fields such as an interval in a note;
// numeric columns use format_double.
std::string format_sig(double x, int digits = 4);

class CsvWriter {
 public:
  CsvWriter(std::ostream& out, std::vector<Column> columns);
  void row(std::initializer_list<Cell> cells);
  void row(const std::vector<Cell>& cells);
  std::size_t rows() const { return rows_; }
  const std::vector<Column>& columns() const { return columns_; }

 private:
  std::ostream& out_;
  std::vector<Column> columns_;
  std::size_t rows_ = 0;
  std::string line_;
};

// A CSV read back: the header and the rows as text, every row as wide as the header.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;  // the line of the input each row starts on (for messages)

  // The index of column `name`; InputError "WHAT: no column 'NAME' (columns: ...)" if absent.
  std::size_t column(std::string_view name, std::string_view what) const;
};

// Parses RFC 4180 text (quoted fields, doubled quotes, CRLF or LF, a last line with or without its end).
// `what` names the input in errors: an empty text, an unterminated quote or a row of the wrong width is an
// InputError "WHAT: line K: ...". Blank lines are skipped.
CsvTable parse_csv(std::string_view text, std::string_view what);

// Reads and parses a file ("-": stdin); a file that cannot be read is an InputError naming it. With
// `option` ("--csv"), every error of the file (unreadable, empty, malformed) is prefixed with it.
CsvTable read_csv_file(const std::string& path, std::string_view option = "");

// A field as a finite double, or InputError "WHAT: line K, column 'C': expected a number, got 'X'".
double csv_number(const CsvTable& t, std::size_t row, std::size_t column, std::string_view what);

}  // namespace core
