// quanta-scaling allocate (lib/quanta/study.hpp): the compute-optimal N and D of a fitted chinchilla law.
#include <boost/math/tools/minima.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "quanta/fit.hpp"
#include "quanta/study.hpp"

using Catch::Matchers::Contains;

namespace {

// theta = log A, log B, log E, alpha, beta (parameter_names' order).
std::vector<double> theta_of(double e, double a, double b, double alpha, double beta) {
  return {std::log(a), std::log(b), std::log(e), alpha, beta};
}

// Losses of the law itself (no noise) on a 6 x 6 grid of N and D, as a CSV with a tokens column; `fit` reads
// it, every run kept.
void use_exact_runs(quanta::FitConfig& fit, const std::vector<double>& theta, const std::string& path) {
  std::ofstream f(path);
  f << "loss,Model Size,Training FLOP,tokens\n";
  for (double n = 1e7; n <= 1.1e10; n *= 4)
    for (double d = 1e9; d <= 1.1e12; d *= 4)
      f << quanta::law_loss(quanta::LawForm::chinchilla, theta, n, d) << "," << n << "," << 6 * n * d << "," << d
        << "\n";
  fit.csv_path = path;
  fit.columns.tokens = "tokens";
  fit.exclude = 0;
}

}  // namespace

TEST_CASE("optimal_params is the minimum of the law along C = 6 N D (Brent's method, Boost.Math)") {
  // An independent method: minimise L(N, C/(6N)) over log N numerically; Brent's minimum is located to
  // about the square root of the double epsilon in log N, hence the 1e-6 relative tolerance.
  for (const auto& theta : {theta_of(1.69, 406.4, 410.7, 0.34, 0.28), theta_of(1.82, 482, 2085, 0.35, 0.37),
                            theta_of(0.5, 10, 3000, 0.1, 0.9), theta_of(2, 1e4, 5, 0.7, 0.05)})
    for (double compute = 1e18; compute <= 1e28; compute *= 100) {
      const auto loss = [&](double log_n) {
        const double n = std::exp(log_n);
        return quanta::law_loss(quanta::LawForm::chinchilla, theta, n, compute / (6 * n));
      };
      const auto [log_n, l] = boost::math::tools::brent_find_minima(loss, 0.0, std::log(compute / 6), 52);
      INFO("alpha " << theta[3] << " beta " << theta[4] << " C " << compute);
      CHECK(quanta::optimal_params(theta, compute) == Approx(std::exp(log_n)).epsilon(1e-6));
      CHECK(loss(std::log(quanta::optimal_params(theta, compute))) <= l + 1e-15 * l);
    }
}

TEST_CASE("allocate_study on runs drawn exactly from a known law recovers its optimal allocation") {
  const auto truth = theta_of(1.69, 406.4, 410.7, 0.34, 0.28);
  quanta::AllocateConfig c;
  use_exact_runs(c.fit, truth, "quanta_allocate_exact.csv");
  c.fit.settings.bootstrap = 10;
  c.computes = {1e19, quanta::chinchilla_compute, 1e24, 1e27};
  std::size_t ticks = 0;
  const auto s = quanta::allocate_study(c, [&] { ++ticks; });
  CHECK(ticks == quanta::allocate_steps(c));
  CHECK(s.rows_read == 36);
  CHECK(s.a_N.value == Approx(0.28 / (0.34 + 0.28)).epsilon(1e-4));
  REQUIRE(s.rows.size() == c.computes.size());
  for (std::size_t i = 0; i < s.rows.size(); ++i) {
    const auto& r = s.rows[i];
    INFO("C = " << r.compute);
    CHECK(r.compute == c.computes[i]);
    CHECK(6 * r.n_opt.value * r.d_opt.value == Approx(r.compute).epsilon(1e-14));
    CHECK(r.tokens_per_param.value == Approx(r.d_opt.value / r.n_opt.value).epsilon(1e-14));
    // The fit recovers the law to its gradient tolerance: N_opt within 1e-3 even extrapolated to 10^27, and
    // the loss there (the fitted law's, against the true one) within 1e-5 (measured: 2.6e-6 at most).
    CHECK(r.n_opt.value == Approx(quanta::optimal_params(truth, r.compute)).epsilon(1e-3));
    CHECK(r.loss ==
          Approx(quanta::law_loss(quanta::LawForm::chinchilla, truth, r.n_opt.value, r.d_opt.value)).epsilon(1e-5));
    for (const auto* e : {&r.n_opt, &r.d_opt, &r.tokens_per_param}) {
      CHECK(std::isfinite(e->lo95));
      CHECK(e->lo95 <= e->hi95);
    }
  }
  std::remove(c.fit.csv_path.c_str());
}

TEST_CASE("allocate at 10^24 FLOP is fit's N_opt_C1e24 and D_opt_C1e24, interval and all") {
  const auto truth = theta_of(1.82, 482, 2085, 0.35, 0.37);
  quanta::AllocateConfig c;
  use_exact_runs(c.fit, truth, "quanta_allocate_vs_fit.csv");
  c.fit.settings.bootstrap = 8;
  c.computes = {quanta::report_compute};
  const auto a = quanta::allocate_study(c);
  const auto f = quanta::fit_study(c.fit);
  for (const auto& [name, e] : {std::pair{"N_opt_C1e24", a.rows[0].n_opt}, std::pair{"D_opt_C1e24", a.rows[0].d_opt},
                                std::pair{"tokens_per_param_C1e24", a.rows[0].tokens_per_param}}) {
    INFO(name);
    const auto& g = quanta::find_estimate(f.estimates, name);
    CHECK(e.value == g.value);
    CHECK(e.se == g.se);
    CHECK(e.lo95 == g.lo95);
    CHECK(e.hi95 == g.hi95);
  }
  std::remove(c.fit.csv_path.c_str());
}

TEST_CASE("allocate needs the chinchilla form") {
  quanta::AllocateConfig c;
  c.fit.settings.form = quanta::LawForm::power;
  CHECK_THROWS_AS(quanta::check_chinchilla(c.fit, "allocate"), core::InputError);
  CHECK_THROWS_WITH(quanta::allocate_study(c), Contains("--form"));
}

TEST_CASE("synthetic_draw: the law itself at sigma 0, log-normal noise of sd sigma, a stream per draw") {
  quanta::SyntheticConfig c;
  const auto grid = quanta::fit_observations(c.fit);
  const auto theta = c.theta();
  c.sigma = 0;
  const auto exact = quanta::synthetic_draw(c, grid, 0);
  for (std::size_t i = 0; i < grid.size(); ++i)
    CHECK(exact.loss[i] == quanta::law_loss(quanta::LawForm::chinchilla, theta, grid.n[i], grid.d[i]));
  c.sigma = 0.05;
  const auto a = quanta::synthetic_draw(c, grid, 3), b = quanta::synthetic_draw(c, grid, 3),
             other = quanta::synthetic_draw(c, grid, 4);
  CHECK(a.loss == b.loss);
  CHECK(a.loss != other.loss);
  double mean = 0, square = 0;
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const double r = std::log(a.loss[i] / exact.loss[i]);
    mean += r / static_cast<double>(grid.size());
    square += r * r / static_cast<double>(grid.size());
  }
  // 245 standard normals times sigma: the mean within 4 standard errors, the sd within 20% (4 se of an sd).
  CHECK(std::abs(mean) < 4 * 0.05 / std::sqrt(245.0));
  CHECK(std::sqrt(square - mean * mean) == Approx(0.05).epsilon(0.2));
}

TEST_CASE("synthetic_study without noise recovers the law, counts its steps, and needs the chinchilla form") {
  quanta::SyntheticConfig c;
  use_exact_runs(c.fit, theta_of(1, 1, 1, 1, 1), "quanta_synthetic_grid.csv");  // only its N and D are used
  c.sigma = 0;
  c.draws = 2;
  c.fit.settings.bootstrap = 4;
  std::size_t ticks = 0;
  const auto s = quanta::synthetic_study(c, [&] { ++ticks; });
  CHECK(ticks == quanta::synthetic_steps(c));
  CHECK(s.runs == 36);
  REQUIRE(s.rows.size() == 6);
  for (const auto& r : s.rows) {
    INFO(r.parameter);
    CHECK(r.draws == 2);
    CHECK(std::abs(r.bias) <= 1e-3 * r.truth);  // the fit's own tolerance on exact data
    CHECK(r.rmse <= 1e-3 * r.truth);
    CHECK(std::isfinite(r.coverage));
  }
  CHECK(s.rows[0].truth == Approx(c.e).epsilon(1e-15));
  c.fit.settings.bootstrap = 0;
  c.draws = 1;
  for (const auto& r : quanta::synthetic_study(c).rows) CHECK(std::isnan(r.coverage));
  c.fit.settings.form = quanta::LawForm::power0;
  CHECK_THROWS_WITH(quanta::synthetic_study(c), Contains("--form"));
  std::remove(c.fit.csv_path.c_str());
}

TEST_CASE("loss scale: the summed objective is n times the averaged one, the per-run Huber sum, at every theta") {
  quanta::LossScaleConfig c;
  const auto data = quanta::exclude_highest_loss(quanta::fit_observations(c.fit), 5);
  const double delta = c.fit.settings.delta, n = static_cast<double>(data.size());
  const quanta::HuberLogObjective f(quanta::LawForm::chinchilla, data, delta);
  CHECK(quanta::loss_scale_factor(quanta::LossScale::summed, data.size()) == n);
  CHECK(quanta::loss_scale_factor(quanta::LossScale::averaged, data.size()) == 1.0);
  for (const std::vector<double>& theta :
       {std::vector<double>{6.17, 7.67, 0.6, 0.35, 0.37}, std::vector<double>{0, 5, -1, 0.5, 1},
        std::vector<double>{25, 25, 1, 2, 0}}) {
    double sum = 0;
    for (std::size_t i = 0; i < data.size(); ++i) {
      const double r = std::abs(f.log_prediction(theta, i) - std::log(data.loss[i]));
      sum += (r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta)) / delta;
    }
    CHECK(n * f.value(theta) == Approx(sum).epsilon(1e-10));
    // minimize_scaled stopped at once reports the objective in its own scale.
    quanta::MinimizerSettings one{.max_iterations = 1};
    const auto summed = quanta::minimize_scaled(f, n, theta, quanta::StoppingRule::bfgs, one);
    const auto averaged = quanta::minimize_scaled(f, 1.0, theta, quanta::StoppingRule::bfgs, one);
    CHECK(summed.objective == Approx(n * averaged.objective).epsilon(1e-9));
  }
}

TEST_CASE(
    "loss scale: with L-BFGS-B's stopping rule the averaged loss stops early at least as often on the real data") {
  quanta::LossScaleConfig c;
  c.grid_stride = 9;  // 500 of the 4500 starts
  c.fit.settings.threads = 2;
  const auto s = quanta::loss_scale_study(c);
  REQUIRE(s.rows_.size() == 4);
  const auto& avg = s.row(quanta::LossScale::averaged, quanta::StoppingRule::lbfgsb);
  const auto& sum = s.row(quanta::LossScale::summed, quanta::StoppingRule::lbfgsb);
  CHECK(avg.starts == 500);
  CHECK(avg.early >= sum.early);
  CHECK(avg.early > 0);
  // Stopping early leaves the averaged fit's best start further from the best objective.
  CHECK(avg.relative_gap >= sum.relative_gap);
  for (const auto& r : s.rows_) CHECK(r.relative_gap >= 0);
}

TEST_CASE("loss scale: with tight tolerances both scales reach the same optimum") {
  quanta::LossScaleConfig c;
  const auto data = quanta::exclude_highest_loss(quanta::fit_observations(c.fit), 5);
  const quanta::HuberLogObjective f(quanta::LawForm::chinchilla, data, c.fit.settings.delta);
  const double n = static_cast<double>(data.size());
  const std::vector<double> start{6, 7.5, 0.5, 0.3, 0.4};
  const quanta::MinimizerSettings tight{.max_iterations = 5000, .gradient_tolerance = 1e-9};
  const quanta::LbfgsbStopping strict{.pgtol = 1e-12, .factr = 1};
  for (const auto rule : quanta::stopping_rules) {
    const auto summed = quanta::minimize_scaled(f, n, start, rule, tight, strict);
    const auto averaged = quanta::minimize_scaled(f, 1.0, start, rule, tight, strict);
    CHECK(summed.objective == Approx(n * averaged.objective).epsilon(1e-8));
    for (std::size_t j = 0; j < 5; ++j) CHECK(summed.theta[j] == Approx(averaged.theta[j]).margin(1e-4));
  }
}
