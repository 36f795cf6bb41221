// The published figures rnn-fixpoint checks, as data (00-suite.md), and their measurement for
// `rnn-fixpoint reproduce`. Source: Lim, Zhu, Selfridge and Kasim, "Parallelizing Non-Linear Sequential
// Models over the Sequence Length" (DEER; ICLR 2024, arXiv:2309.12252): termination in at most T
// iterations, quadratic (Newton) convergence in a handful of iterations for contractive A, GPU speedups
// of up to three orders of magnitude. Where the perturbation scheme loses, diverges, and what the CPU
// gives are our own findings (status `new`).
#pragma once

#include <span>
#include <vector>

#include "core/claims.hpp"

namespace rnn {

std::span<const core::Claim> claims();

std::vector<core::ReproRow> reproduce(const core::ReproduceSettings& settings);

// The bound converge and gru enforce on Newton's e_(n+1) / e_n^2 near the solution: quadratic convergence keeps
// it O(1) (0.03 .. 0.7 on our grids), while a merely linear rate sends it past 1/e_n ~ 10^10 near the
// tolerance; 100 separates the two with room either way.
inline constexpr double newton_ratio_bound = 100;
// "A handful" of Newton iterations, as we read the paper's figures.
inline constexpr std::size_t newton_handful = 10;

}  // namespace rnn
