// Fuzz target: the real-number and list syntax of every option (lib/core/parse.hpp). The first byte picks
// the allowed interval (open or closed ends, finite or wide bounds); the rest, up to a NUL, is the option's
// text.
// Properties checked on every input:
// - only InputError escapes, and its message names the option and quotes the text;
// - an accepted number is finite, inside the interval (strict at an open end), and reads back from its
//   shortest decimal text (format_double) as the same double;
// - a list is accepted exactly when every comma-separated item is non-empty and accepted alone, and its
//   values are the items' values in order;
// - binary_size_name of an accepted size reads back as the same size.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "core/parse.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// The message starts with the option's name and quotes the text given, or (a list) the item refused.
void check_message(const core::InputError& e, std::string_view what, std::string_view text) {
  const std::string_view m = e.what();
  check(m.substr(0, what.size()) == what && m.substr(what.size(), 2) == ": ");
  check(!m.empty() && m.back() == '\'');
  const auto quoted = m.substr(0, m.size() - 1);
  const auto open = quoted.find(", got '");  // the first: the text itself may hold one
  check(open != std::string_view::npos);
  const auto given = quoted.substr(open + 7);
  check(given == text || (given.find(',') == std::string_view::npos && text.find(given) != std::string_view::npos));
}

bool inside(double v, const core::Interval& a) {
  return std::isfinite(v) && (a.lo_open ? v > a.lo : v >= a.lo) && (a.hi_open ? v < a.hi : v <= a.hi);
}

std::vector<std::string_view> items(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (auto comma = text.find(','); comma != std::string_view::npos; comma = text.find(',', start)) {
    out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  out.push_back(text.substr(start));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const core::Interval intervals[] = {{0, 1, true, false},   {0, 1, false, true}, {-1e300, 1e300}, {1, 1},
                                             {-5, 2.5, true, true}, {0, 1e-300, true}};
  const auto& allowed = intervals[data[0] % std::size(intervals)];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  text = text.substr(0, text.find('\0'));  // an option's text is a C string: argv holds no NUL byte

  bool single_ok = false;
  double single = 0;
  try {
    single = core::parse_real("--x", text, allowed);
    single_ok = true;
    check(inside(single, allowed));
    check(core::parse_real("--x", core::format_double(single), allowed) == single);
  } catch (const core::InputError& e) {
    check_message(e, "--x", text);
  }

  bool all_ok = true;
  std::vector<double> expected;
  for (const auto item : items(text)) {
    try {
      expected.push_back(core::parse_real("--xs", item, allowed));
    } catch (const core::InputError&) {
      all_ok = false;
    }
  }
  try {
    const auto list = core::parse_real_list("--xs", text, allowed);
    check(all_ok && list == expected);
    if (list.size() == 1) check(single_ok && list[0] == single);
  } catch (const core::InputError& e) {
    check(!all_ok);
    check_message(e, "--xs", text);
  }

  try {
    const auto list = core::parse_integer_list("--ns", text, 1, 1000000);
    for (const auto v : list) check(v >= 1 && v <= 1000000);
    check(list.size() == items(text).size());
  } catch (const core::InputError& e) {
    check_message(e, "--ns", text);
  }

  try {
    const auto n = core::parse_binary_size("--L", text, 1, std::uint64_t{1} << 40);
    check(n >= 1 && n <= (std::uint64_t{1} << 40));
    check(core::parse_binary_size("--L", core::binary_size_name(n), 1, std::uint64_t{1} << 40) == n);
  } catch (const core::InputError& e) {
    check_message(e, "--L", text);
  }
  return 0;
}
