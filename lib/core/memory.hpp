// The suite's one memory policy (00-suite.md, "sizes that would not fit in memory"): a run may plan to use
// at most half of this machine's physical memory; larger sizes are bad input, refused before any work.
#pragma once

#include <string_view>

namespace core {

double physical_memory_bytes();

// InputError "WHAT: needs about X GiB; at most half of this machine's Y GiB is allowed" when bytes exceeds
// half of physical_memory_bytes(). `what` names the options that set the size ("--T 10^8 with --d 4096").
void require_memory(double bytes, std::string_view what);

}  // namespace core
