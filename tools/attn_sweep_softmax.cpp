// Placeholder until the softmax sweeps land (issue: attn-sweep part 1).
#include "tools/attn_sweep.hpp"

namespace attn_tool {
std::vector<core::Command> softmax_commands() { return {}; }
std::vector<core::ReproRow> softmax_reproduce(const core::ReproduceSettings&) { return {}; }
}  // namespace attn_tool
