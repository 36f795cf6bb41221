// The CUDA path of the softmax statistics engine, behind softmax_stats(..., Device::cuda). C++17 (nvcc
// compiles it), plain arrays: the draws come from attn::draw_batch on the host, so both paths see the
// same numbers. Compiled only when SUITE_CUDA is ON (ATTN_CUDA defined).
#pragma once

#include <cstddef>

namespace attn::cuda {

// Per (row, α): sum_p2, entropy, max_p, mass, max_score, mean_score (SoftmaxStats' order).
inline constexpr std::size_t stats_fields = 6;

// keys: n x d; queries and needle_keys (nullptr: no needle): rows x d; out: rows x n_alphas x stats_fields.
// Throws core::NumericalError when the CUDA runtime fails.
void softmax_stats(const double* keys, const double* queries, const double* needle_keys, std::size_t n, std::size_t d,
                   std::size_t rows, const double* alphas, std::size_t n_alphas, double* out);

}  // namespace attn::cuda
