#include "quanta/zipf.hpp"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_zeta.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/errors.hpp"

namespace quanta {

namespace {

// GSL's Hurwitz zeta with its error status turned into a NumericalError (never a silent nan).
double hzeta(double s, double q) {
  gsl_sf_result r;
  const int status = gsl_sf_hzeta_e(s, q, &r);
  if (status != GSL_SUCCESS && status != GSL_EUNDRFLW)
    throw core::NumericalError("Hurwitz zeta(" + std::to_string(s) + ", " + std::to_string(q) +
                               "): " + gsl_strerror(status));
  return r.val;
}

double riemann_zeta(double s) {
  return hzeta(s, 1.0);
}

}  // namespace

double zipf_norm(const Zipf& z) {
  const double s = z.gamma + 1;
  return std::isinf(z.quanta) ? riemann_zeta(s) : riemann_zeta(s) - hzeta(s, z.quanta + 1);
}

double zipf_probability(const Zipf& z, double k) {
  if (k < 1 || k > z.quanta) return 0;
  return std::pow(k, -(z.gamma + 1)) / zipf_norm(z);
}

namespace {

// sum_{k=a}^{b} k^-s for a run of quanta short against a (b - a < a / 2): the Hurwitz difference
// zeta(s, a) - zeta(s, b + 1) would lose log10(a / (g (b - a))) digits (5e-2 relative at a = 10^15, b - a = 10).
// Up to 1000 terms directly; beyond, Euler-Maclaurin, exact here: the integral in the cancellation-free
// form a^(1-s) (-expm1((1-s) log1p((b-a)/a))) / (s-1), and three derivative terms, whose remainder is
// about (s / 2 pi a)^7 of the sum (a > 2000).
double short_run(double s, double a, double b) {
  if (b - a < 1000) {
    long double sum = 0;
    for (double k = b; k >= a; --k) sum += std::pow(static_cast<long double>(k), -static_cast<long double>(s));
    return static_cast<double>(sum);
  }
  const double g = s - 1;
  const double integral = std::pow(a, -g) * -std::expm1(-g * std::log1p((b - a) / a)) / g;
  double sum = integral + (std::pow(a, -s) + std::pow(b, -s)) / 2;
  // B_2m / (2m)! (f^(2m-1)(b) - f^(2m-1)(a)), f^(2m-1)(x) = -s (s+1) .. (s+2m-2) x^-(s+2m-1).
  const double bernoulli[] = {1.0 / 12, -1.0 / 720, 1.0 / 30240};
  double rising = s;
  for (int m = 1; m <= 3; ++m) {
    const double order = 2.0 * m - 1;
    sum += bernoulli[m - 1] * -rising * (std::pow(b, -(s + order)) - std::pow(a, -(s + order)));
    rising *= (s + order) * (s + order + 1);
  }
  return sum;
}

}  // namespace

double zipf_mass(const Zipf& z, double k0, double k1) {
  k0 = std::max(k0, 1.0);
  k1 = std::min(k1, z.quanta + 1);
  if (k1 <= k0) return 0;
  const double s = z.gamma + 1;
  if (!std::isinf(k1) && k1 - k0 < k0 / 2) return short_run(s, k0, k1 - 1) / zipf_norm(z);
  const double upper = std::isinf(k1) ? 0.0 : hzeta(s, k1);
  return (hzeta(s, k0) - upper) / zipf_norm(z);
}

double zipf_tail(const Zipf& z, double n) {
  return zipf_mass(z, n + 1, unlimited);
}

double zipf_tail_asymptotic(double gamma, double n) {
  return std::pow(n, -gamma) / (gamma * riemann_zeta(gamma + 1));
}

CurvePoint quanta_loss_curve_point(double gamma, const Losses& l, double n) {
  const double tail = zipf_tail({gamma}, n), asym = zipf_tail_asymptotic(gamma, n);
  return {n, l.a + (l.b - l.a) * tail, l.a + (l.b - l.a) * asym, tail / asym};
}

std::vector<double> log_grid(double from, double to, unsigned points) {
  if (points <= 1 || from == to) return {from};
  std::vector<double> out(points);
  const double lo = std::log(from), step = (std::log(to) - lo) / (points - 1);
  for (unsigned i = 0; i < points; ++i) {
    out[i] = std::exp(lo + step * i);
    // Exact powers of ten where the grid passes through them (10^7, not 10000000.000000006).
    const double decade = std::round(std::log10(out[i]));
    if (std::abs(std::log10(out[i]) - decade) < 1e-9) out[i] = std::pow(10.0, decade);
  }
  out.front() = from;
  out.back() = to;
  return out;
}

std::vector<double> integer_log_grid(double from, double to, unsigned points) {
  auto out = log_grid(from, to, points);
  for (auto& x : out) x = std::round(x);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace quanta
