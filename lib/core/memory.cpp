#include "core/memory.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core/csv.hpp"
#include "core/errors.hpp"

namespace core {

namespace {

// A cgroup limit file's number, or a negative value when absent or "max" (v2) or implausibly large (v1
// writes about 2^63 for "no limit").
double cgroup_limit(const char* path) {
  std::ifstream in(path);
  double bytes = -1;
  if (!(in >> bytes) || bytes <= 0 || bytes > 1e18) return -1;
  return bytes;
}

std::string& notice_prefix() {  // "TOOL: " while notices are on, empty otherwise
  static std::string prefix;
  return prefix;
}

}  // namespace

double physical_memory_bytes() {
  return static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

double available_memory_bytes() {
  double bytes = physical_memory_bytes();
  rlimit as{};
  if (::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
    bytes = std::min(bytes, static_cast<double>(as.rlim_cur));
  for (const char* path : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"})
    if (const double limit = cgroup_limit(path); limit > 0) bytes = std::min(bytes, limit);
  return bytes;
}

void require_memory(double bytes, std::string_view what) {
  const double available = available_memory_bytes();
  if (bytes > 0.5 * available)
    throw InputError(std::string(what) + ": needs about " + format_sig(bytes / (1 << 30), 3) +
                     " GiB; at most half of the " + format_sig(available / (1 << 30), 3) +
                     " GiB this process may use is allowed");
}

std::string format_duration(double seconds) {
  if (seconds < 90) return format_sig(seconds, 2) + " s";
  if (seconds < 5400) return format_sig(seconds / 60, 2) + " min";
  if (seconds < 2 * 86400.0) return format_sig(seconds / 3600, 2) + " h";
  if (seconds < 365.25 * 86400) return format_sig(seconds / 86400, 2) + " days";
  return format_sig(seconds / (86400 * 365.25), 2) + " years";
}

void announce_estimates(std::string tool, bool enabled) {
  notice_prefix() = enabled ? tool + ": " : std::string();
}

namespace {

double& estimate_share() {
  static double share = 1;
  return share;
}

}  // namespace

void set_estimate_share(double share) {
  estimate_share() = share;
}

double max_run_seconds() {
  const char* text = std::getenv("MLDERIV_MAX_SECONDS");
  if (!text) return 24 * 3600.0;
  char* end = nullptr;
  const double limit = std::strtod(text, &end);
  if (end == text || *end != '\0' || !(limit > 0) || !std::isfinite(limit))
    throw InputError(std::string("MLDERIV_MAX_SECONDS: expected a positive number of seconds, got '") + text + "'");
  return limit;
}

void require_time(double seconds, std::string_view what) {
  if (estimate_share() == 0) return;
  seconds *= estimate_share();
  const double limit = max_run_seconds();
  if (!(seconds <= limit))
    throw InputError(std::string(what) + ": would take about " + format_duration(seconds) +
                     " on this machine (estimate); at most " + format_duration(limit) + " is allowed" +
                     (std::getenv("MLDERIV_MAX_SECONDS") ? " (MLDERIV_MAX_SECONDS)" : ""));
  if (seconds > 60 && !notice_prefix().empty())
    std::fprintf(stderr, "%s%.*s: about %s (estimate)\n", notice_prefix().c_str(), static_cast<int>(what.size()),
                 what.data(), format_duration(seconds).c_str());
}

}  // namespace core
