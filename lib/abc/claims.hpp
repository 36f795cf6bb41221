// The published figures abc-min checks, as data, and their measurement for `abc-min reproduce`.
// Source: the article the derivation comes from, kexue.fm/archives/9775 (2023-09-20). Our own findings
// (the pruned scan's N^(1/6) work, the gap's N^(1/6) growth, the N = 1 counterexample to the
// perfect-square shortcut) are rows with status `new`.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "abc/min_sum.hpp"
#include "core/claims.hpp"

namespace abc {

// The article's worked example, written once: the n130_* claims, `solve` and `sweep` read it from here.
struct PublishedExample {
  u128 n;
  Solution minimum;  // the triple and S (candidates unused)
  u128 naive_sum;    // what the naive guess a = b = floor(sqrt N) (or b = a + 1) gives
};
inline constexpr PublishedExample published_example{130, {.a = 10, .b = 13, .c = 0, .sum = 23}, 31};

// Whether a solve of published_example.n gives the published triple and naive guess.
bool reproduces_published_example(const Solution& s, u128 naive);

// "a = 10; b = 13; c = 0": how the claims and reproduce print a triple.
std::string triple_text(const Solution& s);

std::span<const core::Claim> claims();

// Every claim measured with the library at the tool's defaults; under settings.quick only the quick ones.
std::vector<core::ReproRow> reproduce(const core::ReproduceSettings& settings);

}  // namespace abc
