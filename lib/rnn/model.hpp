// The nonlinear recurrences rnn-fixpoint parallelises, after Lim et al., "Parallelizing Non-Linear
// Sequential Models over the Sequence Length" (DEER, 2023): h_t = F_t(h_{t-1}), h_0 = 0, t = 1..T, for
// the tanh RNN h_t = tanh(A h_{t-1} + u_t) and a GRU cell. Each model gives its step, its Jacobian
// dF_t/dh (Newton/DEER), and the constant matrix of the perturbation scheme (A for the RNN,
// 1/2 (I + 1/2 U_h) for the GRU with every gate near 1/2).
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/simd.hpp"
#include "rnn/linear_scan.hpp"

namespace rnn {

class Model {
 public:
  virtual ~Model() = default;
  virtual std::size_t dim() const = 0;
  virtual std::size_t length() const = 0;
  // out = F_t(prev), t in 1..T.
  virtual void step(std::size_t t, const double* prev, double* out) const = 0;
  // The perturbation scheme's constant recurrence matrix.
  virtual Eigen::MatrixXd constant_linearisation() const = 0;
  // A_t = dF_t/dh at h_{t-1} (h holds h_1..h_T; h_0 = 0): the Newton (DEER) recurrence. Evaluated at
  // h = 0 it is the first-order scheme's A_t (for the RNN diag(sech^2(u_t)) A).
  virtual Recurrence jacobians(const std::vector<double>& h) const = 0;

  // f_t = F_t(h_{t-1}) for every t (independent steps, run on `threads`).
  std::vector<double> map(const std::vector<double>& h, unsigned threads) const;
  // The reference: one step after another.
  std::vector<double> sequential() const;
  // The same into h (resized to T*d): a caller timing the recurrence reuses one buffer, since faulting in
  // fresh pages cost as much as the arithmetic at d = 64 on the benchmark machine.
  void sequential(std::vector<double>& h) const;
};

// How the recurrence matrix is drawn.
enum class MatrixKind {
  random,  // Gaussian N(0, 1/d) entries rescaled to spectral radius rho
  jordan,  // rho (I + N), N the shift: one defective eigenvalue rho (cannot be diagonalised)
};
inline constexpr MatrixKind matrix_kinds[] = {MatrixKind::random, MatrixKind::jordan};
std::string_view to_string(MatrixKind kind);  // "random", "jordan"

struct RnnConfig {
  std::size_t d = 16, T = 1000;
  double rho = 0.9;      // spectral radius of A (of U_h and the gate matrices for the GRU)
  double sigma_u = 0.5;  // standard deviation of the inputs u_t
  MatrixKind matrix = MatrixKind::random;
};

// Its members for a shard file (core/row_codec.hpp).
template <class Io>
void fields(Io& io, RnnConfig& c) {
  io(c.d, c.T, c.rho, c.sigma_u, c.matrix);
}

// A d x d matrix of the kind asked for with spectral radius rho, from `rng_stream(seed, stream)`.
Eigen::MatrixXd recurrence_matrix(std::size_t d, double rho, MatrixKind kind, std::uint64_t seed, std::uint64_t stream);

// h_t = tanh(A h_{t-1} + u_t).
class TanhRnn final : public Model {
 public:
  TanhRnn(Eigen::MatrixXd a, std::vector<double> u);
  // A from stream 2k and u ~ N(0, sigma_u^2) from stream 2k+1 of `seed` (k: the grid point's index).
  static TanhRnn random(const RnnConfig& c, std::uint64_t seed, std::uint64_t k = 0);

  std::size_t dim() const override { return static_cast<std::size_t>(a_.rows()); }
  std::size_t length() const override { return u_.size() / dim(); }
  void step(std::size_t t, const double* prev, double* out) const override;
  Eigen::MatrixXd constant_linearisation() const override { return a_; }
  Recurrence jacobians(const std::vector<double>& h) const override;

  const Eigen::MatrixXd& a() const { return a_; }
  const std::vector<double>& u() const { return u_; }

 private:
  Eigen::MatrixXd a_;
  core::aligned_vector<double> a_aligned_;  // a_'s entries for the step kernel
  std::vector<double> u_;
};

// A GRU with its input projections folded into the per-step inputs:
// z = sigma(U_z h + a_t), r = sigma(U_r h + c_t), g = tanh(U_h (r .* h) + e_t), h_t = (1 - z) .* h + z .* g.
class Gru final : public Model {
 public:
  // U_h, U_z, U_r from streams 4k..4k+2 with spectral radius rho; the inputs N(0, sigma_u^2) from 4k+3.
  static Gru random(const RnnConfig& c, std::uint64_t seed, std::uint64_t k = 0);

  std::size_t dim() const override { return static_cast<std::size_t>(uh_.rows()); }
  std::size_t length() const override { return in_.size() / (3 * dim()); }
  void step(std::size_t t, const double* prev, double* out) const override;
  // 1/2 (I + 1/2 U_h): the Jacobian with z = r = 1/2, h = 0 and g' = 1.
  Eigen::MatrixXd constant_linearisation() const override;
  Recurrence jacobians(const std::vector<double>& h) const override;

 private:
  Eigen::MatrixXd uh_, uz_, ur_;
  std::vector<double> in_;  // per step: a_t (d), c_t (d), e_t (d)
};

}  // namespace rnn
