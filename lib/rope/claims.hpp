// The published figures attn-sweep's rope-base checks, as data, and their measurement for
// `attn-sweep reproduce`. Sources: Men et al., "Base of RoPE Bounds Context Length" (2024) for the table
// of b*(L) at d = 128 and the Ci estimate; Meta's "The Llama 3 Herd of Models" (2024) for b = 500000 at
// L = 8192. Our own figures (the certified infimum, the float32 search, the check of the paper's row)
// are rows with status `new`.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/claims.hpp"

namespace rope {

// The head dimension of the paper's table.
inline constexpr unsigned paper_dimension = 128;

// The paper's table (d = 128): L = 2^10 .. 2^20 and its b*.
struct PaperEntry {
  std::uint64_t L;
  double b;
};
std::span<const PaperEntry> paper_table();
// The paper's b for L, or 0 when the table has no entry.
double paper_base(std::uint64_t L);
// Whether a base b is below the paper's paper_b by more than its two printed digits allow (5%).
bool tighter_than_paper(double b, double paper_b);

// The paper's fitted curve (Figure 1: "y = 0.0424x^1.628", context length against the lower bound of the
// base): the least-squares line in log-log through its table's points (d = 128, L = 2^10 .. 2^20), as
// reproduce's law_paper_k and law_paper_c check.
inline constexpr double paper_law_c = 0.0424, paper_law_k = 1.628;
double paper_law(double L);  // paper_law_c · L^paper_law_k

std::span<const core::Claim> claims();

std::vector<core::ReproRow> reproduce(const core::ReproduceSettings& settings);

}  // namespace rope
