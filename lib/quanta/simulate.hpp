// Monte Carlo of the quantization model itself (Michaud et al. 2023, section 2): how the number of
// learned quanta grows with parameters N, data D and steps S, and the loss that follows.
//   params: a model with N parameters holds n = floor(N / C) quanta, the most frequent ones;
//           L - a ~ N^-g (no randomness: the learned set is fixed by n).
//   data:   quantum k appears X_k ~ Poisson(D p_k) times in D samples (independent Poisson counts, the
//           Poissonised multinomial) and is learned when X_k >= tau; L - a ~ D^-g/(g+1).
//   steps:  the data axis with D = S B (batch size B, unlimited data and parameters); L - a ~ S^-g/(g+1).
// Counts are drawn per block of quanta of nearly equal frequency, never per sample, so D = 10^12 costs
// milliseconds; the unreachable tail (expected count below 1e-10) is summed exactly with the Hurwitz zeta.
// The expectations (expected loss, quanta learned, P(all learned)) are not blocked: CountSums sums them
// over every quantum to about 1e-13 relative (quanta/count_sums.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "core/fit.hpp"
#include "core/rng.hpp"
#include "core/sweep.hpp"
#include "quanta/count_sums.hpp"
#include "quanta/zipf.hpp"

namespace quanta {

enum class Axis { params, data, steps };
std::string_view to_string(Axis a);

// Quanta first .. first + count - 1, with total frequency mass and the mass of every quantum after them.
struct QuantumBlock {
  double first, count, mass, mass_after;
};

// The learning-from-data model for one frequency law: P(quantum learned) = P(Poisson(D p) >= tau).
class DataModel {
 public:
  // Blocks cover the quanta a run with up to max_samples samples can reach (expected count >= 1e-10).
  DataModel(const Zipf& z, unsigned tau, double max_samples);

  // One realisation of the mass of the quanta not learned after D samples (blocked: the misses of a block
  // are one binomial draw at the block's mean frequency, so its mean is that of the blocked model).
  double unlearned_mass(double samples, core::Rng& rng) const {
    return unlearned_mass(samples, miss_probabilities(samples), rng);
  }
  // The same with the blocks' miss probabilities at these samples computed once (miss_probabilities).
  double unlearned_mass(double samples, const std::vector<double>& miss, core::Rng& rng) const;
  // Q(tau, D mass / count) of every block (0 past the first unreachable block, which unlearned_mass never reads).
  std::vector<double> miss_probabilities(double samples) const;
  // Its expectation over every quantum (not blocked), sum_k p_k P(Poisson(D p_k) < tau).
  double expected_unlearned_mass(double samples) const { return sums_.missed_mass(samples); }
  // The expected number of quanta learned, sum_k P(Poisson(D p_k) >= tau); needs a finite K.
  double expected_learned(double samples) const { return sums_.learned_count(samples); }
  // log P(every one of the K quanta is learned) = sum_k log P(Poisson(D p_k) >= tau); needs a finite K.
  double log_probability_all_learned(double samples) const { return sums_.log_all_learned(samples); }
  // The expectation of unlearned_mass: sum over blocks of mass Q(tau, D mass / count).
  double blocked_unlearned_mass(double samples) const;

  const std::vector<QuantumBlock>& blocks() const { return blocks_; }

 private:
  double miss_probability(double samples, const QuantumBlock& b) const;
  Zipf zipf_;
  unsigned tau_;
  CountSums sums_;
  std::vector<QuantumBlock> blocks_;
};

// Quanta learned by a model of N parameters at C parameters per quantum: floor(N / C), at most K.
double quanta_held(double params, double per_quantum, const Zipf& z);

struct SimulationConfig {
  Axis axis = Axis::data;
  std::vector<double> gammas{0.3, 0.5, 1, 2};
  double quanta = unlimited;  // K
  Losses losses;
  double from = 1e6, to = 1e12;  // N, D or S
  unsigned points = 25;
  unsigned seeds = 20;       // realisations per point (1 on the params axis, which has no randomness)
  unsigned tau = 1;          // occurrences needed to learn a quantum
  double per_quantum = 1e3;  // C: parameters per quantum
  double batch = 1e3;        // B: samples per step
  std::uint64_t seed = 1;
  unsigned threads = 1;
};

// The exponent each axis should show: g for params, g/(g+1) for data and steps.
double predicted_exponent(Axis axis, double gamma);

struct SimulationRow {
  double gamma, x;
  double samples;  // D for data and steps, n = floor(N / C) for params
  double loss_mean, loss_sd, loss_expected;
};

struct ExponentFit {
  double gamma, predicted;
  // mean(L - a) ~ x^-exponent by OLS in log-log over the points; the interval from the spread of the
  // per-seed slopes (params, one realisation: the OLS interval).
  double exponent, lo95, hi95;
  bool fitted;  // false when fewer than three points have L > a (a finite K reached)
  bool covers() const { return fitted && lo95 <= predicted && predicted <= hi95; }
  double offset() const { return exponent - predicted; }
};

struct SimulationResult {
  std::vector<SimulationRow> rows;
  std::vector<ExponentFit> fits;  // one per gamma
};

std::size_t simulation_jobs(const SimulationConfig& c);
// A sweep whose points are the (gamma, grid point) pairs, gamma-major; the row of a point its realisations'
// unlearned masses and the expectation (core/sweep.hpp: `sweep` shards or merges it). `advance` is called
// once per realisation.
SimulationResult simulate_scaling(const SimulationConfig& c, const std::function<void()>& advance,
                                  core::Sweep* sweep = nullptr);

// simulate_scaling's run time on this machine, for core::require_time: per gamma and point, the blocks'
// miss probabilities and the expectation (CountSums; counted as serial, though each point's runs on its
// thread: an upper bound); per realisation one draw per block (over the threads). The params axis draws
// nothing. Counts every block a draw could reach.
double estimated_seconds(const SimulationConfig& c);

// Emergence: with finite K the loss reaches its floor a at a finite size.
struct EmergenceConfig {
  Axis axis = Axis::params;  // params or data
  double gamma = 0.5, quanta = 1e4;
  Losses losses;
  double from = 1e3, to = 1e9;
  unsigned points = 61;
  unsigned tau = 1;
  double per_quantum = 1e3;
};

struct EmergenceRow {
  double x;
  double learned;         // quanta held (params) or expected quanta learned (data)
  double loss;            // finite K (expected over the data draws)
  double loss_unlimited;  // the same frequencies' exponent with infinitely many quanta
  double p_all_learned;   // 1 once n >= K on the params axis
};

struct EmergenceResult {
  std::vector<EmergenceRow> rows;
  double floor;    // a
  double reached;  // params: N = C K; data: the D at which all K quanta are learned with probability 1/2
};

EmergenceResult emergence(const EmergenceConfig& c);

}  // namespace quanta
