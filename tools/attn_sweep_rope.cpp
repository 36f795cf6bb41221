// Placeholder until rope-base lands (issue: attn-sweep part 2).
#include "tools/attn_sweep.hpp"

namespace attn_tool {
std::vector<core::Command> rope_commands() { return {}; }
std::vector<core::ReproRow> rope_reproduce(const core::ReproduceSettings&) { return {}; }
}  // namespace attn_tool
