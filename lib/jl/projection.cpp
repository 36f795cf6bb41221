#include "jl/projection.hpp"

#include <gsl/gsl_fit.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/tools/roots.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

#include "core/errors.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"

namespace jl {

double jl_bound_24(double points, double eps) {
  return 24 * std::log(points) / (eps * eps);
}
double jl_bound_16(double points, double eps) {
  return 16 * std::log(points) / (eps * eps);
}
double dasgupta_gupta_bound(double points, double eps) {
  return 4 * std::log(points) / (eps * eps / 2 - eps * eps * eps / 3);
}
double entropy_dimension(double points) {
  return entropy_constant * std::log(points);
}
double log512_factor(double n) {
  return std::log(n) / std::log(512.0);
}

Points gaussian_points(std::size_t count, std::size_t dim, std::uint64_t seed, std::uint64_t stream) {
  core::Rng rng = core::rng_stream(seed, stream);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  Points x(dim, count);
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i) x(i, j) = normal(rng);
  return x;
}

Eigen::MatrixXd squared_distances(const Points& x) {
  // Distances do not move with the origin; centring first keeps the Gram differences free of cancellation
  // for clustered points far from 0.
  const Points c = x.colwise() - x.rowwise().mean();
  Eigen::MatrixXd g = Eigen::MatrixXd::Zero(c.cols(), c.cols());
  g.selfadjointView<Eigen::Lower>().rankUpdate(c.transpose());
  Eigen::MatrixXd d2 = Eigen::MatrixXd::Zero(c.cols(), c.cols());
  for (Eigen::Index j = 0; j < c.cols(); ++j)
    for (Eigen::Index i = j + 1; i < c.cols(); ++i) d2(i, j) = g(i, i) + g(j, j) - 2 * g(i, j);
  return d2;
}

Points points_from_table(const core::CsvTable& t, std::string_view what) {
  if (t.rows.size() < 2)
    throw core::InputError(std::string(what) + ": expected at least 2 points (rows), got " +
                           std::to_string(t.rows.size()));
  Points x(t.header.size(), t.rows.size());
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    for (std::size_t c = 0; c < t.header.size(); ++c)
      x(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(r)) = core::csv_number(t, r, c, what);
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    if (!(x.col(j).squaredNorm() > 0))  // its direction, hence its inner products after projection, is undefined
      throw core::InputError(std::string(what) + ": line " + std::to_string(t.lines[static_cast<std::size_t>(j)]) +
                             " holds the zero point (or one too small to normalise); the inner-product error "
                             "needs a direction");
  const Eigen::MatrixXd d2 = squared_distances(x);
  const double scale = x.colwise().squaredNorm().maxCoeff();
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = j + 1; i < x.cols(); ++i)
      if (d2(i, j) <= 1e-12 * scale)
        throw core::InputError(std::string(what) + ": lines " + std::to_string(t.lines[j]) + " and " +
                               std::to_string(t.lines[i]) +
                               " hold (nearly) the same point; their distortion is undefined");
  return x;
}

namespace {

// rows × dim i.i.d. N(0, 1), filled row by row from one stream: the first rows are the same for any `rows`.
Eigen::MatrixXd standard_normal_rows(std::size_t rows, std::size_t dim, std::uint64_t seed, std::uint64_t stream) {
  core::Rng rng = core::rng_stream(seed, stream);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  Eigen::MatrixXd a(rows, dim);
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < a.cols(); ++j) a(i, j) = normal(rng);
  return a;
}

}  // namespace

Eigen::MatrixXd gaussian_projection(std::size_t n, std::size_t dim, std::uint64_t seed, std::uint64_t stream) {
  return standard_normal_rows(n, dim, seed, stream) / std::sqrt(static_cast<double>(n));
}

double projection_bytes(std::size_t points, std::size_t dim, std::size_t n) {
  const double N = static_cast<double>(points), m = static_cast<double>(dim), k = static_cast<double>(n);
  // points (twice: raw and centred), A, the images, two N × N matrices, and the pair lists of `project`.
  return 8 * (2 * m * N + k * m + k * N + 2 * N * N + N * N);
}

void check_projection_fits(std::size_t points, std::size_t dim, std::size_t n) {
  core::require_memory(projection_bytes(points, dim, n), "--points/--dim/--n: projecting " + std::to_string(points) +
                                                             " points from " + std::to_string(dim) + " to " +
                                                             std::to_string(n) + " dimensions");
}

namespace {

// The Gram matrix of A·c (lower triangle), c the centred points.
Eigen::MatrixXd projected_gram(const Points& c, const Eigen::MatrixXd& a) {
  const Eigen::MatrixXd y = a * c;
  Eigen::MatrixXd g = Eigen::MatrixXd::Zero(c.cols(), c.cols());
  g.selfadjointView<Eigen::Lower>().rankUpdate(y.transpose());
  return g;
}

template <class F>
void for_each_pair_distortion(const Points& x, const Eigen::MatrixXd& d2, const Eigen::MatrixXd& a, F&& f) {
  const Points c = x.colwise() - x.rowwise().mean();
  const Eigen::MatrixXd g = projected_gram(c, a);
  for (Eigen::Index j = 0; j < c.cols(); ++j)
    for (Eigen::Index i = j + 1; i < c.cols(); ++i) f(std::abs((g(i, i) + g(j, j) - 2 * g(i, j)) / d2(i, j) - 1));
}

// The q-quantile of v (linear interpolation between order statistics); v is reordered.
double quantile(std::vector<double>& v, double q) {
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto k = static_cast<std::size_t>(pos);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  const double lo = v[k];
  if (k + 1 >= v.size()) return lo;
  const double hi = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(k) + 1, v.end());
  return lo + (pos - static_cast<double>(k)) * (hi - lo);
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

}  // namespace

std::vector<double> pair_distortions(const Points& x, const Eigen::MatrixXd& d2, const Eigen::MatrixXd& a) {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(x.cols() * (x.cols() - 1) / 2));
  for_each_pair_distortion(x, d2, a, [&](double v) { out.push_back(v); });
  return out;
}

std::vector<double> inner_product_errors(const Points& x, const Eigen::MatrixXd& a) {
  const Points u = x.colwise().normalized();
  const Eigen::MatrixXd y = a * u;
  Eigen::MatrixXd g0 = Eigen::MatrixXd::Zero(u.cols(), u.cols()), g1 = g0;
  g0.selfadjointView<Eigen::Lower>().rankUpdate(u.transpose());
  g1.selfadjointView<Eigen::Lower>().rankUpdate(y.transpose());
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(u.cols() * (u.cols() - 1) / 2));
  for (Eigen::Index j = 0; j < u.cols(); ++j)
    for (Eigen::Index i = j + 1; i < u.cols(); ++i) out.push_back(std::abs(g1(i, j) - g0(i, j)));
  return out;
}

double chi2_distortion_quantile(unsigned n, double q) {
  const boost::math::chi_squared law(n);
  auto coverage = [&](double t) {
    const double lower = t < 1 ? boost::math::cdf(law, n * (1 - t)) : 0.0;
    return boost::math::cdf(law, n * (1 + t)) - lower - q;
  };
  double hi = 1;
  while (coverage(hi) < 0) hi *= 2;
  boost::math::tools::eps_tolerance<double> tol(50);
  std::uintmax_t iterations = 200;
  const auto [lo_t, hi_t] = boost::math::tools::toms748_solve(coverage, 0.0, hi, -q, coverage(hi), tol, iterations);
  return (lo_t + hi_t) / 2;
}

std::vector<DistortionRow> distortion_sweep(const Points& x, const ProjectConfig& c) {
  for (std::size_t n : c.dims)
    check_projection_fits(static_cast<std::size_t>(x.cols()), static_cast<std::size_t>(x.rows()), n);
  const Eigen::MatrixXd d2 = squared_distances(x);
  return core::parallel_map(c.dims.size(), c.threads, [&](std::size_t i) {
    const std::size_t n = c.dims[i];
    const Eigen::MatrixXd a = gaussian_projection(n, static_cast<std::size_t>(x.rows()), c.seed, i + 1);
    auto dist = pair_distortions(x, d2, a);
    auto ip = inner_product_errors(x, a);
    DistortionRow r;
    r.n = n;
    r.pairs = dist.size();
    r.mean = mean(dist);
    r.within_eps = static_cast<double>(std::count_if(dist.begin(), dist.end(), [&](double v) { return v <= c.eps; })) /
                   static_cast<double>(dist.size());
    r.q50 = quantile(dist, 0.5);
    r.q90 = quantile(dist, 0.9);
    r.q99 = quantile(dist, 0.99);
    r.max = *std::max_element(dist.begin(), dist.end());
    const auto un = static_cast<unsigned>(n);
    r.law_q50 = chi2_distortion_quantile(un, 0.5);
    r.law_q90 = chi2_distortion_quantile(un, 0.9);
    r.law_q99 = chi2_distortion_quantile(un, 0.99);
    r.ip_mean = mean(ip);
    r.ip_q50 = quantile(ip, 0.5);
    r.ip_q99 = quantile(ip, 0.99);
    r.ip_max = *std::max_element(ip.begin(), ip.end());
    return r;
  });
}

namespace {

// The search over n for one N. Trial t's projection is the first n rows of one fixed Gaussian matrix G_t
// (scaled by 1/√n), so its images G_t·c are computed once, for the largest n the search needs, and every
// candidate n takes their first n rows: one product per trial instead of one per (trial, n).
class MinDimSearch {
 public:
  MinDimSearch(const Points& x, const MinDimConfig& c, std::uint64_t base)
      : c_(c), base_(base), centred_(x.colwise() - x.rowwise().mean()), d2_(squared_distances(x)), images_(c.trials) {
    allowed_failures_ = static_cast<std::size_t>(std::floor(c.delta * static_cast<double>(c.trials) + 1e-9));
  }

  // Whether at least (1 − δ)T trials keep every pair within ε at n. Trials run in order in blocks of
  // `threads` and the count stops once the answer is settled (more than δT failures, or enough
  // successes); the answer is the full count's, so it does not depend on the block size.
  bool passes(std::size_t n) {
    if (const auto it = decided_.find(n); it != decided_.end()) return it->second;
    std::size_t ok = 0, failed = 0;
    const std::size_t needed = c_.trials - allowed_failures_;
    for (std::size_t start = 0; start < c_.trials && failed <= allowed_failures_ && ok < needed;) {
      const std::size_t block = std::min<std::size_t>(std::max(1u, c_.threads), c_.trials - start);
      const auto good = core::parallel_map(block, c_.threads, [&](std::size_t k) { return trial_ok(start + k, n); });
      for (bool g : good) (g ? ok : failed) += 1;
      start += block;
    }
    return decided_[n] = failed <= allowed_failures_;
  }

  // The fraction of all T trials that keep every pair within ε at n.
  double fraction(std::size_t n) {
    const auto good = core::parallel_map(c_.trials, c_.threads, [&](std::size_t t) { return trial_ok(t, n) ? 1 : 0; });
    return static_cast<double>(std::accumulate(good.begin(), good.end(), 0)) / static_cast<double>(c_.trials);
  }

  void reserve_rows(std::size_t rows) { rows_ = std::max(rows_, rows); }
  std::size_t evaluated() const { return decided_.size(); }

 private:
  bool trial_ok(std::size_t t, std::size_t n) {
    Eigen::MatrixXd& y = images_[t];
    if (static_cast<std::size_t>(y.rows()) < rows_) {
      y = standard_normal_rows(rows_, static_cast<std::size_t>(centred_.rows()), c_.seed, base_ + t + 1) * centred_;
    }
    Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(centred_.cols(), centred_.cols());
    gram.selfadjointView<Eigen::Lower>().rankUpdate(y.topRows(static_cast<Eigen::Index>(n)).transpose(),
                                                    1.0 / static_cast<double>(n));
    for (Eigen::Index j = 0; j < gram.cols(); ++j)
      for (Eigen::Index i = j + 1; i < gram.cols(); ++i)
        if (std::abs((gram(i, i) + gram(j, j) - 2 * gram(i, j)) / d2_(i, j) - 1) > c_.eps) return false;
    return true;
  }

  const MinDimConfig& c_;
  std::uint64_t base_;
  Points centred_;
  Eigen::MatrixXd d2_;
  std::vector<Eigen::MatrixXd> images_;
  std::size_t rows_ = 0, allowed_failures_ = 0;
  std::map<std::size_t, bool> decided_;
};

}  // namespace

double estimated_seconds(const MinDimConfig& c) {
  // Measured with the Release build on --threads 2 (2 cores shared, load 5-6), one N at a time: 0.012-0.03 s
  // per trial at N = 100, 0.04 s at N = 300, 0.1-0.4 s at N = 1000; at load 1.4 --trials 20 1.7 s, --trials 60
  // --points 100,300 0.62 s. Per thread, about twice the load-1.4 figures: 1e-8 s per Gaussian draw, 4.5e-10 s
  // per multiply-add of the images, 2.2e-10 s of the Gram matrices (large products run fastest).
  constexpr double seconds_per_draw = 1e-8, seconds_per_image_flop = 4.5e-10, seconds_per_gram_flop = 2.2e-10;
  double seconds = 0;
  for (std::size_t count : c.points) {
    const auto n = static_cast<double>(count), m = static_cast<double>(c.dim);
    const double dg = std::ceil(dasgupta_gupta_bound(n, c.eps));
    seconds += dg * m * (seconds_per_draw + n * seconds_per_image_flop) +
               (std::log2(dg) / 2 + 2) * n * n * dg / 2 * seconds_per_gram_flop;
  }
  const auto trials = static_cast<double>(c.trials);
  return seconds * trials / std::clamp(trials, 1.0, static_cast<double>(std::max(1u, c.threads)));
}

MinDimResult min_dimension(const MinDimConfig& c, const std::function<void()>& on_point, core::Sweep* sweep) {
  if (!(c.eps > 0 && c.eps < 1))
    throw core::InputError("--eps: expected a number in (0, 1), got " + std::to_string(c.eps));
  if (!(c.delta > 0 && c.delta < 1))
    throw core::InputError("--delta: expected a number in (0, 1), got " + std::to_string(c.delta));
  for (std::size_t count : c.points) {
    if (count < 2) throw core::InputError("--points: expected N >= 2, got " + std::to_string(count));
    check_projection_fits(count, c.dim,
                          static_cast<std::size_t>(std::ceil(jl_bound_24(static_cast<double>(count), c.eps))));
  }
  MinDimResult result;
  // One N at a time (the outer map on one thread): each search runs its trials on every thread.
  result.rows = core::sweep_map(sweep, c.points.size(), 1, [&](std::size_t i) {
    const std::size_t count = c.points[i];
    const auto nN = static_cast<double>(count);
    MinDimRow row;
    row.points = count;
    row.jl24 = jl_bound_24(nN, c.eps);
    row.jl16 = jl_bound_16(nN, c.eps);
    row.dg = dasgupta_gupta_bound(nN, c.eps);
    row.entropy833 = entropy_dimension(nN);
    // Dasgupta–Gupta's bound is itself a JL bound (the smallest of the three), so the search starts there.
    std::size_t hi = static_cast<std::size_t>(std::ceil(row.dg));
    const std::uint64_t base = std::uint64_t{i + 1} << 40;
    MinDimSearch search(gaussian_points(count, c.dim, c.seed, base), c, base);
    search.reserve_rows(hi);
    while (!search.passes(hi)) {
      if (hi > 64 * static_cast<std::size_t>(std::ceil(row.jl24)))
        throw core::NumericalError("min-dim: no n up to " + std::to_string(hi) +
                                   " succeeds for N = " + std::to_string(count));
      hi *= 2;
      search.reserve_rows(hi);
    }
    std::size_t lo = 0;  // n = 0 fails by definition
    while (hi - lo > 1) {
      const std::size_t mid = lo + (hi - lo) / 2;
      (search.passes(mid) ? hi : lo) = mid;
    }
    row.n_min = hi;
    row.evaluated = search.evaluated();
    row.success_at_min = search.fraction(hi);
    row.success_below = lo == 0 ? 0.0 : search.fraction(lo);
    if (on_point) on_point();
    return row;
  });
  std::vector<double> xs, ys;
  for (const auto& r : result.rows) {
    xs.push_back(std::log(static_cast<double>(r.points)) / (c.eps * c.eps));
    ys.push_back(static_cast<double>(r.n_min));
  }
  double cov = 0, sumsq = 0;
  gsl_fit_mul(xs.data(), 1, ys.data(), 1, xs.size(), &result.c, &cov, &sumsq);
  result.c_se = xs.size() > 1 ? std::sqrt(cov) : 0.0;
  return result;
}

}  // namespace jl
