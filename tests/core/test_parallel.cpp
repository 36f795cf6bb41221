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
