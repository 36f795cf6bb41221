// Unsigned 128-bit integers: GCC's built-in type, with the decimal I/O the standard library lacks.
// Used wherever a tool takes or prints exact integers beyond 2^64 (abc-min's N up to 2^127 - 1).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace core {

__extension__ typedef unsigned __int128 u128;  // __extension__: the type is a GNU extension (-Wpedantic)

inline constexpr u128 u128_max = ~u128{0};

// Decimal digits of v, no sign, no leading zeros ("0" for zero).
std::string to_string(u128 v);

// "2^127-1", "2^64", "10^12" or plain digits: how a bound reads best in a message or --help.
std::string describe_integer(u128 v);

// Exact integer from a decimal literal "123", a power "10^24", or a power plus or minus a literal
// "2^127-1". No sign, no spaces, no junk; nullopt when the text is not of that form, a literal exceeds
// 2^128 - 1, or the value does (the power alone may: "2^128-1" is 2^128 - 1).
std::optional<u128> parse_u128(std::string_view text);

// Closest double (for reporting only, e.g. S - 2 sqrt(N)).
inline double to_double(u128 v) {
  return static_cast<double>(v);
}

}  // namespace core
