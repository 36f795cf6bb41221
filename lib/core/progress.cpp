#include "core/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace core {

bool progress_wanted(bool quiet) {
  return !quiet && ::isatty(STDERR_FILENO) == 1;
}

Progress::Progress(std::string label, std::size_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled && total > 0) {}

Progress::~Progress() {
  clear();
}

void Progress::clear() {
  std::lock_guard lock(paint_mutex_);
  if (painted_) std::fprintf(stderr, "\r\033[K");
  painted_ = false;
  enabled_ = false;
}

void Progress::advance(std::size_t k) {
  const std::size_t done = done_ += k;
  if (!enabled_) return;
  const auto now = Clock::now();
  std::unique_lock lock(paint_mutex_, std::try_to_lock);
  if (!lock || now - start_ < std::chrono::seconds(1) || now - last_paint_ < std::chrono::milliseconds(200)) return;
  last_paint_ = now;
  painted_ = true;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double fraction = static_cast<double>(done) / static_cast<double>(total_);
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  std::fprintf(stderr, "\r\033[K%s: %zu/%zu (%.0f%%), %.0f s elapsed, ~%.0f s left", label_.c_str(), done, total_,
               100 * fraction, elapsed, eta);
  std::fflush(stderr);
}

}  // namespace core
