// The quantization model of neural scaling (Michaud, Liu, Girit and Tegmark, "The Quantization Model of
// Neural Scaling", 2023): quanta k = 1, 2, ... are used with Zipf frequencies p_k = k^-(g+1) / zeta(g+1),
// and a model that knows quanta 1..n has loss
//     L(n) = a + (b - a) sum_{k>n} p_k = a + (b - a) zeta(g+1, n+1) / zeta(g+1)
//          ~ a + (b - a) n^-g / (g zeta(g+1))            (Hurwitz zeta; the asymptotic form for large n).
// With a finite number K of quanta the frequencies are normalised over 1..K and the loss reaches a at n = K.
#pragma once

#include <limits>
#include <vector>

namespace quanta {

inline constexpr double unlimited = std::numeric_limits<double>::infinity();

// The frequency law: exponent g > 0 (p_k ~ k^-(g+1)) and the number of quanta K (unlimited: infinitely many).
struct Zipf {
  double gamma = 0.5;
  double quanta = unlimited;
};

// Losses a (quantum known) < b (quantum missing).
struct Losses {
  double a = 0;
  double b = 1;
};

// sum_{k=1}^{K} k^-(g+1): zeta(g+1), or zeta(g+1) - zeta(g+1, K+1) when K is finite.
double zipf_norm(const Zipf& z);

// p_k, 1 <= k (0 beyond K).
double zipf_probability(const Zipf& z, double k);

// sum_{k0 <= k < k1} p_k (k1 may be unlimited), from Hurwitz zeta differences.
double zipf_mass(const Zipf& z, double k0, double k1);

// The mass of the quanta a model knowing 1..n lacks: sum_{k>n} p_k.
double zipf_tail(const Zipf& z, double n);

// The large-n form of zipf_tail for K unlimited: n^-g / (g zeta(g+1)).
double zipf_tail_asymptotic(double gamma, double n);

// One row of `curve`: the exact and asymptotic losses at n and their ratio (of L - a).
struct CurvePoint {
  double n;
  double loss;             // exact
  double loss_asymptotic;  // a + (b - a) n^-g / (g zeta(g+1))
  double tail_ratio;       // zipf_tail / zipf_tail_asymptotic; tends to 1 as 1 - g/(2n)
};

CurvePoint quanta_loss_curve_point(double gamma, const Losses& l, double n);

// n_0 .. n_1 on a logarithmic grid of `points` values, rounded to integers, duplicates removed.
std::vector<double> integer_log_grid(double from, double to, unsigned points);

// `points` values from .. to, equally spaced in log (points >= 2, or from == to).
std::vector<double> log_grid(double from, double to, unsigned points);

}  // namespace quanta
