#include "core/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
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

std::string format_sig(double x, int digits) {
  if (!std::isfinite(x)) return format_double(x);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
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

namespace core {

std::size_t CsvTable::column(std::string_view name, std::string_view what) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  constexpr std::size_t shown = 12;  // a one-line message, however wide the file
  std::string names;
  for (std::size_t i = 0; i < std::min(header.size(), shown); ++i) names += (i ? ", " : "") + header[i];
  if (header.size() > shown) names += ", ... (" + std::to_string(header.size()) + " in all)";
  throw InputError(std::string(what) + ": no column '" + std::string(name) + "' (columns: " + names + ")");
}

CsvTable parse_csv(std::string_view text, std::string_view what) {
  const std::string where(what);
  std::vector<std::vector<std::string>> lines;
  std::vector<std::size_t> line_numbers;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, field_started = false;
  std::size_t line_no = 1, row_line = 1;
  auto end_row = [&] {
    if (field_started || !fields.empty()) {
      fields.push_back(std::move(field));
      lines.push_back(std::move(fields));
      line_numbers.push_back(row_line);
    }
    fields.clear();
    field.clear();
    field_started = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if ((static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') || ch == 0x7f) {
      char code[8];
      std::snprintf(code, sizeof code, "0x%02x", static_cast<unsigned char>(ch));
      throw InputError(where + ": line " + std::to_string(line_no) + " holds the control byte " + code +
                       ": not a text CSV");
    }
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        if (ch == '\n') ++line_no;
        field += ch;
      }
      continue;
    }
    if (!field_started && fields.empty()) row_line = line_no;
    if (ch == '"' && field.empty()) {
      quoted = field_started = true;
    } else if (ch == ',') {
      fields.push_back(std::move(field));
      field.clear();
      field_started = true;
    } else if (ch == '\n' || ch == '\r') {
      if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
      ++line_no;
    } else {
      field += ch;
      field_started = true;
    }
  }
  if (quoted) throw InputError(where + ": line " + std::to_string(row_line) + ": unterminated quoted field");
  end_row();
  if (lines.empty()) throw InputError(where + ": empty CSV (expected a header row)");
  CsvTable t;
  t.header = std::move(lines[0]);
  for (std::size_t r = 1; r < lines.size(); ++r) {
    if (lines[r].size() != t.header.size())
      throw InputError(where + ": line " + std::to_string(line_numbers[r]) + ": " + std::to_string(lines[r].size()) +
                       " fields, but the header has " + std::to_string(t.header.size()));
    t.rows.push_back(std::move(lines[r]));
    t.lines.push_back(line_numbers[r]);
  }
  return t;
}

CsvTable read_csv_file(const std::string& path, std::string_view option) {
  try {
    std::stringstream text;
    if (path == "-") {
      text << std::cin.rdbuf();
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) throw InputError(path + ": cannot read (" + std::strerror(errno) + ")");
      text << in.rdbuf();
      if (in.bad()) throw InputError(path + ": read error");
    }
    return parse_csv(text.str(), path == "-" ? "stdin" : path);
  } catch (const InputError& e) {
    if (option.empty()) throw;
    throw InputError(std::string(option) + ": " + e.what());
  }
}

double csv_number(const CsvTable& t, std::size_t row, std::size_t column, std::string_view what) {
  const std::string& s = t.rows.at(row)[column];
  double x = 0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  while (b < e && (*b == ' ' || *b == '\t')) ++b;
  while (e > b && (e[-1] == ' ' || e[-1] == '\t')) --e;
  if (b < e && *b == '+') ++b;
  const auto r = std::from_chars(b, e, x);
  if (b == e || r.ec != std::errc() || r.ptr != e || !std::isfinite(x))
    throw InputError(std::string(what) + ": line " + std::to_string(t.lines.at(row)) + ", column '" +
                     t.header.at(column) + "': expected a number, got '" + s + "'");
  return x;
}

}  // namespace core
