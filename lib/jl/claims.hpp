// The published figures jl-entropy checks, as data (00-suite.md), and their measurement for
// `jl-entropy reproduce`. Sources: the JL lemma and its tail lemmas, kexue.fm/archives/8679; the
// entropy argument n > 8.33 ln N, kexue.fm/archives/7695 (quoted with 52 / 96 / 128 in 8679's sequel
// kexue.fm/archives/8706); entropy-invariant attention and log_512 n, kexue.fm/archives/8823.
#pragma once

#include <span>
#include <vector>

#include "core/claims.hpp"

namespace jl {

std::span<const core::Claim> claims();

std::vector<core::ReproRow> reproduce(const core::ReproduceSettings& settings);

}  // namespace jl
