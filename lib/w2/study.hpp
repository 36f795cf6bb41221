// The sweeps behind the subcommands and `score-w2 reproduce`: grids of independent cases (each row a
// function of its grid point, the options and the seed alone), run in parallel with results in grid
// order, and the per-row verdicts on the inequality chain W2 <= W~2 <= bound.
#pragma once

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "w2/dsm.hpp"
#include "w2/gaussian.hpp"
#include "w2/mixture.hpp"
#include "w2/sde.hpp"

namespace w2 {

// Relative slack for comparisons of computed distances: the ODEs run at relative tolerance 1e-10 (1e-7
// for the particles), so two sides that are equal in exact arithmetic differ by far less than this.
constexpr double check_slack = 1e-6;

bool at_most(double a, double b);  // a <= b up to check_slack (relative) and 1e-12 (absolute)

// The verdicts of one row: W2 <= W~2, and for each form of L_t the bound, whether W2 <= bound, and
// bound / W2.
struct Verdict {
  bool coupling_holds = true;
  std::array<double, 3> bound{}, ratio{};
  std::array<bool, 3> holds{};
  bool chain_holds = true;  // W2 <= W~2 <= bound with L_t of -g_t (what the corrected proof guarantees)
};
Verdict verdict(double w2, double w2_coupling, const BoundTerms& terms, double w2_at_T);

using Tick = std::function<void()>;

struct GaussianSweep {
  VpSchedule vp;
  std::vector<unsigned> dims{1, 4, 16, 64};
  std::vector<std::string> variances{"0.25", "4", "0.1:4"};
  double mean = 0.5;
  std::vector<ScoreError> errors{std::begin(score_errors), std::end(score_errors)};
  std::vector<double> etas{0.001, 0.01, 0.1, 0.3, 1};
  std::vector<Prior> priors{Prior::exact, Prior::standard};
  OdeTolerance tol;
  unsigned threads = 1;
  std::size_t size() const { return dims.size() * variances.size() * errors.size() * etas.size() * priors.size(); }
};

struct GaussianRow {
  GaussianCase c;
  GaussianResult r;
  Verdict v;
};
std::vector<GaussianRow> gaussian_sweep(const GaussianSweep& s, const Tick& tick);

struct MixtureSweep {
  VpSchedule vp;
  Mixture data{{0.3, 0.7}, {-1.5, 1}, {0.04, 0.25}};
  std::vector<ScoreError> errors{std::begin(score_errors), std::end(score_errors)};
  std::vector<double> etas{0.01, 0.1, 1};
  std::size_t particles = 100000;
  std::uint64_t seed = 1;
  unsigned threads = 1;
  std::size_t size() const { return errors.size() * etas.size(); }
};

struct MixtureRow {
  MixtureCase c;
  MixtureResult r;
  Verdict v;
};
// Row i draws its particles from rng_stream(seed, i); the clouds are kept only when keep_clouds.
std::vector<MixtureRow> mixture_sweep(const MixtureSweep& s, const Tick& tick, bool keep_clouds = false);

struct SdeSweep {
  VpSchedule vp;
  double mean = 0.5;
  std::vector<double> variances{0.25, 4};
  std::vector<ScoreError> errors{std::begin(score_errors), std::end(score_errors)};
  std::vector<double> etas{0.1, 1};
  std::size_t particles = 20000;
  unsigned steps = 1000;
  std::uint64_t seed = 1;
  unsigned threads = 1;
  std::size_t size() const { return variances.size() * errors.size() * etas.size(); }
};

struct SdeRow {
  SdeCase c;
  SdeResult r;
  Verdict v;
};
std::vector<SdeRow> sde_sweep(const SdeSweep& s, const Tick& tick);

struct DsmSweep {
  VpSchedule vp;
  std::vector<double> times{0.05, 0.2, 0.5};
  std::vector<double> thetas{0, 0.5, 1, 2};
  Mixture mixture{{0.3, 0.7}, {-1.5, 1}, {0.04, 0.25}};
  Mixture gaussian{{1}, {0.5}, {0.25}};
  std::size_t samples = 200000;
  std::uint64_t seed = 1;
  unsigned threads = 1;
};

struct DsmBlock {
  std::string data;  // "mixture" or "gaussian"
  double t;
  DsmResult r;
};
std::vector<DsmBlock> dsm_sweep(const DsmSweep& s, const Tick& tick);

}  // namespace w2
