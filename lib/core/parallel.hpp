// Deterministic parallel work: items are computed in any order on any number of threads, and
// results land in item order, so the output is the same for every --threads.
#pragma once

#include <omp.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <type_traits>
#include <vector>

#include "core/rng.hpp"

namespace core {

inline unsigned hardware_threads() {
  return static_cast<unsigned>(omp_get_num_procs());
}

// results[i] = f(i) for i in [0, n), on `threads` threads. The first exception thrown by any item is
// rethrown on the calling thread once every thread has stopped; the items not yet started are skipped, so
// a Tick that throws (an interrupt from Python) ends the map after the items already running.
template <class F>
auto parallel_map(std::size_t n, unsigned threads, F&& f) -> std::vector<decltype(f(std::size_t{}))> {
  using T = decltype(f(std::size_t{}));
  // std::vector<bool> packs 64 results in a word: two threads writing neighbouring items would race and
  // lose one of the writes. Booleans land in whole bytes first.
  using Slot = std::conditional_t<std::is_same_v<T, bool>, unsigned char, T>;
  std::vector<Slot> results(n);
  std::exception_ptr error;
  std::mutex error_mutex;
  std::atomic<bool> failed{false};
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t i = 0; i < n; ++i) {
    if (failed.load(std::memory_order_relaxed)) continue;
    try {
      results[i] = static_cast<Slot>(f(i));
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      failed.store(true, std::memory_order_relaxed);
    }
  }
  if (error) std::rethrow_exception(error);
  if constexpr (std::is_same_v<T, bool>)
    return std::vector<bool>(results.begin(), results.end());
  else
    return results;
}

// Seeded Monte Carlo: trial i gets its own stream rng_stream(seed, i).
template <class F>
auto parallel_trials(std::size_t n, std::uint64_t seed, unsigned threads, F&& f) {
  return parallel_map(n, threads, [&](std::size_t i) {
    Rng rng = rng_stream(seed, i);
    return f(i, rng);
  });
}

}  // namespace core
