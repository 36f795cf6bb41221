// Softmax under score noise and the cosine-softmax entropy floor.
#include <catch2/catch.hpp>
#include <cmath>

#include "attn/noise.hpp"

TEST_CASE("score noise moves the output like 1/sqrt(n), near the predicted rms") {
  attn::NoiseSettings s{.trials = 100, .seed = 2, .threads = 2};
  s.stream = 1;
  const auto small = attn::softmax_noise_error(512, 0.5, s);
  s.stream = 2;
  const auto large = attn::softmax_noise_error(8192, 0.5, s);
  CHECK(small.mean / large.mean == Approx(4).epsilon(0.2));
  CHECK(large.rms == Approx(attn::noise_rms_asymptote(8192, 0.5, 16)).epsilon(0.15));
}

TEST_CASE("the noise error does not depend on the thread count") {
  attn::NoiseSettings s{.trials = 20, .seed = 4, .stream = 3, .threads = 1};
  const auto one = attn::softmax_noise_error(300, 1, s);
  s.threads = 2;
  const auto two = attn::softmax_noise_error(300, 1, s);
  CHECK(one.mean == two.mean);
  CHECK(one.se == two.se);
}

TEST_CASE("the entropy minimisers found by optimisation are two-level and the gap tends to 0.4745") {
  // Each local minimum is two-level; the best two-level configuration bounds them all.
  const auto f10 = attn::cosine_entropy_floor(10, 10, 1);
  CHECK(f10.interior == 0);
  CHECK(f10.at_top + f10.at_bottom == 10);
  CHECK(f10.found_gap <= f10.two_level_gap + 1e-12);
  CHECK(f10.best_k == 2);
  const auto f200 = attn::cosine_entropy_floor(200, 3, 1);
  CHECK(f200.interior == 0);
  CHECK(f200.gap >= f200.found_gap);
  CHECK(std::abs(f200.gap - 0.4745) <= 5e-5);
  CHECK(attn::entropy_gap_limit() == Approx(0.4744746).epsilon(1e-6));
}
