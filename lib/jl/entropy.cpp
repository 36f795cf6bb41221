#include "jl/entropy.hpp"

#include <gsl/gsl_fit.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "attn/softmax_stats.hpp"
#include "core/errors.hpp"

namespace jl {

std::string_view to_string(Scale s) {
  switch (s) {
    case Scale::inv_sqrt_d: return "inv_sqrt_d";
    case Scale::log512: return "log512_n_over_sqrt_d";
    case Scale::kappa_log: return "kappa_ln_n_over_d";
  }
  return "";
}

double softmax_scale(Scale s, double n, double d, double kappa) {
  switch (s) {
    case Scale::inv_sqrt_d: return 1 / std::sqrt(d);
    case Scale::log512: return std::log(n) / std::log(512.0) / std::sqrt(d);
    case Scale::kappa_log: return kappa * std::log(n) / d;
  }
  return 0;
}

std::size_t EntropyConfig::queries(std::size_t n) const {
  return std::clamp(work / n, min_queries, max_queries);
}

std::vector<std::size_t> EntropyConfig::keys() const {
  std::vector<std::size_t> out;
  for (unsigned k = log2_from; k <= log2_to; ++k) out.push_back(std::size_t{1} << k);
  return out;
}

namespace {

struct Moments {
  double sum = 0, sum2 = 0;
  void add(double v) {
    sum += v;
    sum2 += v * v;
  }
  double mean(double count) const { return sum / count; }
  double sd(double count) const {
    return count > 1 ? std::sqrt(std::max(0.0, (sum2 - sum * sum / count) / (count - 1))) : 0.0;
  }
};

}  // namespace

std::vector<EntropyRow> entropy_at(const EntropyConfig& c, std::size_t n, std::size_t stream,
                                   std::span<const double> alphas) {
  const auto dn = static_cast<double>(n);
  attn::ScoreBatch batch;
  batch.kind = attn::ScoreKind::gaussian;
  batch.d = c.d;
  batch.n = n;
  batch.queries = c.queries(n);
  batch.needle_rho = c.needle_rho;
  batch.seed = c.seed;
  batch.stream = stream;
  std::vector<attn::SoftmaxStats> stats;
  try {
    stats = attn::softmax_stats(batch, {alphas.begin(), alphas.end()}, c.threads, c.device);
  } catch (const core::InputError& e) {
    throw core::InputError(std::string("--log2-to/--d: ") + e.what());
  }
  const auto q = static_cast<double>(batch.queries);
  std::vector<EntropyRow> rows;
  for (std::size_t a = 0; a < alphas.size(); ++a) {
    Moments h, mf, mass, maxp;
    for (std::size_t i = 0; i < batch.queries; ++i) {
      const auto& st = stats[i * alphas.size() + a];
      h.add(st.entropy);
      mf.add(std::log(dn) - alphas[a] * (st.max_score - st.mean_score));
      mass.add(st.mass);
      maxp.add(st.max_p);
    }
    EntropyRow r;
    r.n = n;
    r.lambda = alphas[a];
    r.queries = batch.queries;
    r.entropy_mean = h.mean(q);
    r.entropy_sd = h.sd(q);
    r.entropy_over_ln_n = r.entropy_mean / std::log(dn);
    r.meanfield_mean = mf.mean(q);
    r.max_p_mean = maxp.mean(q);
    r.needle_mass_mean = mass.mean(q);
    r.needle_mass_sd = mass.sd(q);
    rows.push_back(r);
  }
  return rows;
}

double estimated_seconds(const EntropyConfig& c) {
  // Measured with the Release build on --threads 2 (2 cores shared, load 3-6): the default (1.4e8 draws,
  // 1.5e10 multiply-adds, 7e8 exps) took 4.9-13 s, --log2-to 16 5.0 s, --d 256 --log2-to 14 7.8 s; at load
  // 1.4 --log2-to 14 0.79 s, --log2-to 16 1.2 s, --d 256 --log2-to 12 0.76 s. The three costs below, per
  // thread, are about twice the load-1.4 fit.
  constexpr double seconds_per_draw = 4e-9, seconds_per_multiply_add = 3.5e-10, seconds_per_exp = 6e-9;
  const auto d = static_cast<double>(c.d);
  double draws = 0, scores = 0;
  for (std::size_t n : c.keys()) {
    const auto q = static_cast<double>(c.queries(n));
    draws += (static_cast<double>(n) + 2 * q) * d;
    scores += q * static_cast<double>(n) * (d * seconds_per_multiply_add + 3 * seconds_per_exp);
  }
  return draws * seconds_per_draw + scores / std::max(1u, c.threads);
}

EntropyResult entropy_sweep(const EntropyConfig& c, const std::function<void()>& on_point, core::Sweep* sweep) {
  if (c.d < 1) throw core::InputError("--d: expected d >= 1, got 0");
  if (c.log2_from < 1 || c.log2_from > c.log2_to)
    throw core::InputError("--log2-from: expected 1 <= log2-from <= log2-to, got " + std::to_string(c.log2_from) +
                           " and " + std::to_string(c.log2_to));
  if (c.needle_rho > 1 || (c.needle_rho < 0 && c.needle_rho != -1))
    throw core::InputError("--rho: expected a number in [0, 1], got " + std::to_string(c.needle_rho));
  EntropyResult result;
  const auto keys = c.keys();
  // One n at a time (the outer map on one thread): each engine call uses every thread.
  const auto per_n = core::sweep_map(sweep, keys.size(), 1, [&](std::size_t p) {
    const auto dn = static_cast<double>(keys[p]);
    std::vector<double> alphas;
    for (Scale s : all_scales) alphas.push_back(softmax_scale(s, dn, static_cast<double>(c.d), c.kappa));
    auto rows = entropy_at(c, keys[p], p, alphas);
    for (std::size_t a = 0; a < rows.size(); ++a) rows[a].scale = all_scales[a];
    if (on_point) on_point();
    return rows;
  });
  for (const auto& rows : per_n) result.rows.insert(result.rows.end(), rows.begin(), rows.end());
  for (Scale s : all_scales) {
    std::vector<double> x, y, mf, ly;
    for (const auto& r : result.rows)
      if (r.scale == s) {
        x.push_back(std::log(static_cast<double>(r.n)));
        y.push_back(r.entropy_mean);
        mf.push_back(r.meanfield_mean);
        ly.push_back(std::log(std::max(r.needle_mass_mean, 1e-300)));
      }
    EntropySlope f;
    f.scale = s;
    if (x.size() >= 2) {
      double c0 = 0, cov00 = 0, cov01 = 0, cov11 = 0, sumsq = 0;
      gsl_fit_linear(x.data(), 1, y.data(), 1, x.size(), &c0, &f.slope, &cov00, &cov01, &cov11, &sumsq);
      f.slope_se = std::sqrt(cov11);
      gsl_fit_linear(x.data(), 1, mf.data(), 1, x.size(), &c0, &f.meanfield_slope, &cov00, &cov01, &cov11, &sumsq);
      if (c.needle_rho >= 0)
        gsl_fit_linear(x.data(), 1, ly.data(), 1, x.size(), &c0, &f.needle_slope, &cov00, &cov01, &cov11, &sumsq);
    }
    result.slopes.push_back(f);
  }
  return result;
}

}  // namespace jl
