#include "quanta/count_sums.hpp"

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "core/errors.hpp"

namespace quanta {

namespace {

// Terms are summed one by one until the bound rate(x) on |d log term / dk| falls to rho_max; with end
// differences up to order `order` Gregory's formula then errs by about rho_max^(order+1) of the end term
// (10^-11 at 0.1; measured 3e-15 on exp(-0.1 k)), and rate(x) overstates the true rate, so the error is smaller.
constexpr double rho_max = 0.1;
constexpr int order = 10;
// Terms whose sum is provably below this fraction of the whole are left out.
constexpr double negligible = 1e-17;

// Gregory's coefficients |G_1|, |G_2|, ... from x / log(1 + x) = sum_n G_n x^n: G_n = -sum_{k=1}^{n} G_{n-k}
// (-1)^k / (k + 1), G_0 = 1 (the recurrence of the series product; G_2 = -1/12, G_3 = 1/24, G_4 = -19/720).
std::array<double, order + 2> gregory_coefficients() {
  std::array<double, order + 2> g{};
  g[0] = 1;
  for (int n = 1; n <= order + 1; ++n) {
    double sum = 0;
    for (int k = 1; k <= n; ++k) sum += g[n - k] * ((k % 2 ? -1.0 : 1.0) / (k + 1));
    g[n] = -sum;
  }
  for (auto& c : g) c = std::abs(c);
  return g;
}

enum class Term { missed_mass, learned_mass, missed_count, learned_count, log_learned };

// One sample size D: the terms as functions of a real quantum index x >= 1.
class Terms {
 public:
  Terms(double tau, double s, double norm, double samples)
      : tau_(tau),
        s_(s),
        norm_(norm),
        d_(samples),
        sqrt_tau_(std::sqrt(tau)),
        tau_lo_(tau - 16 * std::sqrt(tau) - 16) {}

  double lambda(double x) const { return d_ * std::pow(x, -s_) / norm_; }
  // The x at which lambda(x) = l (real, decreasing in l).
  double x_at(double l) const { return std::pow(d_ / (norm_ * l), 1 / s_); }
  // Boost's regularised incomplete gamma functions (GSL's abort with "error in large x asymptotic" for
  // tau ~ 10^6 and lambda > 10^6 near tau; Boost's use Temme's uniform expansion there).
  double q(double l) const { return boost::math::gamma_q(tau_, l); }
  double p(double l) const { return boost::math::gamma_p(tau_, l); }

  double operator()(Term t, double x) const {
    const double l = lambda(x);
    switch (t) {
      case Term::missed_mass: return std::pow(x, -s_) / norm_ * q(l);
      case Term::learned_mass: return std::pow(x, -s_) / norm_ * p(l);
      case Term::missed_count: return q(l);
      case Term::learned_count: return p(l);
      case Term::log_learned: return l > tau_ ? std::log1p(-q(l)) : std::log(p(l));
    }
    return 0;
  }

  // A bound on |d log term / dx| at every y >= x (decreasing in x), for every kind of term: the Poisson tail
  // Q(tau, lambda) falls like exp(-(lambda - tau)) above tau, its transition is sqrt(tau) wide, and below
  // tau - 16 sqrt(tau) - 16 the tail P is below 1e-21 of the term (a Poisson right tail, at most about
  // exp(-z^2/2 (1 - z / 3 sqrt(lambda))) at z sd) where it is a smooth power of x, or is itself the term
  // (P, log P) and smooth on the scale of x.
  double rate_bound(double x) const {
    const double l = lambda(x);
    if (l < tau_lo_) return s_ * (2 + std::min(tau_, 1.0)) / x;
    return s_ * (18 + 17 * sqrt_tau_ + std::max(0.0, l - tau_)) / x;
  }
  // The local rate for the widths of the integration panels (at the panel's left end, where lambda is
  // largest; inside the band, the band's widest value).
  double panel_rate(double x) const {
    const double l = lambda(x);
    double h = 2 + sqrt_tau_ + std::max(0.0, l - tau_);
    if (l >= tau_lo_) h += std::min(tau_, 16 * sqrt_tau_ + 16);
    return s_ * h;
  }

  // The first x from which rate_bound stays at most rho_max: bisection on its decreasing form. Where the
  // term is the tail P itself (power_tail), below the band it falls like x^-(s tau): the rate is s (2 + tau) / x.
  double first_smooth(bool power_tail) const {
    auto g = [&](double x) { return s_ * (18 + 17 * sqrt_tau_ + std::max(0.0, lambda(x) - tau_)) / x - rho_max; };
    double c1 = 1;
    if (g(1) > 0) {
      double hi = 2;
      while (g(hi) > 0) hi *= 2;
      c1 = bracket(g, hi / 2, hi).second;
    }
    const double x_lo = tau_lo_ > 0 ? x_at(tau_lo_) : INFINITY;
    return c1 < x_lo ? c1 : std::max(x_lo, s_ * (2 + (power_tail ? tau_ : 1.0)) / rho_max);
  }

  // The x in [lo, hi] at which the increasing function f(x) crosses level: the lower end of a bracket
  // narrower than 1/2 (where f < level).
  template <class F>
  static double crossing(F f, double lo, double hi, double level) {
    return bracket([&](double x) { return f(x) - level; }, lo, hi).first;
  }

  // Boost's bisection of a monotone f with a sign change in [lo, hi], to a bracket narrower than 1/2 (the
  // quanta are integers). It is given the sign of f only: its test f(lo) f(hi) < 0 would underflow for
  // values near 1e-190 (the tails here).
  template <class F>
  static std::pair<double, double> bracket(F f, double lo, double hi) {
    std::uintmax_t iterations = 400;
    return boost::math::tools::bisect([&](double x) { return f(x) < 0 ? -1.0 : 1.0; }, lo, hi,
                                      [](double a, double b) { return std::abs(b - a) <= 0.5 + 1e-15 * a; },
                                      iterations);
  }

  double integral(Term t, double a, double b) const {
    auto g = [&](double u) {
      const double x = std::exp(u);
      return (*this)(t, x) * x;
    };
    long double total = 0;
    double u = std::log(a);
    const double end = std::log(b);
    while (u < end) {
      const double w = std::min({0.5, 2 / panel_rate(std::exp(u)), end - u});
      double err = 0;
      total += boost::math::quadrature::gauss_kronrod<double, 21>::integrate(g, u, u + w, 3, 1e-10, &err);
      u += w;
      if (w <= 0) break;
    }
    return static_cast<double>(total);
  }

  // sum_{k=a}^{b} term(k) (integers a <= b) by Gregory's formula (written here: neither Boost nor GSL sums a
  // series by its integral and end corrections; Gregory's uses differences of the terms, not derivatives, so a
  // tail of tiny amplitude and large derivatives cannot blow up the corrections as Euler-Maclaurin's would): the
  // integral from a to b, half the end terms, and sum_j |G_{j+1}| (nabla^j f_b + (-1)^j delta^j f_a).
  double gregory(Term t, double a, double b) const {
    static const auto coef = gregory_coefficients();
    std::array<double, order + 1> lo{}, hi{};
    for (int i = 0; i <= order; ++i) {
      lo[i] = (*this)(t, a + i);
      hi[i] = (*this)(t, b - i);
    }
    long double sum = integral(t, a, b);
    sum += (lo[0] + hi[0]) / 2.0L;
    // Differences in place: after step j, lo[0] = delta^j f_a and hi[0] = (-1)^j nabla^j f_b.
    for (int j = 1; j <= order; ++j) {
      for (int i = 0; i + j <= order; ++i) {
        lo[i] = lo[i + 1] - lo[i];
        hi[i] = hi[i + 1] - hi[i];
      }
      const double sign = j % 2 ? -1.0 : 1.0;
      sum += coef[j + 1] * (sign * hi[0] + sign * lo[0]);
    }
    return static_cast<double>(sum);
  }

  double direct(Term t, double a, double b) const {
    long double sum = 0;
    for (double k = a; k <= b; ++k) sum += (*this)(t, k);
    return static_cast<double>(sum);
  }

  // sum_{k=a}^{b} term(k), the terms below k1 left out (k1 = a: none), one by one below the smooth region.
  double sum(Term t, double a, double b, double k1) const {
    if (b < a) return 0;
    a = std::max(a, k1);
    if (b < a) return 0;
    const bool power_tail = t == Term::learned_mass || t == Term::learned_count;
    const double k0 = std::clamp(std::ceil(first_smooth(power_tail)), a, b + 1);
    double total = direct(t, a, k0 - 1);
    if (b - k0 < 2 * order + 2)
      total += direct(t, k0, b);
    else
      total += gregory(t, k0, b);
    return total;
  }

  // The first k in [a, b] from which Q(tau, lambda_k) exceeds level (a when Q(lambda_a) already does).
  double left_cut(double a, double b, double level) const {
    if (q(lambda(a)) >= level) return a;
    if (q(lambda(b)) < level) return b;
    return std::max(a, std::floor(crossing([&](double x) { return q(lambda(x)); }, a, b, level)));
  }

  // The last k in [a, b] up to which P(tau, lambda_k) stays at least level (P falls with k): the terms
  // after it have P < level.
  double right_cut(double a, double b, double level) const {
    if (p(lambda(b)) >= level) return b;
    if (p(lambda(a)) < level) return a;
    return std::min(b, std::ceil(crossing([&](double x) { return -p(lambda(x)); }, a, b, -level)) + 1);
  }

 private:
  double tau_, s_, norm_, d_, sqrt_tau_, tau_lo_;
};

}  // namespace

CountSums::CountSums(const Zipf& z, unsigned tau) : zipf_(z), tau_(tau), s_(z.gamma + 1), norm_(zipf_norm(z)) {
  if (tau < 1) throw std::invalid_argument("CountSums: tau >= 1");
}

double CountSums::missed_mass(double samples) const {
  if (!(samples > 0)) return 1;
  const Terms f(tau_, s_, norm_, samples);
  // k_tau: the first quantum with lambda_k <= tau; below it Q < 1/2 and falls towards k = 1.
  const double k_tau = std::max(1.0, std::ceil(f.x_at(tau_)));
  if (!std::isinf(zipf_.quanta)) {
    const double last = zipf_.quanta;
    // One term of the sum bounds it below; the quanta with Q below 1e-17 of it (mass <= 1) are left out.
    const double lower = f(Term::missed_mass, std::min(k_tau, last));
    if (lower == 0) return 0;  // Q underflows (D p > 700): the loss is a to within about 1e-300
    const double k1 = f.left_cut(1, last, negligible * lower);
    return f.sum(Term::missed_mass, 1, last, k1);
  }
  // K unlimited: sum_{k < k_tau} p_k Q_k + mass(k >= k_tau) - sum_{k >= k_tau} p_k P_k, where P <= P(tau, tau)
  // < 0.64 (so the difference keeps its digits) and the P sum stops where P falls below 1e-17 Q(tau, tau).
  const double lower = f(Term::missed_mass, k_tau);
  const double left =
      k_tau > 1 ? f.sum(Term::missed_mass, 1, k_tau - 1, f.left_cut(1, k_tau - 1, negligible * lower)) : 0.0;
  const double level = negligible * f.q(tau_) / 2;
  double end = k_tau;
  while (f.p(f.lambda(end)) >= level) end *= 2;
  end = f.right_cut(std::max(k_tau, end / 2), end, level);
  const double mass = zipf_mass(zipf_, k_tau, unlimited);
  return left + mass - f.sum(Term::learned_mass, k_tau, end, k_tau);
}

double CountSums::learned_count(double samples) const {
  if (std::isinf(zipf_.quanta)) throw std::logic_error("learned_count needs a finite K");
  if (!(samples > 0)) return 0;
  const Terms f(tau_, s_, norm_, samples);
  const double last = zipf_.quanta;
  const double k_tau = std::min(last + 1, std::max(1.0, std::ceil(f.x_at(tau_))));
  // Below k_tau: count - sum Q (Q < 1/2 there; Q below 1e-17 left out, at most k_tau of them); above: sum P.
  double left = 0;
  if (k_tau > 1) {
    const double n = k_tau - 1;
    left = n - f.sum(Term::missed_count, 1, n, f.left_cut(1, n, negligible));
  }
  // Above k_tau the quanta with P below 1e-17 / K of the first one's are left out (at most K of them).
  if (k_tau > last || f.p(f.lambda(k_tau)) == 0) return left;
  const double end = f.right_cut(k_tau, last, negligible * f.p(f.lambda(k_tau)) / last);
  return left + f.sum(Term::learned_count, k_tau, end, k_tau);
}

double CountSums::log_all_learned(double samples) const {
  if (std::isinf(zipf_.quanta)) throw std::logic_error("log_all_learned needs a finite K");
  if (!(samples > 0)) return -INFINITY;
  const Terms f(tau_, s_, norm_, samples);
  const double last = zipf_.quanta;
  // The rarest quantum's term is the largest in size; -inf when its P underflows.
  const double lower = -f(Term::log_learned, last);
  if (std::isinf(lower)) return -INFINITY;
  if (lower == 0) return 0;
  // |log P| <= 2 Q for Q <= 1/2: the quanta below the cut add at most K 2 Q <= 1e-17 of the rarest term.
  const double k1 = f.left_cut(1, last, negligible * lower / (2 * last));
  return f.sum(Term::log_learned, 1, last, k1);
}

}  // namespace quanta
