// The suite's one resource policy (00-suite.md, "sizes that would not fit in memory"). Memory: a run may
// plan to use at most half of the memory this process can have: the least of the machine's physical
// memory, its address-space limit (ulimit -v) and its cgroup's limit. Time: a run whose estimate exceeds
// a day on this machine is refused; one estimated above a minute says so on stderr before it starts.
// Larger sizes are bad input, refused before any work, with the estimate in the message.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace core {

double physical_memory_bytes();
// The least of physical memory, RLIMIT_AS and the cgroup (v2 memory.max or v1 memory.limit_in_bytes).
double available_memory_bytes();

// InputError "WHAT: needs about X GiB; at most half of the Y GiB this process may use is allowed" when
// bytes exceeds half of available_memory_bytes(). `what` names the options that set the size ("--T 10^8
// with --d 4096").
void require_memory(double bytes, std::string_view what);

// The longest run the suite starts: a day, or the environment's MLDERIV_MAX_SECONDS when set (a login node's
// limit, say); InputError naming the variable when it is not a positive number.
double max_run_seconds();

// A run's time estimate on this machine (the work's operation count over a measured rate, divided by the
// threads it uses). InputError "WHAT: would take about X (estimate); at most LIMIT is allowed" above
// max_run_seconds(); above a minute, one line "TOOL: WHAT: about X (estimate)" on stderr unless quiet.
void require_time(double seconds, std::string_view what);

// "--points up to 1000 (5 values)", or "--points 1000" for one value: a list option in a time estimate's
// message, however long the list (the list must not be empty).
template <class List>
std::string list_extent(std::string_view option, const List& values) {
  const auto largest = *std::max_element(values.begin(), values.end());
  if (values.size() == 1) return std::string(option) + " " + std::to_string(largest);
  return std::string(option) + " up to " + std::to_string(largest) + " (" + std::to_string(values.size()) + " values)";
}

// Turns require_time's notices on (the dispatcher calls it with the tool's name, false under --quiet).
void announce_estimates(std::string tool, bool enabled);

// The share of a run's estimated work this process does, which require_time checks and announces: 1/N for a
// shard of N (a sweep too long for one machine is what shards are for), 0 for a merge (it evaluates no point:
// no time check at all). The dispatcher sets it; 1 otherwise.
void set_estimate_share(double share);

// How require_time words a duration: "45 s", "12 min", "3.2 h", "4.1 days".
std::string format_duration(double seconds);

}  // namespace core
