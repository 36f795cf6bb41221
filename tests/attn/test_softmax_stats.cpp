// The softmax statistics engine against a naive two-pass softmax in long double.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "attn/softmax_stats.hpp"
#include "core/errors.hpp"

namespace {

using attn::SoftmaxStats;

// Two passes, long double: the max, then p_j = exp(α (s_j − max)) / Σ, every statistic from stored p.
SoftmaxStats naive_stats(const std::vector<double>& s, double alpha, const std::vector<std::size_t>& chosen) {
  long double top = s[0], mean = 0;
  for (double v : s) {
    top = std::max<long double>(top, v);
    mean += v;
  }
  std::vector<long double> p(s.size());
  long double z = 0;
  for (std::size_t j = 0; j < s.size(); ++j) z += p[j] = std::exp(static_cast<long double>(alpha) * (s[j] - top));
  long double p2 = 0, h = 0, pmax = 0, mass = 0;
  for (auto& v : p) {
    v /= z;
    p2 += v * v;
    if (v > 0) h -= v * std::log(v);
    pmax = std::max(pmax, v);
  }
  for (auto c : chosen) mass += p[c];
  return {static_cast<double>(p2),   static_cast<double>(h),   static_cast<double>(pmax),
          static_cast<double>(mass), static_cast<double>(top), static_cast<double>(mean / s.size())};
}

void check_close(const SoftmaxStats& a, const SoftmaxStats& b, double rel) {
  CHECK(a.sum_p2 == Approx(b.sum_p2).epsilon(rel));
  CHECK(a.entropy == Approx(b.entropy).epsilon(rel).margin(1e-13));
  CHECK(a.max_p == Approx(b.max_p).epsilon(rel));
  CHECK(a.mass == Approx(b.mass).epsilon(rel).margin(1e-300));
  CHECK(a.max_score == b.max_score);
  CHECK(a.mean_score == Approx(b.mean_score).epsilon(rel).margin(1e-14));
}

std::vector<double> random_row(std::size_t n, std::uint64_t seed, double scale) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, scale);
  std::vector<double> s(n);
  for (auto& v : s) v = normal(rng);
  return s;
}

}  // namespace

TEST_CASE("one row at several scales equals a two-pass long-double softmax") {
  const std::vector<double> alphas{0.01, 0.5, 1, 3, 10, 40};
  for (std::size_t n : {1, 2, 3, 7, 255, 256, 257, 1000, 5000}) {
    // Rising scores make every block raise the running max: the rescaling path.
    auto s = random_row(n, n, 2.0);
    if (n == 1000)
      for (std::size_t j = 0; j < n; ++j) s[j] += 0.01 * static_cast<double>(j);
    const std::vector<std::size_t> chosen{0, n / 2};
    std::vector<SoftmaxStats> out(alphas.size());
    attn::softmax_row_stats(s, alphas, chosen, out);
    for (std::size_t a = 0; a < alphas.size(); ++a) {
      INFO("n = " << n << ", alpha = " << alphas[a]);
      const auto want = naive_stats(s, alphas[a], chosen);  // n = 1: index 0 chosen twice, mass 2
      check_close(out[a], want, 1e-12);
    }
  }
}

TEST_CASE("uniform scores: entropy ln n, sum p^2 = 1/n, max p = 1/n") {
  const std::vector<double> s(1000, 0.3), alphas{2.0};
  std::vector<SoftmaxStats> out(1);
  attn::softmax_row_stats(s, alphas, {}, out);
  CHECK(out[0].entropy == Approx(std::log(1000.0)).epsilon(1e-14));
  CHECK(out[0].sum_p2 == Approx(1e-3).epsilon(1e-14));
  CHECK(out[0].max_p == Approx(1e-3).epsilon(1e-14));
  CHECK(out[0].mass == 0);
}

TEST_CASE("large scales do not overflow: one dominant score gives p = 1") {
  std::vector<double> s{0, 1, 0.5};
  const std::vector<double> alphas{1e4};
  std::vector<SoftmaxStats> out(1);
  const std::vector<std::size_t> chosen{1};
  attn::softmax_row_stats(s, alphas, chosen, out);
  CHECK(out[0].max_p == 1);
  CHECK(out[0].mass == 1);
  CHECK(out[0].entropy == Approx(0).margin(1e-300));
}

TEST_CASE("a generated batch: each row equals the naive softmax of its q.k scores, for both kinds") {
  for (auto kind : {attn::ScoreKind::gaussian, attn::ScoreKind::cosine}) {
    attn::ScoreBatch b{.kind = kind, .d = 7, .n = 600, .queries = 19, .needle_rho = 0.8, .seed = 5, .stream = 3};
    const std::vector<double> alphas{0.3, 2, 9};
    const auto stats = attn::softmax_stats(b, alphas, 2);
    const auto draws = attn::draw_batch(b);
    REQUIRE(stats.size() == b.queries * alphas.size());
    for (std::size_t i = 0; i < b.queries; ++i) {
      std::vector<double> s(b.n);
      for (std::size_t j = 0; j < b.n; ++j) {
        const double* k = j == 0 ? &draws.needle_keys[i * b.d] : &draws.keys[j * b.d];
        long double v = 0;
        for (std::size_t c = 0; c < b.d; ++c) v += static_cast<long double>(draws.queries[i * b.d + c]) * k[c];
        s[j] = static_cast<double>(v);
      }
      for (std::size_t a = 0; a < alphas.size(); ++a) {
        auto want = naive_stats(s, alphas[a], {0});
        const auto& got = stats[i * alphas.size() + a];
        // Scores from a GEMM differ from the long-double dot in the last bits: compare at 1e-10.
        CHECK(got.sum_p2 == Approx(want.sum_p2).epsilon(1e-10));
        CHECK(got.entropy == Approx(want.entropy).epsilon(1e-10).margin(1e-12));
        CHECK(got.mass == Approx(want.mass).epsilon(1e-10));
        CHECK(got.max_score == Approx(want.max_score).epsilon(1e-12));
      }
    }
    if (kind == attn::ScoreKind::cosine)
      for (std::size_t j = 0; j < b.n; ++j) {
        double norm = 0;
        for (std::size_t c = 0; c < b.d; ++c) norm += draws.keys[j * b.d + c] * draws.keys[j * b.d + c];
        REQUIRE(norm == Approx(1).epsilon(1e-14));
      }
  }
}

TEST_CASE("the engine's result does not depend on the thread count") {
  attn::ScoreBatch b{.kind = attn::ScoreKind::cosine, .d = 32, .n = 3000, .queries = 70, .seed = 9};
  const std::vector<double> alphas{1, 30};
  const auto one = attn::softmax_stats(b, alphas, 1);
  const auto two = attn::softmax_stats(b, alphas, 2);
  const auto three = attn::softmax_stats(b, alphas, 3);
  for (std::size_t i = 0; i < one.size(); ++i) {
    REQUIRE(one[i].sum_p2 == two[i].sum_p2);
    REQUIRE(one[i].entropy == three[i].entropy);
    REQUIRE(one[i].max_p == two[i].max_p);
  }
  b.stream = 1;
  CHECK(attn::softmax_stats(b, alphas, 1)[0].sum_p2 != one[0].sum_p2);
}

TEST_CASE("bad batches and scales are input errors") {
  const std::vector<double> ok{1}, zero{0}, negative{-1};
  attn::ScoreBatch b;
  CHECK_THROWS_AS(attn::softmax_stats(b, zero, 1), core::InputError);
  CHECK_THROWS_AS(attn::softmax_stats(b, negative, 1), core::InputError);
  b.d = 0;
  CHECK_THROWS_AS(attn::softmax_stats(b, ok, 1), core::InputError);
  b.d = 128;
  b.n = std::size_t{1} << 40;
  CHECK_THROWS_AS(attn::softmax_stats(b, ok, 1), core::InputError);
  std::vector<SoftmaxStats> out(1);
  const std::vector<double> s{1, 2};
  const std::vector<std::size_t> outside{2};
  CHECK_THROWS_AS(attn::softmax_row_stats(s, ok, outside, out), core::InputError);
}

TEST_CASE("without CUDA, the cuda device is an input error") {
  if (core::built_with_cuda()) return;  // a CUDA build without a device is covered by core::resolve_device
  attn::ScoreBatch b{.n = 10, .queries = 2};
  const std::vector<double> ok{1};
  CHECK_THROWS_AS(attn::softmax_stats(b, ok, 1, core::Device::cuda), core::InputError);
}

TEST_CASE("softmax_rows_stats is softmax_row_stats of each row, whatever the thread count") {
  const std::size_t n = 300, rows = 7;
  std::vector<double> scores(n * rows);
  for (std::size_t i = 0; i < scores.size(); ++i) scores[i] = std::sin(0.37 * static_cast<double>(i));
  const std::vector<double> alphas{0.5, 3};
  const auto one = attn::softmax_rows_stats(scores, n, alphas, 1);
  const auto two = attn::softmax_rows_stats(scores, n, alphas, 2);
  REQUIRE(one.size() == rows * alphas.size());
  for (std::size_t i = 0; i < rows; ++i) {
    std::vector<attn::SoftmaxStats> row(alphas.size());
    attn::softmax_row_stats(std::span(scores).subspan(i * n, n), alphas, {}, row);
    for (std::size_t a = 0; a < alphas.size(); ++a) {
      CHECK(one[i * 2 + a].entropy == row[a].entropy);
      CHECK(one[i * 2 + a].sum_p2 == row[a].sum_p2);
      CHECK(two[i * 2 + a].entropy == row[a].entropy);
    }
  }
  CHECK_THROWS_AS(attn::softmax_rows_stats(scores, 299, alphas, 1), core::InputError);
  CHECK_THROWS_AS(attn::softmax_rows_stats(scores, 0, alphas, 1), core::InputError);
}
