// The resource policy: memory against what this process may use, time against a day (or
// MLDERIV_MAX_SECONDS).
#include <sys/resource.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <string>

#include "core/errors.hpp"
#include "core/memory.hpp"
#include "run_process.hpp"

using namespace core;

namespace {
std::string message_of(double seconds) {
  try {
    require_time(seconds, "--n 10^9");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("durations read as a person would say them") {
  CHECK(format_duration(4.2) == "4.2 s");
  CHECK(format_duration(600) == "10 min");
  CHECK(format_duration(3 * 3600) == "3 h");
  CHECK(format_duration(5 * 86400) == "5 days");
  CHECK(format_duration(1e12) == "3.2e+04 years");
}

TEST_CASE("a run estimated above a day is refused with the estimate, MLDERIV_MAX_SECONDS lowers the limit") {
  ::unsetenv("MLDERIV_MAX_SECONDS");
  CHECK(max_run_seconds() == 86400);
  CHECK(message_of(86400) == "");  // at most a day: the limit itself is allowed
  CHECK(message_of(2 * 86400) ==
        "--n 10^9: would take about 2 days on this machine (estimate); at most 24 h is allowed");
  CHECK(message_of(std::nan("")) != "");  // an estimate that overflowed is refused, not let through
  ::setenv("MLDERIV_MAX_SECONDS", "30", 1);
  CHECK(message_of(30) == "");
  CHECK(message_of(31) ==
        "--n 10^9: would take about 31 s on this machine (estimate); at most 30 s is allowed (MLDERIV_MAX_SECONDS)");
  for (const char* bad : {"", "0", "-5", "x", "5x", "inf", "nan"}) {
    ::setenv("MLDERIV_MAX_SECONDS", bad, 1);
    CHECK_THROWS_AS(max_run_seconds(), InputError);
  }
  ::unsetenv("MLDERIV_MAX_SECONDS");
}

TEST_CASE("memory: at most half of the least of physical memory and the address-space limit") {
  const double physical = physical_memory_bytes();
  CHECK(available_memory_bytes() <= physical);
  CHECK_NOTHROW(require_memory(0.49 * available_memory_bytes(), "--d"));
  CHECK_THROWS_AS(require_memory(0.51 * available_memory_bytes(), "--d"), InputError);
  if (address_sanitizer) {
    WARN("RLIMIT_AS not lowered: an AddressSanitizer build cannot run under it (the release build does)");
    return;
  }
  rlimit old{};
  REQUIRE(::getrlimit(RLIMIT_AS, &old) == 0);
  rlimit lower = old;
  lower.rlim_cur = static_cast<rlim_t>(std::min(physical / 2, 16e9));  // this test process needs far less
  REQUIRE(::setrlimit(RLIMIT_AS, &lower) == 0);
  const double available = available_memory_bytes();
  CHECK(available == static_cast<double>(lower.rlim_cur));
  CHECK_THROWS_AS(require_memory(0.6 * available, "--d"), InputError);
  REQUIRE(::setrlimit(RLIMIT_AS, &old) == 0);
}
