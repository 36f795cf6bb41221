#include "w2/gaussian.hpp"

#include <algorithm>
#include <boost/math/tools/toms748_solve.hpp>
#include <charconv>
#include <cmath>
#include <map>
#include <vector>

#include "core/csv.hpp"
#include "core/errors.hpp"

namespace w2 {

std::string_view to_string(ScoreError e) {
  switch (e) {
    case ScoreError::bias: return "bias";
    case ScoreError::scale: return "scale";
    case ScoreError::wrong_gaussian: return "wrong_gaussian";
    case ScoreError::time_linear: return "time_linear";
  }
  return "?";
}

std::string_view to_string(Prior p) {
  return p == Prior::exact ? "exact" : "standard";
}

namespace {

double parse_positive(std::string_view text, std::string_view spec) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) || !(v > 0))
    throw core::InputError(
        "--variances: expected V or A:B with finite variances > 0 (Sigma must be positive "
        "definite), got '" +
        std::string(spec) + "'");
  return v;
}

Vector unit_diagonal_direction(Eigen::Index d) {
  return Vector::Constant(d, 1.0 / std::sqrt(double(d)));
}

// J = 1/2 beta (S - I), h = -1/2 beta c for a score s(x) = -S x + c.
LinearField flow_of_score(double beta, Matrix s, const Vector& c, bool diagonal) {
  s.diagonal().array() -= 1.0;
  return {0.5 * beta * s, -0.5 * beta * c, diagonal};
}

}  // namespace

GaussianData gaussian_data(unsigned d, std::string_view spec, double mean) {
  if (d < 1) throw core::InputError("--dims: expected integers >= 1, got 0");
  GaussianData out{Vector::Constant(d, mean), Vector(d), std::string(spec)};
  const auto colon = spec.find(':');
  if (colon == std::string_view::npos) {
    out.variances.setConstant(parse_positive(spec, spec));
    return out;
  }
  const double a = parse_positive(spec.substr(0, colon), spec), b = parse_positive(spec.substr(colon + 1), spec);
  for (unsigned i = 0; i < d; ++i) out.variances[i] = d == 1 ? std::sqrt(a * b) : a * std::pow(b / a, i / (d - 1.0));
  return out;
}

const Matrix& time_linear_matrix(unsigned d) {
  // Built once per dimension and thread: the fields ask for it at every ODE stage.
  thread_local std::map<unsigned, Matrix> cache;
  auto it = cache.find(d);
  if (it != cache.end()) return it->second;
  Matrix a(d, d);
  for (unsigned i = 0; i < d; ++i)
    for (unsigned j = 0; j < d; ++j) a(i, j) = std::sin(1.0 + i + 2.0 * j);
  return cache.emplace(d, a / Eigen::JacobiSVD<Matrix>(a).singularValues()(0)).first->second;
}

Gaussian forward_marginal(const GaussianCase& c, double t) {
  const double m = c.vp.mean_scale(t), s2 = c.vp.noise_var(t);
  const Vector lambda = (m * m) * c.data.variances.array() + s2;
  return {m * c.data.mean, lambda.asDiagonal()};
}

LinearField true_field(const GaussianCase& c, double t) {
  const Gaussian p = forward_marginal(c, t);
  const Vector inv = p.cov.diagonal().cwiseInverse();
  return flow_of_score(c.vp.beta(t), inv.asDiagonal(), inv.cwiseProduct(p.mean), true);
}

LinearField model_field(const GaussianCase& c, double t) {
  const auto d = c.data.mean.size();
  const double beta = c.vp.beta(t), eta = c.eta;
  const Gaussian p = forward_marginal(c, t);
  const Vector inv = p.cov.diagonal().cwiseInverse();
  const Vector b = unit_diagonal_direction(d);
  switch (c.error) {
    case ScoreError::bias: return flow_of_score(beta, inv.asDiagonal(), inv.cwiseProduct(p.mean) + eta * b, true);
    case ScoreError::scale:
      return flow_of_score(beta, (1 + eta) * Matrix(inv.asDiagonal()), (1 + eta) * inv.cwiseProduct(p.mean), true);
    case ScoreError::wrong_gaussian: {
      const double m = c.vp.mean_scale(t);
      const Vector inv_wrong =
          ((m * m * (1 + eta)) * c.data.variances.array() + c.vp.noise_var(t)).cwiseInverse().matrix();
      return flow_of_score(beta, inv_wrong.asDiagonal(), inv_wrong.cwiseProduct(m * (c.data.mean + eta * b)), true);
    }
    case ScoreError::time_linear: {
      Matrix s = inv.asDiagonal();
      s -= (eta * t / c.vp.t_end) * time_linear_matrix(static_cast<unsigned>(d));
      return flow_of_score(beta, s, inv.cwiseProduct(p.mean), d == 1);
    }
  }
  throw std::logic_error("unknown score error");
}

namespace {

// Maps an ODE state vector onto a mean and the blocks that follow it.
struct StateView {
  Eigen::Map<Vector> mean;
  Eigen::Map<Matrix> a, b;
  StateView(double* p, Eigen::Index d) : mean(p, d), a(p + d, d, d), b(p + d + d * d, d, d) {}
};

Matrix times(const LinearField& f, const Matrix& m) {
  return f.diagonal ? Matrix(f.jacobian.diagonal().asDiagonal() * m) : Matrix(f.jacobian * m);
}

}  // namespace

Gaussian linear_flow(const std::function<LinearField(double)>& field, const Gaussian& start, double t0, double t1,
                     OdeTolerance tol) {
  const auto d = start.mean.size();
  std::vector<double> state(d + 2 * d * d, 0.0);
  StateView s(state.data(), d);
  s.mean = start.mean;
  s.a = start.cov;
  auto system = [&](const std::vector<double>& x, std::vector<double>& dxdt, double t) {
    const LinearField f = field(t);
    StateView in(const_cast<double*>(x.data()), d), out(dxdt.data(), d);
    out.mean = f.jacobian * in.mean + f.offset;
    const Matrix jc = times(f, in.a);
    out.a = jc + jc.transpose();
    out.b.setZero();
  };
  integrate_checked(system, state, t0, t1, tol, "the mean and covariance ODE");
  return {s.mean, 0.5 * (s.a + s.a.transpose())};
}

LocalRates gaussian_rates(const GaussianCase& c, double t) {
  const LinearField f = true_field(c, t), g = model_field(c, t);
  const Gaussian p = forward_marginal(c, t);
  LocalRates r;
  if (g.diagonal) {
    const Vector j = g.jacobian.diagonal();
    r.lipschitz[proof] = j.maxCoeff();
    r.lipschitz[backward] = -j.minCoeff();
    r.lipschitz[two_sided] = j.cwiseAbs().maxCoeff();
  } else {
    const Matrix sym = 0.5 * (g.jacobian + g.jacobian.transpose());
    const Vector ev = Eigen::SelfAdjointEigenSolver<Matrix>(sym, Eigen::EigenvaluesOnly).eigenvalues();
    r.lipschitz[proof] = ev.maxCoeff();
    r.lipschitz[backward] = -ev.minCoeff();
    const Matrix gram = g.jacobian.transpose() * g.jacobian;
    r.lipschitz[two_sided] =
        std::sqrt(Eigen::SelfAdjointEigenSolver<Matrix>(gram, Eigen::EigenvaluesOnly).eigenvalues().maxCoeff());
  }
  // f - g = D x + k with x ~ N(mu_t, Sigma_t): E|D x + k|^2 = |D mu_t + k|^2 + tr(D Sigma_t D^T).
  const Matrix diff = f.jacobian - g.jacobian;
  const Vector k = f.offset - g.offset;
  const double mean_part = (diff * p.mean + k).squaredNorm();
  const double cov_part = (diff.array().square().rowwise() * p.cov.diagonal().transpose().array()).sum();
  r.drift_error = std::sqrt(mean_part + cov_part);
  return r;
}

GaussianResult gaussian_w2(const GaussianCase& c) {
  const auto d = c.data.mean.size();
  const double t_end = c.vp.t_end;
  // State: the mean of e = x - y, Cov(x, e), Cov(e, e). x follows the true flow from p_T (so x_t ~ p_t
  // exactly and its moments are closed-form), y the model's flow from q_T, coupled at T optimally.
  std::vector<double> state(d + 2 * d * d, 0.0);
  StateView s(state.data(), d);
  const Gaussian p_end = forward_marginal(c, t_end);
  if (c.prior == Prior::standard) {
    const Matrix i_minus_a = Matrix::Identity(d, d) - optimal_map(p_end.cov, Matrix::Identity(d, d));
    s.mean = p_end.mean;
    s.a = p_end.cov * i_minus_a.transpose();
    s.b = i_minus_a * p_end.cov * i_minus_a.transpose();
  }
  GaussianResult out;
  out.w2_at_T = std::sqrt(s.mean.squaredNorm() + s.b.trace());
  const std::string what = "the coupling ODE (" + c.data.label + ")";
  if (c.error != ScoreError::time_linear || d == 1) {
    // Every field is diagonal, so are Cov(x, e) and Cov(e, e): integrate the diagonals alone.
    std::vector<double> diag(3 * d);
    Eigen::Map<Vector> me(diag.data(), d), pxe(diag.data() + d, d), pee(diag.data() + 2 * d, d);
    me = s.mean;
    pxe = s.a.diagonal();
    pee = s.b.diagonal();
    auto system = [&](const std::vector<double>& x, std::vector<double>& dxdt, double t) {
      const LinearField f = true_field(c, t), g = model_field(c, t);
      const double m = c.vp.mean_scale(t);
      const Vector lambda = (m * m) * c.data.variances.array() + c.vp.noise_var(t);
      const Eigen::Map<const Vector> in_me(x.data(), d), in_pxe(x.data() + d, d), in_pee(x.data() + 2 * d, d);
      Eigen::Map<Vector> o_me(dxdt.data(), d), o_pxe(dxdt.data() + d, d), o_pee(dxdt.data() + 2 * d, d);
      const Vector fd = f.jacobian.diagonal(), jd = g.jacobian.diagonal(), diff = fd - jd;
      o_me = diff.cwiseProduct(m * c.data.mean) + jd.cwiseProduct(in_me) + (f.offset - g.offset);
      o_pxe = fd.cwiseProduct(in_pxe) + lambda.cwiseProduct(diff) + in_pxe.cwiseProduct(jd);
      o_pee = 2 * diff.cwiseProduct(in_pxe) + 2 * jd.cwiseProduct(in_pee);
    };
    out.stats = integrate_checked(system, diag, t_end, 0.0, c.tol, what);
    s.mean = me;
    s.a = pxe.asDiagonal();
    s.b = pee.asDiagonal();
  } else {
    auto system = [&](const std::vector<double>& x, std::vector<double>& dxdt, double t) {
      const LinearField f = true_field(c, t), g = model_field(c, t);
      const Gaussian p = forward_marginal(c, t);
      StateView in(const_cast<double*>(x.data()), d), o(dxdt.data(), d);
      const Matrix diff = f.jacobian - g.jacobian;  // D: e' = D x + J e + k
      o.mean = diff * p.mean + g.jacobian * in.mean + (f.offset - g.offset);
      const Vector f_diag = f.jacobian.diagonal();
      const Matrix d_pxe = f_diag.asDiagonal() * in.a - g.jacobian * in.a;
      o.a =
          f_diag.asDiagonal() * in.a + p.cov.diagonal().asDiagonal() * diff.transpose() + in.a * g.jacobian.transpose();
      const Matrix j_pee = g.jacobian * in.b;
      o.b = d_pxe + d_pxe.transpose() + j_pee + j_pee.transpose();
    };
    out.stats = integrate_checked(system, state, t_end, 0.0, c.tol, what);
  }
  const Gaussian p0 = forward_marginal(c, 0.0);
  const Matrix pxe = s.a;
  out.q0 = {p0.mean - s.mean, p0.cov - pxe - pxe.transpose() + 0.5 * (s.b + s.b.transpose())};
  out.w2_coupling = std::sqrt(s.mean.squaredNorm() + std::max(s.b.trace(), 0.0));
  out.w2 = bures_w2(p0, out.q0);
  out.terms = gaussian_bound_terms(c);
  return out;
}

namespace {

// The branches whose maximum is each form's L_t for a diagonal g_t with Jacobian entries j_i: form proof
// takes max j_i, backward max (-j_i), two_sided max |j_i|; branch b < d is j_b, b >= d is -j_(b-d).
double branch(const Vector& j, Eigen::Index b) {
  return b < j.size() ? j[b] : -j[b - j.size()];
}

Eigen::Index leading_branch(const Vector& j, LipschitzForm f) {
  const Eigen::Index d = j.size(), first = f == backward ? d : 0, last = f == proof ? d : 2 * d;
  Eigen::Index best = first;
  for (Eigen::Index b = first; b < last; ++b)
    if (branch(j, b) > branch(j, best)) best = b;
  return best;
}

}  // namespace

std::vector<double> gaussian_kinks(const GaussianCase& c) {
  if (!model_field(c, 0).diagonal) return {};
  // 256 intervals of t: the entries are smooth on the scale of the schedule, and a hand-over is bracketed
  // wherever the leading branch differs at the two ends (two within one interval would cancel unseen,
  // which the tests' independent quadrature would catch).
  constexpr int intervals = 256;
  const double t_end = c.vp.t_end;
  auto entries = [&](double t) -> Vector { return model_field(c, t).jacobian.diagonal(); };
  std::vector<double> kinks;
  Vector j_prev = entries(0);
  for (int i = 1; i <= intervals; ++i) {
    const double a = t_end * (i - 1) / intervals, b = t_end * i / intervals;
    const Vector j_next = entries(b);
    for (LipschitzForm f : lipschitz_forms) {
      const Eigen::Index from = leading_branch(j_prev, f), to = leading_branch(j_next, f);
      if (from == to) continue;
      auto gap = [&](double t) {
        const Vector j = entries(t);
        return branch(j, from) - branch(j, to);
      };
      const double ga = gap(a), gb = gap(b);
      if (!(ga * gb < 0)) {  // a tie at an end: the corner is there
        kinks.push_back(ga == 0 ? a : b);
        continue;
      }
      boost::uintmax_t iterations = 100;
      const auto root =
          boost::math::tools::toms748_solve(gap, a, b, ga, gb, boost::math::tools::eps_tolerance<double>(), iterations);
      kinks.push_back(0.5 * (root.first + root.second));
    }
    j_prev = j_next;
  }
  std::sort(kinks.begin(), kinks.end());
  kinks.erase(std::unique(kinks.begin(), kinks.end()), kinks.end());
  return kinks;
}

BoundTerms gaussian_bound_terms(const GaussianCase& c) {
  return bound_terms(
      c.vp.t_end, [&](double t) { return gaussian_rates(c, t); }, bound_tolerance, gaussian_kinks(c));
}

}  // namespace w2
