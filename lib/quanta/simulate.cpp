#include "quanta/simulate.hpp"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_statistics_double.h>

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/roots.hpp>
#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "core/sweep.hpp"

namespace quanta {

namespace {

// For the Monte Carlo draws only: quanta 1..100 one by one, then blocks of floor(k/100), within which the
// frequencies differ by at most 1%; the misses of a block are drawn at its mean frequency. That errs in the
// realisations' mean at second order in the spread of Q over the block: about 1e-4 relative where the loss
// comes from quanta with D p ~ tau, but 1e-3 where a finite K leaves only quanta with D p >> tau (Q falls
// by exp(-D p 0.01 (g + 1)) across a block). The expectations do not use the blocks (CountSums).
constexpr double block_spread = 0.01;
// Below this expected count a quantum is "unreachable": P(learned) <= D p < 1e-10, so counting every such
// quantum as missing changes the loss by less than 1e-10 of itself.
constexpr double unreachable_count = 1e-10;

}  // namespace

std::string_view to_string(Axis a) {
  switch (a) {
    case Axis::params: return "params";
    case Axis::data: return "data";
    case Axis::steps: return "steps";
  }
  return "?";
}

DataModel::DataModel(const Zipf& z, unsigned tau, double max_samples) : zipf_(z), tau_(tau), sums_(z, tau) {
  const double total = zipf_norm(z), s = z.gamma + 1;
  // The first k with max_samples p_k < 1e-10 (capped by K).
  const double last = std::min(z.quanta, std::ceil(std::pow(max_samples / (unreachable_count * total), 1 / s)));
  double k = 1;
  while (k <= last) {
    const double count = std::min(std::max(1.0, std::floor(k * block_spread)), last - k + 1);
    if (count < 1 || k + count == k) break;  // beyond 2^53 the last partial block joins the exact tail
    blocks_.push_back({k, count, zipf_mass(z, k, k + count), 0});
    k += count;
  }
  double after = zipf_mass(z, k, unlimited);
  for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it) {
    it->mass_after = after;
    after += it->mass;
  }
}

double DataModel::miss_probability(double samples, const QuantumBlock& b) const {
  // P(Poisson(lambda) <= tau - 1) = Q(tau, lambda), the regularised upper incomplete gamma function.
  const double tau = tau_, lambda = samples * b.mass / b.count;
  // Far below tau, P(Poisson(lambda) >= tau) < e^-128 (Chernoff): Q is 1 to double precision, and Boost's
  // series there needs tgamma(tau), which overflows (an exit 1 for --tau 10^4).
  if (lambda < tau - 16 * std::sqrt(tau) - 16) return 1;
  return boost::math::gamma_q(tau, lambda);  // see count_sums.cpp
}

std::vector<double> DataModel::miss_probabilities(double samples) const {
  std::vector<double> q(blocks_.size(), 0.0);
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    if (samples * blocks_[i].mass / blocks_[i].count < unreachable_count) break;
    q[i] = miss_probability(samples, blocks_[i]);
  }
  return q;
}

double DataModel::unlearned_mass(double samples, const std::vector<double>& miss, core::Rng& rng) const {
  double missed = 0;
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    const auto& b = blocks_[i];
    if (samples * b.mass / b.count < unreachable_count) return missed + b.mass + b.mass_after;
    const double q = miss[i];
    if (q == 0) continue;
    if (b.count == 1) {
      missed += boost::random::bernoulli_distribution<double>(q)(rng) ? b.mass : 0.0;
    } else {
      const auto n = static_cast<long long>(b.count);
      missed += boost::random::binomial_distribution<long long, double>(n, q)(rng) * (b.mass / b.count);
    }
  }
  return missed + (blocks_.empty() ? 1.0 : blocks_.back().mass_after);
}

double DataModel::blocked_unlearned_mass(double samples) const {
  double missed = 0;
  for (const auto& b : blocks_) {
    if (samples * b.mass / b.count < unreachable_count) return missed + b.mass + b.mass_after;
    missed += b.mass * miss_probability(samples, b);
  }
  return missed + (blocks_.empty() ? 1.0 : blocks_.back().mass_after);
}

double quanta_held(double params, double per_quantum, const Zipf& z) {
  return std::min(std::floor(params / per_quantum), z.quanta);
}

double predicted_exponent(Axis axis, double gamma) {
  return axis == Axis::params ? gamma : gamma / (gamma + 1);
}

namespace {

unsigned realisations(const SimulationConfig& c) {
  return c.axis == Axis::params ? 1 : c.seeds;
}

double samples_at(const SimulationConfig& c, double x) {
  return c.axis == Axis::steps ? x * c.batch : x;
}

}  // namespace

std::size_t simulation_jobs(const SimulationConfig& c) {
  return c.gammas.size() * log_grid(c.from, c.to, c.points).size() * realisations(c);
}

double estimated_seconds(const SimulationConfig& c) {
  // Measured with the Release build on --threads 2 (2 cores shared, load 5-8): the default took 0.4-1.5 s,
  // --points 100 1.3 s and 250 12 s, --seeds 200 7.6 s, --seeds 2000 56 s, on about 9,700 blocks over the four
  // gammas; at load 1.2 the default 0.26 s, --points 100 0.72 s, --seeds 100 --axis steps 0.55 s. Counted,
  // about twice the load-1.2 figures: 7.5e-8 s per block draw and thread, 2e-7 s per miss probability,
  // 1.75 ms per expectation.
  constexpr double seconds_per_draw = 7.5e-8, seconds_per_miss = 2e-7, seconds_per_expectation = 1.75e-3;
  constexpr double seconds_per_tail = 1e-5;  // params: one Hurwitz zeta per point
  const auto points = static_cast<double>(log_grid(c.from, c.to, c.points).size());
  const double threads = std::max(1u, c.threads);
  if (c.axis == Axis::params) return static_cast<double>(c.gammas.size()) * points * seconds_per_tail;
  double seconds = 0;
  for (double g : c.gammas) {
    // DataModel's blocks: quanta 1..100 one by one, then blocks 1% wide, up to the last reachable quantum
    // (and to 2^53, beyond which the exact tail takes over).
    const Zipf z{g, c.quanta};
    const double reach = std::pow(samples_at(c, c.to) / (unreachable_count * zipf_norm(z)), 1 / (g + 1));
    const double last = std::min({z.quanta, std::ceil(reach), 0x1p53});
    const double blocks = last <= 200 ? last : 200 + std::log(last / 100) / std::log1p(block_spread);
    seconds +=
        points * (blocks * (seconds_per_miss + realisations(c) * seconds_per_draw) / threads + seconds_per_expectation);
  }
  return seconds;
}

namespace {

// The row of one (gamma, point): the unlearned mass of each realisation and its expectation.
struct PointDraws {
  std::vector<double> missed;
  double expected;
};

template <class Io>
void fields(Io& io, PointDraws& d) {
  io(d.missed, d.expected);
}

}  // namespace

SimulationResult simulate_scaling(const SimulationConfig& c, const std::function<void()>& advance, core::Sweep* sweep) {
  const auto grid = log_grid(c.from, c.to, c.points);
  const std::size_t per_gamma = grid.size() * realisations(c), seeds = realisations(c);
  std::vector<DataModel> models;
  if (c.axis != Axis::params)
    for (double g : c.gammas) models.emplace_back(Zipf{g, c.quanta}, c.tau, samples_at(c, c.to));

  // Point j = (gamma, grid point) in grid order: the blocks' miss probabilities once for all its
  // realisations, then realisation s drawn from the stream keyed by (gamma, point, seed) alone.
  const auto draws = core::sweep_map(sweep, c.gammas.size() * grid.size(), c.threads, [&](std::size_t j) {
    const std::size_t gi = j / grid.size(), point = j % grid.size();
    PointDraws d;
    if (c.axis == Axis::params) {
      const Zipf z{c.gammas[gi], c.quanta};
      d.missed.push_back(zipf_tail(z, quanta_held(grid[point], c.per_quantum, z)));
      d.expected = d.missed.front();
      advance();
      return d;
    }
    const double samples = samples_at(c, grid[point]);
    const auto miss = models[gi].miss_probabilities(samples);
    for (std::size_t s = 0; s < seeds; ++s) {
      core::Rng rng = core::rng_stream(c.seed, gi * per_gamma + point * seeds + s);
      d.missed.push_back(models[gi].unlearned_mass(samples, miss, rng));
      advance();
    }
    d.expected = models[gi].expected_unlearned_mass(samples);
    return d;
  });
  // missed[(gi * points + p) * seeds + s], as the fits read it.
  std::vector<double> missed;
  missed.reserve(c.gammas.size() * per_gamma);
  for (const auto& d : draws) missed.insert(missed.end(), d.missed.begin(), d.missed.end());

  SimulationResult out;
  const double span = c.losses.b - c.losses.a;
  for (std::size_t gi = 0; gi < c.gammas.size(); ++gi) {
    const Zipf z{c.gammas[gi], c.quanta};
    // The fit runs over the per-point means: log of a mean, not mean of logs, whose bias (-var/2mean^2)
    // shrinks with D and would tilt the slope by about 1e-3 at g = 2.
    std::vector<double> fx, fy;
    for (std::size_t p = 0; p < grid.size(); ++p) {
      const auto first = missed.begin() + static_cast<std::ptrdiff_t>(gi * per_gamma + p * seeds);
      const auto last = first + static_cast<std::ptrdiff_t>(seeds);
      const double mean = std::accumulate(first, last, 0.0) / seeds;
      double ss = 0;
      for (auto it = first; it != last; ++it) ss += (*it - mean) * (*it - mean);
      if (mean > 0) {
        fx.push_back(grid[p]);
        fy.push_back(mean);
      }
      const double sd = seeds > 1 ? std::sqrt(ss / (seeds - 1)) : 0.0;
      const double samples = c.axis == Axis::params ? quanta_held(grid[p], c.per_quantum, z) : samples_at(c, grid[p]);
      const double expected = draws[gi * grid.size() + p].expected;
      out.rows.push_back(
          {c.gammas[gi], grid[p], samples, c.losses.a + span * mean, span * sd, c.losses.a + span * expected});
    }
    const double predicted = predicted_exponent(c.axis, c.gammas[gi]);
    if (fx.size() < 3) {
      out.fits.push_back({c.gammas[gi], predicted, NAN, NAN, NAN, false});
      continue;
    }
    const auto f = core::fit_power_law(fx, fy);
    ExponentFit fit{c.gammas[gi], predicted, -f.exponent, -f.exponent_hi95, -f.exponent_lo95, true};
    // With several seeds the interval comes from the spread of the per-seed slopes (independent curves),
    // which needs no assumption about how the noise varies along the axis: exponent +- t sd / sqrt(seeds).
    std::vector<double> slopes;
    for (std::size_t s = 0; s < seeds && seeds > 1; ++s) {
      std::vector<double> sx, sy;
      for (std::size_t p = 0; p < grid.size(); ++p)
        if (const double m = missed[gi * per_gamma + p * seeds + s]; m > 0) {
          sx.push_back(grid[p]);
          sy.push_back(m);
        }
      if (sx.size() >= 3) slopes.push_back(-core::fit_power_law(sx, sy).exponent);
    }
    if (slopes.size() >= 2) {
      const double half = gsl_cdf_tdist_Pinv(0.975, static_cast<double>(slopes.size() - 1)) *
                          gsl_stats_sd(slopes.data(), 1, slopes.size()) / std::sqrt(static_cast<double>(slopes.size()));
      fit.lo95 = fit.exponent - half;
      fit.hi95 = fit.exponent + half;
    }
    out.fits.push_back(fit);
  }
  return out;
}

EmergenceResult emergence(const EmergenceConfig& c) {
  const Zipf finite{c.gamma, c.quanta}, infinite{c.gamma, unlimited};
  const auto grid = log_grid(c.from, c.to, c.points);
  EmergenceResult out;
  out.floor = c.losses.a;
  const double span = c.losses.b - c.losses.a;
  if (c.axis == Axis::params) {
    for (double n_params : grid) {
      const double held = quanta_held(n_params, c.per_quantum, finite);
      const double held_unlimited = quanta_held(n_params, c.per_quantum, infinite);
      out.rows.push_back({n_params, held, c.losses.a + span * zipf_tail(finite, held),
                          c.losses.a + span * zipf_tail(infinite, held_unlimited), held >= c.quanta ? 1.0 : 0.0});
    }
    out.reached = c.per_quantum * c.quanta;
    return out;
  }
  const CountSums model_k(finite, c.tau), model_inf(infinite, c.tau);
  for (double d : grid)
    out.rows.push_back({d, model_k.learned_count(d), c.losses.a + span * model_k.missed_mass(d),
                        c.losses.a + span * model_inf.missed_mass(d), std::exp(model_k.log_all_learned(d))});
  // The median D at which all K quanta are learned: log P(all learned) = log 1/2, P increasing in D.
  // Clamped below: log P is -inf where some P underflows (tau ~ 10^6 makes that a wide range of D), which
  // TOMS 748's interpolation cannot take; the clamp leaves the sign, and so the root, as it is.
  auto f = [&](double log_d) { return std::max(model_k.log_all_learned(std::exp(log_d)), -1e3) - std::log(0.5); };
  double hi = std::log(std::max(c.to, 1.0));
  while (f(hi) < 0 && hi < 690) hi += 2;
  if (f(hi) < 0) throw core::NumericalError("emergence: no D up to 1e300 learns all K quanta");
  double lo = hi - 2;
  while (f(lo) > 0) lo -= 2;
  std::uintmax_t iterations = 200;
  const auto root =
      boost::math::tools::toms748_solve(f, lo, hi, boost::math::tools::eps_tolerance<double>(40), iterations);
  out.reached = std::exp((root.first + root.second) / 2);
  return out;
}

}  // namespace quanta
