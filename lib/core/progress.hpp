// Progress on stderr for long runs: silent for the first second, then a line repainted at most
// five times a second, and only when enabled (stderr is a terminal and --quiet was not given).
// advance() is safe to call from many threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

namespace core {

// What a study calls once per unit of work done (a grid point, a row, a fit), from any thread; the tools
// bind it to Progress::advance.
using Tick = std::function<void()>;

// Calls `tick` if one was given (a study's tick is optional).
inline void tick_if(const Tick& tick) {
  if (tick) tick();
}

class Progress {
 public:
  Progress(std::string label, std::size_t total, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::size_t k = 1);
  // Erases the progress line, if one was drawn, so that what follows starts on a clean line.
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_;
  std::size_t total_;
  bool enabled_;
  std::atomic<std::size_t> done_{0};
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_paint_ = start_;
  bool painted_ = false;
  std::mutex paint_mutex_;
};

// Whether progress should be shown: stderr is a terminal and the user did not ask for quiet.
bool progress_wanted(bool quiet);

}  // namespace core
