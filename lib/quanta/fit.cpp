#include "quanta/fit.hpp"

#include <gsl/gsl_multimin.h>
#include <gsl/gsl_statistics_double.h>

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/errors.hpp"
#include "core/parallel.hpp"

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
  const std::size_t count = rows.empty() ? o.size() : rows.size();
  log_loss_.resize(static_cast<Eigen::Index>(count));
  log_n_.setZero(log_loss_.size());
  log_d_.setZero(log_loss_.size());
  for (std::size_t j = 0; j < count; ++j) {
    const std::size_t i = rows.empty() ? j : rows[j];
    const auto k = static_cast<Eigen::Index>(j);
    log_loss_[k] = std::log(o.loss[i]);
    log_n_[k] = std::log(o.n[i]);
    if (!o.d.empty()) log_d_[k] = std::log(o.d[i]);
  }
  centre_n_ = log_n_.mean();
  centre_d_ = log_d_.mean();
  log_n_ -= centre_n_;
  log_d_ -= centre_d_;
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
  return std::log(law_loss(form_, to_centred(theta), std::exp(log_n_[static_cast<Eigen::Index>(i)]),
                           std::exp(log_d_[static_cast<Eigen::Index>(i)])));
}

double HuberLogObjective::value(std::span<const double> theta) const {
  std::vector<double> g(theta.size());
  return value_and_gradient(theta, g);
}

double HuberLogObjective::centred_value_and_gradient(std::span<const double> theta, std::span<double> g) const {
  // Eigen's vectorised exp and log over the rows: the objective is most of a fit's time.
  using Eigen::ArrayXd;
  const auto l = layout(form_);
  const std::size_t ie = l.terms, ia = l.terms + l.has_e, ib = ia + 1;
  const ArrayXd t1 = theta[0] - theta[ia] * log_n_;
  ArrayXd t2, top = t1;
  if (l.terms == 2) {
    t2 = theta[1] - theta[ib] * log_d_;
    top = top.max(t2);
  }
  if (l.has_e) top = top.max(theta[ie]);
  // The log-sum-exp with its largest term factored out; w / s are its partial derivatives (softmax weights).
  const ArrayXd w1 = (t1 - top).exp();
  ArrayXd s = w1, w2, w3;
  if (l.terms == 2) s += (w2 = (t2 - top).exp());
  if (l.has_e) s += (w3 = (theta[ie] - top).exp());
  const ArrayXd r = top + s.log() - log_loss_;
  const ArrayXd ar = r.abs();
  const double sum = (ar <= delta_).select(0.5 * r * r, delta_ * (ar - 0.5 * delta_)).sum();
  // d Huber / d r is r clipped to [-delta, delta].
  const ArrayXd dr = r.max(-delta_).min(delta_) / s;
  const double scale = 1 / (delta_ * static_cast<double>(log_loss_.size()));
  g[0] = scale * (dr * w1).sum();
  g[ia] = -scale * (dr * w1 * log_n_).sum();
  if (l.terms == 2) {
    g[1] = scale * (dr * w2).sum();
    g[ib] = -scale * (dr * w2 * log_d_).sum();
  }
  if (l.has_e) g[ie] = scale * (dr * w3).sum();
  return sum * scale;
}

namespace {

// GSL's BFGS2 asks for f and its gradient in separate calls at the same point; one evaluation serves both.
struct Evaluation {
  const HuberLogObjective* f;
  std::vector<double> x, gradient;
  double value = 0;
  bool valid = false;

  void at(const gsl_vector* point) {
    if (valid && std::equal(x.begin(), x.end(), point->data)) return;
    x.assign(point->data, point->data + point->size);
    gradient.resize(point->size);
    value = f->centred_value_and_gradient(x, gradient);
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
  const std::size_t dim = f.dimension();
  Evaluation cache{&f};
  gsl_multimin_function_fdf fdf{&gsl_f, &gsl_df, &gsl_fdf, dim, &cache};
  gsl_vector* x = gsl_vector_alloc(dim);
  const auto centred = f.to_centred(start);
  std::copy(centred.begin(), centred.end(), x->data);
  gsl_multimin_fdfminimizer* m = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, dim);
  // Initial step 0.1 in theta and the line-search tolerance 0.1 that GSL's manual recommends for BFGS.
  gsl_multimin_fdfminimizer_set(m, &fdf, x, 0.1, 0.1);
  LocalFit out{std::vector<double>(dim), 0, false, 0};
  while (out.iterations < s.max_iterations) {
    ++out.iterations;
    const int status = gsl_multimin_fdfminimizer_iterate(m);
    if (gsl_multimin_test_gradient(m->gradient, s.gradient_tolerance) == GSL_SUCCESS) {
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

LawFit fit_scaling_law(const Observations& o, const FitSettings& s, const std::function<void()>& advance) {
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
  const auto resamples = core::parallel_map(s.bootstrap, s.threads, [&](std::size_t b) {
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

double law_loss(LawForm form, std::span<const double> theta, double n, double d) {
  const auto l = layout(form);
  double loss = std::exp(theta[0] - theta[l.terms + l.has_e] * std::log(n));
  if (l.terms == 2) loss += std::exp(theta[1] - theta[l.terms + l.has_e + 1] * std::log(d));
  if (l.has_e) loss += std::exp(theta[l.terms]);
  return loss;
}

namespace {

// G = (alpha A / (beta B))^(1/(alpha+beta)), in logs.
double log_allocation_g(std::span<const double> th) {
  return (std::log(th[3]) + th[0] - std::log(th[4]) - th[1]) / (th[3] + th[4]);
}

}  // namespace

double optimal_params(std::span<const double> th, double compute) {
  return std::exp(log_allocation_g(th) + th[4] / (th[3] + th[4]) * std::log(compute / 6));
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
  q.push_back({"beta", [](auto th) { return th[4]; }});
  q.push_back({"a_N", [](auto th) { return th[4] / (th[3] + th[4]); }});
  q.push_back({"b_D", [](auto th) { return th[3] / (th[3] + th[4]); }});
  q.push_back({"G", [](auto th) { return std::exp(log_allocation_g(th)); }});
  q.push_back({"N_opt_C1e24", [](auto th) { return optimal_params(th, report_compute); }});
  q.push_back({"D_opt_C1e24", [](auto th) { return report_compute / (6 * optimal_params(th, report_compute)); }});
  q.push_back({"tokens_per_param_C1e24", [](auto th) {
                 const double n = optimal_params(th, report_compute);
                 return report_compute / (6 * n * n);
               }});
  q.push_back({"gamma_from_alpha", [](auto th) { return th[3]; }});
  q.push_back({"beta_predicted", [](auto th) { return th[3] / (th[3] + 1); }});
  q.push_back({"beta_minus_predicted", [](auto th) { return th[4] - th[3] / (th[3] + 1); }});
  return q;
}

}  // namespace

std::vector<Estimate> law_estimates(const LawFit& fit) {
  std::vector<Estimate> out;
  for (const auto& [name, f] : quantities(fit.form)) {
    Estimate e{name, f(fit.theta), NAN, NAN, NAN};
    if (fit.bootstrap.size() >= 2) {
      std::vector<double> v;
      for (const auto& th : fit.bootstrap) v.push_back(f(th));
      std::sort(v.begin(), v.end());
      e.se = gsl_stats_sd(v.data(), 1, v.size());
      e.lo95 = gsl_stats_quantile_from_sorted_data(v.data(), 1, v.size(), 0.025);
      e.hi95 = gsl_stats_quantile_from_sorted_data(v.data(), 1, v.size(), 0.975);
    }
    out.push_back(e);
  }
  return out;
}

const Estimate& find_estimate(const std::vector<Estimate>& e, std::string_view name) {
  for (const auto& x : e)
    if (x.name == name) return x;
  throw std::logic_error("no estimate named '" + std::string(name) + "'");
}

}  // namespace quanta
