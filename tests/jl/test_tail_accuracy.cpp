// The accuracy docs/jl-entropy.md states for the exact tails, over the domain norm-tail and ortho-tail
// accept (n = 1 .. 2^20, eps in (0, 1)), against independent evaluations: Boost's incomplete gamma in
// 50 digits (another algorithm than its double and long double Temme expansion), the exact finite sum of
// the law of <u, v> for even n in 50 digits, the K_0 law of a product of two normals for n = 1, and a
// long-double Gauss-Kronrod quadrature around the integrand's peak for large n.
#include <catch2/catch.hpp>
#include <boost/math/constants/constants.hpp>
#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/bessel.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "jl/tails.hpp"

namespace {

using F = boost::multiprecision::cpp_bin_float_50;
constexpr double smallest_normal = std::numeric_limits<double>::min();

// |value - reference| / reference where the reference is a normal double, else the absolute difference
// over the smallest normal (so a subnormal or underflowed tail passes when within one ulp of 2^-1022).
double error(double value, const F& reference) {
  const F diff = abs(F(value) - reference);
  return static_cast<double>(reference >= smallest_normal ? diff / reference : diff / smallest_normal);
}

F norm_tail_50(unsigned n, double eps) {
  const F k = F(n) / 2, e = eps;
  return boost::math::gamma_q(k, k * (1 + e)) + boost::math::gamma_p(k, k * (1 - e));
}

// n even, k = n/2: Q(k, y) = e^-y sum_{j<k} y^j/j!, so 2 ∫ f_Γ(k)(x) Q(k, s + x) dx is the finite sum
// 2 e^-s sum_{j<k} sum_{i<=j} s^(j-i)/(j-i)! C(k-1+i, i)/2^(k+i) (each ∫ x^(k-1+i) e^(-2x) in closed form).
F ortho_tail_even_50(unsigned n, double eps) {
  const unsigned k = n / 2;
  const F s = F(n) * F(eps);
  std::vector<F> c(k), p(k);
  F ci = 1 / pow(F(2), k), pm = 1;
  for (unsigned i = 0; i < k; ++i) {
    c[i] = ci;
    p[i] = pm;
    ci = ci * (k + i) / (i + 1) / 2;
    pm = pm * s / (i + 1);
  }
  F sum = 0;
  for (unsigned j = 0; j < k; ++j)
    for (unsigned i = 0; i <= j; ++i) sum += p[j - i] * c[i];
  return 2 * exp(-s) * sum;
}

// n = 1: xy with x, y ~ N(0, 1) has the density K_0(|z|)/π.
long double ortho_tail_n1(double eps) {
  boost::math::quadrature::exp_sinh<long double> q;
  return 2 / boost::math::constants::pi<long double>() *
         q.integrate([](long double z) { return boost::math::cyl_bessel_k(0, z); }, static_cast<long double>(eps),
                     std::numeric_limits<long double>::infinity(), 1e-19L);
}

// Large n: the integrand f_Γ(k)(x) Q(k, nε + x) is a peak near x = k - nε/2 of width ~sqrt(k); 61-point
// Gauss-Kronrod in long double on ±40 sqrt(k) around it (what lies outside is below e^-800 of the peak).
long double ortho_tail_gk(unsigned n, double eps) {
  const long double k = n / 2.0L, s = static_cast<long double>(n) * eps, w = 40 * std::sqrt(k);
  const long double c = std::max(0.0L, k - s / 2), lo = std::max(0.0L, c - w);
  auto f = [k, s](long double x) { return boost::math::gamma_p_derivative(k, x) * boost::math::gamma_q(k, s + x); };
  using GK = boost::math::quadrature::gauss_kronrod<long double, 61>;
  return 2 * (GK::integrate(f, lo, c, 12, 1e-19L) + GK::integrate(f, c, c + w, 12, 1e-19L));
}

// log-uniform n in [lo, hi] and uniform eps in (0, 1), then the edges of the domain.
struct Point {
  unsigned n;
  double eps;
};
std::vector<Point> domain_points(unsigned lo, unsigned hi, int count, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<Point> points;
  for (int i = 0; i < count; ++i) {
    const unsigned n = static_cast<unsigned>(std::lround(lo * std::pow(double(hi) / lo, u(g))));
    // Every other eps puts the tail, ~exp(-n eps^2/4), between e^-0.001 and e^-700 (else large n underflow).
    const double eps = i % 2 ? u(g) : std::min(0.999, 2 * std::sqrt(0.001 * std::pow(7e5, u(g)) / n));
    points.push_back({n, eps});
  }
  const double below_one = std::nextafter(1.0, 0.0);
  for (unsigned n : {lo, hi})
    for (double eps : {1e-300, 1e-9, 0.5, below_one}) points.push_back({n, eps});
  return points;
}

}  // namespace

TEST_CASE("the chi-squared tail is within 1e-14 relative of a 50-digit incomplete gamma for every n and eps, 5e-14 in tails below 1e-200 at n ~ 10^6") {
  for (const auto [n, eps] : domain_points(1, 1u << 20, 80, 17)) {
    const double e = error(jl::norm_tail_exact(n, eps), norm_tail_50(n, eps));
    INFO("n = " << n << ", eps = " << eps);
    CHECK(e <= 1e-14);
  }
  // Where the double incomplete gamma lost 2e-12 (a tail of 1.1e-286), and the edges that threw.
  for (const auto [n, eps] : {Point{555718, 0.0701852}, Point{1000000, 0.05}})
    CHECK(error(jl::norm_tail_exact(n, eps), norm_tail_50(n, eps)) <= 5e-14);
  CHECK(jl::norm_tail_exact(555718, 0.0701852) < 1e-280);
  for (unsigned n : {4096u, 100000u}) {
    const double eps = std::nextafter(1.0, 0.0);
    CHECK(error(jl::norm_tail_exact(n, eps), norm_tail_50(n, eps)) <= 1e-14);
  }
}

TEST_CASE("the exact law of <u, v> is within 1e-13 relative of its 50-digit finite sum for even n up to 300") {
  for (const auto [n, eps] : domain_points(2, 300, 30, 18)) {
    const unsigned even = n + n % 2;
    INFO("n = " << even << ", eps = " << eps);
    CHECK(error(jl::ortho_tail_exact(even, eps).value, ortho_tail_even_50(even, eps)) <= 1e-13);
  }
}

TEST_CASE("the exact law of <u, v> at n = 1 is the K_0 law of a product of normals, to 1e-13") {
  for (double eps : {1e-300, 1e-9, 0.01, 0.1205, 0.5135, 0.9876, std::nextafter(1.0, 0.0)}) {
    INFO("eps = " << eps);
    CHECK(error(jl::ortho_tail_exact(1, eps).value, F(ortho_tail_n1(eps))) <= 1e-13);
  }
}

TEST_CASE("the exact law of <u, v> for large n, odd and even, is within 1e-12 relative of a long-double quadrature") {
  for (const auto [n, eps] : domain_points(301, 1u << 20, 12, 19)) {
    // Where the tail underflows the double value is 0 and the check is absolute.
    const long double reference = ortho_tail_gk(n, eps);
    INFO("n = " << n << ", eps = " << eps << ", reference " << static_cast<double>(reference));
    CHECK(error(jl::ortho_tail_exact(n, eps).value, F(reference)) <= 1e-12);
  }
}
