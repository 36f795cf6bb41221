#include "rnn/linear_scan.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace rnn {

namespace {

using Eigen::Map;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// Chunk k of K over steps 1..T: [begin, end) in 0-based step index.
struct Chunk {
  std::size_t begin, end;
};
Chunk chunk_of(std::size_t k, std::size_t K, std::size_t T) {
  return {k * T / K, (k + 1) * T / K};
}

std::size_t chunk_count(const ScanPlan& plan, std::size_t T) {
  // With P threads the two passes cost 2T/(P+1) steps each way (pass 1 keeps P threads busy on chunks
  // 0..P-1, pass 2 on chunks 1..P), hence P + 1 chunks by default: a speedup of (P+1)/2 at best.
  const std::size_t k = plan.chunks ? plan.chunks : std::size_t{plan.threads} + 1;
  return std::clamp<std::size_t>(k, 1, std::max<std::size_t>(T, 1));
}

// Runs steps [c.begin, c.end) from start state `start` (d values; nullptr: zero). Writes x there when
// `x` is given; the end state goes to `end`.
void run_chunk(const Recurrence& a, const double* b, double* x, Chunk c, const double* start, double* end) {
  const std::size_t d = a.dim();
  std::vector<double> prev(d, 0.0), next(d);
  if (start) std::copy(start, start + d, prev.begin());
  for (std::size_t i = c.begin; i < c.end; ++i) {
    a.apply(i + 1, prev.data(), next.data());
    for (std::size_t j = 0; j < d; ++j) next[j] += b[i * d + j];
    if (x) std::copy(next.begin(), next.end(), x + i * d);
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

void run_diagonal_chunk(const std::vector<cplx>& lambda, const cplx* c, cplx* y, Chunk ch, const cplx* start,
                        cplx* end) {
  const std::size_t d = lambda.size();
  std::vector<cplx> state(d, 0.0);
  if (start) std::copy(start, start + d, state.begin());
  for (std::size_t i = ch.begin; i < ch.end; ++i) {
    for (std::size_t j = 0; j < d; ++j) state[j] = mul(lambda[j], state[j]) + c[i * d + j];
    if (y) std::copy(state.begin(), state.end(), y + i * d);
  }
  std::copy(state.begin(), state.end(), end);
}

}  // namespace

Recurrence Recurrence::constant(Eigen::MatrixXd a, std::size_t length) {
  Recurrence r;
  r.kind_ = Kind::constant;
  r.d_ = static_cast<std::size_t>(a.rows());
  r.T_ = length;
  r.a_ = std::move(a);
  return r;
}

Recurrence Recurrence::row_scaled(Eigen::MatrixXd a, std::vector<double> scale) {
  Recurrence r;
  r.kind_ = Kind::row_scaled;
  r.d_ = static_cast<std::size_t>(a.rows());
  r.T_ = r.d_ ? scale.size() / r.d_ : 0;
  r.a_ = std::move(a);
  r.data_ = std::move(scale);
  return r;
}

Recurrence Recurrence::general(std::size_t d, std::vector<double> matrices) {
  Recurrence r;
  r.kind_ = Kind::general;
  r.d_ = d;
  r.T_ = d ? matrices.size() / (d * d) : 0;
  r.data_ = std::move(matrices);
  return r;
}

void Recurrence::apply(std::size_t t, const double* in, double* out) const {
  const auto d = static_cast<Eigen::Index>(d_);
  Map<const VectorXd> v(in, d);
  Map<VectorXd> w(out, d);
  switch (kind_) {
    case Kind::constant: w.noalias() = a_ * v; break;
    case Kind::row_scaled:
      w.noalias() = a_ * v;
      w.array() *= Map<const Eigen::ArrayXd>(data_.data() + (t - 1) * d_, d);
      break;
    case Kind::general: w.noalias() = Map<const MatrixXd>(data_.data() + (t - 1) * d_ * d_, d, d) * v; break;
  }
}

Eigen::MatrixXd Recurrence::product(std::size_t first, std::size_t last) const {
  const auto d = static_cast<Eigen::Index>(d_);
  if (kind_ == Kind::constant) return matrix_power(a_, last + 1 - first);
  MatrixXd m = MatrixXd::Identity(d, d), next(d, d);
  for (std::size_t t = first; t <= last; ++t) {
    if (kind_ == Kind::row_scaled) {
      next.noalias() = a_ * m;
      next.array().colwise() *= Map<const Eigen::ArrayXd>(data_.data() + (t - 1) * d_, d);
    } else {
      next.noalias() = Map<const MatrixXd>(data_.data() + (t - 1) * d_ * d_, d, d) * m;
    }
    m.swap(next);
  }
  return m;
}

void solve_sequential(const Recurrence& a, const double* b, double* x) {
  std::vector<double> end(a.dim());
  run_chunk(a, b, x, {0, a.length()}, nullptr, end.data());
}

void solve_chunked(const Recurrence& a, const double* b, double* x, const ScanPlan& plan) {
  const std::size_t T = a.length(), d = a.dim(), K = chunk_count(plan, T);
  if (K <= 1 || T == 0) return solve_sequential(a, b, x);
  std::vector<VectorXd> zero_end(K, VectorXd(static_cast<Eigen::Index>(d)));
  std::vector<MatrixXd> transfer(K);
  const auto threads = static_cast<int>(std::max(1u, plan.threads));
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t k = 0; k < K - 1; ++k) {
    const Chunk c = chunk_of(k, K, T);
    run_chunk(a, b, k == 0 ? x : nullptr, c, nullptr, zero_end[k].data());
    if (k > 0) transfer[k] = a.product(c.begin + 1, c.end);
  }
  std::vector<VectorXd> start(K);
  start[1] = zero_end[0];
  for (std::size_t k = 1; k + 1 < K; ++k) start[k + 1] = transfer[k] * start[k] + zero_end[k];
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t k = 1; k < K; ++k) {
    std::vector<double> end(d);
    run_chunk(a, b, x, chunk_of(k, K, T), start[k].data(), end.data());
  }
}

void solve_diagonal_sequential(const std::vector<cplx>& lambda, const cplx* c, cplx* y, std::size_t T) {
  std::vector<cplx> end(lambda.size());
  run_diagonal_chunk(lambda, c, y, {0, T}, nullptr, end.data());
}

void solve_diagonal_chunked(const std::vector<cplx>& lambda, const cplx* c, cplx* y, std::size_t T,
                            const ScanPlan& plan) {
  const std::size_t d = lambda.size(), K = chunk_count(plan, T);
  if (K <= 1 || T == 0) return solve_diagonal_sequential(lambda, c, y, T);
  std::vector<std::vector<cplx>> zero_end(K, std::vector<cplx>(d)), start(K, std::vector<cplx>(d));
  const auto threads = static_cast<int>(std::max(1u, plan.threads));
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t k = 0; k < K - 1; ++k)
    run_diagonal_chunk(lambda, c, k == 0 ? y : nullptr, chunk_of(k, K, T), nullptr, zero_end[k].data());
  start[1] = zero_end[0];
  for (std::size_t k = 1; k + 1 < K; ++k) {
    const Chunk ch = chunk_of(k, K, T);
    for (std::size_t j = 0; j < d; ++j)
      start[k + 1][j] = mul(power(lambda[j], ch.end - ch.begin), start[k][j]) + zero_end[k][j];
  }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t k = 1; k < K; ++k) {
    std::vector<cplx> end(d);
    run_diagonal_chunk(lambda, c, y, chunk_of(k, K, T), start[k].data(), end.data());
  }
}

ScanCost associative_scan_cost(std::size_t T, std::size_t d) {
  const double td = static_cast<double>(T), dd = static_cast<double>(d);
  // One composition (M2, v2) o (M1, v1) = (M2 M1, M2 v1 + v2): 2 d^3 + 2 d^2 flops; a work-efficient
  // scan does about 2 T of them in 2 log2 T levels.
  return {2 * td * (2 * dd * dd * dd + 2 * dd * dd), 2 * std::ceil(std::log2(std::max(td, 2.0))), 2 * td * dd * dd};
}

}  // namespace rnn
