#include <boost/math/distributions/chi_squared.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.hpp"
#include "jl/projection.hpp"

TEST_CASE("8.33 ln N gives the published 52, 96 and 128 dimensions") {
  CHECK(std::abs(jl::entropy_dimension(512) - 52) < 0.5);
  CHECK(std::abs(jl::entropy_dimension(1e5) - 96) < 0.5);
  CHECK(std::abs(jl::entropy_dimension(5e6) - 128) < 0.5);
  CHECK(jl::log512_factor(512) == Approx(1));
}

TEST_CASE("one pair's projected distortion follows the chi-squared law (Pearson test at significance 0.001)") {
  // n‖Ad‖²/‖d‖² is χ²_n for every fixed d; 2000 independent A, 10 equiprobable bins, statistic vs χ²_9.
  const unsigned n = 16;
  const jl::Points x = jl::gaussian_points(2, 8, 7, 0);
  const Eigen::MatrixXd d2 = jl::squared_distances(x);
  const boost::math::chi_squared law(n);
  const int bins = 10, draws = 2000;
  std::vector<int> counts(bins, 0);
  for (int t = 0; t < draws; ++t) {
    const auto a = jl::gaussian_projection(n, 8, 7, t + 1);
    const Eigen::MatrixXd y = a * x;
    const double ratio = (y.col(0) - y.col(1)).squaredNorm() / d2(1, 0);
    const int bin = std::min(bins - 1, static_cast<int>(boost::math::cdf(law, n * ratio) * bins));
    ++counts[bin];
  }
  double pearson = 0;
  for (int c : counts) pearson += (c - draws / bins) * (c - draws / bins) / (draws / double(bins));
  CHECK(pearson < boost::math::quantile(boost::math::chi_squared(bins - 1), 0.999));
}

TEST_CASE("pair distortions from the Gram matrices equal the direct computation") {
  const jl::Points x = jl::gaussian_points(6, 20, 3, 0);
  const auto a = jl::gaussian_projection(5, 20, 3, 1);
  const auto d = jl::pair_distortions(x, jl::squared_distances(x), a);
  std::size_t k = 0;
  for (int j = 0; j < 6; ++j)
    for (int i = j + 1; i < 6; ++i, ++k) {
      const double direct = (a * (x.col(i) - x.col(j))).squaredNorm() / (x.col(i) - x.col(j)).squaredNorm();
      CHECK(d[k] == Approx(std::abs(direct - 1)).margin(1e-12));
    }
}

TEST_CASE("the chi-squared distortion quantile inverts the law") {
  const boost::math::chi_squared law(32);
  const double t = jl::chi2_distortion_quantile(32, 0.9);
  CHECK(boost::math::cdf(law, 32 * (1 + t)) - boost::math::cdf(law, 32 * (1 - t)) == Approx(0.9).epsilon(1e-12));
}

TEST_CASE("the empirical minimum dimension is far below 24 ln N/eps^2 and independent of threads") {
  jl::MinDimConfig c;
  c.points = {10, 60};
  c.dim = 64;
  c.trials = 10;
  const auto one = jl::min_dimension(c);
  c.threads = 2;
  const auto two = jl::min_dimension(c);
  REQUIRE(one.rows.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& r = one.rows[i];
    CHECK(r.n_min == two.rows[i].n_min);
    CHECK(r.n_min < r.jl24 / 2);
    CHECK(r.success_at_min >= 0.9);
    CHECK(r.success_below < 0.9);
  }
  CHECK(one.c == two.c);
  CHECK(one.c > 0);
}

TEST_CASE("a vector CSV needs numbers, two points and no duplicates, memory is checked") {
  const auto ok = core::parse_csv("x,y\n0,1\n1,0\n2,2\n", "t");
  CHECK(jl::points_from_table(ok, "t").cols() == 3);
  CHECK_THROWS_AS(jl::points_from_table(core::parse_csv("x,y\n0,1\n", "t"), "t"), core::InputError);
  CHECK_THROWS_AS(jl::points_from_table(core::parse_csv("x,y\n0,1\n0,1\n", "t"), "t"), core::InputError);
  CHECK_THROWS_AS(jl::points_from_table(core::parse_csv("x,y\n0,1\n0,z\n", "t"), "t"), core::InputError);
  CHECK_THROWS_AS(jl::check_projection_fits(std::size_t{1} << 24, 1000, 100), core::InputError);
  CHECK_NOTHROW(jl::check_projection_fits(1000, 1000, 100));
}
