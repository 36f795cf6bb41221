// The published figures quanta-scaling checks, as data (00-suite.md), and their measurement for
// `quanta-scaling reproduce`. Sources: Michaud et al. 2023 (the quantization model's exponents),
// Hoffmann et al. 2022 (the Chinchilla fit, approach 3) and Besiroglu et al. 2024 (Epoch AI's
// replication of that fit on the data extracted from the Chinchilla paper's Figure 4).
#pragma once

#include <span>
#include <vector>

#include "core/claims.hpp"

namespace quanta {

std::span<const core::Claim> claims();

std::vector<core::ReproRow> reproduce(const core::ReproduceSettings& settings);

}  // namespace quanta
