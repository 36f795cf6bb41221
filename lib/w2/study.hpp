// The studies behind score-w2's subcommands and `score-w2 reproduce`, after Kwon, Fan & Lee, "Score-based
// Generative Modeling Secretly Minimizes the Wasserstein Distance" (NeurIPS 2022), and Vincent, "A
// Connection Between Score Matching and Denoising Autoencoders" (Neural Computation 2011) for `dsm`.
// The sweeps are grids of independent cases (each row a function of its grid point, the config and the
// seed alone), run in parallel with results in grid order, with the per-row verdicts on the inequality
// chain W2 <= W~2 <= bound. Each *_study takes a config whose default member initialisers are the tool's
// defaults, checks it (InputError naming the option), and returns its rows with what the summary and the
// verdicts need; *_columns() declares the CSV each subcommand writes.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/csv.hpp"
#include "core/options.hpp"
#include "core/progress.hpp"
#include "core/sweep.hpp"
#include "w2/dsm.hpp"
#include "w2/gaussian.hpp"
#include "w2/mixture.hpp"
#include "w2/sde.hpp"

namespace w2 {

// Relative slack for comparisons of computed distances: the ODEs run at relative tolerance 1e-10 (1e-7
// for the particles), so two sides that are equal in exact arithmetic differ by far less than this.
constexpr double check_slack = 1e-6;

bool at_most(double a, double b);  // a <= b up to check_slack (relative) and 1e-12 (absolute)

// A Monte Carlo figure agrees with its exact value when it is within this many standard errors: with 24
// comparisons per check a false alarm has probability about 24 x 6e-5 = 0.2%.
constexpr double mc_z_limit = 4;

// The verdicts of one row: W2 <= W~2, and for each form of L_t the bound, whether W2 <= bound, and
// bound / W2.
struct Verdict {
  bool coupling_holds = true;
  std::array<double, 3> bound{}, ratio{};
  std::array<bool, 3> holds{};
  bool chain_holds = true;  // W2 <= W~2 <= bound with L_t of -g_t (what the corrected proof guarantees)
};
Verdict verdict(double w2, double w2_coupling, const BoundTerms& terms, double w2_at_T);

// Per form of L_t over a sweep: how many rows hold W2 <= bound, and the smallest, median (the upper one)
// and largest bound / W2 over the rows with W2 > 0 (all three 0 when ratios == 0).
struct FormTally {
  std::size_t held = 0, rows = 0, ratios = 0;
  double min_ratio = 0, median_ratio = 0, max_ratio = 0;
};
using FormTallies = std::array<FormTally, 3>;  // indexed by LipschitzForm
FormTallies tally_forms(const std::vector<Verdict>& verdicts);

// The columns every sweep writes per form F of L_t: drift_term_F, growth_F, bound_F, ratio_F, holds_F.
std::vector<core::Column> bound_columns();
// A sweep's row: its own cells, then those of bound_columns() for `terms` and `v`, then `tail`.
std::vector<core::Cell> with_bound_cells(std::vector<core::Cell> head, const BoundTerms& terms, const Verdict& v,
                                         std::initializer_list<core::Cell> tail);

// ---- gaussian: exact W2, the coupling W~2 and the bound in its three forms
struct GaussianSweep {
  VpSchedule vp;
  std::vector<unsigned> dims{1, 4, 16, 64};
  std::vector<std::string> variances{"0.25", "4", "0.1:4"};  // "V" (Sigma = V I) or "A:B" (gaussian_data)
  double mean = 0.5;
  std::vector<ScoreError> errors{std::begin(score_errors), std::end(score_errors)};
  std::vector<double> etas{0.001, 0.01, 0.1, 0.3, 1};
  std::vector<Prior> priors{std::begin(all_priors), std::end(all_priors)};
  OdeTolerance tol;
  unsigned threads = 1;
  std::size_t size() const { return dims.size() * variances.size() * errors.size() * etas.size() * priors.size(); }
};
// InputError naming --beta-min, --beta-max, --T, --dims or --variances.
void check(const GaussianSweep& s);

// The options of the VP schedule (--beta-min, --beta-max, --T), of the score errors (--errors, --etas) and
// all of gaussian's: shared by score-w2 and the Python module.
void declare_schedule(core::Options& o, VpSchedule& vp);
void declare_errors(core::Options& o, std::vector<ScoreError>& errors, std::vector<double>& etas);
void declare_options(core::Options& o, GaussianSweep& s);

struct GaussianRow {
  GaussianCase input;
  GaussianResult result;
  Verdict verdict;
};
// Grid order: d, variances, error, eta, prior (the last varies fastest). `tick` once per row (any thread).
// A sweep whose points are the rows (core/sweep.hpp: `sweep` shards or merges it); the rows' results do
// not keep q_0 (left empty).
std::vector<GaussianRow> gaussian_sweep(const GaussianSweep& s, const core::Tick& tick, core::Sweep* sweep = nullptr);

// The failing row of the smallest (d, eta), the first in grid order on ties; none when every row holds.
std::optional<std::size_t> smallest_failure(const std::vector<GaussianRow>& rows, LipschitzForm f);

struct GaussianStudy {
  std::vector<GaussianRow> rows;
  FormTallies forms;
  std::size_t coupling_failures = 0;  // rows where W2 <= W~2 fails (a bug)
  std::size_t chain_failures = 0;     // rows where W2 <= W~2 <= bound_backward fails (a bug)
  std::size_t failing_rows = 0;       // rows where the chain fails in either step: the run fails when > 0
  std::array<std::optional<std::size_t>, 3> smallest_failure;  // per form: smallest_failure(rows, f)
};
GaussianStudy gaussian_study(const GaussianSweep& s, const core::Tick& tick, core::Sweep* sweep = nullptr);
const std::vector<core::Column>& gaussian_columns();
std::string gaussian_notes();  // for --help: the ODE tolerances, the comparisons' slack, when the run fails

// ---- mixture: 1-D Gaussian-mixture data, particles through both probability-flow ODEs
struct MixtureSweep {
  VpSchedule vp;
  Mixture data{{0.3, 0.7}, {-1.5, 1}, {0.04, 0.25}};
  std::vector<ScoreError> errors{std::begin(score_errors), std::end(score_errors)};
  std::vector<double> etas{0.01, 0.1, 1};
  std::size_t particles = 100000;
  OdeTolerance tol = MixtureCase{}.tol;  // per particle and step
  std::uint64_t seed = 1;
  unsigned threads = 1;
  std::size_t size() const { return errors.size() * etas.size(); }
};
void check(const MixtureSweep& s);  // InputError naming the schedule's or the mixture's option

struct MixtureRow {
  MixtureCase input;
  MixtureResult result;
  Verdict verdict;
};
// Grid order: error, eta. Row i draws its particles from rng_stream(seed, i); the clouds are kept only
// when keep_clouds. A sweep whose points are the rows, one after another, each using every thread for its
// particles (core/sweep.hpp: `sweep` shards or merges it).
std::vector<MixtureRow> mixture_sweep(const MixtureSweep& s, const core::Tick& tick, bool keep_clouds = false,
                                      core::Sweep* sweep = nullptr);

struct MixtureStudy {
  std::vector<MixtureRow> rows;
  FormTallies forms;
  std::size_t coupling_failures = 0;                     // rows where W2 <= W~2 fails (a bug: in 1-D the two agree)
  std::size_t chain_failures = 0;                        // rows where W2 <= W~2 <= bound_backward fails
  std::size_t failing_rows = 0;                          // coupling_failures: the run fails when > 0
  std::size_t particle_steps = 0;                        // summed over rows
  std::size_t min_block_steps = 0, max_block_steps = 0;  // of the easiest and hardest block of any row
};
MixtureStudy mixture_study(const MixtureSweep& s, const core::Tick& tick, core::Sweep* sweep = nullptr);
const std::vector<core::Column>& mixture_columns();
std::string mixture_notes();  // for --help: the bound's L_t, the particles' blocks and tolerance, when it fails

// ---- clouds: histograms of p_0 and q_0 for one mixture case
struct CloudsConfig {
  MixtureCase mixture;  // its particles, error (scale) and eta (0.1) are the defaults
  unsigned bins = 120;
};
struct CloudsRow {
  double x;                           // bin centre
  double p0_particles, q0_particles;  // densities of the two clouds
  double p0_exact;                    // the data density
};
struct CloudsStudy {
  std::vector<CloudsRow> rows;
  double w2 = 0;  // W2[p_0, q_0] between the clouds
};
// `bins` equal bins over the range of both clouds.
CloudsStudy clouds_study(const CloudsConfig& c);
const std::vector<core::Column>& clouds_columns();

// ---- integrand: the bound's integrand against t for one Gaussian case
struct IntegrandConfig {
  VpSchedule vp;
  unsigned d = 1;
  std::string variances = "4";  // as gaussian_data reads it
  double mean = 0.5;
  ScoreError error = ScoreError::bias;
  double eta = 0.1;
  unsigned points = 200;  // intervals of the t grid on [0, T]
};
struct IntegrandStudy {
  std::vector<BoundProfilePoint> profile;  // points + 1 times
  std::array<double, 3> growth_at_T{};     // I_T per form
};
IntegrandStudy integrand_study(const IntegrandConfig& c);
const std::vector<core::Column>& integrand_columns();

// ---- sde: the reverse SDE with common noise
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

// The paper's SDE bound: the drift term with the SDE's g_t^2 weighting, twice the ODE's (L_t of -g_t).
double paper_sde_bound(const BoundTerms& terms);

struct SdeRow {
  SdeCase input;
  SdeResult result;
  Verdict verdict;  // the exact W2 against the ODE bound of the same score error
  double bound_paper = 0;
  bool holds_paper = false;  // W2 <= bound_paper
};
// Grid order: variance, error, eta; row i draws its noise from rng_stream(seed, i).
std::vector<SdeRow> sde_sweep(const SdeSweep& s, const core::Tick& tick);

struct SdeStudy {
  std::vector<SdeRow> rows;
  FormTallies forms;
  std::size_t negative_cross_rows = 0;  // rows whose cross term goes negative on the path
  std::size_t most_negative_row = 0;    // the row of the smallest cross term (the first on ties)
};
SdeStudy sde_study(const SdeSweep& s, const core::Tick& tick);  // InputError naming the schedule's option
const std::vector<core::Column>& sde_columns();
std::string sde_notes();  // for --help: which bound the bound columns hold

// ---- dsm: denoising against plain score matching
struct DsmSweep {
  VpSchedule vp;
  std::vector<double> times{0.05, 0.2, 0.5};
  std::vector<double> thetas{0, 0.5, 1, 2};
  Mixture mixture{{0.3, 0.7}, {-1.5, 1}, {0.04, 0.25}};
  double gaussian_mean = 0.5, gaussian_variance = 0.25;  // the Gaussian data set N(mean, variance)
  std::size_t samples = 200000;
  std::uint64_t seed = 1;
  unsigned threads = 1;
  std::size_t size() const { return 2 * times.size(); }  // blocks: the mixture, then the Gaussian, per t
};

struct DsmBlock {
  std::string data;  // "mixture" or "gaussian"
  double t;
  DsmResult result;
};
std::vector<DsmBlock> dsm_sweep(const DsmSweep& s, const core::Tick& tick);

struct DsmStudyRow {
  std::string data;
  double t;
  DsmRow loss;
  double gap_exact;
  double gap_z;  // (gap - gap_exact) / gap_se
};
struct DsmStudy {
  std::vector<DsmStudyRow> rows;  // block by block, theta by theta
  double max_abs_spread_z = 0;    // over every row
  double max_abs_gap_z = 0;       // over every row
  double max_abs_gaussian_gap_z = 0;
  bool gap_theta_independent = true;  // max_abs_spread_z <= mc_z_limit
  bool gaussian_gap_agrees = true;    // max_abs_gaussian_gap_z <= mc_z_limit (the closed form)
};
DsmStudy dsm_study(const DsmSweep& s, const core::Tick& tick);  // InputError naming the option
const std::vector<core::Column>& dsm_columns();

}  // namespace w2
