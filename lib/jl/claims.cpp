#include "jl/claims.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "jl/entropy.hpp"
#include "jl/projection.hpp"
#include "jl/study.hpp"
#include "jl/tails.hpp"

namespace jl {

namespace {

using core::Claim;
using core::Compare;

constexpr std::string_view jl_article = "kexue.fm/archives/8679 (JL lemma; 2021-09)";
constexpr std::string_view dim_article = "kexue.fm/archives/7695 and 8706 (n > 8.33 ln N)";
constexpr std::string_view entropy_article = "kexue.fm/archives/8823 (entropy-invariant attention; 2021-12)";
constexpr std::string_view ours = "this suite (jl-entropy)";
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr bool slow = false;

// "≈ 52": the published figures are 8.33 ln N rounded to an integer, so half a unit.
constexpr double rounding = 0.5;
// Entropy under 1/√d: H ≈ ln n − λ²‖q‖²/2 has slope 1 in ln n for large n; the grid starts at n = 16,
// where the softmax is not yet in its large-n regime, which moves the fitted slope by a few hundredths.
constexpr double slope_tolerance = 0.1;

const Claim table[] = {
    {"dim_512", "8.33 ln N dimensions for N = 512 tokens (head size 64)", dim_article, "52", Compare::absolute, 52,
     rounding},
    {"dim_1e5", "8.33 ln N for N = 10^5 (word vectors of size ~100)", dim_article, "96", Compare::absolute, 96,
     rounding},
    {"dim_5e6", "8.33 ln N for N = 5*10^6", dim_article, "128", Compare::absolute, 128, rounding},
    {"norm_bound", "P(abs(norm(u)^2 - 1) >= eps) <= 2 exp(-eps^2 n/8) against the exact chi-squared tail", jl_article,
     "holds", Compare::holds},
    {"ortho_bound", "P(abs(<u; v>) >= eps) <= 4 exp(-eps^2 n/8) against the exact law of <u; v>", jl_article, "holds",
     Compare::holds},
    {"min_dim_far_below", "the empirical minimum dimension is far below 24 ln N/eps^2", jl_article, "holds",
     Compare::holds, nan, 0, slow},
    {"min_dim_c", "beyond: fitted c in n_min ~ c ln N/eps^2 (eps = 0.5; delta = 0.1)", ours, "", Compare::finding, nan,
     0, slow},
    {"entropy_slope_inv_sqrt_d", "under lambda = 1/sqrt(d) the entropy grows ~linearly in ln n: dH/d ln n",
     entropy_article, "1", Compare::absolute, 1, slope_tolerance, slow},
    {"entropy_slope_log512", "under lambda = log_512(n)/sqrt(d) the entropy grows far more slowly", entropy_article,
     "holds", Compare::holds, nan, 0, slow},
    {"meanfield_slope_log512",
     "beyond: the mean-field estimate ln n - lambda(s_max - s_mean) under log_512(n)/sqrt(d): d/d ln n", ours, "",
     Compare::finding, nan, 0, slow},
    {"needle_fades_inv_sqrt_d", "under 1/sqrt(d) the attention on a matching key fades as n grows", entropy_article,
     "holds", Compare::holds, nan, 0, slow},
    {"needle_kept_log512", "under log_512(n)/sqrt(d) the attention on a matching key does not fade", entropy_article,
     "holds", Compare::holds, nan, 0, slow},
};

// The bounds on a grid wider than the tails' default: n = 1 .. 4096, eps = 0.05 .. 0.95.
template <class Check>
std::size_t count_bound_failures(Check check, std::size_t& points) {
  std::size_t failures = 0;
  for (unsigned n = 1; n <= 4096; n *= 2)
    for (int e = 1; e <= 19; ++e) {
      failures += !check(n, 0.05 * e);
      ++points;
    }
  return failures;
}

// Chernoff <= bound for every n at once: both sides are exponentials linear in n, so it suffices that each
// Chernoff exponent per unit of n is at most the bound's, on a dense eps grid (eps = 10^-4 .. 1 - 10^-4).
// Norm: (ln(1 + eps) - eps)/2 and (ln(1 - eps) + eps)/2 <= -eps^2/8 (two terms, each <= the bound's half);
// ortho, direct form: -(t eps + ln(1 - t^2)/2) <= -eps^2/8 at the optimal t (2 e^.. <= 4 e^..); the
// proof's route is twice the norm form.
std::size_t exponent_failures(TailKind kind) {
  std::size_t failures = 0;
  for (int k = 1; k < 10000; ++k) {
    const double e = k * 1e-4, bound = -e * e / 8;
    if (kind == TailKind::norm) {
      failures += !((std::log1p(e) - e) / 2 <= bound && (std::log1p(-e) + e) / 2 <= bound);
    } else {
      const double t = (std::sqrt(1 + 4 * e * e) - 1) / (2 * e);
      failures += !(-(t * e + std::log1p(-t * t) / 2) <= bound);
    }
  }
  return failures;
}

void measure_dims(core::ReproTable& t) {
  t.add("dim_512", {.value = entropy_dimension(512), .note = "8.33 ln 512"});
  t.add("dim_1e5", {.value = entropy_dimension(1e5), .note = "8.33 ln 10^5"});
  t.add("dim_5e6", {.value = entropy_dimension(5e6), .note = "8.33 ln (5*10^6)"});
}

void measure_tails(core::ReproTable& t) {
  std::size_t points = 0;
  const auto norm_fail = count_bound_failures(
      [](unsigned n, double e) {
        const double exact = norm_tail_exact(n, e), ch = norm_tail_chernoff(n, e);
        return exact <= ch && ch <= norm_tail_bound(n, e);
      },
      points);
  const std::string grid = "exact <= Chernoff <= bound at " + std::to_string(points) +
                           " points: n = 1 .. 4096 (powers of 2) x eps = 0.05 .. 0.95";
  const std::string every_n = "; Chernoff <= bound for every n at eps = 10^-4 .. 1 - 10^-4 (step 10^-4; "
                              "the exponents per unit n)";
  const std::size_t norm_exp = exponent_failures(TailKind::norm), ortho_exp = exponent_failures(TailKind::ortho);
  t.add("norm_bound", {.holds = norm_fail == 0 && norm_exp == 0,
                       .text = norm_fail + norm_exp == 0 ? "holds" : std::to_string(norm_fail + norm_exp) + " points fail",
                       .note = grid + every_n + " (Boost.Math incomplete gamma)"});
  points = 0;
  const auto ortho_fail = count_bound_failures(
      [](unsigned n, double e) {
        const double exact = ortho_tail_exact(n, e).value, ch = ortho_tail_chernoff(n, e),
                     via = ortho_tail_chernoff_via_norm(n, e), bound = ortho_tail_bound(n, e);
        return exact <= ch && exact <= via && ch <= bound && via <= bound;
      },
      points);
  t.add("ortho_bound",
        {.holds = ortho_fail == 0 && ortho_exp == 0 && norm_exp == 0,
         .text = ortho_fail + ortho_exp == 0 ? "holds" : std::to_string(ortho_fail + ortho_exp) + " points fail",
         .note = grid + every_n + " (exact law by Boost tanh-sinh + exp-sinh quadrature; both Chernoff forms)"});
}

void measure_min_dim(core::ReproTable& t, const core::ReproduceSettings& s) {
  MinDimConfig c;
  c.points = {10, 30, 100, 300};
  c.seed = s.seed;
  c.threads = s.threads;
  const auto r = min_dim_study(c);
  std::string list;
  for (const auto& w : r.rows) {
    const auto& row = w.search;
    if (!list.empty()) list += ' ';
    list += std::to_string(row.n_min);
    list += '/';
    list += std::to_string(static_cast<long>(std::ceil(row.jl24)));
  }
  const std::string grid = "reduced grid: min-dim --points 10;30;100;300 (eps 0.5; delta 0.1; 10 trials)";
  t.add("min_dim_far_below", {.holds = r.far_below,
                              .text = "n_min/24lnN/eps^2 <= " + core::format_sig(r.worst_over_jl24, 3),
                              .note = "n_min/bound: " + list + "; criterion: at most half the bound; " + grid});
  t.add("min_dim_c", {.value = r.c, .note = "+- " + core::format_sig(r.c_se, 2) + " (standard error); " + grid});
}

void measure_entropy(core::ReproTable& t, const core::ReproduceSettings& s) {
  EntropyConfig c;
  c.log2_to = 16;
  c.work = std::size_t{1} << 20;
  c.seed = s.seed;
  c.threads = s.threads;
  const auto plain = entropy_sweep(c);
  c.needle_rho = 0.9;
  const auto needle = entropy_sweep(c);
  const std::string grid = "reduced grid: entropy --log2-to 16 --work 2^20 (d = 64)";
  auto slope = [](const EntropyResult& r, Scale s) {
    return std::find_if(r.slopes.begin(), r.slopes.end(), [s](const auto& f) { return f.scale == s; })->slope;
  };
  const double s0 = slope(plain, Scale::inv_sqrt_d), s1 = slope(plain, Scale::log512);
  t.add("entropy_slope_inv_sqrt_d", {.value = s0, .note = grid});
  t.add("entropy_slope_log512",
        {.holds = s1 <= 0.5 * s0,
         .text = "dH/d ln n = " + core::format_sig(s1, 3) + " vs " + core::format_sig(s0, 3),
         .note = "criterion: at most half the 1/sqrt(d) slope; the exact entropy keeps growing since H ~ ln n - "
                 "(lambda norm(q))^2/2 = ln n - (ln n)^2/(2 ln^2 512) for Gaussian scores; " +
                 grid});
  const double mf = std::find_if(plain.slopes.begin(), plain.slopes.end(), [](const auto& f) {
                      return f.scale == Scale::log512;
                    })->meanfield_slope;
  t.add("meanfield_slope_log512",
        {.value = mf,
         .note = "the estimate the scale was derived from is nearly flat while the exact slope is " +
                 core::format_sig(s1, 3) + "; " + grid});
  auto mass = [&](Scale s, std::size_t n) {
    for (const auto& r : needle.rows)
      if (r.scale == s && r.n == n) return r.needle_mass_mean;
    return nan;
  };
  const std::size_t first = std::size_t{1} << c.log2_from, last = std::size_t{1} << c.log2_to;
  const double m0a = mass(Scale::inv_sqrt_d, first), m0b = mass(Scale::inv_sqrt_d, last);
  const double m1a = mass(Scale::log512, 512), m1b = mass(Scale::log512, last);
  t.add("needle_fades_inv_sqrt_d",
        {.holds = m0b < 0.1 * m0a,
         .text = "mass " + core::format_sig(m0a, 3) + " at n = 16 -> " + core::format_sig(m0b, 3) + " at 2^16",
         .note = "needle rho = 0.9; criterion: falls tenfold; " + grid});
  t.add("needle_kept_log512",
        {.holds = m1b >= 0.5 * m1a,
         .text = "mass " + core::format_sig(m1a, 3) + " at n = 512 -> " + core::format_sig(m1b, 3) + " at 2^16",
         .note = "needle rho = 0.9; criterion: keeps half its mass at n = 512; " + grid});
}

}  // namespace

std::span<const Claim> claims() {
  return table;
}

std::vector<core::ReproRow> reproduce(const core::ReproduceSettings& settings) {
  core::ReproTable t("jl-entropy", table, settings);
  measure_dims(t);
  measure_tails(t);
  if (t.wanted("min_dim_far_below")) measure_min_dim(t, settings);
  if (t.wanted("entropy_slope_log512")) measure_entropy(t, settings);
  return t.rows();
}

}  // namespace jl
