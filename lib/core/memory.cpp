#include "core/memory.hpp"

#include <unistd.h>

#include <string>

#include "core/csv.hpp"
#include "core/errors.hpp"

namespace core {

double physical_memory_bytes() {
  return static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

void require_memory(double bytes, std::string_view what) {
  const double physical = physical_memory_bytes();
  if (bytes > 0.5 * physical)
    throw InputError(std::string(what) + ": needs about " + format_sig(bytes / (1 << 30), 3) +
                     " GiB; at most half of this machine's " + format_sig(physical / (1 << 30), 3) + " GiB is allowed");
}

}  // namespace core
