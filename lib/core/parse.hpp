// Reading option values (00-suite.md, "Bad input"): exact integers ("10^24", "2^127-1"), finite reals
// within an interval, comma-separated lists of either. Every failure is an InputError that names the
// option, the text given and what is allowed.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/u128.hpp"

namespace core {

// Parses an exact non-negative integer ("123", "10^24", "2^127-1") within [lo, hi]; on failure an
// InputError "WHAT: expected an integer in [lo, hi], got 'TEXT'".
u128 parse_integer(std::string_view what, std::string_view text, u128 lo, u128 hi);

struct Interval {
  double lo, hi;
  bool lo_open = false, hi_open = false;
};

// (0, inf): what every option that must be positive accepts.
inline constexpr Interval positive_reals{0, std::numeric_limits<double>::infinity(), true, true};

// "[lo, hi]", "(lo, hi]", ... as the error messages and --help print it.
std::string describe(const Interval& allowed);

// Parses a finite number within `allowed`; on failure an InputError "WHAT: expected a number in (lo, hi],
// got 'TEXT'".
double parse_real(std::string_view what, std::string_view text, Interval allowed);

// The items of a comma-separated list ("0.1,0.5,1"). An empty text or an empty item is an InputError
// "WHAT: expected a comma-separated list, got 'TEXT'".
std::vector<std::string> split_list(std::string_view what, std::string_view text);
std::vector<double> parse_real_list(std::string_view what, std::string_view text, Interval allowed);
// Each item as parse_integer reads it ("16,2^10,10^5").
std::vector<std::uint64_t> parse_integer_list(std::string_view what, std::string_view text, std::uint64_t lo,
                                              std::uint64_t hi);

// Sizes in binary units, as context lengths are written: an integer as parse_integer reads it, optionally
// followed by k or K (times 2^10) or M (times 2^20): "4096", "4k", "2^3k", "1M". On failure an InputError
// "WHAT: expected an integer in [lo, hi] (k = 2^10, M = 2^20), got 'TEXT'".
std::uint64_t parse_binary_size(std::string_view what, std::string_view text, std::uint64_t lo, std::uint64_t hi);
// The shortest such name: "16M", "1k", "1536" (exact; a multiple of 2^20 in M, else of 2^10 in k).
std::string binary_size_name(std::uint64_t n);
// binary_size_name of each, joined by `separator`.
std::string binary_size_list(const std::vector<std::uint64_t>& sizes, std::string_view separator = ",");

}  // namespace core
