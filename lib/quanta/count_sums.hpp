// Expectations over the quanta on the data axis: sums over k = 1..K of a function of the expected count
// lambda_k = D p_k of quantum k in D samples, where P(learned) = P(Poisson(lambda_k) >= tau).
//   missed mass     sum_k p_k Q(tau, lambda_k)        (the expected L - a over b - a)
//   learned count   sum_k P(tau, lambda_k)            (finite K)
//   log P(all)      sum_k log P(tau, lambda_k)        (finite K; the counts are independent)
// Q and P are Boost's regularised incomplete gamma functions (gamma_q, gamma_p). Every term has one sign,
// so a relative bound per piece is a relative bound on the sum. The sums are exact to 1e-12 relative, plus
// 1e-14 D p_K for a finite K (the conditioning of Q(tau, D p_K) in p_K; it matters only where the loss is
// below e^-100), for every K up to 10^15 and for K unlimited, tau up to 10^6 (tested against direct long
// double sums over all K quanta, tests/quanta/test_count_sums.cpp), at a cost of 500 to 10,000 evaluations
// of Q per sum:
//   - quanta whose terms are provably below 1e-17 of the sum are left out (a bisection on Q's monotone tail);
//   - where the term varies by more than 10% from one quantum to the next, the quanta are summed one by one;
//   - above that, Gregory's summation formula (trapezoid plus end corrections in forward and backward
//     differences up to order 10) on the integral of the term over k, which Gauss-Kronrod integrates.
#pragma once

#include "quanta/zipf.hpp"

namespace quanta {

class CountSums {
 public:
  CountSums(const Zipf& z, unsigned tau);

  double missed_mass(double samples) const;
  double learned_count(double samples) const;    // needs a finite K
  double log_all_learned(double samples) const;  // needs a finite K; -inf when some P underflows to 0

 private:
  Zipf zipf_;
  double tau_, s_, norm_;
};

}  // namespace quanta
