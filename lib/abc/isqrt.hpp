// Exact integer square root of unsigned 128-bit integers: floor(sqrt(n)) for every n < 2^128.
// A floating-point estimate (long double: 64-bit mantissa) corrected by exact integer comparisons,
// so the result is exact however the estimate rounds.
#pragma once

#include "core/u128.hpp"

namespace abc {

core::u128 isqrt(core::u128 n);

}  // namespace abc
