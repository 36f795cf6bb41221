// The published figures attn-sweep's softmax subcommands (scale, sparsity, noise) check, as data,
// and their measurement for `attn-sweep reproduce`. Sources: Su Jianlin's articles on
// kexue.fm (2023) on the attention scale from gradient maximisation, on whether attention can concentrate
// (sparsity), and on softmax's robustness to score noise and the cosine softmax's entropy. Our own
// figures (the exact Monte Carlo optimum, the finite-n entropy floor) are rows with status `new`.
#pragma once

#include <span>
#include <vector>

#include "core/claims.hpp"

namespace attn {

std::span<const core::Claim> claims();

// Every claim measured with the library (reduced grids, said in each note); under settings.quick only the
// quick ones.
std::vector<core::ReproRow> reproduce(const core::ReproduceSettings& settings);

}  // namespace attn
