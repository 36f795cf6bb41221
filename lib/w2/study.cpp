#include "w2/study.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/errors.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "w2/flow.hpp"

namespace w2 {

namespace {

// The index along each axis of point i of a grid whose last axis varies fastest.
template <std::size_t N>
std::array<std::size_t, N> grid_point(std::size_t i, const std::array<std::size_t, N>& sizes) {
  std::array<std::size_t, N> at{};
  for (std::size_t axis = N; axis-- > 0;) {
    at[axis] = i % sizes[axis];
    i /= sizes[axis];
  }
  return at;
}

template <class Row>
FormTallies tally_rows(const std::vector<Row>& rows) {
  std::vector<Verdict> verdicts;
  for (const auto& row : rows) verdicts.push_back(row.verdict);
  return tally_forms(verdicts);
}

// What the proof, the backward integration and a Lipschitz assumption take for L_t, for --help.
const char* form_meaning(LipschitzForm f) {
  switch (f) {
    case proof: return "L_t of g_t, as the proof states it";
    case backward: return "L_t of -g_t";
    case two_sided: return "L_t = |Dg_t|";
  }
  return "";
}

std::vector<core::Column> with_bound_columns(std::vector<core::Column> head, std::vector<core::Column> tail) {
  const auto bound = bound_columns();
  head.insert(head.end(), bound.begin(), bound.end());
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

}  // namespace

bool at_most(double a, double b) {
  return a <= b + check_slack * std::abs(b) + 1e-12;
}

Verdict verdict(double w2, double w2_coupling, const BoundTerms& terms, double w2_at_T) {
  Verdict v;
  v.coupling_holds = at_most(w2, w2_coupling);
  for (LipschitzForm f : lipschitz_forms) {
    v.bound[f] = terms.bound(f, w2_at_T);
    v.holds[f] = at_most(w2, v.bound[f]);
    v.ratio[f] = w2 > 0 ? v.bound[f] / w2 : INFINITY;
  }
  v.chain_holds = v.coupling_holds && at_most(w2_coupling, v.bound[backward]);
  return v;
}

FormTallies tally_forms(const std::vector<Verdict>& verdicts) {
  FormTallies t;
  for (LipschitzForm f : lipschitz_forms) {
    std::vector<double> ratios;
    for (const auto& v : verdicts) {
      t[f].rows++;
      t[f].held += v.holds[f];
      if (std::isfinite(v.ratio[f])) ratios.push_back(v.ratio[f]);
    }
    std::sort(ratios.begin(), ratios.end());
    t[f].ratios = ratios.size();
    if (!ratios.empty())
      t[f].min_ratio = ratios.front(), t[f].median_ratio = ratios[ratios.size() / 2], t[f].max_ratio = ratios.back();
  }
  return t;
}

std::vector<core::Column> bound_columns() {
  std::vector<core::Column> cols;
  for (LipschitzForm f : lipschitz_forms) {
    const std::string n(to_string(f)), form = form_meaning(f);
    cols.push_back({"drift_term_" + n, ("int I_t e_t dt, " + form).c_str()});
    cols.push_back({"growth_" + n, ("I_T, " + form).c_str()});
    cols.push_back({"bound_" + n, ("the bound, " + form).c_str()});
    cols.push_back({"ratio_" + n, "bound/W2 (inf when W2 = 0)", true});
    cols.push_back({"holds_" + n, "W2 <= bound"});
  }
  return cols;
}

std::vector<core::Cell> with_bound_cells(std::vector<core::Cell> head, const BoundTerms& terms, const Verdict& v,
                                         std::initializer_list<core::Cell> tail) {
  for (LipschitzForm f : lipschitz_forms)
    head.insert(head.end(), {terms.drift_term[f], terms.growth[f], v.bound[f], v.ratio[f], v.holds[f]});
  head.insert(head.end(), tail);
  return head;
}

// ---- gaussian

void declare_schedule(core::Options& o, VpSchedule& vp) {
  o.real("beta-min", vp.beta_min, {-1e300, 1e6}, "beta(0) of the VP schedule (> 0)");
  o.real("beta-max", vp.beta_max, {-1e300, 1e6}, "beta(1) of the VP schedule (> --beta-min); beta is linear in t");
  o.real("T", vp.t_end, {-1e300, 100}, "the time the reverse process starts from (> 0)");
}

void declare_errors(core::Options& o, std::vector<ScoreError>& errors, std::vector<double>& etas) {
  o.choice_list("errors", errors, score_errors, "the score errors");
  o.real_list("etas", etas, {0, 1e300}, "comma-separated error sizes eta (finite, >= 0)");
}

void declare_options(core::Options& o, GaussianSweep& s) {
  o.integer_list("dims", s.dims, 1u, 64u, "comma-separated dimensions d (1 .. 64)");
  o.text_list("variances", s.variances,
              "comma-separated data covariances: V (Sigma = V I) or A:B (eigenvalues log-spaced from A to B); > 0");
  o.real("mean", s.mean, {-1e6, 1e6}, "every coordinate of the data mean");
  declare_errors(o, s.errors, s.etas);
  o.choice_list("priors", s.priors, all_priors, "where the model starts: q_T = p_T (exact) or N(0, I) (standard)");
  declare_schedule(o, s.vp);
}

void check(const GaussianSweep& s) {
  check(s.vp);
  for (unsigned d : s.dims)
    if (d < 1 || d > 64) throw core::InputError("--dims: expected integers in [1, 64], got " + std::to_string(d));
  for (const auto& v : s.variances) gaussian_data(1, v, 0);  // validates
}

namespace {

// What a point of the gaussian sweep computes: its GaussianResult but q_0 (Eigen), which no row keeps.
struct GaussianOutcome {
  double w2 = 0, w2_coupling = 0, w2_at_T = 0;
  BoundTerms terms;
  OdeStats stats;
};

template <class Io>
void fields(Io& io, GaussianOutcome& o) {
  io(o.w2, o.w2_coupling, o.w2_at_T, o.terms, o.stats);
}

}  // namespace

std::vector<GaussianRow> gaussian_sweep(const GaussianSweep& s, const core::Tick& tick, core::Sweep* sweep) {
  const std::array<std::size_t, 5> sizes{s.dims.size(), s.variances.size(), s.errors.size(), s.etas.size(),
                                         s.priors.size()};
  std::vector<GaussianRow> rows(s.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto [d, var, error, eta, prior] = grid_point(i, sizes);
    rows[i].input = {
        s.vp, gaussian_data(s.dims[d], s.variances[var], s.mean), s.errors[error], s.etas[eta], s.priors[prior], s.tol};
  }
  const auto outcomes = core::sweep_map(sweep, rows.size(), s.threads, [&](std::size_t i) {
    const auto r = gaussian_w2(rows[i].input);
    core::tick_if(tick);
    return GaussianOutcome{r.w2, r.w2_coupling, r.w2_at_T, r.terms, r.stats};
  });
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& o = outcomes[i];
    rows[i].result = {o.w2, o.w2_coupling, o.w2_at_T, o.terms, {}, o.stats};
    rows[i].verdict = verdict(o.w2, o.w2_coupling, o.terms, o.w2_at_T);
  }
  return rows;
}

std::optional<std::size_t> smallest_failure(const std::vector<GaussianRow>& rows, LipschitzForm f) {
  std::optional<std::size_t> best;
  const auto key = [&](std::size_t i) { return std::make_pair(rows[i].input.data.mean.size(), rows[i].input.eta); };
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (!rows[i].verdict.holds[f] && (!best || key(i) < key(*best))) best = i;
  return best;
}

GaussianStudy gaussian_study(const GaussianSweep& s, const core::Tick& tick, core::Sweep* sweep) {
  check(s);
  GaussianStudy out;
  out.rows = gaussian_sweep(s, tick, sweep);
  out.forms = tally_rows(out.rows);
  for (const auto& row : out.rows) {
    out.coupling_failures += !row.verdict.coupling_holds;
    out.chain_failures += !row.verdict.chain_holds;
  }
  out.failing_rows = std::max(out.coupling_failures, out.chain_failures);
  for (LipschitzForm f : lipschitz_forms) out.smallest_failure[f] = smallest_failure(out.rows, f);
  return out;
}

const std::vector<core::Column>& gaussian_columns() {
  static const auto columns = with_bound_columns(
      {{"d", "dimension"},
       {"variances", "the data covariance: V (Sigma = V I) or A:B (eigenvalues log-spaced from A to B)"},
       {"error", "the score error: bias, scale, wrong_gaussian or time_linear"},
       {"eta", "its size"},
       {"prior", "exact (q_T = p_T) or standard (q_T = N(0, I))"},
       {"W2", "W2[p_0, q_0] (Bures)"},
       {"W2_coupling", "W~2(0): the synchronous coupling"},
       {"W2_T", "W2[p_T, q_T]"}},
      {{"coupling_holds", "W2 <= W~2"},
       {"chain_holds", "W2 <= W~2 <= bound_backward"},
       {"ode_steps", "accepted steps of the backward coupling ODE"}});
  return columns;
}

std::string gaussian_notes() {
  using core::format_double;
  const OdeTolerance tol = GaussianSweep{}.tol;
  return "ODEs: Boost.Odeint Dormand-Prince 5(4), abs " + format_double(tol.abs) + " / rel " + format_double(tol.rel) +
         " (the bound's integral rel " + format_double(bound_tolerance.rel) +
         ");\ncomparisons allow a relative slack of " + format_double(check_slack) +
         ". Exit code 1 after writing if the chain fails.";
}

// ---- mixture

void check(const MixtureSweep& s) {
  check(s.vp);
  check(s.data);
}

std::vector<MixtureRow> mixture_sweep(const MixtureSweep& s, const core::Tick& tick, bool keep_clouds,
                                      core::Sweep* sweep) {
  std::vector<MixtureRow> rows(s.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto [error, eta] = grid_point(i, std::array{s.errors.size(), s.etas.size()});
    auto& input = rows[i].input;
    input.vp = s.vp;
    input.data = s.data;
    input.error = s.errors[error];
    input.eta = s.etas[eta];
    input.particles = s.particles;
    input.tol = s.tol;
    input.seed = s.seed;
    input.stream = i;
    input.threads = s.threads;
  }
  // Rows run one after another (the outer map on one thread), each using every thread for its particles.
  auto results = core::sweep_map(sweep, rows.size(), 1, [&](std::size_t i) {
    auto result = mixture_w2(rows[i].input);
    if (!keep_clouds) result.p0.clear(), result.q0.clear();
    core::tick_if(tick);
    return result;
  });
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].result = std::move(results[i]);
    const auto& r = rows[i].result;
    rows[i].verdict = verdict(r.w2, r.w2_coupling, r.terms, 0.0);
  }
  return rows;
}

namespace {

// A mixture case's particles: the prior draw, both clouds, the order and two reordered copies, 48 bytes
// each; and its seconds, measured here: about 0.3 s for L_t and the bound, plus 1e-6 s per particle for
// the flow (default: 12 rows of 10^5 particles, 4.5 s of user time; 4 x 10^4 particles, 4.0 s).
void require_mixture_resources(std::size_t particles, std::size_t rows, unsigned threads) {
  const double n = static_cast<double>(particles);
  core::require_memory(48 * n * std::min<double>(threads, static_cast<double>(rows)),
                       "--particles " + std::to_string(particles));
  core::require_time(
      static_cast<double>(rows) * (0.3 + 1e-6 * n) / threads,
      "--particles " + std::to_string(particles) + (rows > 1 ? " over " + std::to_string(rows) + " rows" : ""));
}

}  // namespace

MixtureStudy mixture_study(const MixtureSweep& s, const core::Tick& tick, core::Sweep* sweep) {
  check(s);
  require_mixture_resources(s.particles, s.size(), s.threads);
  MixtureStudy out;
  out.rows = mixture_sweep(s, tick, false, sweep);
  out.forms = tally_rows(out.rows);
  out.min_block_steps = std::numeric_limits<std::size_t>::max();
  for (const auto& row : out.rows) {
    out.coupling_failures += !row.verdict.coupling_holds;
    out.chain_failures += !row.verdict.chain_holds;
    out.particle_steps += row.result.particle_steps;
    out.min_block_steps = std::min(out.min_block_steps, row.result.min_block_steps);
    out.max_block_steps = std::max(out.max_block_steps, row.result.max_block_steps);
  }
  out.failing_rows = out.coupling_failures;
  return out;
}

const std::vector<core::Column>& mixture_columns() {
  static const auto columns =
      with_bound_columns({{"error", "the score error: bias, scale, wrong_gaussian or time_linear"},
                          {"eta", "its size"},
                          {"particles", "M"},
                          {"W2", "W2[p_0, q_0] between the sorted clouds"},
                          {"W2_coupling", "W~2(0): the pairs' root mean square distance"},
                          {"W2_coupling_se", "its Monte Carlo standard error"}},
                         {{"coupling_holds", "W2 <= W~2"},
                          {"chain_holds", "W2 <= W~2 <= bound_backward"},
                          {"particle_steps", "accepted steps x pairs, summed over blocks"}});
  return columns;
}

std::string mixture_notes() {
  using core::format_double;
  const OdeTolerance tol = MixtureSweep{}.tol;
  return "L_t from sup_x g_t'(x) and inf_x g_t'(x) over all x (a grid where the components trade weight, Brent,\n"
         "and the limit at +-infinity). The pairs, sorted by starting point, are integrated in blocks of " +
         std::to_string(flow_block) +
         " neighbours, each block by its own adaptive Dormand-Prince 5(4)\n(Boost.Odeint) with every particle's error "
         "per step within abs " +
         format_double(tol.abs) + " + rel " + format_double(tol.rel) +
         " (max norm over the\nblock); the clouds depend on the block size, not on --threads. Exit code 1 after "
         "writing if W2 <= W~2\nfails.";
}

// ---- clouds

CloudsStudy clouds_study(const CloudsConfig& config) {
  const MixtureCase& c = config.mixture;
  check(c.vp);
  check(c.data);
  require_mixture_resources(c.particles, 1, 1);
  const auto res = mixture_w2(c);
  const auto [lo_p, hi_p] = std::minmax_element(res.p0.begin(), res.p0.end());
  const auto [lo_q, hi_q] = std::minmax_element(res.q0.begin(), res.q0.end());
  const double lo = std::min(*lo_p, *lo_q), hi = std::max(*hi_p, *hi_q) * (1 + 1e-12) + 1e-12;
  const auto hp = density_histogram(res.p0, lo, hi, config.bins), hq = density_histogram(res.q0, lo, hi, config.bins);
  CloudsStudy out;
  out.w2 = res.w2;
  const double width = (hi - lo) / config.bins;
  for (unsigned i = 0; i < config.bins; ++i) {
    const double x = lo + (i + 0.5) * width;
    out.rows.push_back({x, hp[i], hq[i], mixture_density(c.data, 1, 0, x)});
  }
  return out;
}

const std::vector<core::Column>& clouds_columns() {
  static const std::vector<core::Column> columns{{"x", "bin centre"},
                                                 {"p0_particles", "density of the true flow's cloud"},
                                                 {"q0_particles", "density of the model flow's cloud"},
                                                 {"p0_exact", "the data density"}};
  return columns;
}

// ---- integrand

IntegrandStudy integrand_study(const IntegrandConfig& config) {
  check(config.vp);
  GaussianCase c;
  c.vp = config.vp;
  c.data = gaussian_data(config.d, config.variances, config.mean);
  c.error = config.error;
  c.eta = config.eta;
  IntegrandStudy out;
  out.profile = bound_profile(
      c.vp.t_end, [&](double t) { return gaussian_rates(c, t); }, config.points);
  out.growth_at_T = out.profile.back().growth;
  return out;
}

const std::vector<core::Column>& integrand_columns() {
  static const std::vector<core::Column> columns = [] {
    std::vector<core::Column> cols{{"t"}, {"drift_error", "e_t"}};
    for (LipschitzForm f : lipschitz_forms) {
      const std::string n(to_string(f)), form = form_meaning(f);
      cols.push_back({"L_" + n, form.c_str()});
      cols.push_back({"I_" + n, ("I_t, " + form).c_str()});
      cols.push_back({"integrand_" + n, ("I_t e_t, " + form).c_str()});
    }
    return cols;
  }();
  return columns;
}

// ---- sde

double paper_sde_bound(const BoundTerms& terms) {
  return 2 * terms.drift_term[backward];
}

std::vector<SdeRow> sde_sweep(const SdeSweep& s, const core::Tick& tick) {
  std::vector<SdeRow> rows;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto [variance, error, eta] = grid_point(i, std::array{s.variances.size(), s.errors.size(), s.etas.size()});
    SdeRow row;
    row.input.eta = s.etas[eta];
    row.input.error = s.errors[error];
    row.input.variance = s.variances[variance];
    row.input.vp = s.vp;
    row.input.mean = s.mean;
    row.input.particles = s.particles;
    row.input.steps = s.steps;
    row.input.seed = s.seed;
    row.input.stream = i;
    row.input.threads = s.threads;
    row.result = sde_w2(row.input);
    // The SDE rows judge the exact W2 against the ODE bound of the same score error.
    row.verdict = verdict(row.result.w2, row.result.w2_coupling, row.result.terms, 0.0);
    row.bound_paper = paper_sde_bound(row.result.terms);
    row.holds_paper = at_most(row.result.w2, row.bound_paper);
    rows.push_back(std::move(row));
    core::tick_if(tick);
  }
  return rows;
}

SdeStudy sde_study(const SdeSweep& s, const core::Tick& tick) {
  check(s.vp);
  // Two clouds of particles and two more arrays per row in flight (32 bytes a particle); measured here,
  // 1.4e-8 s per particle and step (default: 16 rows x 20000 particles x 1000 steps, 4.4 s of user time).
  const double n = static_cast<double>(s.particles), rows = static_cast<double>(s.size());
  core::require_memory(32 * n * std::min<double>(s.threads, rows), "--particles " + std::to_string(s.particles));
  core::require_time(rows * n * static_cast<double>(s.steps) * 1.4e-8 / s.threads,
                     "--particles " + std::to_string(s.particles) + " with --steps " + std::to_string(s.steps));
  SdeStudy out;
  out.rows = sde_sweep(s, tick);
  out.forms = tally_rows(out.rows);
  for (std::size_t i = 0; i < out.rows.size(); ++i) {
    out.negative_cross_rows += out.rows[i].result.min_cross < 0;
    if (out.rows[i].result.min_cross < out.rows[out.most_negative_row].result.min_cross) out.most_negative_row = i;
  }
  return out;
}

const std::vector<core::Column>& sde_columns() {
  static const auto columns = with_bound_columns(
      {{"variance", "the 1-D data variance"},
       {"error", "the score error: bias, scale, wrong_gaussian or time_linear"},
       {"eta", "its size"},
       {"W2", "W2[p_0, q_0] (exact moment ODE)"},
       {"W2_coupling", "the common-noise coupling (exact moment ODE)"},
       {"W2_em", "W2 from the Euler-Maruyama particles"},
       {"W2_em_se", "its standard error"},
       {"W2_coupling_em", "the coupling from the Euler-Maruyama particles"}},
      {{"bound_paper", "the paper's g_t^2 weighting, L_t of -g_t"},
       {"holds_paper", "W2 <= bound_paper"},
       {"min_cross_term", "the most negative E[(x-y)(grad log p_t(x) - grad log q_t(y))] on the path"},
       {"t_min_cross_term", "the t where it is reached"}});
  return columns;
}

std::string sde_notes() {
  return "The bound columns are those of `gaussian`: the ODE bound of the same score error.";
}

// ---- dsm

std::vector<DsmBlock> dsm_sweep(const DsmSweep& s, const core::Tick& tick) {
  const Mixture gaussian{{1}, {s.gaussian_mean}, {s.gaussian_variance}};
  return core::parallel_map(s.size(), s.threads, [&](std::size_t i) {
    const bool mixture = i < s.times.size();
    DsmCase c;
    c.vp = s.vp;
    c.data = mixture ? s.mixture : gaussian;
    c.t = s.times[i % s.times.size()];
    c.thetas = s.thetas;
    c.samples = s.samples;
    c.seed = s.seed;
    c.stream = i;
    DsmBlock b{mixture ? "mixture" : "gaussian", c.t, dsm_losses(c)};
    core::tick_if(tick);
    return b;
  });
}

DsmStudy dsm_study(const DsmSweep& s, const core::Tick& tick) {
  check(s.vp);
  check(s.mixture);
  // A block's samples, their noise and targets (24 bytes a sample); measured here, 3.5e-8 s per sample and
  // theta (default: 6 blocks x 4 thetas x 200000 samples, 0.16 s of user time; 800000 samples, 0.53 s).
  const double n = static_cast<double>(s.samples);
  core::require_memory(24 * n * std::min<double>(s.threads, static_cast<double>(s.size())),
                       "--samples " + std::to_string(s.samples));
  core::require_time(static_cast<double>(s.size()) * static_cast<double>(s.thetas.size()) * n * 3.5e-8 / s.threads,
                     "--samples " + std::to_string(s.samples) + " over " + std::to_string(s.size()) + " blocks");
  DsmStudy out;
  for (const auto& b : dsm_sweep(s, tick))
    for (const auto& row : b.result.rows) {
      const double z = (row.gap - b.result.gap_exact) / row.gap_se;
      out.rows.push_back({b.data, b.t, row, b.result.gap_exact, z});
      out.max_abs_gap_z = std::max(out.max_abs_gap_z, std::abs(z));
      out.max_abs_spread_z = std::max(out.max_abs_spread_z, std::abs(row.spread_z));
      if (b.data == "gaussian") out.max_abs_gaussian_gap_z = std::max(out.max_abs_gaussian_gap_z, std::abs(z));
    }
  out.gap_theta_independent = out.max_abs_spread_z <= mc_z_limit;
  out.gaussian_gap_agrees = out.max_abs_gaussian_gap_z <= mc_z_limit;
  return out;
}

const std::vector<core::Column>& dsm_columns() {
  static const std::vector<core::Column> columns{
      {"data", "mixture or gaussian"},
      {"t"},
      {"theta", "the model s_theta(x) = -theta x"},
      {"dsm_loss", "denoising score-matching loss"},
      {"sm_loss", "plain score-matching loss"},
      {"gap", "dsm_loss - sm_loss"},
      {"gap_se", "its standard error"},
      {"gap_exact", "1/sigma_t^2 - Fisher information of p_t"},
      {"gap_z", "(gap - gap_exact)/gap_se"},
      {"spread_z", "(gap - gap at the first theta)/its standard error on the shared samples"}};
  return columns;
}

}  // namespace w2
