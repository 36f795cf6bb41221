// Fuzz target: the exact-integer syntax of every N option ("123", "10^24", "2^127-1") and abc-min's solver
// on what it reads. Properties checked on every input:
// - parse_u128 agrees with an independent reading of the grammar in arbitrary precision (a regular
//   expression and boost::multiprecision::cpp_int): the same value, or rejection exactly when the text is
//   not of the form or its value exceeds 2^128 - 1;
// - to_string and describe_integer read back as the same value;
// - parse_integer throws only InputError, and what it accepts lies in its range (parse_binary_size, whose
//   k/M suffixes parse_u128 refuses, is fuzzed by numbers.cpp);
// - parse_integer refuses exactly 0 and N > 2^127 - 1 for abc-min's N; for accepted N up to 10^18 (where a
//   solve takes well under a millisecond), min_sum_abc gives a·b + c = N with a <= b and S = a + b + c,
//   and agrees with a second exact method where that one is fast (brute to 2*10^4, sqrt to 10^8,
//   quarter to 10^16).
#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <cstdlib>
#include <regex>
#include <string>
#include <string_view>

#include "abc/min_sum.hpp"
#include "core/errors.hpp"
#include "core/parse.hpp"
#include "core/u128.hpp"

namespace {

using boost::multiprecision::cpp_int;
using core::u128;

cpp_int wide(u128 v) {
  return (cpp_int(static_cast<std::uint64_t>(v >> 64)) << 64) | cpp_int(static_cast<std::uint64_t>(v));
}

// The grammar read independently: DIGITS, DIGITS^DIGITS, DIGITS^DIGITS(+|-)DIGITS; each DIGITS at most
// 39 characters and at most 2^128 - 1, the value within [0, 2^128 - 1] (parse_u128's documented form).
// Intermediate values may exceed 2^128 - 1 ("2^128-1" is 2^128 - 1).
bool oracle(std::string_view text, cpp_int& value) {
  // cpp_int reads a leading 0 as octal: the digits are read without their leading zeros.
  const auto number = [](const std::string& digits) {
    const auto first = digits.find_first_not_of('0');
    return first == std::string::npos ? cpp_int(0) : cpp_int(digits.substr(first));
  };
  static const std::regex form(R"(([0-9]{1,39})(\^([0-9]{1,39})([+-]([0-9]{1,39}))?)?)");
  std::cmatch m;
  if (text.size() > 3 * 39 + 2) return false;  // longer than the longest form (and libstdc++'s regex recurses)
  if (!std::regex_match(text.begin(), text.end(), m, form)) return false;
  const cpp_int limit = (cpp_int(1) << 128) - 1;
  for (const int group : {1, 3, 5})
    if (m[group].matched && number(m[group].str()) > limit) return false;
  value = number(m[1].str());
  if (m[2].matched) {
    const cpp_int exponent = number(m[3].str());
    if (value >= 2 && exponent > 256) return false;  // beyond 2^256: no offset of 39 digits brings it back
    value = value <= 1 ? (exponent == 0 ? cpp_int(1) : value)
                       : boost::multiprecision::pow(value, exponent.convert_to<unsigned>());
    if (m[4].matched) {
      const cpp_int offset = number(m[5].str());
      if (m[4].str()[0] == '+')
        value += offset;
      else
        value -= offset;
    }
  }
  return value >= 0 && value <= limit;
}

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cpp_int expected;
  const bool valid = oracle(text, expected);
  const auto got = core::parse_u128(text);
  check(got.has_value() == valid);
  if (!got) return 0;
  check(wide(*got) == expected);
  check(core::parse_u128(core::to_string(*got)) == got);
  check(core::parse_u128(core::describe_integer(*got)) == got);
  try {
    const u128 v = core::parse_integer("N", text, 1, abc::max_n);
    check(v >= 1 && v <= abc::max_n && v == *got);
    if (v > u128{1000000000000000000ull}) return 0;  // 10^18
    const auto s = abc::min_sum_abc(v);
    check(s.a <= s.b && s.b <= v && s.c <= v);
    check(wide(s.a) * wide(s.b) + wide(s.c) == wide(v) && wide(s.a) + wide(s.b) + wide(s.c) == wide(s.sum));
    const abc::Method second = v <= 20000                        ? abc::Method::brute
                               : v <= u128{100000000ull}         ? abc::Method::sqrt
                               : v <= u128{10000000000000000ull} ? abc::Method::quarter
                                                                 : abc::Method::automatic;
    if (second != abc::Method::automatic) check(abc::min_sum_abc(v, second).same_triple(s));
  } catch (const core::InputError&) {
    check(*got == 0 || *got > abc::max_n);
  }
  return 0;
}
