#include "core/parse.hpp"

#include <charconv>
#include <cmath>

#include "core/csv.hpp"
#include "core/errors.hpp"

namespace core {

u128 parse_integer(std::string_view what, std::string_view text, u128 lo, u128 hi) {
  const auto v = parse_u128(text);
  if (!v || *v < lo || *v > hi)
    throw InputError(std::string(what) + ": expected an integer in [" + describe_integer(lo) + ", " +
                     describe_integer(hi) + "], got '" + std::string(text) + "'");
  return *v;
}

std::string describe(const Interval& allowed) {
  std::string out = allowed.lo_open ? "(" : "[";  // appended: GCC 12 warns falsely (-Wrestrict) otherwise
  return out.append(format_double(allowed.lo))
      .append(", ")
      .append(format_double(allowed.hi))
      .append(allowed.hi_open ? ")" : "]");
}

double parse_real(std::string_view what, std::string_view text, Interval allowed) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  const bool ok = !text.empty() && ec == std::errc() && end == text.data() + text.size() && std::isfinite(v) &&
                  (allowed.lo_open ? v > allowed.lo : v >= allowed.lo) &&
                  (allowed.hi_open ? v < allowed.hi : v <= allowed.hi);
  if (!ok)
    throw InputError(std::string(what) + ": expected a number in " + describe(allowed) + ", got '" + std::string(text) +
                     "'");
  return v;
}

std::vector<std::string> split_list(std::string_view what, std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    out.emplace_back(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (out.back().empty())
      throw InputError(std::string(what) + ": expected a comma-separated list, got '" + std::string(text) + "'");
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::vector<double> parse_real_list(std::string_view what, std::string_view text, Interval allowed) {
  std::vector<double> out;
  for (const auto& item : split_list(what, text)) out.push_back(parse_real(what, item, allowed));
  return out;
}

std::vector<std::uint64_t> parse_integer_list(std::string_view what, std::string_view text, std::uint64_t lo,
                                              std::uint64_t hi) {
  std::vector<std::uint64_t> out;
  for (const auto& item : split_list(what, text))
    out.push_back(static_cast<std::uint64_t>(parse_integer(what, item, lo, hi)));
  return out;
}

}  // namespace core
