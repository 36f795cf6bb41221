#include <atomic>
#include <chrono>
#include <thread>
#include <boost/random/normal_distribution.hpp>
#include <catch2/catch.hpp>
#include <stdexcept>

#include "core/parallel.hpp"

TEST_CASE("seeded trials give the same numbers whatever the thread count") {
  auto draw = [](std::size_t, core::Rng& rng) { return boost::random::normal_distribution<double>()(rng); };
  const auto one = core::parallel_trials(1000, 42, 1, draw);
  const auto two = core::parallel_trials(1000, 42, 2, draw);
  const auto eight = core::parallel_trials(1000, 42, 8, draw);
  CHECK(one == two);
  CHECK(one == eight);
  CHECK(core::parallel_trials(1000, 43, 2, draw) != one);
}

TEST_CASE("streams of one seed are distinct") {
  CHECK(core::rng_stream(1, 0)() != core::rng_stream(1, 1)());
  CHECK(core::rng_stream(1, 0)() != core::rng_stream(2, 0)());
  CHECK(core::rng_stream(1, 5)() == core::rng_stream(1, 5)());
}

TEST_CASE("parallel_map keeps item order and rethrows an item's exception") {
  const auto squares = core::parallel_map(100, 4, [](std::size_t i) { return i * i; });
  for (std::size_t i = 0; i < 100; ++i) CHECK(squares[i] == i * i);
  CHECK_THROWS_AS(core::parallel_map(100, 4,
                                     [](std::size_t i) {
                                       if (i == 57) throw std::domain_error("57");
                                       return i;
                                     }),
                  std::domain_error);
}

TEST_CASE("parallel_map of booleans loses no result (std::vector<bool> packs neighbours into one word)") {
  // Items are handed out one at a time, so neighbouring items run on different threads: with the results
  // written straight into a std::vector<bool>, concurrent writes to one word dropped some of them.
  const std::size_t n = 200000;
  for (int repeat = 0; repeat < 5; ++repeat) {
    const auto got = core::parallel_map(n, 2, [](std::size_t i) { return i % 3 != 1; });
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < n; ++i) wrong += got[i] != (i % 3 != 1);
    REQUIRE(wrong == 0);
  }
}

TEST_CASE("parallel_map skips the items not yet started once one has thrown (an interrupt ends it early)") {
  // The first item throws; every item takes 200 us, so without the skip the map would run all 5000 (0.5 s on
  // two threads); with it, only those already running or taken before the flag is seen.
  std::atomic<std::size_t> ran{0};
  CHECK_THROWS_AS(core::parallel_map(5000, 2,
                                     [&](std::size_t i) {
                                       ++ran;
                                       if (i == 0) throw std::domain_error("interrupted");
                                       std::this_thread::sleep_for(std::chrono::microseconds(200));
                                       return i;
                                     }),
                  std::domain_error);
  CHECK(ran.load() < 500);
}
