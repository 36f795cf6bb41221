#include "core/csv.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "core/errors.hpp"

namespace core {

namespace {

void append_quoted(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

}  // namespace

std::string format_double(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, result.ptr);
}

void Cell::append_to(std::string& out, const Column& column) const {
  switch (kind_) {
    case Kind::boolean: out += u_ != 0 ? "true" : "false"; break;
    case Kind::signed_int: out += std::to_string(i_); break;
    case Kind::unsigned_int: out += to_string(u_); break;
    case Kind::text: append_quoted(out, s_); break;
    case Kind::real:
      if (!std::isfinite(x_) && !column.nonfinite_ok)
        throw NumericalError("column '" + column.name + "': non-finite value " + format_double(x_));
      out += format_double(x_);
      break;
  }
}

CsvWriter::CsvWriter(std::ostream& out, std::vector<Column> columns) : out_(out), columns_(std::move(columns)) {
  line_.clear();
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (i) line_ += ',';
    append_quoted(line_, columns_[i].name);
  }
  line_ += '\n';
  out_ << line_;
}

void CsvWriter::row(const std::vector<Cell>& cells) {
  if (cells.size() != columns_.size())
    throw std::logic_error("CSV row has " + std::to_string(cells.size()) + " fields, header has " +
                           std::to_string(columns_.size()));
  line_.clear();
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) line_ += ',';
    cells[i].append_to(line_, columns_[i]);
  }
  line_ += '\n';
  out_ << line_;  // the whole line or nothing: a failing cell leaves no half row behind
  ++rows_;
}

void CsvWriter::row(std::initializer_list<Cell> cells) {
  row(std::vector<Cell>(cells));
}

}  // namespace core
