// The accuracy docs/rnn-fixpoint.md states, against long-double evaluations written out here, over random
// points of the domain the options allow (d, T, rho, sigma_u, --tol, chunks, threads): every scan (constant,
// row-scaled and general A_t, sequential and chunked, and the element-wise complex form) to 1e-14 of
// max |x| for |lambda| <= 1; the sequential RNN (AVX2 kernel and its own tanh) to 5e-15 of max |h|; and each
// scheme's iterates reaching the long-double solve to within --tol.
#include <catch2/catch.hpp>
#include <cmath>
#include <complex>
#include <random>

#include "rnn/fixpoint.hpp"
#include "rnn/linear_scan.hpp"
#include "rnn/model.hpp"

using namespace rnn;

namespace {

using ld = long double;

struct Draw {
  std::mt19937_64 g;
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(g); }
  std::size_t log_uniform(std::size_t lo, std::size_t hi) {
    return static_cast<std::size_t>(std::lround(lo * std::pow(double(hi) / lo, uniform(0, 1))));
  }
  // d log-uniform in 1 .. d_max, T in T_lo .. T_hi, rho uniform, sigma_u log-uniform.
  RnnConfig config(std::size_t d_max, std::size_t T_lo, std::size_t T_hi, double rho_lo, double rho_hi,
                   double sigma_lo, double sigma_hi) {
    RnnConfig c;
    c.d = log_uniform(1, d_max);
    c.T = log_uniform(T_lo, T_hi);
    c.rho = uniform(rho_lo, rho_hi);
    c.sigma_u = sigma_lo * std::pow(sigma_hi / sigma_lo, uniform(0, 1));
    return c;
  }
  std::vector<double> normal(std::size_t n) {
    std::normal_distribution<double> z;
    std::vector<double> v(n);
    for (double& x : v) x = z(g);
    return v;
  }
};

// x_t = A_t x_(t-1) + b_t in long double, A_t given as a function of (t, i, j).
template <class Entry>
std::vector<ld> sequential_long(std::size_t d, std::size_t T, Entry a, const std::vector<double>& b) {
  std::vector<ld> x(T * d), prev(d, 0.0L);
  for (std::size_t t = 1; t <= T; ++t) {
    for (std::size_t i = 0; i < d; ++i) {
      ld s = b[(t - 1) * d + i];
      for (std::size_t j = 0; j < d; ++j) s += static_cast<ld>(a(t, i, j)) * prev[j];
      x[(t - 1) * d + i] = s;
    }
    std::copy(x.begin() + static_cast<std::ptrdiff_t>((t - 1) * d), x.begin() + static_cast<std::ptrdiff_t>(t * d),
              prev.begin());
  }
  return x;
}

template <class T, class R>
double max_rel(const std::vector<T>& x, const std::vector<R>& ref) {
  ld diff = 0, scale = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    diff = std::max(diff, std::abs(static_cast<R>(x[i]) - ref[i]));
    scale = std::max(scale, static_cast<ld>(std::abs(ref[i])));
  }
  return static_cast<double>(diff / scale);
}

}  // namespace

TEST_CASE("every dense scan, sequential and chunked, is within 1e-14 of max |x| of a long-double recurrence") {
  Draw r{std::mt19937_64(41)};
  for (int k = 0; k < 18; ++k) {
    const std::size_t d = r.log_uniform(1, 40), T = r.log_uniform(1, 4000);
    const double rho = r.uniform(0, 1);
    const MatrixKind kind = k % 4 == 3 ? MatrixKind::jordan : MatrixKind::random;
    const Eigen::MatrixXd a = recurrence_matrix(d, rho, kind, 100 + k, 0);
    std::vector<double> scale = r.normal(T * d);
    for (double& s : scale) s = 1 / (1 + s * s);  // diag(sech^2)-like, in (0, 1]
    core::aligned_vector<double> mats(T * d * d);
    const auto z = r.normal(T * d * d);
    for (std::size_t i = 0; i < mats.size(); ++i) mats[i] = r.uniform(0.1, 1.2) * z[i] / std::sqrt(double(d) * 2);
    const auto b = r.normal(T * d);
    const std::vector<ld> refs[] = {
        sequential_long(d, T, [&](std::size_t, std::size_t i, std::size_t j) { return a(i, j); }, b),
        sequential_long(d, T, [&](std::size_t t, std::size_t i, std::size_t j) { return scale[(t - 1) * d + i] * a(i, j); }, b),
        sequential_long(d, T, [&](std::size_t t, std::size_t i, std::size_t j) { return mats[(t - 1) * d * d + j * d + i]; }, b)};
    const Recurrence forms[] = {Recurrence::constant(a, T), Recurrence::row_scaled(a, scale), Recurrence::general(d, mats)};
    for (int f = 0; f < 3; ++f) {
      std::vector<double> x(T * d);
      solve_sequential(forms[f], b.data(), x.data());
      INFO("d = " << d << ", T = " << T << ", rho = " << rho << ", jordan " << (kind == MatrixKind::jordan) << ", form " << f);
      CHECK(max_rel(x, refs[f]) <= 1e-14);
      const ScanPlan plan{1 + static_cast<unsigned>(k % 2), r.log_uniform(1, std::max<std::size_t>(T, 1))};
      solve_chunked(forms[f], b.data(), x.data(), plan);
      INFO("chunked: threads " << plan.threads << ", chunks " << plan.chunks);
      CHECK(max_rel(x, refs[f]) <= 1e-14);
    }
  }
}

TEST_CASE("the element-wise complex scan is within 1e-14 of max |y| of a long-double recurrence for |lambda| <= 1") {
  Draw r{std::mt19937_64(42)};
  for (int k = 0; k < 12; ++k) {
    const std::size_t d = r.log_uniform(1, 64), T = r.log_uniform(1, 20000);
    std::vector<cplx> lambda(d), c(T * d);
    for (auto& l : lambda) l = std::polar(k == 0 ? 1.0 : std::sqrt(r.uniform(0, 1)), r.uniform(-M_PI, M_PI));
    const auto re = r.normal(T * d), im = r.normal(T * d);
    for (std::size_t i = 0; i < c.size(); ++i) c[i] = {re[i], im[i]};
    std::vector<std::complex<ld>> ref(T * d);
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t i = 0; i < d; ++i)
        ref[t * d + i] = std::complex<ld>(c[t * d + i]) + (t ? std::complex<ld>(lambda[i]) * ref[(t - 1) * d + i] : 0.0L);
    std::vector<cplx> y(T * d);
    solve_diagonal_sequential(lambda, c.data(), y.data(), T);
    INFO("d = " << d << ", T = " << T);
    CHECK(max_rel(y, ref) <= 1e-14);
    const ScanPlan plan{1 + static_cast<unsigned>(k % 2), r.log_uniform(1, T)};
    solve_diagonal_chunked(lambda, c.data(), y.data(), T, plan);
    INFO("chunks " << plan.chunks);
    CHECK(max_rel(y, ref) <= 1e-14);
  }
}

namespace {

// h_t = tanh(A h_(t-1) + u_t) in long double with tanhl.
std::vector<ld> rnn_long(const TanhRnn& m) {
  const std::size_t d = m.dim(), T = m.length();
  std::vector<ld> h(T * d), prev(d, 0.0L);
  for (std::size_t t = 0; t < T; ++t) {
    for (std::size_t i = 0; i < d; ++i) {
      ld s = m.u()[t * d + i];
      for (std::size_t j = 0; j < d; ++j) s += static_cast<ld>(m.a()(i, j)) * prev[j];
      h[t * d + i] = std::tanh(s);
    }
    std::copy(h.begin() + static_cast<std::ptrdiff_t>(t * d), h.begin() + static_cast<std::ptrdiff_t>((t + 1) * d),
              prev.begin());
  }
  return h;
}

}  // namespace

TEST_CASE("the sequential RNN is within 5e-15 of max |h| of a long-double solve for rho <= 1") {
  Draw r{std::mt19937_64(43)};
  for (int k = 0; k < 16; ++k) {
    RnnConfig c = r.config(96, 1, 3000, 0, 1, 0.01, 3);
    if (k == 0) c.rho = 1;
    const TanhRnn m = TanhRnn::random(c, 7 + k);
    INFO("d = " << c.d << ", T = " << c.T << ", rho = " << c.rho << ", sigma_u = " << c.sigma_u);
    CHECK(max_rel(m.sequential(), rnn_long(m)) <= 5e-15);
  }
}

TEST_CASE("every scheme's iterates reach the long-double solve to within --tol, at random tolerances") {
  Draw r{std::mt19937_64(44)};
  for (int k = 0; k < 6; ++k) {
    const RnnConfig c = r.config(16, 2, 300, 0.1, 0.95, 0.03, 0.3);  // sigma_u where every scheme converges
    const TanhRnn m = TanhRnn::random(c, 70 + k);
    const std::vector<ld> exact = rnn_long(m);
    const std::vector<double> reference(exact.begin(), exact.end());
    IterationSettings s;
    s.tolerance = std::pow(10.0, r.uniform(-13, -6));
    s.plan.threads = 1 + k % 2;
    s.chunked = k % 2 == 1;
    for (Scheme scheme : all_schemes) {
      const SchemeResult result = solve_by_iteration(m, reference, scheme, s);
      INFO("d = " << c.d << ", T = " << c.T << ", rho = " << c.rho << ", sigma_u = " << c.sigma_u << ", tol "
                  << s.tolerance << ", scheme " << to_string(scheme));
      CHECK(result.converged);
      CHECK(result.iterations_used() <= c.T);
      CHECK(result.prefix_holds);
    }
  }
}
