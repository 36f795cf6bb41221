// The two ways a run can fail, and the exit codes the suite gives them (00-suite.md):
// bad input is the caller's to fix (exit 2), a numerical or runtime failure is ours to report (exit 1).
#pragma once

#include <stdexcept>

namespace core {

// Bad input: an option out of range, a malformed number, a file that cannot be read. Exit code 2.
struct InputError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// The input was fine but the computation failed: no convergence, a non-finite result. Exit code 1.
struct NumericalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace core
