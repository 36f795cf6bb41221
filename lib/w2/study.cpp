#include "w2/study.hpp"

#include <cmath>

#include "core/parallel.hpp"

namespace w2 {

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

std::vector<GaussianRow> gaussian_sweep(const GaussianSweep& s, const Tick& tick) {
  return core::parallel_map(s.size(), s.threads, [&](std::size_t i) {
    // Grid order: d, variances, error, eta, prior (the last varies fastest).
    std::size_t k = i;
    const Prior prior = s.priors[k % s.priors.size()];
    k /= s.priors.size();
    const double eta = s.etas[k % s.etas.size()];
    k /= s.etas.size();
    const ScoreError error = s.errors[k % s.errors.size()];
    k /= s.errors.size();
    const std::string& var = s.variances[k % s.variances.size()];
    k /= s.variances.size();
    GaussianRow row;
    row.c = {s.vp, gaussian_data(s.dims[k], var, s.mean), error, eta, prior, s.tol};
    row.r = gaussian_w2(row.c);
    row.v = verdict(row.r.w2, row.r.w2_coupling, row.r.terms, row.r.w2_at_T);
    tick();
    return row;
  });
}

std::vector<MixtureRow> mixture_sweep(const MixtureSweep& s, const Tick& tick, bool keep_clouds) {
  // Rows run one after another, each using every thread for its particles.
  std::vector<MixtureRow> rows;
  for (std::size_t i = 0; i < s.size(); ++i) {
    MixtureRow row;
    row.c.vp = s.vp;
    row.c.data = s.data;
    row.c.error = s.errors[i / s.etas.size()];
    row.c.eta = s.etas[i % s.etas.size()];
    row.c.particles = s.particles;
    row.c.seed = s.seed;
    row.c.stream = i;
    row.c.threads = s.threads;
    row.r = mixture_w2(row.c);
    row.v = verdict(row.r.w2, row.r.w2_coupling, row.r.terms, 0.0);
    if (!keep_clouds) row.r.p0.clear(), row.r.q0.clear();
    rows.push_back(std::move(row));
    tick();
  }
  return rows;
}

std::vector<SdeRow> sde_sweep(const SdeSweep& s, const Tick& tick) {
  std::vector<SdeRow> rows;
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::size_t k = i;
    SdeRow row;
    row.c.eta = s.etas[k % s.etas.size()];
    k /= s.etas.size();
    row.c.error = s.errors[k % s.errors.size()];
    k /= s.errors.size();
    row.c.variance = s.variances[k];
    row.c.vp = s.vp;
    row.c.mean = s.mean;
    row.c.particles = s.particles;
    row.c.steps = s.steps;
    row.c.seed = s.seed;
    row.c.stream = i;
    row.c.threads = s.threads;
    row.r = sde_w2(row.c);
    // The SDE rows judge the exact W2 against the ODE bound of the same score error.
    row.v = verdict(row.r.w2, row.r.w2_coupling, row.r.terms, 0.0);
    rows.push_back(std::move(row));
    tick();
  }
  return rows;
}

std::vector<DsmBlock> dsm_sweep(const DsmSweep& s, const Tick& tick) {
  const std::size_t n = 2 * s.times.size();
  return core::parallel_map(n, s.threads, [&](std::size_t i) {
    const bool mixture = i < s.times.size();
    DsmCase c;
    c.vp = s.vp;
    c.data = mixture ? s.mixture : s.gaussian;
    c.t = s.times[i % s.times.size()];
    c.thetas = s.thetas;
    c.samples = s.samples;
    c.seed = s.seed;
    c.stream = i;
    DsmBlock b{mixture ? "mixture" : "gaussian", c.t, dsm_losses(c)};
    tick();
    return b;
  });
}

}  // namespace w2
