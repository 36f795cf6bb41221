// The variance-preserving (VP) diffusion of score-SDE work: dx = -1/2 beta(t) x dt + sqrt(beta(t)) dW with
// beta linear from beta_min to beta_max on t in [0, 1], so x_t | x0 ~ N(m_t x0, sigma_t^2 I) with
// m_t = exp(-1/2 int_0^t beta) and sigma_t^2 = 1 - m_t^2 (Song et al., "Score-Based Generative Modeling
// through Stochastic Differential Equations", ICLR 2021). The probability-flow ODE of this process is
// dx/dt = -1/2 beta x - 1/2 beta grad log p_t(x); its g_t^2 is beta(t).
#pragma once

namespace w2 {

struct VpSchedule {
  double beta_min = 0.1;
  double beta_max = 20;
  double t_end = 1;  // T: the diffusion runs from t = T (noise) back to t = 0 (data)

  double beta(double t) const { return beta_min + (beta_max - beta_min) * t; }
  double beta_integral(double t) const { return beta_min * t + 0.5 * (beta_max - beta_min) * t * t; }
  double mean_scale(double t) const;  // m_t
  double noise_var(double t) const;   // sigma_t^2 = 1 - m_t^2, without cancellation at small t
};

// InputError naming the option (--beta-min, --beta-max, --T) unless 0 < beta_min < beta_max and T > 0.
void check(const VpSchedule& vp);

}  // namespace w2
