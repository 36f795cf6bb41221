#include "core/row_codec.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/errors.hpp"

namespace core {

namespace {

// A string's characters that would break a token or a CSV field, and '%' itself, as %XX.
bool plain(unsigned char c) {
  return c > 0x20 && c < 0x7f && c != '%' && c != ',' && c != '"';
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void RowWriter::put(double v) {
  // %a prints every finite double exactly; nan and inf by name (nan's payload is not kept: no row carries one).
  char buf[40];
  std::snprintf(buf, sizeof buf, "%a", v);
  token(buf);
}

void RowWriter::put(long double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%La", v);
  token(buf);
}

void RowWriter::put(const std::string& v) {
  std::string t = "s";  // never empty, so an empty string is still a token
  for (unsigned char c : v) {
    if (plain(c)) {
      t += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      t += buf;
    }
  }
  token(t);
}

void RowReader::fail(std::string_view why) const {
  throw InputError(what_ + ": " + std::string(why));
}

std::string_view RowReader::token() {
  if (at_ >= text_.size()) fail("the row ends early");
  const auto end = std::min(text_.find(' ', at_), text_.size());
  const auto t = text_.substr(at_, end - at_);
  at_ = end + 1;
  if (t.empty()) fail("an empty field");
  return t;
}

void RowReader::finish() const {
  if (at_ < text_.size()) fail("more fields than the row has");
}

void RowReader::get(bool& v) {
  const auto t = token();
  if (t != "0" && t != "1") fail("expected 0 or 1, got '" + std::string(t) + "'");
  v = t == "1";
}

void RowReader::get(double& v) {
  const std::string t(token());
  char* end = nullptr;
  v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size()) fail("expected a number, got '" + t + "'");
}

void RowReader::get(long double& v) {
  const std::string t(token());
  char* end = nullptr;
  v = std::strtold(t.c_str(), &end);
  if (end != t.c_str() + t.size()) fail("expected a number, got '" + t + "'");
}

void RowReader::get(u128& v) {
  const auto t = token();
  const auto parsed = parse_u128(t);
  if (!parsed || t.find_first_not_of("0123456789") != std::string_view::npos)
    fail("expected an unsigned integer, got '" + std::string(t) + "'");
  v = *parsed;
}

void RowReader::get(std::string& v) {
  const auto t = token();
  if (t.front() != 's') fail("expected a text field, got '" + std::string(t) + "'");
  v.clear();
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (t[i] != '%') {
      v += t[i];
      continue;
    }
    const int hi = i + 2 < t.size() ? hex_digit(t[i + 1]) : -1, lo = hi >= 0 ? hex_digit(t[i + 2]) : -1;
    if (lo < 0) fail("a bad escape in '" + std::string(t) + "'");
    v += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
}

long long RowReader::signed_value() {
  const auto t = token();
  long long v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc{} || end != t.data() + t.size()) fail("expected an integer, got '" + std::string(t) + "'");
  return v;
}

unsigned long long RowReader::unsigned_value() {
  const auto t = token();
  unsigned long long v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc{} || end != t.data() + t.size())
    fail("expected an unsigned integer, got '" + std::string(t) + "'");
  return v;
}

}  // namespace core
