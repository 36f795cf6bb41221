#include "attn/noise.hpp"

#include <gsl/gsl_multimin.h>

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <numbers>
#include <string>

#include "core/errors.hpp"
#include "core/parallel.hpp"

namespace attn {

namespace {

// o = Σ e^(s_i − max) v_i / Σ e^(s_i − max), into out (size dv).
void softmax_output(std::span<const double> s, std::span<const double> v, std::size_t dv, std::span<double> out) {
  const double top = *std::max_element(s.begin(), s.end());
  double z = 0;
  std::fill(out.begin(), out.end(), 0.0);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double w = std::exp(s[i] - top);
    z += w;
    for (std::size_t c = 0; c < dv; ++c) out[c] += w * v[i * dv + c];
  }
  for (double& x : out) x /= z;
}

// Entropy of softmax(s) and its gradient: ∂H/∂s_j = −p_j (s_j − Σ p_i s_i).
double entropy_and_gradient(std::span<const double> s, std::span<double> grad) {
  const double top = *std::max_element(s.begin(), s.end());
  double z = 0, zs = 0;
  for (double x : s) {
    const double w = std::exp(x - top);
    z += w;
    zs += w * x;
  }
  const double mean = zs / z;
  for (std::size_t j = 0; j < s.size() && !grad.empty(); ++j) grad[j] = -std::exp(s[j] - top) / z * (s[j] - mean);
  return std::log(z) + top - mean;
}

// The minimisation's state: n scores and the gradient, reused by every evaluation.
struct EntropyProblem {
  std::size_t n;
  std::vector<double> scores, gradient;
};

// s = sin(u) keeps every score in [−1, 1] without constraints.
double f_of_u(const gsl_vector* u, void* params) {
  auto* p = static_cast<EntropyProblem*>(params);
  for (std::size_t i = 0; i < p->n; ++i) p->scores[i] = std::sin(gsl_vector_get(u, i));
  return entropy_and_gradient(p->scores, {});
}

void fdf_of_u(const gsl_vector* u, void* params, double* f, gsl_vector* df) {
  auto* p = static_cast<EntropyProblem*>(params);
  for (std::size_t i = 0; i < p->n; ++i) p->scores[i] = std::sin(gsl_vector_get(u, i));
  *f = entropy_and_gradient(p->scores, p->gradient);
  for (std::size_t i = 0; i < p->n; ++i) gsl_vector_set(df, i, p->gradient[i] * std::cos(gsl_vector_get(u, i)));
}

void df_of_u(const gsl_vector* u, void* params, gsl_vector* df) {
  double f;
  fdf_of_u(u, params, &f, df);
}

// The entropy of softmax(s) with k scores at +1 and n − k at −1 (weights e and 1/e).
double two_level_entropy(std::size_t n, std::size_t k) {
  const double e = std::numbers::e, top_weight = static_cast<double>(k) * e,
               bottom_weight = static_cast<double>(n - k) / e;
  return std::log(top_weight + bottom_weight) - (top_weight - bottom_weight) / (top_weight + bottom_weight);
}

}  // namespace

NoiseError softmax_noise_error(std::size_t n, double sigma, const NoiseSettings& st) {
  if (n < 2) throw core::InputError("n: expected n >= 2, got " + std::to_string(n));
  if (!(sigma > 0) || !std::isfinite(sigma))
    throw core::InputError("sigma: expected a finite noise scale > 0, got " + std::to_string(sigma));
  if (st.trials < 2) throw core::InputError("trials: expected at least 2 trials");
  const std::size_t dv = st.dv;
  const auto errors = core::parallel_map(st.trials, st.threads, [&](std::size_t t) {
    core::Rng rng = core::rng_stream(st.seed, (st.stream << 24) + t);
    boost::random::normal_distribution<double> normal;
    std::vector<double> scores(n), noisy(n), values(n * dv), out(dv), out_noisy(dv);
    for (std::size_t i = 0; i < n; ++i) {
      scores[i] = normal(rng);
      noisy[i] = scores[i] + sigma * normal(rng);
      for (std::size_t c = 0; c < dv; ++c) values[i * dv + c] = normal(rng);
    }
    softmax_output(scores, values, dv, out);
    softmax_output(noisy, values, dv, out_noisy);
    double distance2 = 0;
    for (std::size_t c = 0; c < dv; ++c) distance2 += (out_noisy[c] - out[c]) * (out_noisy[c] - out[c]);
    return std::sqrt(distance2);
  });
  double mean = 0, sum_sq_dev = 0, sum_sq = 0;
  for (double e : errors) mean += e / static_cast<double>(errors.size());
  for (double e : errors) {
    sum_sq_dev += (e - mean) * (e - mean);
    sum_sq += e * e;
  }
  const double trials = static_cast<double>(errors.size());
  return {mean, std::sqrt(sum_sq_dev / (trials - 1) / trials), std::sqrt(sum_sq / trials)};
}

double noise_rms_asymptote(std::size_t n, double sigma, std::size_t dv) {
  return std::sqrt(static_cast<double>(dv) * std::expm1(sigma * sigma) * std::numbers::e / static_cast<double>(n));
}

EntropyFloor cosine_entropy_floor(std::size_t n, std::size_t starts, std::uint64_t seed) {
  if (n < 2) throw core::InputError("n: expected n >= 2, got " + std::to_string(n));
  if (starts < 1) throw core::InputError("starts: expected at least one starting point");
  EntropyProblem problem{n, std::vector<double>(n), std::vector<double>(n)};
  gsl_multimin_function_fdf fn{&f_of_u, &df_of_u, &fdf_of_u, n, &problem};
  gsl_multimin_fdfminimizer* bfgs = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, n);
  gsl_vector* u = gsl_vector_alloc(n);
  core::Rng rng = core::rng_stream(seed, n);
  boost::random::uniform_real_distribution<double> angle(-std::numbers::pi, std::numbers::pi);
  const double ln_n = std::log(static_cast<double>(n));
  double least_found = ln_n;
  std::vector<double> best_scores(n, 0.0);
  for (std::size_t start = 0; start < starts; ++start) {
    for (std::size_t i = 0; i < n; ++i) gsl_vector_set(u, i, angle(rng));
    gsl_multimin_fdfminimizer_set(bfgs, &fn, u, 0.1, 0.1);
    for (int iter = 0; iter < 10000; ++iter) {
      if (gsl_multimin_fdfminimizer_iterate(bfgs) != GSL_SUCCESS) break;
      if (gsl_multimin_test_gradient(bfgs->gradient, 1e-12) == GSL_SUCCESS) break;
    }
    if (bfgs->f < least_found) {
      least_found = bfgs->f;
      for (std::size_t i = 0; i < n; ++i) best_scores[i] = std::sin(gsl_vector_get(bfgs->x, i));
    }
  }
  gsl_vector_free(u);
  gsl_multimin_fdfminimizer_free(bfgs);
  EntropyFloor r{};
  r.n = n;
  r.ln_n = ln_n;
  r.found_gap = ln_n - least_found;
  for (double x : best_scores) {
    if (x > 1 - 1e-6)
      ++r.at_top;
    else if (x < -1 + 1e-6)
      ++r.at_bottom;
    else
      ++r.interior;
  }
  double least_two_level = ln_n;
  for (std::size_t k = 1; k < n; ++k)
    if (two_level_entropy(n, k) < least_two_level) {
      least_two_level = two_level_entropy(n, k);
      r.best_k = k;
    }
  r.two_level_gap = ln_n - least_two_level;
  r.gap = std::max(r.found_gap, r.two_level_gap);
  r.min_entropy = ln_n - r.gap;
  return r;
}

double entropy_gap_limit() {
  const double e = std::numbers::e;
  auto minus_gap = [e](double f) {
    const double z = f * e + (1 - f) / e;
    return std::log(z) - (f * e - (1 - f) / e) / z;
  };
  return -boost::math::tools::brent_find_minima(minus_gap, 0.0, 1.0, 52).second;
}

}  // namespace attn
