// The published figures abc-min checks, as data (00-suite.md), and their measurement for
// `abc-min reproduce`. Source: the article the derivation comes from, kexue.fm/archives/9775
// (2023-09-20). Our own findings (the pruned scan's N^(1/6) work, the gap's N^(1/6) growth, the N = 1
// counterexample to the perfect-square shortcut) are rows with status `new`.
#pragma once

#include <span>
#include <vector>

#include "core/claims.hpp"

namespace abc {

std::span<const core::Claim> claims();

// Every claim measured with the library at the tool's defaults; under settings.quick only the quick ones.
std::vector<core::ReproRow> reproduce(const core::ReproduceSettings& settings);

}  // namespace abc
