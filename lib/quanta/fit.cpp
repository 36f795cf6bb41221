#include "quanta/fit.hpp"

#include <gsl/gsl_multimin.h>
#include <gsl/gsl_statistics_double.h>

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "core/simd.hpp"

namespace quanta {

namespace {

struct Layout {
  std::size_t terms;  // power-law terms: 2 for chinchilla, 1 otherwise
  bool has_e;
};

Layout layout(LawForm f) {
  switch (f) {
    case LawForm::chinchilla: return {2, true};
    case LawForm::power: return {1, true};
    case LawForm::power0: return {1, false};
  }
  return {0, false};
}

}  // namespace

std::string_view to_string(LawForm f) {
  switch (f) {
    case LawForm::chinchilla: return "chinchilla";
    case LawForm::power: return "power";
    case LawForm::power0: return "power0";
  }
  return "?";
}

std::vector<std::string_view> parameter_names(LawForm f) {
  switch (f) {
    case LawForm::chinchilla: return {"a", "b", "e", "alpha", "beta"};
    case LawForm::power: return {"a", "e", "alpha"};
    case LawForm::power0: return {"a", "alpha"};
  }
  return {};
}

std::size_t parameter_count(LawForm f) {
  const auto l = layout(f);
  return 2 * l.terms + (l.has_e ? 1 : 0);
}

Observations observations_from_csv(const core::CsvTable& t, const ColumnNames& names, LawForm form,
                                   std::string_view what) {
  const std::size_t c_loss = t.column(names.loss, std::string(what) + ": --loss-column");
  const std::size_t c_n = t.column(names.params, std::string(what) + ": --x-column");
  const bool two = form == LawForm::chinchilla, tokens = !names.tokens.empty();
  const std::size_t c_d = !two ? 0
                               : t.column(tokens ? names.tokens : names.compute,
                                          std::string(what) + (tokens ? ": --tokens-column" : ": --compute-column"));
  Observations o;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    auto positive = [&](std::size_t c) {
      const double v = core::csv_number(t, i, c, what);
      if (!(v > 0))
        throw core::InputError(std::string(what) + ": line " + std::to_string(t.lines[i]) + ", column '" + t.header[c] +
                               "': expected a positive number, got '" + t.rows[i][c] + "'");
      return v;
    };
    o.loss.push_back(positive(c_loss));
    o.n.push_back(positive(c_n));
    if (two) o.d.push_back(tokens ? positive(c_d) : positive(c_d) / (6 * o.n.back()));
  }
  if (o.size() < parameter_count(form))
    throw core::InputError(std::string(what) + ": the " + std::string(to_string(form)) + " law has " +
                           std::to_string(parameter_count(form)) + " parameters, but the CSV has " +
                           std::to_string(o.size()) + " rows");
  return o;
}

Observations observations_from_arrays(std::span<const double> n, std::span<const double> d,
                                      std::span<const double> loss, LawForm form, std::string_view what) {
  const bool two = form == LawForm::chinchilla;
  if (n.size() != loss.size() || (two && d.size() != loss.size()))
    throw core::InputError(std::string(what) + ": N, D and loss must have one entry per run, got " +
                           std::to_string(n.size()) + ", " + std::to_string(d.size()) + " and " +
                           std::to_string(loss.size()));
  core::CsvTable t{{"loss", "N", "D"}, {}, {}};
  for (std::size_t i = 0; i < loss.size(); ++i) {
    t.rows.push_back({core::format_double(loss[i]), core::format_double(n[i]), two ? core::format_double(d[i]) : ""});
    t.lines.push_back(i + 1);
  }
  return observations_from_csv(t, {.loss = "loss", .params = "N", .tokens = "D"}, form, what);
}

Observations exclude_highest_loss(const Observations& o, std::size_t k) {
  std::vector<std::size_t> order(o.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto i, auto j) { return o.loss[i] > o.loss[j]; });
  std::vector<bool> drop(o.size(), false);
  for (std::size_t i = 0; i < std::min(k, o.size()); ++i) drop[order[i]] = true;
  Observations out;
  for (std::size_t i = 0; i < o.size(); ++i) {
    if (drop[i]) continue;
    out.loss.push_back(o.loss[i]);
    out.n.push_back(o.n[i]);
    if (!o.d.empty()) out.d.push_back(o.d[i]);
  }
  return out;
}

HuberLogObjective::HuberLogObjective(LawForm form, const Observations& o, double delta)
    : HuberLogObjective(form, o, {}, delta) {}

HuberLogObjective::HuberLogObjective(LawForm form, const Observations& o, std::span<const std::size_t> rows,
                                     double delta)
    : form_(form), delta_(delta) {
  // The multiplicity of each row: 1 for every row without `rows`; a bootstrap resample's count otherwise.
  // A row drawn k times contributes k times the same term, so one weighted entry replaces its k copies
  // (about 37% fewer rows to evaluate for a resample of 240: only ~63% of the rows are distinct).
  std::vector<double> multiplicity(o.size(), rows.empty() ? 1.0 : 0.0);
  for (const std::size_t i : rows) multiplicity.at(i) += 1;
  double sum_n = 0, sum_d = 0;
  for (std::size_t i = 0; i < o.size(); ++i) {
    if (multiplicity[i] == 0) continue;
    log_loss_.push_back(std::log(o.loss[i]));
    log_n_.push_back(std::log(o.n[i]));
    log_d_.push_back(o.d.empty() ? 0.0 : std::log(o.d[i]));
    weight_.push_back(multiplicity[i]);
    total_weight_ += multiplicity[i];
    sum_n += multiplicity[i] * log_n_.back();
    sum_d += multiplicity[i] * log_d_.back();
  }
  centre_n_ = sum_n / total_weight_;
  centre_d_ = sum_d / total_weight_;
  for (auto& x : log_n_) x -= centre_n_;
  for (auto& x : log_d_) x -= centre_d_;
  while (weight_.size() % 4 != 0) {  // padding: weight 0, finite values, contributes exactly nothing
    log_loss_.push_back(0);
    log_n_.push_back(0);
    log_d_.push_back(0);
    weight_.push_back(0);
  }
}

std::vector<double> HuberLogObjective::to_centred(std::span<const double> theta) const {
  const auto l = layout(form_);
  std::vector<double> c(theta.begin(), theta.end());
  const std::size_t ia = l.terms + l.has_e;
  c[0] -= theta[ia] * centre_n_;
  if (l.terms == 2) c[1] -= theta[ia + 1] * centre_d_;
  return c;
}

std::vector<double> HuberLogObjective::from_centred(std::span<const double> centred) const {
  const auto l = layout(form_);
  std::vector<double> t(centred.begin(), centred.end());
  const std::size_t ia = l.terms + l.has_e;
  t[0] += centred[ia] * centre_n_;
  if (l.terms == 2) t[1] += centred[ia + 1] * centre_d_;
  return t;
}

double HuberLogObjective::value_and_gradient(std::span<const double> theta, std::span<double> g) const {
  // The chain rule through the centring: d/d alpha = d/d alpha~ - c_N d/d a~, d/d a = d/d a~.
  const double v = centred_value_and_gradient(to_centred(theta), g);
  const auto l = layout(form_);
  const std::size_t ia = l.terms + l.has_e;
  g[ia] -= centre_n_ * g[0];
  if (l.terms == 2) g[ia + 1] -= centre_d_ * g[1];
  return v;
}

double HuberLogObjective::log_prediction(std::span<const double> theta, std::size_t i) const {
  return std::log(law_loss(form_, to_centred(theta), std::exp(log_n_.at(i)), std::exp(log_d_.at(i))));
}

double HuberLogObjective::value(std::span<const double> theta) const {
  std::vector<double> g(theta.size());
  return value_and_gradient(theta, g);
}

namespace {

// The per-row work of the objective, fused into one pass (no temporaries): for row i,
//   t1 = a - alpha log N, t2 = b - beta log D, t3 = e (t2, t3 = -inf where the form lacks them),
//   r = LSE(t1, t2, t3) - log L, the Huber term of r, and the softmax weights w_j = exp(t_j - LSE),
// accumulated with the row weights into the value and the five gradient sums.
struct KernelIn {
  const double *ll, *ln, *ld, *wt;
  std::size_t n;  // a multiple of 4
  double a, b, e, alpha, beta, delta;
};
struct KernelOut {
  double huber = 0, s1 = 0, s1n = 0, s2 = 0, s2d = 0, s3 = 0;
};

void kernel_scalar(const KernelIn& k, KernelOut& o) {
  for (std::size_t i = 0; i < k.n; ++i) {
    const double t1 = k.a - k.alpha * k.ln[i], t2 = k.b - k.beta * k.ld[i], t3 = k.e;
    const double top = std::max(t1, std::max(t2, t3));
    const double w1 = std::exp(t1 - top), w2 = std::exp(t2 - top), w3 = std::exp(t3 - top), s = w1 + w2 + w3;
    const double r = top + std::log(s) - k.ll[i], ar = std::abs(r);
    o.huber += k.wt[i] * (ar <= k.delta ? 0.5 * r * r : k.delta * (ar - 0.5 * k.delta));
    const double dr = k.wt[i] * std::clamp(r, -k.delta, k.delta) / s;
    o.s1 += dr * w1;
    o.s1n += dr * w1 * k.ln[i];
    o.s2 += dr * w2;
    o.s2d += dr * w2 * k.ld[i];
    o.s3 += dr * w3;
  }
}

#ifdef CORE_LIBMVEC
#define QUANTA_AVX2_KERNEL 1
#pragma GCC push_options
#pragma GCC target("avx2,fma")

double hsum(__m256d v) {
  const __m128d x = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_add_sd(x, _mm_unpackhi_pd(x, x)));
}

__attribute__((target("avx2,fma"))) void kernel_avx2(const KernelIn& k, KernelOut& o) {
  const __m256d a = _mm256_set1_pd(k.a), b = _mm256_set1_pd(k.b), t3 = _mm256_set1_pd(k.e);
  const __m256d alpha = _mm256_set1_pd(k.alpha), beta = _mm256_set1_pd(k.beta);
  const __m256d delta = _mm256_set1_pd(k.delta), ndelta = _mm256_set1_pd(-k.delta);
  const __m256d half = _mm256_set1_pd(0.5), half_delta = _mm256_set1_pd(0.5 * k.delta);
  const __m256d sign = _mm256_set1_pd(-0.0);
  __m256d huber = _mm256_setzero_pd(), s1 = huber, s1n = huber, s2 = huber, s2d = huber, s3 = huber;
  for (std::size_t i = 0; i < k.n; i += 4) {
    const __m256d ln = _mm256_loadu_pd(k.ln + i), ld = _mm256_loadu_pd(k.ld + i);
    const __m256d t1 = _mm256_fnmadd_pd(alpha, ln, a), t2 = _mm256_fnmadd_pd(beta, ld, b);
    const __m256d top = _mm256_max_pd(t1, _mm256_max_pd(t2, t3));
    const __m256d w1 = _ZGVdN4v_exp(_mm256_sub_pd(t1, top)), w2 = _ZGVdN4v_exp(_mm256_sub_pd(t2, top)),
                  w3 = _ZGVdN4v_exp(_mm256_sub_pd(t3, top));
    const __m256d s = _mm256_add_pd(_mm256_add_pd(w1, w2), w3);
    const __m256d r = _mm256_sub_pd(_mm256_add_pd(top, _ZGVdN4v_log(s)), _mm256_loadu_pd(k.ll + i));
    const __m256d ar = _mm256_andnot_pd(sign, r), wt = _mm256_loadu_pd(k.wt + i);
    const __m256d quad = _mm256_mul_pd(half, _mm256_mul_pd(r, r)),
                  lin = _mm256_mul_pd(delta, _mm256_sub_pd(ar, half_delta));
    const __m256d h = _mm256_blendv_pd(lin, quad, _mm256_cmp_pd(ar, delta, _CMP_LE_OQ));
    huber = _mm256_fmadd_pd(wt, h, huber);
    const __m256d dr = _mm256_div_pd(_mm256_mul_pd(wt, _mm256_min_pd(_mm256_max_pd(r, ndelta), delta)), s);
    const __m256d d1 = _mm256_mul_pd(dr, w1), d2 = _mm256_mul_pd(dr, w2);
    s1 = _mm256_add_pd(s1, d1);
    s1n = _mm256_fmadd_pd(d1, ln, s1n);
    s2 = _mm256_add_pd(s2, d2);
    s2d = _mm256_fmadd_pd(d2, ld, s2d);
    s3 = _mm256_fmadd_pd(dr, w3, s3);
  }
  o.huber = hsum(huber);
  o.s1 = hsum(s1);
  o.s1n = hsum(s1n);
  o.s2 = hsum(s2);
  o.s2d = hsum(s2d);
  o.s3 = hsum(s3);
}
#pragma GCC pop_options
#endif

void run_kernel(const KernelIn& k, KernelOut& o) {
#ifdef QUANTA_AVX2_KERNEL
  if (core::have_avx2()) return kernel_avx2(k, o);
#endif
  kernel_scalar(k, o);
}

}  // namespace

double HuberLogObjective::centred_value_and_gradient(std::span<const double> theta, std::span<double> g) const {
  const auto l = layout(form_);
  const std::size_t ie = l.terms, ia = l.terms + l.has_e, ib = ia + 1;
  constexpr double none = -std::numeric_limits<double>::infinity();  // a term the form lacks: exp(-inf) = 0
  const KernelIn in{log_loss_.data(),
                    log_n_.data(),
                    log_d_.data(),
                    weight_.data(),
                    weight_.size(),
                    theta[0],
                    l.terms == 2 ? theta[1] : none,
                    l.has_e ? theta[ie] : none,
                    theta[ia],
                    l.terms == 2 ? theta[ib] : 0.0,
                    delta_};
  KernelOut out;
  run_kernel(in, out);
  // d Huber / d r is r clipped to [-delta, delta]; d r / d t_j is the softmax weight w_j / s.
  const double scale = 1 / (delta_ * total_weight_);
  g[0] = scale * out.s1;
  g[ia] = -scale * out.s1n;
  if (l.terms == 2) {
    g[1] = scale * out.s2;
    g[ib] = -scale * out.s2d;
  }
  if (l.has_e) g[ie] = scale * out.s3;
  return out.huber * scale;
}

namespace {

// GSL's BFGS2 asks for f and its gradient in separate calls at the same point; one evaluation serves both.
struct Evaluation {
  const HuberLogObjective* f;
  double factor = 1;  // the loss scale (loss_scale_factor); 1 is exact: the fit's objective as it is
  std::vector<double> x, gradient;
  double value = 0;
  bool valid = false;

  void at(const gsl_vector* point) {
    if (valid && std::equal(x.begin(), x.end(), point->data)) return;
    x.assign(point->data, point->data + point->size);
    gradient.resize(point->size);
    value = factor * f->centred_value_and_gradient(x, gradient);
    for (auto& g : gradient) g *= factor;
    valid = true;
  }
};

double gsl_f(const gsl_vector* x, void* p) {
  auto& e = *static_cast<Evaluation*>(p);
  e.at(x);
  return e.value;
}

void gsl_df(const gsl_vector* x, void* p, gsl_vector* g) {
  auto& e = *static_cast<Evaluation*>(p);
  e.at(x);
  std::copy(e.gradient.begin(), e.gradient.end(), g->data);
}

void gsl_fdf(const gsl_vector* x, void* p, double* value, gsl_vector* g) {
  *value = gsl_f(x, p);
  gsl_df(x, p, g);
}

}  // namespace

LocalFit minimize_from(const HuberLogObjective& f, std::span<const double> start, const MinimizerSettings& s) {
  return minimize_scaled(f, 1, start, StoppingRule::bfgs, s);
}

std::string_view to_string(LossScale s) {
  return s == LossScale::summed ? "summed" : "averaged";
}

std::string_view to_string(StoppingRule r) {
  return r == StoppingRule::lbfgsb ? "lbfgsb" : "bfgs";
}

double loss_scale_factor(LossScale s, std::size_t rows) {
  return s == LossScale::summed ? static_cast<double>(rows) : 1.0;
}

namespace {

double max_abs(const gsl_vector* g) {
  double m = 0;
  for (std::size_t j = 0; j < g->size; ++j) m = std::max(m, std::abs(gsl_vector_get(g, j)));
  return m;
}

}  // namespace

LocalFit minimize_scaled(const HuberLogObjective& f, double factor, std::span<const double> start, StoppingRule rule,
                         const MinimizerSettings& s, const LbfgsbStopping& lbfgsb) {
  const std::size_t dim = f.dimension();
  Evaluation cache{&f, factor};
  gsl_multimin_function_fdf fdf{&gsl_f, &gsl_df, &gsl_fdf, dim, &cache};
  gsl_vector* x = gsl_vector_alloc(dim);
  const auto centred = f.to_centred(start);
  std::copy(centred.begin(), centred.end(), x->data);
  gsl_multimin_fdfminimizer* m = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, dim);
  // Initial step 0.1 in theta and the line-search tolerance 0.1 that GSL's manual recommends for BFGS.
  gsl_multimin_fdfminimizer_set(m, &fdf, x, 0.1, 0.1);
  LocalFit out{std::vector<double>(dim), 0, false, 0};
  // This reproduces L-BFGS-B's stopping rule (SciPy's pgtol and factr tests, absolute in the objective's
  // scale), not its bound handling: the iterations are GSL's BFGS2, unbounded.
  const double eps = std::numeric_limits<double>::epsilon();
  if (rule == StoppingRule::lbfgsb && max_abs(m->gradient) <= lbfgsb.pgtol) out.converged = true;  // at the start
  while (!out.converged && out.iterations < s.max_iterations) {
    ++out.iterations;
    const double before = m->f;
    const int status = gsl_multimin_fdfminimizer_iterate(m);
    if (rule == StoppingRule::lbfgsb) {
      const double after = m->f;
      if (max_abs(m->gradient) <= lbfgsb.pgtol ||
          (before - after) / std::max({std::abs(before), std::abs(after), 1.0}) <= lbfgsb.factr * eps) {
        out.converged = status == GSL_SUCCESS || max_abs(m->gradient) <= lbfgsb.pgtol;
        break;
      }
    } else if (gsl_multimin_test_gradient(m->gradient, s.gradient_tolerance) == GSL_SUCCESS) {
      out.converged = true;
      break;
    }
    if (status != GSL_SUCCESS) break;  // no progress possible along the search direction
  }
  out.theta = f.from_centred({m->x->data, dim});
  out.objective = m->f;
  if (!std::isfinite(out.objective)) out.converged = false;
  gsl_multimin_fdfminimizer_free(m);
  gsl_vector_free(x);
  return out;
}

std::vector<std::vector<double>> starting_grid(LawForm f) {
  const auto l = layout(f);
  const std::vector<double> coef{0, 5, 10, 15, 20, 25}, e{-1, -0.5, 0, 0.5, 1}, expo{0, 0.5, 1, 1.5, 2};
  std::vector<const std::vector<double>*> axes;
  for (std::size_t j = 0; j < l.terms; ++j) axes.push_back(&coef);
  if (l.has_e) axes.push_back(&e);
  for (std::size_t j = 0; j < l.terms; ++j) axes.push_back(&expo);
  std::vector<std::vector<double>> out{{}};
  for (const auto* axis : axes) {
    std::vector<std::vector<double>> next;
    for (const auto& prefix : out)
      for (double v : *axis) {
        next.push_back(prefix);
        next.back().push_back(v);
      }
    out = std::move(next);
  }
  return out;
}

namespace {

// Two local optima are the same when every parameter agrees to 1e-3 (relative above 1).
bool same_optimum(std::span<const double> x, std::span<const double> y) {
  for (std::size_t j = 0; j < x.size(); ++j)
    if (std::abs(x[j] - y[j]) > 1e-3 * std::max(1.0, std::abs(y[j]))) return false;
  return true;
}

// The best converged fit among starts (lowest objective; ties to the earliest start).
const LocalFit* best_of(const std::vector<LocalFit>& fits) {
  const LocalFit* best = nullptr;
  for (const auto& f : fits)
    if (f.converged && (!best || f.objective < best->objective)) best = &f;
  return best;
}

}  // namespace

LawFit fit_scaling_law(const Observations& o, const FitSettings& s, const std::function<void()>& advance,
                       core::Sweep* sweep) {
  const HuberLogObjective objective(s.form, o, s.delta);
  const auto grid = starting_grid(s.form);
  const auto local = core::parallel_map(grid.size(), s.threads, [&](std::size_t i) {
    auto f = minimize_from(objective, grid[i], s.minimizer);
    advance();
    return f;
  });
  const LocalFit* best = best_of(local);
  if (!best)
    throw core::NumericalError("fit: none of the " + std::to_string(grid.size()) +
                               " starts converged (gradient norm below " +
                               core::format_sig(s.minimizer.gradient_tolerance, 3) + " within " +
                               std::to_string(s.minimizer.max_iterations) + " iterations)");
  LawFit out{s.form, o.size(), best->theta, best->objective, grid.size(), 0, 0, {}, 0};
  for (const auto& f : local) {
    out.converged_starts += f.converged;
    out.starts_at_optimum += f.converged && same_optimum(f.theta, best->theta);
  }

  // Resample b draws its rows and its perturbations from stream b: independent of --threads.
  const auto resamples = core::sweep_map(sweep, s.bootstrap, s.threads, [&](std::size_t b) {
    core::Rng rng = core::rng_stream(s.seed, b);
    boost::random::uniform_int_distribution<std::size_t> pick(0, o.size() - 1);
    std::vector<std::size_t> rows(o.size());
    for (auto& r : rows) r = pick(rng);
    const HuberLogObjective f(s.form, o, rows, s.delta);
    std::vector<LocalFit> fits{minimize_from(f, out.theta, s.minimizer)};
    boost::random::normal_distribution<double> noise(0.0, 1.0);
    for (unsigned p = 0; p < s.perturbations; ++p) {
      auto start = out.theta;
      // Perturbations of a tenth of each parameter's magnitude (at least 0.05) around the full-data optimum.
      for (auto& x : start) x += noise(rng) * std::max(0.05, 0.1 * std::abs(x));
      fits.push_back(minimize_from(f, start, s.minimizer));
    }
    advance();
    const LocalFit* r = best_of(fits);
    return r ? r->theta : std::vector<double>{};
  });
  for (auto& r : resamples) {
    if (r.empty())
      ++out.bootstrap_failed;
    else
      out.bootstrap.push_back(r);
  }
  if (out.bootstrap_failed * 100 > s.bootstrap)
    throw core::NumericalError("fit: " + std::to_string(out.bootstrap_failed) + " of " + std::to_string(s.bootstrap) +
                               " bootstrap refits did not converge");
  return out;
}

double estimated_seconds(const FitSettings& s, std::size_t rows) {
  // Measured with the Release build on --threads 2 (2 cores shared, load 3-9), 245 rows: the default took
  // 8.4-15 s, --bootstrap 0 --no-comparison (4,500 starts) 2.0-8.9 s; --max-iterations 100 took 80% of the
  // time of 1000, 10^4 and 10^5 110%. At load 1.2: --bootstrap 0 --no-comparison 0.91 s, --bootstrap 1000
  // --max-iterations 300 2.4 s, --form power --bootstrap 500 --perturbations 10 0.81 s: 4e-8 s per iteration
  // and row per thread counted (about twice those).
  constexpr double seconds_per_row_iteration = 4e-8;
  constexpr double grid_iterations = 100, resample_iterations = 30;
  const double cap = s.minimizer.max_iterations;
  const double iterations = static_cast<double>(starting_grid(s.form).size()) * std::min(cap, grid_iterations) +
                            s.bootstrap * (1.0 + s.perturbations) * std::min(cap, resample_iterations);
  return iterations * static_cast<double>(rows) * seconds_per_row_iteration / std::max(1u, s.threads);
}

double law_loss(LawForm form, std::span<const double> theta, double n, double d) {
  const auto l = layout(form);
  double loss = std::exp(theta[0] - theta[l.terms + l.has_e] * std::log(n));
  if (l.terms == 2) loss += std::exp(theta[1] - theta[l.terms + l.has_e + 1] * std::log(d));
  if (l.has_e) loss += std::exp(theta[l.terms]);
  return loss;
}

namespace {

// theta of the chinchilla form by name (its layout: a, b, e, alpha, beta; see parameter_names).
struct ChinchillaTheta {
  double log_a, log_b, log_e, alpha, beta;
  explicit ChinchillaTheta(std::span<const double> th)
      : log_a(th[0]), log_b(th[1]), log_e(th[2]), alpha(th[3]), beta(th[4]) {}
};

// G = (alpha A / (beta B))^(1/(alpha+beta)), in logs.
double log_allocation_g(const ChinchillaTheta& p) {
  return (std::log(p.alpha) + p.log_a - std::log(p.beta) - p.log_b) / (p.alpha + p.beta);
}

}  // namespace

double optimal_params(std::span<const double> theta, double compute) {
  const ChinchillaTheta p(theta);
  return std::exp(log_allocation_g(p) + p.beta / (p.alpha + p.beta) * std::log(compute / 6));
}

namespace {

using Quantity = std::pair<std::string, std::function<double(std::span<const double>)>>;

std::vector<Quantity> quantities(LawForm form) {
  const auto l = layout(form);
  const std::size_t ia = l.terms + l.has_e;
  std::vector<Quantity> q;
  if (l.has_e) q.push_back({"E", [e = l.terms](auto th) { return std::exp(th[e]); }});
  q.push_back({"A", [](auto th) { return std::exp(th[0]); }});
  if (l.terms == 2) q.push_back({"B", [](auto th) { return std::exp(th[1]); }});
  q.push_back({"alpha", [ia](auto th) { return th[ia]; }});
  if (l.terms == 1) return q;
  using P = ChinchillaTheta;
  q.push_back({"beta", [](auto th) { return P(th).beta; }});
  q.push_back({"a_N", [](auto th) { return P(th).beta / (P(th).alpha + P(th).beta); }});
  q.push_back({"b_D", [](auto th) { return P(th).alpha / (P(th).alpha + P(th).beta); }});
  q.push_back({"G", [](auto th) { return std::exp(log_allocation_g(P(th))); }});
  q.push_back({"N_opt_C1e24", [](auto th) { return optimal_params(th, report_compute); }});
  q.push_back({"D_opt_C1e24", [](auto th) { return report_compute / (6 * optimal_params(th, report_compute)); }});
  q.push_back({"tokens_per_param_C1e24", [](auto th) {
                 const double n = optimal_params(th, report_compute);
                 return report_compute / (6 * n * n);
               }});
  q.push_back({"gamma_from_alpha", [](auto th) { return P(th).alpha; }});
  q.push_back({"beta_predicted", [](auto th) { return P(th).alpha / (P(th).alpha + 1); }});
  q.push_back({"beta_minus_predicted", [](auto th) { return P(th).beta - P(th).alpha / (P(th).alpha + 1); }});
  return q;
}

}  // namespace

Estimate estimate_of(const LawFit& fit, std::string name, const std::function<double(std::span<const double>)>& f) {
  Estimate e{std::move(name), f(fit.theta), NAN, NAN, NAN};
  if (fit.bootstrap.size() >= 2) {
    std::vector<double> v;
    for (const auto& th : fit.bootstrap) v.push_back(f(th));
    std::sort(v.begin(), v.end());
    e.se = gsl_stats_sd(v.data(), 1, v.size());
    e.lo95 = gsl_stats_quantile_from_sorted_data(v.data(), 1, v.size(), 0.025);
    e.hi95 = gsl_stats_quantile_from_sorted_data(v.data(), 1, v.size(), 0.975);
  }
  return e;
}

std::vector<Estimate> law_estimates(const LawFit& fit) {
  std::vector<Estimate> out;
  for (const auto& [name, f] : quantities(fit.form)) out.push_back(estimate_of(fit, name, f));
  return out;
}

std::string interval_text(const Estimate& e, int digits) {
  if (!std::isfinite(e.lo95)) return "";
  return "95% CI " + core::format_sig(e.lo95, digits) + " .. " + core::format_sig(e.hi95, digits);
}

const Estimate& find_estimate(const std::vector<Estimate>& e, std::string_view name) {
  for (const auto& x : e)
    if (x.name == name) return x;
  throw std::logic_error("no estimate named '" + std::string(name) + "'");
}

}  // namespace quanta
