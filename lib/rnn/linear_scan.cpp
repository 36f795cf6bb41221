#include "rnn/linear_scan.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "rnn/kernels.hpp"

namespace rnn {

namespace {

using Eigen::Map;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// The unit roundoff: the carry scan's truncation adds at most this times max_t |x_t|_inf.
constexpr double unit_roundoff = std::numeric_limits<double>::epsilon() / 2;

// Chunk k of K over steps 1..T: [begin, end) in 0-based step index.
struct Chunk {
  std::size_t begin, end;
};
Chunk chunk_of(std::size_t k, std::size_t K, std::size_t T) {
  return {k * T / K, (k + 1) * T / K};
}

// One thread gets one chunk: the sequential pass. The carry scan's pass 2 is short, so it wants about P chunks, and a
// few more per thread on long sequences: chunks are handed out dynamically, so on cores shared with other work a thread
// that gets less time takes fewer of them, at one serial correction (hundreds of steps) per extra chunk. The two-pass
// scan costs 2T/(P+1) steps each way (pass 1 on chunks 0..P-1, pass 2 on 1..P), hence P + 1.
std::size_t chunk_count(const ScanPlan& plan, std::size_t T, bool carry) {
  const std::size_t p = std::max(1u, plan.threads);
  const std::size_t per_thread = std::clamp<std::size_t>(T / (p << 15), 1, 4);
  const std::size_t k = plan.chunks ? plan.chunks : p == 1 ? 1 : carry ? p * per_thread : p + 1;
  return std::clamp<std::size_t>(k, 1, std::max<std::size_t>(T, 1));
}

int omp_threads(const ScanPlan& plan) {
  return static_cast<int>(std::max(1u, plan.threads));
}

double max_abs(const double* v, std::size_t n) {
  double m = 0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, std::abs(v[i]));
  return m;
}

// Runs steps [c.begin, c.end) from `start` (nullptr: zero), writing every state to x.
void run_chunk(const Recurrence& a, const double* b, double* x, Chunk c, const double* start) {
  const std::size_t d = a.dim();
  const std::vector<double> zero(d, 0.0);
  const double* prev = start ? start : zero.data();
  for (std::size_t i = c.begin; i < c.end; ++i) {
    a.step(i + 1, prev, b + i * d, x + i * d);
    prev = x + i * d;
  }
}

// The end state of steps [c.begin, c.end) from zero, without writing states (b may alias x there).
void chunk_end_from_zero(const Recurrence& a, const double* b, Chunk c, double* end) {
  const std::size_t d = a.dim();
  std::vector<double> prev(d, 0.0), next(d);
  for (std::size_t i = c.begin; i < c.end; ++i) {
    a.step(i + 1, prev.data(), b + i * d, next.data());
    prev.swap(next);
  }
  std::copy(prev.begin(), prev.end(), end);
}

MatrixXd matrix_power(const MatrixXd& a, std::size_t n) {
  MatrixXd result = MatrixXd::Identity(a.rows(), a.cols()), base = a;
  for (; n; n >>= 1) {
    if (n & 1) result = base * result;
    if (n > 1) base = base * base;
  }
  return result;
}

double matrix_norm_inf(const Eigen::Ref<const MatrixXd>& m) {
  return m.cwiseAbs().rowwise().sum().maxCoeff();
}

// C >= sup_k |A^k|_inf: with |A^K|_inf <= 1/2, every A^k = (A^K)^q A^j (j < K) has norm <= |A^j|_inf, so
// C = 2 max_(j<K) |A^j|_inf, the factor 2 covering the rounding of the computed powers. Infinity when no
// K <= max_power has |A^K| <= 1/2 (rho(A) >= 1, or too slow a decay to be worth the d^3 per power).
double power_bound(const MatrixXd& a, std::size_t max_power) {
  MatrixXd power = MatrixXd::Identity(a.rows(), a.cols()), next;
  double largest = 1;
  for (std::size_t k = 1; k <= max_power; ++k) {
    next.noalias() = a * power;
    power.swap(next);
    const double n = matrix_norm_inf(power);
    if (!std::isfinite(n)) break;
    if (n <= 0.5) return 2 * largest;
    largest = std::max(largest, n);
  }
  return std::numeric_limits<double>::infinity();
}

// prod_t max(1, |A_t|_inf) over steps [c.begin, c.end): bounds every product of those A_t. Stops at
// infinity (no bound), so a recurrence without a contraction pays for a few norms only.
double product_bound(const Recurrence& a, Chunk c) {
  double p = 1;
  for (std::size_t i = c.begin; i < c.end && std::isfinite(p); ++i) p *= std::max(1.0, a.norm_inf(i + 1));
  return std::isfinite(p) ? p : std::numeric_limits<double>::infinity();
}

// Pass 2 of the carry scan on chunk c (c.begin >= 1): x_t += y_t, y_t = A_t y_(t-1), y = x_(c.begin) (the
// true state before the chunk), until bound |y_t|_inf <= tol max|x|_inf so far: every product of the A_t
// having norm <= bound, the omitted y_s (s > t, in this chunk and beyond) stay below tol max|x| for good.
// Returns the steps run.
std::size_t correct_chunk(const Recurrence& a, double* x, Chunk c, double bound, double tol) {
  const std::size_t d = a.dim();
  std::vector<double> y(x + (c.begin - 1) * d, x + c.begin * d), next(d);
  double scale = max_abs(y.data(), d);
  for (std::size_t i = c.begin; i < c.end; ++i) {
    a.apply(i + 1, y.data(), next.data());
    double* xi = x + i * d;
    double y_norm = 0;
    for (std::size_t j = 0; j < d; ++j) {
      xi[j] += next[j];
      y_norm = std::max(y_norm, std::abs(next[j]));
      scale = std::max(scale, std::abs(xi[j]));
    }
    y.swap(next);
    // An overflowed state (infinite scale) is no reason to stop: the sequential pass would carry it on.
    if (std::isfinite(scale) && bound * y_norm <= tol * scale) return i + 1 - c.begin;
  }
  return c.end - c.begin;
}

ScanStats carry_scan(const Recurrence& a, const double* b, double* x, const ScanPlan& plan, double bound) {
  const std::size_t T = a.length(), K = chunk_count(plan, T, true);
  std::vector<double> chunk_bound(K, 1.0);
#pragma omp parallel for schedule(dynamic, 1) num_threads(omp_threads(plan))
  for (std::size_t k = 0; k < K; ++k) {
    const Chunk c = chunk_of(k, K, T);
    run_chunk(a, b, x, c, nullptr);
    if (!a.is_constant()) chunk_bound[k] = product_bound(a, c);
  }
  if (!a.is_constant())
    for (double p : chunk_bound) bound *= p;
  ScanStats stats{K, true, bound, 0};
  for (std::size_t k = 1; k < K; ++k)
    stats.pass2_steps += correct_chunk(a, x, chunk_of(k, K, T), bound, unit_roundoff / static_cast<double>(K));
  return stats;
}

// The two-pass scan for a constant A without a bound: transfer matrices A^L.
ScanStats two_pass_scan(const Recurrence& a, const double* b, double* x, const ScanPlan& plan) {
  const std::size_t T = a.length(), d = a.dim(), K = chunk_count(plan, T, false);
  std::vector<VectorXd> zero_end(K, VectorXd(static_cast<Eigen::Index>(d)));
#pragma omp parallel for schedule(dynamic, 1) num_threads(omp_threads(plan))
  for (std::size_t k = 0; k < K - 1; ++k) {
    const Chunk c = chunk_of(k, K, T);
    if (k == 0) {
      run_chunk(a, b, x, c, nullptr);
      std::copy(x + (c.end - 1) * d, x + c.end * d, zero_end[0].data());
    } else {
      chunk_end_from_zero(a, b, c, zero_end[k].data());
    }
  }
  std::vector<VectorXd> start(K);
  start[1] = zero_end[0];
  for (std::size_t k = 1; k + 1 < K; ++k) {
    const Chunk c = chunk_of(k, K, T);
    start[k + 1] = matrix_power(a.matrix(), c.end - c.begin) * start[k] + zero_end[k];
  }
#pragma omp parallel for schedule(dynamic, 1) num_threads(omp_threads(plan))
  for (std::size_t k = 1; k < K; ++k) run_chunk(a, b, x, chunk_of(k, K, T), start[k].data());
  return {K, false, 0, T - chunk_of(0, K, T).end};
}

// Complex multiply without std::complex's inf/nan recovery branches (-fcx-fortran-rules is not set), so
// the inner loops vectorise; both solvers and the CUDA kernel use the same formula.
inline cplx mul(cplx p, cplx q) {
  return {p.real() * q.real() - p.imag() * q.imag(), p.real() * q.imag() + p.imag() * q.real()};
}

cplx power(cplx z, std::size_t n) {
  cplx r = 1.0;
  for (; n; n >>= 1) {
    if (n & 1) r = mul(r, z);
    z = mul(z, z);
  }
  return r;
}

// Whether the element-wise solvers write their states with non-temporal stores (core::stream_store):
// when they are far larger than the caches. This memory-bound loop then moves a third less (no read for
// ownership): at T = 10^6, d = 64 the sequential pass went from 0.16-0.20 to 0.11-0.15 s, the 2-thread
// scan from 0.118 to 0.07-0.09 s. Below the threshold the states stay in the caches for whoever reads
// them next (the fixed-point schemes at their default T = 1000 hold 16 KB .. 1 MB). The dense solvers
// do not stream: their step is latency bound, and a streamed copy of each state measured 10% slower on
// one thread and no faster on two (d = 16, T = 10^6).
bool stream_states(std::size_t T, std::size_t d) {
  return T * d * sizeof(cplx) > core::stream_above_bytes;
}

// Runs steps [ch.begin, ch.end) from `start` (nullptr: zero); writes the states to y when given (streaming
// them past the caches when `stream`) and the end state to `end` when given.
void run_diagonal_chunk(const std::vector<cplx>& lambda, const cplx* c, cplx* y, Chunk ch, const cplx* start, cplx* end,
                        bool stream = false) {
  const std::size_t d = lambda.size();
  std::vector<cplx> state(d, 0.0);
  if (start) std::copy(start, start + d, state.begin());
  for (std::size_t i = ch.begin; i < ch.end; ++i) {
    for (std::size_t j = 0; j < d; ++j) state[j] = mul(lambda[j], state[j]) + c[i * d + j];
    if (!y) continue;
    if (stream)
      core::stream_store(reinterpret_cast<double*>(y + i * d), reinterpret_cast<const double*>(state.data()), 2 * d);
    else
      std::copy(state.begin(), state.end(), y + i * d);
  }
  if (stream) core::stream_fence();
  if (end) std::copy(state.begin(), state.end(), end);
}

double max_norm2(const cplx* v, std::size_t n) {
  double m = 0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, std::norm(v[i]));
  return m;
}

// correct_chunk for a diagonal A with every |lambda| <= 1 (C = 1), in squared moduli.
std::size_t correct_diagonal_chunk(const std::vector<cplx>& lambda, cplx* y, Chunk ch, double tol) {
  const std::size_t d = lambda.size();
  std::vector<cplx> carry(y + (ch.begin - 1) * d, y + ch.begin * d);
  double scale2 = max_norm2(carry.data(), d);
  const double tol2 = tol * tol;
  for (std::size_t i = ch.begin; i < ch.end; ++i) {
    cplx* yi = y + i * d;
    double carry2 = 0;
    for (std::size_t j = 0; j < d; ++j) {
      carry[j] = mul(lambda[j], carry[j]);
      yi[j] += carry[j];
      carry2 = std::max(carry2, std::norm(carry[j]));
      scale2 = std::max(scale2, std::norm(yi[j]));
    }
    if (std::isfinite(scale2) && carry2 <= tol2 * scale2) return i + 1 - ch.begin;
  }
  return ch.end - ch.begin;
}

}  // namespace

Recurrence Recurrence::constant(Eigen::MatrixXd a, std::size_t length) {
  Recurrence r;
  r.kind_ = Kind::constant;
  r.d_ = static_cast<std::size_t>(a.rows());
  r.T_ = length;
  r.abs_row_sums_ = a.cwiseAbs().rowwise().sum().array();
  r.a_ = std::move(a);
  r.a_aligned_.assign(r.a_.data(), r.a_.data() + r.a_.size());
  return r;
}

Recurrence Recurrence::row_scaled(Eigen::MatrixXd a, std::vector<double> scale) {
  Recurrence r;
  r.kind_ = Kind::row_scaled;
  r.d_ = static_cast<std::size_t>(a.rows());
  r.T_ = r.d_ ? scale.size() / r.d_ : 0;
  r.abs_row_sums_ = a.cwiseAbs().rowwise().sum().array();
  r.a_ = std::move(a);
  r.a_aligned_.assign(r.a_.data(), r.a_.data() + r.a_.size());
  r.scale_ = std::move(scale);
  return r;
}

Recurrence Recurrence::general(std::size_t d, core::aligned_vector<double> matrices) {
  Recurrence r;
  r.kind_ = Kind::general;
  r.d_ = d;
  r.T_ = d ? matrices.size() / (d * d) : 0;
  r.matrices_ = std::move(matrices);
  return r;
}

void Recurrence::step(std::size_t t, const double* in, const double* b, double* out) const {
  switch (kind_) {
    case Kind::constant: affine_step(a_aligned_.data(), d_, in, nullptr, b, out); break;
    case Kind::row_scaled: affine_step(a_aligned_.data(), d_, in, scale_.data() + (t - 1) * d_, b, out); break;
    case Kind::general: affine_step(matrices_.data() + (t - 1) * d_ * d_, d_, in, nullptr, b, out); break;
  }
}

double Recurrence::norm_inf(std::size_t t) const {
  const auto d = static_cast<Eigen::Index>(d_);
  switch (kind_) {
    case Kind::constant: return abs_row_sums_.maxCoeff();
    case Kind::row_scaled:
      return (Map<const Eigen::ArrayXd>(scale_.data() + (t - 1) * d_, d).abs() * abs_row_sums_).maxCoeff();
    case Kind::general: return matrix_norm_inf(Map<const MatrixXd>(matrices_.data() + (t - 1) * d_ * d_, d, d));
  }
  return 0;
}

void solve_sequential(const Recurrence& a, const double* b, double* x) {
  run_chunk(a, b, x, {0, a.length()}, nullptr);
}

ScanStats solve_chunked(const Recurrence& a, const double* b, double* x, const ScanPlan& plan) {
  const std::size_t T = a.length(), d = a.dim();
  if (T == 0 || (plan.threads <= 1 && plan.chunks == 0)) {  // nothing to share out
    solve_sequential(a, b, x);
    return {};
  }
  // Powers cost d^3 each: at most a quarter of what a sequential pass (T d^2) costs.
  const double bound = a.is_constant() ? power_bound(a.matrix(), T / (4 * std::max<std::size_t>(d, 1))) : 1.0;
  const bool carry = std::isfinite(bound);
  if (chunk_count(plan, T, carry) <= 1) {
    solve_sequential(a, b, x);
    return {};
  }
  return carry ? carry_scan(a, b, x, plan, bound) : two_pass_scan(a, b, x, plan);
}

void solve_diagonal_sequential(const std::vector<cplx>& lambda, const cplx* c, cplx* y, std::size_t T) {
  run_diagonal_chunk(lambda, c, y, {0, T}, nullptr, nullptr, stream_states(T, lambda.size()));
}

ScanStats solve_diagonal_chunked(const std::vector<cplx>& lambda, const cplx* c, cplx* y, std::size_t T,
                                 const ScanPlan& plan) {
  const std::size_t d = lambda.size();
  const bool carry = std::all_of(lambda.begin(), lambda.end(), [](cplx l) { return std::abs(l) <= 1.0; });
  const std::size_t K = chunk_count(plan, T, carry);
  if (K <= 1 || T == 0) {
    solve_diagonal_sequential(lambda, c, y, T);
    return {};
  }
  if (carry) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(omp_threads(plan))
    for (std::size_t k = 0; k < K; ++k)
      run_diagonal_chunk(lambda, c, y, chunk_of(k, K, T), nullptr, nullptr, stream_states(T, d));
    ScanStats stats{K, true, 1.0, 0};
    for (std::size_t k = 1; k < K; ++k)
      stats.pass2_steps += correct_diagonal_chunk(lambda, y, chunk_of(k, K, T), unit_roundoff / static_cast<double>(K));
    return stats;
  }
  std::vector<std::vector<cplx>> zero_end(K, std::vector<cplx>(d)), start(K, std::vector<cplx>(d));
#pragma omp parallel for schedule(dynamic, 1) num_threads(omp_threads(plan))
  for (std::size_t k = 0; k < K - 1; ++k)
    run_diagonal_chunk(lambda, c, k == 0 ? y : nullptr, chunk_of(k, K, T), nullptr, zero_end[k].data(),
                       stream_states(T, d));
  start[1] = zero_end[0];
  for (std::size_t k = 1; k + 1 < K; ++k) {
    const Chunk ch = chunk_of(k, K, T);
    for (std::size_t j = 0; j < d; ++j)
      start[k + 1][j] = mul(power(lambda[j], ch.end - ch.begin), start[k][j]) + zero_end[k][j];
  }
#pragma omp parallel for schedule(dynamic, 1) num_threads(omp_threads(plan))
  for (std::size_t k = 1; k < K; ++k)
    run_diagonal_chunk(lambda, c, y, chunk_of(k, K, T), start[k].data(), nullptr, stream_states(T, d));
  return {K, false, 0, T - chunk_of(0, K, T).end};
}

ScanCost associative_scan_cost(std::size_t T, std::size_t d) {
  const double td = static_cast<double>(T), dd = static_cast<double>(d);
  // One composition (M2, v2) o (M1, v1) = (M2 M1, M2 v1 + v2): 2 d^3 + 2 d^2 flops; a work-efficient
  // scan does about 2 T of them in 2 log2 T levels.
  return {2 * td * (2 * dd * dd * dd + 2 * dd * dd), 2 * std::ceil(std::log2(std::max(td, 2.0))), 2 * td * dd * dd};
}

}  // namespace rnn
