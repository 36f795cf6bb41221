// Denoising (conditional) score matching against plain score matching (Vincent, "A Connection Between
// Score Matching and Denoising Autoencoders", Neural Computation 2011; as used by Kwon, Fan & Lee 2022):
//   E_{x0, x_t} |grad log p_t(x_t | x0) - s(x_t)|^2 = E_{x_t} |grad log p_t(x_t) - s(x_t)|^2 + C_t,
//   C_t = E |grad log p_t(x_t | x0)|^2 - E |grad log p_t(x_t)|^2 = 1/sigma_t^2 - J(p_t) >= 0,
// independent of the model s (J is the Fisher information of p_t; for Gaussian data N(mu, v) it is
// 1/(m_t^2 v + sigma_t^2)). Both losses are estimated by Monte Carlo for the 1-D models s_theta(x) = -theta x
// on common samples.
#pragma once

#include <cstdint>
#include <vector>

#include "w2/mixture.hpp"

namespace w2 {

struct DsmCase {
  VpSchedule vp;
  Mixture data;
  double t = 0.2;
  std::vector<double> thetas{0, 0.5, 1, 2};
  std::size_t samples = 200000;
  std::uint64_t seed = 1, stream = 0;
};

// C_t = 1/sigma_t^2 - J(p_t): the Fisher information by adaptive Gauss-Kronrod quadrature (closed form
// for a single component).
double dsm_gap_exact(const VpSchedule& vp, const Mixture& data, double t);

struct DsmRow {
  double theta, dsm, sm, gap, gap_se;
  double spread_z;  // (gap - gap at the first theta) / its standard error (common samples)
};

struct DsmResult {
  std::vector<DsmRow> rows;
  double gap_exact = 0;
};

DsmResult dsm_losses(const DsmCase& c);

}  // namespace w2
