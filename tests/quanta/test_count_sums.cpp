// The data axis's expectations against direct sums over every quantum in long double, with frequencies
// normalised by summing k^-(g+1) itself and, for tau <= 60, Q and P as the Poisson sums themselves
// (Q = sum_{j<tau} e^-lambda lambda^j / j!, P = sum_{j>=tau} ..., each term from its logarithm): a second
// algorithm, not the incomplete gamma functions the library calls; above 60, Boost's gamma_q and gamma_p in
// long double (the library uses their double versions). The stated accuracy (docs/quanta-scaling.md, "Accuracy"): 1e-12
// relative, plus the conditioning of the sum itself, 1e-14 D p_K (a relative error e in p_K moves Q(tau, D p_K) by
// about e D p_K of itself; where D p_K > 100 the loss is below 1e-40 and mostly below 1e-300).
#include <gsl/gsl_sf_zeta.h>

#include <boost/math/special_functions/binomial.hpp>
#include <boost/math/special_functions/factorials.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <utility>

#include "quanta/count_sums.hpp"
#include "quanta/simulate.hpp"

using namespace quanta;

namespace {

// Q(tau, lambda) and P(tau, lambda) = P(Poisson(lambda) < tau) and >= tau.
std::pair<long double, long double> poisson_tails(unsigned tau, long double lambda) {
  if (tau > 60) {
    return {boost::math::gamma_q(static_cast<long double>(tau), lambda),
            boost::math::gamma_p(static_cast<long double>(tau), lambda)};
  }
  if (lambda == 0) return {1.0L, 0.0L};
  auto pmf = [&](unsigned j) { return std::exp(j * std::log(lambda) - lambda - std::lgamma(j + 1.0L)); };
  long double q = 0;
  for (unsigned j = 0; j < tau; ++j) q += pmf(j);
  if (lambda >= tau) return {q, 1 - q};
  long double p = 0;
  for (unsigned j = tau;; ++j) {
    const long double t = pmf(j);
    p += t;
    if (t <= 1e-22L * p || t == 0) break;
  }
  return {q, p};
}

struct Direct {
  long double missed = 0, learned = 0, log_all = 0;
  double rarest = 0;  // D p_K
};

Direct direct_sums(double g, double quanta, unsigned tau, double samples) {
  const long double s = g + 1;
  long double norm = 0;
  for (double k = quanta; k >= 1; --k) norm += std::pow(static_cast<long double>(k), -s);
  Direct out;
  for (double k = quanta; k >= 1; --k) {
    const long double p = std::pow(static_cast<long double>(k), -s) / norm, lambda = samples * p;
    const auto [q, pl] = poisson_tails(tau, lambda);
    out.missed += p * q;
    out.learned += pl;
    out.log_all += q < 0.5L ? std::log1p(-q) : std::log(pl);
  }
  out.rarest = static_cast<double>(samples * std::pow(static_cast<long double>(quanta), -s) / norm);
  return out;
}

double tolerance(double rarest) {
  return 1e-12 + 1e-14 * rarest;
}

// ours against the direct sum, relative; values below 1e-290 (denormal or underflowed in double) must
// both be below 1e-290.
void check_close(const char* what, double ours, long double exact, double tol) {
  INFO(what << ": ours " << ours << ", direct " << static_cast<double>(exact));
  if (std::abs(exact) < 1e-290L) {
    CHECK(std::abs(ours) < 1e-290);
    return;
  }
  CHECK(std::abs(ours - static_cast<double>(exact)) <= tol * std::abs(static_cast<double>(exact)));
}

void check_point(double g, double quanta, unsigned tau, double samples) {
  const CountSums sums({g, quanta}, tau);
  const auto d = direct_sums(g, quanta, tau, samples);
  const double tol = tolerance(d.rarest);
  INFO("g = " << g << ", K = " << quanta << ", tau = " << tau << ", D = " << samples << ", D p_K = " << d.rarest);
  check_close("missed mass", sums.missed_mass(samples), d.missed, tol);
  check_close("learned count", sums.learned_count(samples), d.learned, tol);
  const double log_all = sums.log_all_learned(samples);
  if (std::isinf(log_all)) {
    // P underflows in double for some quantum (not in long double): P(all learned) is 0 in both.
    CHECK(d.log_all < -700);
  } else {
    check_close("log P(all learned)", log_all, d.log_all, tol);
  }
}

}  // namespace

TEST_CASE("issue 17: emergence --axis data --gamma 0.81 --quanta 2500 --tau 2 agrees with a direct sum at every D") {
  // Before: the loss 8e-4 off at D = 2.4e7 and 2.5e-3 at 4.1e7, P(all learned) 2.8e-3 at 1.4e7 (blocks).
  EmergenceConfig c;
  c.axis = Axis::data;
  c.gamma = 0.81;
  c.quanta = 2500;
  c.tau = 2;
  c.losses = {0, 1};
  c.from = 300;
  c.to = 3e9;
  c.points = 31;
  const auto r = emergence(c);
  REQUIRE(r.rows.size() == 31);
  for (const auto& row : r.rows) {
    const auto d = direct_sums(c.gamma, c.quanta, c.tau, row.x);
    const double tol = tolerance(d.rarest);
    INFO("D = " << row.x << ", D p_K = " << d.rarest);
    check_close("loss", row.loss, d.missed, tol);
    check_close("learned", row.learned, d.learned, tol);
    check_close("p_all_learned", row.p_all_learned, std::exp(d.log_all), tol * std::max(1.0L, -d.log_all));
  }
}

TEST_CASE("simulate --axis data --quanta 2500: the loss_expected column agrees with a direct sum") {
  SimulationConfig c;
  c.axis = Axis::data;
  c.quanta = 2500;
  c.points = 13;
  c.seeds = 2;
  c.tau = 2;
  c.from = 1e3;
  c.to = 1e12;
  c.losses = {0.5, 2.5};
  const auto r = simulate_scaling(c, [] {});
  for (const auto& row : r.rows) {
    const auto d = direct_sums(row.gamma, c.quanta, c.tau, row.samples);
    INFO("g = " << row.gamma << ", D = " << row.samples);
    check_close("(L - a) / (b - a)", (row.loss_expected - 0.5) / 2, d.missed, tolerance(d.rarest) + 1e-15 / d.missed);
  }
}

TEST_CASE("the expectations agree with direct sums over g, K, tau and D, from nothing learned to everything") {
  // Edges: one and two quanta, K = 199 and 200 (the first block of the old scheme), tau = 1 and large,
  // g small (slow decay: many quanta matter) and large (only the first few do).
  for (double g : {0.02, 0.3, 0.81, 2.0, 9.0})
    for (double quanta : {1.0, 2.0, 199.0, 200.0, 3000.0})
      for (unsigned tau : {1u, 2u, 7u, 400u}) {
        // D from where quantum 1 is barely seen to where the rarest is seen 1500 times past tau.
        const Zipf z{g, quanta};
        const double p1 = zipf_probability(z, 1), pk = zipf_probability(z, quanta);
        for (double samples : {1e-3 * tau / p1, 0.3 * tau / p1, tau / pk, (tau + 3 * std::sqrt(tau) + 5) / pk,
                               (tau + 60.0) / pk, (tau + 600.0) / pk})
          check_point(g, quanta, tau, samples);
      }
}

TEST_CASE("the expectations agree with direct sums at random points of the option domain") {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> u(0, 1);
  for (int i = 0; i < 60; ++i) {
    const double g = std::exp(std::log(0.01) + u(rng) * std::log(20 / 0.01));
    const double quanta = std::round(std::exp(u(rng) * std::log(4000.0)));
    const auto tau = static_cast<unsigned>(std::round(std::exp(u(rng) * std::log(3000.0))));
    const Zipf z{g, quanta};
    const double lo = 1e-2 * tau / zipf_probability(z, 1),
                 hi = (tau + 300.0 + 20 * std::sqrt(tau)) / zipf_probability(z, quanta);
    const double samples = std::exp(std::log(lo) + u(rng) * (std::log(hi) - std::log(lo)));
    check_point(g, quanta, tau, samples);
  }
}

TEST_CASE("the expectations agree with direct sums for K = 2 10^5, tau = 10^4 and tau = 10^6") {
  for (double samples : {3e5, 3e7, 1e9, 3e9}) check_point(0.5, 2e5, 3, samples);
  for (double samples : {1e5, 3e7, 1.2e9}) check_point(1.0, 3e4, 10000, samples);
  // tau = 10^6 (the option's largest): D where quantum 1, then the rarest, crosses tau.
  const Zipf z{0.5, 300};
  const double p1 = zipf_probability(z, 1), pk = zipf_probability(z, 300);
  for (double samples : {0.99e6 / p1, 1e6 / p1, 1.001e6 / pk, 1.004e6 / pk}) check_point(0.5, 300, 1000000, samples);
}

TEST_CASE("with K unlimited the missed mass agrees with a direct sum plus the tail's series in D p") {
  // sum_{k <= N} p_k Q_k directly, and for k > N, Q = 1 - sum_n c_n lambda^n with lambda = D p_k < 1e-2,
  // c_n = sum_{j=tau}^{n} (-1)^(n-j) / (j! (n-j)!), whose sums over k are Hurwitz zeta values.
  const double n_direct = 1e5;
  for (double g : {0.3, 0.81, 2.0})
    for (unsigned tau : {1u, 2u, 3u}) {
      const double s = g + 1, zeta = gsl_sf_zeta(s);
      const double pn = std::pow(n_direct, -s) / zeta;
      for (double fraction : {1e-6, 1e-3, 1.0}) {
        const double samples = fraction * 1e-2 / pn;  // lambda_N = 1e-2 at fraction 1
        long double sum = 0;
        for (double k = n_direct; k >= 1; --k) {
          const long double p = std::pow(static_cast<long double>(k), -s) / zeta;
          sum += p * poisson_tails(tau, samples * p).first;
        }
        sum += gsl_sf_hzeta(s, n_direct + 1) / zeta;
        for (unsigned n = tau; n < tau + 12; ++n) {
          long double c = 0;
          for (unsigned j = tau; j <= n; ++j)
            c += ((n - j) % 2 ? -1.0L : 1.0L) /
                 (boost::math::factorial<long double>(j) * boost::math::factorial<long double>(n - j));
          sum -= c * std::pow(static_cast<long double>(samples), n) * gsl_sf_hzeta((n + 1) * s, n_direct + 1) /
                 std::pow(static_cast<long double>(zeta), n + 1);
        }
        INFO("g = " << g << ", tau = " << tau << ", D = " << samples);
        check_close("missed mass", CountSums({g}, tau).missed_mass(samples), sum, 1e-12);
      }
    }
}

TEST_CASE("the loss falls to the floor and P(all learned) rises to 1 as D grows, D = 0 learns nothing") {
  const CountSums sums({0.81, 2500}, 2);
  CHECK(sums.missed_mass(0) == 1);
  CHECK(sums.learned_count(0) == 0);
  CHECK(sums.log_all_learned(0) == -INFINITY);
  double missed = 2, log_all = -INFINITY, learned = -1;
  for (double d = 1; d < 1e12; d *= 1.7) {
    const double m = sums.missed_mass(d), l = sums.learned_count(d), a = sums.log_all_learned(d);
    INFO("D = " << d);
    CHECK(m <= missed);
    CHECK(l >= learned);
    CHECK(a >= log_all);
    CHECK(a <= 0);
    CHECK(l <= 2500);
    missed = m;
    learned = l;
    log_all = a;
  }
  CHECK(missed == 0);
  CHECK(learned == 2500);
  CHECK(log_all == 0);
}

TEST_CASE("emergence --axis data with tau = 10^6: finite rows and a median D at which P(all learned) is 1/2") {
  // Before: GSL's incomplete gamma aborted the process ("error in large x asymptotic"); P(all learned)
  // jumps from underflow to 1 within a factor 2 of D, where log P = -inf made the root nan.
  EmergenceConfig c;
  c.axis = Axis::data;
  c.gamma = 0.5;
  c.quanta = 3000;
  c.tau = 1000000;
  c.from = 1e9;
  c.to = 1e12;
  c.points = 5;
  const auto r = emergence(c);
  for (const auto& row : r.rows) {
    CHECK(std::isfinite(row.loss));
    CHECK(std::isfinite(row.learned));
    CHECK(std::isfinite(row.p_all_learned));
  }
  REQUIRE(std::isfinite(r.reached));
  CHECK(std::exp(CountSums({c.gamma, c.quanta}, c.tau).log_all_learned(r.reached)) == Approx(0.5).epsilon(1e-6));
}

TEST_CASE("K = 10^15 against K unlimited: the finite sum's Gregory path and the unlimited split agree") {
  // With g >= 1.5 the frequencies beyond 10^15 weigh at most 3e-23; the two sums may differ by 3 times
  // that mass (the tail itself and the renormalisation of p_k), and by 1e-12 of the sum.
  for (double g : {1.5, 2.0, 4.0})
    for (unsigned tau : {1u, 3u, 50u})
      for (double samples = 1e2; samples <= 1e24; samples *= 31.6) {
        const double finite = CountSums({g, 1e15}, tau).missed_mass(samples);
        const double infinite = CountSums({g}, tau).missed_mass(samples);
        const double tail = zipf_mass({g}, 1e15 + 1, unlimited);
        INFO("g = " << g << ", tau = " << tau << ", D = " << samples << ": " << finite << " against " << infinite);
        CHECK(std::abs(finite - infinite) <= 1e-12 * infinite + 3 * tail);
      }
}
