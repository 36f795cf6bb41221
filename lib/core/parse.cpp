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

namespace {
constexpr std::uint64_t kibi = std::uint64_t{1} << 10, mebi = std::uint64_t{1} << 20;
}  // namespace

std::uint64_t parse_binary_size(std::string_view what, std::string_view text, std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t scale = 1;
  std::string_view digits = text;
  if (!digits.empty() && (digits.back() == 'k' || digits.back() == 'K')) scale = kibi;
  if (!digits.empty() && digits.back() == 'M') scale = mebi;
  if (scale > 1) digits.remove_suffix(1);
  const auto v = digits.empty() ? std::nullopt : parse_u128(digits);
  if (!v || *v > hi / scale || *v * scale < lo)
    throw InputError(std::string(what) + ": expected an integer in [" + describe_integer(lo) + ", " +
                     describe_integer(hi) + "] (k = 2^10, M = 2^20), got '" + std::string(text) + "'");
  return static_cast<std::uint64_t>(*v) * scale;
}

std::string binary_size_name(std::uint64_t n) {
  if (n > 0 && n % mebi == 0) return std::to_string(n / mebi) + "M";
  if (n > 0 && n % kibi == 0) return std::to_string(n / kibi) + "k";
  return std::to_string(n);
}

std::string binary_size_list(const std::vector<std::uint64_t>& sizes, std::string_view separator) {
  std::string out;
  for (std::uint64_t n : sizes) out.append(out.empty() ? "" : separator).append(binary_size_name(n));
  return out;
}

}  // namespace core
