// attn-sweep is one executable with two groups of subcommands, each in its own thin driver file:
// the softmax sweeps (scale, sparsity, noise: tools/attn_sweep_softmax.cpp, on lib/attn) and the RoPE
// base bound (rope-base: tools/attn_sweep_rope.cpp, on lib/rope). tools/attn_sweep.cpp joins them and
// their claims (lib/attn, lib/rope) into one command table and one `reproduce`.
#pragma once

#include <vector>

#include "core/cli.hpp"

namespace attn_tool {

std::vector<core::Command> softmax_commands();

std::vector<core::Command> rope_commands();

}  // namespace attn_tool
