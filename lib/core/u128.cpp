#include "core/u128.hpp"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>

namespace core {

std::string to_string(u128 v) {
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  std::reverse(digits.begin(), digits.end());
  return digits;
}

namespace {

// A power's value may exceed 2^128 - 1 when an offset brings it back ("2^128-1"), so powers are computed in
// 256 bits (parse_power) and narrowed once the offset is applied.
using wide_uint = boost::multiprecision::uint256_t;

wide_uint widen(u128 v) {
  return (wide_uint(static_cast<std::uint64_t>(v >> 64)) << 64) | static_cast<std::uint64_t>(v);
}

bool is_power(u128 v, unsigned base, unsigned& exponent) {
  exponent = 0;
  if (v == 0) return false;
  while (v % base == 0) {
    v /= base;
    ++exponent;
  }
  return v == 1;
}

std::optional<u128> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 39) return std::nullopt;  // 2^128 - 1 has 39 digits
  u128 v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    const unsigned d = static_cast<unsigned>(ch - '0');
    if (v > (u128_max - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

// Capped at 2^129: beyond it no offset of at most 2^128 - 1 brings the value back below 2^128.
std::optional<wide_uint> parse_power(std::string_view s) {
  const auto caret = s.find('^');
  if (caret == std::string_view::npos) {
    const auto v = parse_decimal(s);
    return v ? std::optional<wide_uint>(widen(*v)) : std::nullopt;
  }
  const auto base = parse_decimal(s.substr(0, caret));
  const auto exponent = parse_decimal(s.substr(caret + 1));
  if (!base || !exponent) return std::nullopt;
  if (*base <= 1) return wide_uint(*exponent == 0 ? 1u : static_cast<unsigned>(*base));
  const wide_uint cap = wide_uint(1) << 129;
  wide_uint v = 1;
  for (u128 i = 0; i < *exponent; ++i) {
    if (v > cap / widen(*base)) return std::nullopt;
    v *= widen(*base);
  }
  return v;
}

std::optional<u128> narrow(const wide_uint& v) {
  if (v > widen(u128_max)) return std::nullopt;
  return (u128{static_cast<std::uint64_t>(v >> 64)} << 64) | static_cast<std::uint64_t>(v & ~std::uint64_t{0});
}

}  // namespace

std::string describe_integer(u128 v) {
  unsigned k = 0;
  if (v == u128_max) return "2^128-1";
  if (v >= (u128{1} << 20) && is_power(v + 1, 2, k)) return "2^" + std::to_string(k) + "-1";
  if (v >= (u128{1} << 20) && is_power(v, 2, k)) return "2^" + std::to_string(k);
  if (v >= 1000000 && is_power(v, 10, k)) return "10^" + std::to_string(k);
  return to_string(v);
}

std::optional<u128> parse_u128(std::string_view text) {
  const auto op = text.find_first_of("+-");
  if (op == std::string_view::npos) {
    const auto power = parse_power(text);
    return power ? narrow(*power) : std::nullopt;
  }
  if (text.find('^') == std::string_view::npos) return std::nullopt;  // an offset needs a power before it
  const auto power = parse_power(text.substr(0, op));
  const auto offset = parse_decimal(text.substr(op + 1));
  if (!power || !offset) return std::nullopt;
  if (text[op] == '+') return narrow(*power + widen(*offset));
  if (widen(*offset) > *power) return std::nullopt;
  return narrow(*power - widen(*offset));
}

}  // namespace core
