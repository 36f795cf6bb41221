#include "rnn/model.hpp"

#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "rnn/kernels.hpp"

namespace rnn {

namespace {

using Eigen::ArrayXd;
using Eigen::Map;
using Eigen::MatrixXd;
using Eigen::VectorXd;

std::vector<double> gaussian(std::size_t n, double sigma, std::uint64_t seed, std::uint64_t stream) {
  core::Rng rng = core::rng_stream(seed, stream);
  boost::random::normal_distribution<double> normal(0.0, sigma);
  std::vector<double> v(n);
  for (double& x : v) x = normal(rng);
  return v;
}

// Unit draws times sigma: every sigma_u (and every T, a prefix) sees the same underlying inputs.
std::vector<double> scaled(std::vector<double> v, double sigma) {
  for (double& x : v) x *= sigma;
  return v;
}

double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

}  // namespace

std::vector<double> Model::map(const std::vector<double>& h, unsigned threads) const {
  const std::size_t d = dim(), T = length();
  std::vector<double> f(T * d);
  const std::vector<double> zero(d, 0.0);
#pragma omp parallel for schedule(static) num_threads(static_cast <int>(std::max(1u, threads)))
  for (std::size_t t = 1; t <= T; ++t) step(t, t == 1 ? zero.data() : h.data() + (t - 2) * d, f.data() + (t - 1) * d);
  return f;
}

std::vector<double> Model::sequential() const {
  std::vector<double> h;
  sequential(h);
  return h;
}

void Model::sequential(std::vector<double>& h) const {
  const std::size_t d = dim(), T = length();
  h.resize(T * d);
  const std::vector<double> zero(d, 0.0);
  for (std::size_t t = 1; t <= T; ++t) step(t, t == 1 ? zero.data() : h.data() + (t - 2) * d, h.data() + (t - 1) * d);
}

std::string_view to_string(MatrixKind kind) {
  return kind == MatrixKind::jordan ? "jordan" : "random";
}

Eigen::MatrixXd recurrence_matrix(std::size_t d, double rho, MatrixKind kind, std::uint64_t seed,
                                  std::uint64_t stream) {
  const auto n = static_cast<Eigen::Index>(d);
  if (kind == MatrixKind::jordan) {
    MatrixXd a = rho * MatrixXd::Identity(n, n);
    for (Eigen::Index i = 0; i + 1 < n; ++i) a(i, i + 1) = rho;
    return a;
  }
  const auto g = gaussian(d * d, 1.0 / std::sqrt(static_cast<double>(d)), seed, stream);
  MatrixXd a = Map<const MatrixXd>(g.data(), n, n);
  const double radius = a.eigenvalues().cwiseAbs().maxCoeff();
  return radius > 0 ? MatrixXd(a * (rho / radius)) : a;
}

TanhRnn::TanhRnn(Eigen::MatrixXd a, std::vector<double> u)
    : a_(std::move(a)), a_aligned_(a_.data(), a_.data() + a_.size()), u_(std::move(u)) {}

TanhRnn TanhRnn::random(const RnnConfig& c, std::uint64_t seed, std::uint64_t k) {
  return TanhRnn(recurrence_matrix(c.d, c.rho, c.matrix, seed, 2 * k),
                 scaled(gaussian(c.T * c.d, 1.0, seed, 2 * k + 1), c.sigma_u));
}

void TanhRnn::step(std::size_t t, const double* prev, double* out) const {
  tanh_affine_step(a_aligned_.data(), dim(), prev, u_.data() + (t - 1) * dim(), out);
}

Recurrence TanhRnn::jacobians(const std::vector<double>& h) const {
  const std::size_t d = dim(), T = length();
  std::vector<double> scale(T * d);
  const std::vector<double> zero(d, 0.0);
  for (std::size_t t = 1; t <= T; ++t) {
    double* s = scale.data() + (t - 1) * d;
    step(t, t == 1 ? zero.data() : h.data() + (t - 2) * d, s);     // tanh(A h_{t-1} + u_t)
    for (std::size_t j = 0; j < d; ++j) s[j] = 1.0 - s[j] * s[j];  // sech^2
  }
  return Recurrence::row_scaled(a_, std::move(scale));
}

Gru Gru::random(const RnnConfig& c, std::uint64_t seed, std::uint64_t k) {
  Gru g;
  g.uh_ = recurrence_matrix(c.d, c.rho, c.matrix, seed, 4 * k);
  g.uz_ = recurrence_matrix(c.d, c.rho, MatrixKind::random, seed, 4 * k + 1);
  g.ur_ = recurrence_matrix(c.d, c.rho, MatrixKind::random, seed, 4 * k + 2);
  g.in_ = scaled(gaussian(3 * c.T * c.d, 1.0, seed, 4 * k + 3), c.sigma_u);
  return g;
}

void Gru::step(std::size_t t, const double* prev, double* out) const {
  const auto d = uh_.rows();
  const double* in = in_.data() + (t - 1) * 3 * dim();
  Map<const VectorXd> h(prev, d), a(in, d), c(in + d, d), e(in + 2 * d, d);
  const ArrayXd z = (uz_ * h + a).array().unaryExpr(&sigmoid);
  const ArrayXd r = (ur_ * h + c).array().unaryExpr(&sigmoid);
  const ArrayXd g = (uh_ * (r * h.array()).matrix() + e).array().tanh();
  Map<VectorXd>(out, d) = ((1.0 - z) * h.array() + z * g).matrix();
}

Eigen::MatrixXd Gru::constant_linearisation() const {
  const auto d = uh_.rows();
  return 0.5 * (MatrixXd::Identity(d, d) + 0.5 * uh_);
}

Recurrence Gru::jacobians(const std::vector<double>& hs) const {
  const std::size_t d = dim(), T = length();
  const auto n = static_cast<Eigen::Index>(d);
  core::aligned_vector<double> mats(T * d * d);
  const VectorXd zero = VectorXd::Zero(n);
  for (std::size_t t = 1; t <= T; ++t) {
    const double* in = in_.data() + (t - 1) * 3 * d;
    const VectorXd h = t == 1 ? zero : VectorXd(Map<const VectorXd>(hs.data() + (t - 2) * d, n));
    Map<const VectorXd> a(in, n), c(in + d, n), e(in + 2 * d, n);
    const ArrayXd z = (uz_ * h + a).array().unaryExpr(&sigmoid);
    const ArrayXd r = (ur_ * h + c).array().unaryExpr(&sigmoid);
    const ArrayXd g = (uh_ * (r * h.array()).matrix() + e).array().tanh();
    // dh_t = (1-z) dh + (g-h) z(1-z) U_z dh + z (1-g^2) U_h (r dh + h r(1-r) U_r dh)
    MatrixXd inner = (h.array() * r * (1.0 - r)).matrix().asDiagonal() * ur_;
    inner.diagonal() += r.matrix();
    Map<MatrixXd> j(mats.data() + (t - 1) * d * d, n, n);
    j.noalias() = (z * (1.0 - g.square())).matrix().asDiagonal() * (uh_ * inner);
    j.noalias() += ((g - h.array()) * z * (1.0 - z)).matrix().asDiagonal() * uz_;
    j.diagonal() += (1.0 - z).matrix();
  }
  return Recurrence::general(d, std::move(mats));
}

}  // namespace rnn
