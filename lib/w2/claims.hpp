// The published figures score-w2 checks, as data (00-suite.md), and their measurement for
// `score-w2 reproduce`. Source: Kwon, Fan & Lee, "Score-based Generative Modeling Secretly Minimizes the
// Wasserstein Distance" (NeurIPS 2022), and Vincent (2011) for the denoising score-matching identity.
// Our own findings (which forms of the Lipschitz constant bound W2, the negative SDE cross term) are
// rows with status `new` or `differs`.
#pragma once

#include <span>
#include <vector>

#include "core/claims.hpp"

namespace w2 {

std::span<const core::Claim> claims();

std::vector<core::ReproRow> reproduce(const core::ReproduceSettings& settings);

}  // namespace w2
