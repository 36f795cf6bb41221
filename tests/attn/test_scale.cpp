// The optimal softmax scale: the cosine moment, the published fits, and the exact Monte Carlo objective.
#include <boost/math/special_functions/bessel.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "attn/scale.hpp"
#include "attn/study.hpp"

using attn::ScoreModel;

TEST_CASE("the cosine moment equals Gamma(d/2) (2/a)^(d/2-1) I_(d/2-1)(a) and sinh(a)/a for d = 3") {
  for (std::size_t d : {2, 3, 16, 128}) {
    const double nu = static_cast<double>(d) / 2 - 1;
    for (double a : {0.1, 1.0, 7.0, 40.0, 300.0}) {
      INFO("d = " << d << ", alpha = " << a);
      const double direct =
          boost::math::lgamma(nu + 1) + nu * std::log(2 / a) + std::log(boost::math::cyl_bessel_i(nu, a));
      CHECK(attn::log_cosine_mgf(a, d) == Approx(direct).epsilon(1e-11).margin(1e-13));
    }
  }
  CHECK(attn::log_cosine_mgf(5, 3) == Approx(std::log(std::sinh(5.0) / 5)).epsilon(1e-13));
}

TEST_CASE("the scaled moment neither overflows at large alpha nor underflows at large d") {
  const double big = attn::log_cosine_mgf(3000, 128);  // e^3000 overflows a double
  CHECK(std::isfinite(big));
  CHECK(big == Approx(3000 - 63.5 * std::log(3000.0) + boost::math::lgamma(64.0) + 63 * std::log(2.0) -
                      0.5 * std::log(2 * M_PI / 3000.0) - 0.5 * std::log(3000.0))
                   .epsilon(1e-3));
  // I_2047(30) underflows; the moment is the series sum_k (a^2/4)^k / (k! (d/2)_k).
  long double term = 1, sum = 1;
  for (int k = 0; k < 60; ++k) sum += term *= 225.0L / ((k + 1) * (2048.0L + k));
  CHECK(attn::log_cosine_mgf(30, 4096) == Approx(static_cast<double>(std::log(sum))).epsilon(1e-12));
  // Past alpha = 600 the exponentially scaled Bessel function (GSL) takes over; at 650 both are finite.
  const double nu = 63, a = 650;
  const double direct = boost::math::lgamma(nu + 1) + nu * std::log(2 / a) + std::log(boost::math::cyl_bessel_i(nu, a));
  CHECK(attn::log_cosine_mgf(a, 128) == Approx(direct).epsilon(1e-12));
}

TEST_CASE("large d at large alpha, where e^-alpha I_nu(alpha) underflows a double: 50-digit Bessel I agrees") {
  // attn-sweep scale --d 65536 used to exit 1 here (GSL's scaled Bessel I underflows for nu >> alpha,
  // already at d = 8192); the library routes and the log-space series meet here.
  using big = boost::multiprecision::cpp_bin_float_50;
  for (std::size_t d : {128, 1024, 8192, 65536})
    for (double a : {650.0, 1024.0, 5000.0, 40000.0}) {
      const big nu = big(d) / 2 - 1, x = a;
      const big direct = boost::math::lgamma(nu + 1) + nu * log(2 / x) + log(boost::math::cyl_bessel_i(nu, x));
      INFO("d = " << d << ", alpha = " << a);
      CHECK(attn::log_cosine_mgf(a, d) == Approx(static_cast<double>(direct)).epsilon(1e-12).margin(1e-12));
    }
}

TEST_CASE("c1 = 0.84 and c2 = 3.5 from the approximation over n = 40 .. 20000, to the printed digits") {
  attn::ScaleConfig full{.mc_every = 0};
  const auto study = attn::scale_study(full, [] {});
  // Published to two digits: half a unit of the last printed digit.
  CHECK(std::abs(study.fits[0].approx.c - 0.84) <= 0.005);
  CHECK(std::abs(study.fits[1].approx.c - 3.5) <= 0.05);
  // A grid of every 10th n gives the same printed digits.
  attn::ScaleConfig reduced{.n_step = 400, .n_count = 50, .mc_every = 0};
  const auto r = attn::scale_study(reduced, [] {});
  CHECK(std::round(r.fits[0].approx.c * 100) == std::round(study.fits[0].approx.c * 100));
  CHECK(std::round(r.fits[1].approx.c * 10) == std::round(study.fits[1].approx.c * 10));
  // Published ranges: alpha* in about 2 .. 3 (normal) and 25 .. 35 (cosine) -- the upper ends hold.
  CHECK(study.rows[499].approx.alpha == Approx(2.678).epsilon(1e-3));
  CHECK(study.rows[999].approx.alpha == Approx(33.68).epsilon(1e-3));
}

TEST_CASE("the normal optimum solves e^(a^2) (1 + 2 a^2) = n") {
  for (double n : {40.0, 1000.0, 20000.0}) {
    const double a = attn::approx_optimal_scale(ScoreModel::normal, n, 128).alpha;
    CHECK(std::exp(a * a) * (1 + 2 * a * a) == Approx(n).epsilon(1e-6));
  }
}

TEST_CASE("Monte Carlo sum p^2 agrees with the approximation at small alpha and falls below it at alpha*") {
  for (auto model : {ScoreModel::normal, ScoreModel::cosine}) {
    const std::size_t n = 400;
    const double a0 = attn::approx_optimal_scale(model, n, 128).alpha;
    const attn::McScaleSettings s{.rows = 200, .seed = 3, .stream = 1, .threads = 2};
    const auto c = attn::mc_scale_curve(model, n, 128, a0, s);
    REQUIRE(c.alphas[attn::mc_guess_index] == Approx(a0).epsilon(1e-12));
    // At alpha*/4 the mean-field estimate is accurate: within 4 standard errors.
    const double se0 = c.gradient_se[0] / c.alphas[0];
    CHECK(std::abs(c.sum_p2[0] - attn::approx_sum_p2(model, c.alphas[0], n, 128)) <= 4 * se0);
    // At alpha* it overestimates sum p^2 (the finding): far beyond the error bars.
    const std::size_t k = attn::mc_guess_index;
    const double sek = c.gradient_se[k] / c.alphas[k];
    CHECK(attn::approx_sum_p2(model, a0, n, 128) - c.sum_p2[k] > 10 * sek);
    // And the exact objective keeps rising past alpha*.
    CHECK(c.alpha_95 > 1.5 * a0);
  }
}

TEST_CASE("the Monte Carlo curve does not depend on the thread count") {
  for (auto model : {ScoreModel::normal, ScoreModel::cosine}) {
    attn::McScaleSettings s{.rows = 40, .groups = 4, .seed = 5, .stream = 7, .threads = 1};
    const auto one = attn::mc_scale_curve(model, 300, 16, 3.0, s);
    s.threads = 2;
    const auto two = attn::mc_scale_curve(model, 300, 16, 3.0, s);
    CHECK(one.gradient == two.gradient);
    CHECK(one.alpha_max == two.alpha_max);
    CHECK(one.alpha_95_se == two.alpha_95_se);
  }
}

TEST_CASE("fit through the origin recovers an exact slope") {
  const std::vector<double> x{1, 2, 3}, y{2.5, 5, 7.5};
  const auto f = attn::fit_through_origin(x, y);
  CHECK(f.c == Approx(2.5));
  CHECK(f.c_se == Approx(0).margin(1e-12));
}
