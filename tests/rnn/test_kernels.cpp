#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "core/simd.hpp"
#include "rnn/kernels.hpp"

using namespace rnn;

namespace {

// |got - ref| in units of the last place of a double of ref's binade (ref in [2^(e-1), 2^e): 2^(e-53)),
// taken from ref itself so that a ref just below a power of two is not measured in the coarser spacing
// above it. ref != 0.
double ulps(double got, long double ref) {
  int e = 0;
  std::frexp(std::fabs(ref), &e);
  return static_cast<double>(std::fabs(static_cast<long double>(got) - ref) / std::ldexp(1.0L, e - 53));
}

}  // namespace

TEST_CASE("the step's tanh is within 3 ulp of long double tanhl from 1e-8 to 40") {
  // With A = 0 the step is y = tanh(u) exactly up to the tanh itself. d = 64 takes the kernel compiled
  // for that size, d = 20 the one for any d.
  for (std::size_t d : {64, 20}) {
    const std::vector<double> a(d * d, 0.0), x(d, 1.0);
    std::vector<double> u(d), y(d);
    std::mt19937_64 gen(11);
    double worst = 0, worst_at = 0;
    for (int s = -27; s <= 5; ++s) {
      std::normal_distribution<double> normal(0.0, std::ldexp(1.0, s));
      for (int rep = 0; rep < 200; ++rep) {
        for (double& v : u) v = normal(gen);
        tanh_affine_step(a.data(), d, x.data(), u.data(), y.data());
        for (std::size_t i = 0; i < d; ++i) {
          const double e = ulps(y[i], std::tanh(static_cast<long double>(u[i])));
          if (e > worst) worst = e, worst_at = u[i];
        }
      }
    }
    INFO("d = " << d << ": worst " << worst << " ulp at x = " << worst_at);
    CHECK(worst <= 3.0);
  }
}

TEST_CASE("the step's tanh keeps signs, zeros, tiny and huge arguments, infinities and NaN") {
  const double inf = std::numeric_limits<double>::infinity(), tiny = std::numeric_limits<double>::denorm_min();
  const std::vector<double> u{0.0,
                              -0.0,
                              1e-300,
                              -1e-300,
                              tiny,
                              5e-310,
                              19.99,
                              -20.0,
                              25.0,
                              -1e300,
                              inf,
                              -inf,
                              std::numeric_limits<double>::quiet_NaN(),
                              0.5,
                              -0.5,
                              1.0};
  const std::size_t d = u.size();
  const std::vector<double> a(d * d, 0.0), x(d, 0.0);
  std::vector<double> y(d);
  tanh_affine_step(a.data(), d, x.data(), u.data(), y.data());
  CHECK(y[0] == 0.0);
  CHECK_FALSE(std::signbit(y[0]));
  CHECK(y[1] == 0.0);  // A x + u = +0 + -0 = +0: the sign of a zero sum is not the tanh's to keep
  CHECK(y[2] == 1e-300);
  CHECK(y[3] == -1e-300);
  CHECK(y[4] == tiny);
  CHECK(y[5] == 5e-310);
  CHECK(y[6] == 1.0);  // tanh(19.99) = 1 - 8.5e-18 rounds to 1
  CHECK(y[7] == -1.0);
  CHECK(y[8] == 1.0);
  CHECK(y[9] == -1.0);
  CHECK(y[10] == 1.0);
  CHECK(y[11] == -1.0);
  CHECK(std::isnan(y[12]));
  for (std::size_t i = 13; i < d; ++i) CHECK(ulps(y[i], std::tanh(static_cast<long double>(u[i]))) <= 3.0);
}

TEST_CASE("the step's product is A x to rounding for every d from 1 to 70, aligned or not") {
  // Every block shape (32-row, 16-row, 4..12-row and the scalar tail) against a long double product,
  // bounded by the standard forward error of a d-term dot product: gamma_d sum_j |a_ij x_j| (+ the row
  // scale's and the addition's roundings).
  std::mt19937_64 gen(5);
  std::normal_distribution<double> normal;
  const double u = std::ldexp(1.0, -53);
  for (std::size_t d = 1; d <= 70; ++d) {
    for (std::size_t offset : {0, 1, 2}) {  // A starting 0, 8 or 16 bytes past a 64-byte boundary
      core::aligned_vector<double> storage(d * d + offset);
      double* a = storage.data() + offset;
      std::vector<double> x(d), s(d), b(d), y(d);
      for (std::size_t i = 0; i < d * d; ++i) a[i] = normal(gen);
      for (std::size_t i = 0; i < d; ++i) x[i] = normal(gen), s[i] = normal(gen), b[i] = normal(gen);
      affine_step(a, d, x.data(), s.data(), b.data(), y.data());
      double worst = 0;
      for (std::size_t r = 0; r < d; ++r) {
        long double exact = 0, magnitude = 0;
        for (std::size_t j = 0; j < d; ++j) {
          exact += static_cast<long double>(a[j * d + r]) * x[j];
          magnitude += std::fabs(static_cast<long double>(a[j * d + r]) * x[j]);
        }
        const long double ref = exact * s[r] + b[r];
        const double gamma = (d + 2) * u / (1 - (d + 2) * u);
        const double bound = static_cast<double>(gamma * (magnitude * std::fabs(s[r]) + std::fabs(b[r])));
        worst = std::max(worst, static_cast<double>(std::fabs(y[r] - ref)) / bound);
      }
      INFO("d = " << d << ", offset " << offset);
      CHECK(worst <= 1.0);
    }
  }
}
