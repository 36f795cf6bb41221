// Random Gaussian projections and the Johnson–Lindenstrauss dimension (kexue.fm/archives/8679;
// Dasgupta & Gupta, "An elementary proof of a theorem of Johnson and Lindenstrauss", 2003): N points
// mapped by A ∈ R^(n×m) with i.i.d. N(0, 1/n) entries keep every squared distance within 1 ± ε with
// probability ≥ 1 − 1/N once n > 24 ln N/ε² (16 ln N/ε² for a good A to exist; Dasgupta–Gupta:
// 4 ln N/(ε²/2 − ε³/3)); the entropy argument of kexue.fm/archives/7695 gives n > 8.33 ln N.
// Projections are Eigen matrix products; A comes from the seeded per-point streams of lib/core.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "core/csv.hpp"
#include "core/sweep.hpp"

namespace jl {

// The dimension formulas (dims, min-dim).
double jl_bound_24(double points, double eps);           // 24 ln N / ε²
double jl_bound_16(double points, double eps);           // 16 ln N / ε²
double dasgupta_gupta_bound(double points, double eps);  // 4 ln N / (ε²/2 − ε³/3)
double entropy_dimension(double points);                 // 8.33 ln N
constexpr double entropy_constant = 8.33;
double log512_factor(double n);  // log_512 n, the entropy-invariant scale's factor

// Points as the columns of an m × N matrix.
using Points = Eigen::MatrixXd;

// N points in m dimensions with i.i.d. N(0, 1) coordinates from core::rng_stream(seed, stream).
Points gaussian_points(std::size_t count, std::size_t dim, std::uint64_t seed, std::uint64_t stream);

// Points from a CSV table (one point per row, every column a coordinate): InputError for a non-number, fewer
// than two points or two identical points (their distortion is undefined).
Points points_from_table(const core::CsvTable& table, std::string_view what);

// A ∈ R^(n×m) with N(0, 1/n) entries, filled row by row from core::rng_stream(seed, stream): the first n
// rows are the same for every n, so searches over n move one matrix, not a fresh one per n.
Eigen::MatrixXd gaussian_projection(std::size_t n, std::size_t dim, std::uint64_t seed, std::uint64_t stream);

// Bytes a projection of N points from m to n dimensions holds at once (points, A, images, the N × N Gram
// matrices); InputError naming what it would need when that exceeds core::require_memory's limit (half of
// the machine's physical memory).
double projection_bytes(std::size_t points, std::size_t dim, std::size_t n);
void check_projection_fits(std::size_t points, std::size_t dim, std::size_t n);

// Squared pairwise distances ‖v_i − v_j‖² (i > j) as a lower-triangular Gram-difference matrix.
Eigen::MatrixXd squared_distances(const Points& x);

// Distortions |‖Av_i − Av_j‖²/‖v_i − v_j‖² − 1| over all pairs i > j, in pair order, given the squared
// distances of the originals.
std::vector<double> pair_distortions(const Points& x, const Eigen::MatrixXd& original_d2, const Eigen::MatrixXd& a);
// Inner-product errors |⟨Au_i, Au_j⟩ − ⟨u_i, u_j⟩| over pairs i > j of the normalised points u = v/‖v‖.
std::vector<double> inner_product_errors(const Points& x, const Eigen::MatrixXd& a);

// The quantile of the single-pair law: t with P(|χ²_n/n − 1| <= t) = q.
double chi2_distortion_quantile(unsigned n, double q);

struct DistortionRow {
  std::size_t n = 0;
  std::size_t pairs = 0;
  double mean = 0, q50 = 0, q90 = 0, q99 = 0, max = 0;     // of the distance distortion
  double law_q50 = 0, law_q90 = 0, law_q99 = 0;            // the χ²_n law of one pair
  double within_eps = 0;                                   // fraction of pairs with distortion <= ε
  double ip_mean = 0, ip_q50 = 0, ip_q99 = 0, ip_max = 0;  // inner-product errors of the unit vectors
};

struct ProjectConfig {
  std::vector<std::size_t> dims{8, 16, 32, 64, 128, 256, 512};
  double eps = 0.1;
  std::uint64_t seed = 1;
  unsigned threads = 1;
};

// One row per target dimension; A for dims[i] comes from stream i + 1 (stream 0 draws Gaussian points).
std::vector<DistortionRow> distortion_sweep(const Points& x, const ProjectConfig& config);

struct MinDimConfig {
  std::vector<std::size_t> points{10, 30, 100, 300, 1000};
  std::size_t dim = 512;  // of the Gaussian points
  double eps = 0.5;
  double delta = 0.1;
  std::size_t trials = 10;
  std::uint64_t seed = 1;
  unsigned threads = 1;
};

struct MinDimRow {
  std::size_t points = 0;
  std::size_t n_min = 0;      // the smallest n found with success fraction >= 1 − δ
  double success_at_min = 0;  // that fraction
  double success_below = 0;   // the fraction at n_min − 1 (< 1 − δ)
  std::size_t evaluated = 0;  // values of n tried by the search
  double jl24 = 0, jl16 = 0, dg = 0, entropy833 = 0;
};

// Its members for a shard file (core/row_codec.hpp).
template <class Io>
void fields(Io& io, MinDimRow& r) {
  io(r.points, r.n_min, r.success_at_min, r.success_below, r.evaluated, r.jl24, r.jl16, r.dg, r.entropy833);
}

struct MinDimResult {
  std::vector<MinDimRow> rows;
  double c = 0;     // least squares n_min ≈ c ln N/ε² through the origin (GSL gsl_fit_mul)
  double c_se = 0;  // its standard error
};

// For each N: bisection over n in [1, ⌈4 ln N/(ε²/2 − ε³/3)⌉] (Dasgupta–Gupta's bound, doubled while it
// fails) for the smallest n at which at least (1 − δ)T of T trials keep every pair within ε (assuming success
// grows with n; the nested A, whose first n rows are the same for every n, makes it nearly monotone).
// Points for N = points[i] come from stream (i + 1) << 40, trial t's A from ((i + 1) << 40) + t + 1.
// A sweep whose points are the N, one after another, each search's trials using every thread
// (core/sweep.hpp: `sweep` shards or merges it); the fit of c is its finish.
MinDimResult min_dimension(const MinDimConfig& config, const std::function<void()>& on_point = {},
                           core::Sweep* sweep = nullptr);

// min_dimension's run time on this machine, for core::require_time: per N and trial, the images of a
// Dasgupta–Gupta-sized A (dg × m × N) and the Gram matrix with its check (N² dg/2) log2(dg)/2 + 2 times
// (the bisection's passing half of about log2 dg candidates, whose failing half stops early, and the two
// success fractions), over the threads.
double estimated_seconds(const MinDimConfig& config);

}  // namespace jl
