#include "w2/flow.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>

#include "core/parallel.hpp"
#include "core/simd.hpp"
#include "w2/ode.hpp"

namespace w2 {

void diffuse(const Mixture& data, double m, double s2, double shift, double var_scale, std::vector<Component>& out) {
  out.clear();
  for (std::size_t i = 0; i < data.weights.size(); ++i) {
    const double v = m * m * var_scale * data.variances[i] + s2;
    if (data.weights[i] > 0) out.push_back({data.weights[i] / std::sqrt(v), m * (data.means[i] + shift), 1 / v});
  }
}

Simd best_simd() {
  return core::have_avx2() ? Simd::avx2 : Simd::scalar;
}

namespace {

// The softmax of mixture_score without the slope: gamma_k ~ coef_k exp(e_k - top) with the largest
// exponent taken out (its weight needs no exp), score = sum gamma_k (-u_k / v_k) / sum gamma_k.
void field_scalar(const std::vector<Component>& comps, Affine f, const double* x, double* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t arg = 0;
    double top = -INFINITY;
    for (std::size_t k = 0; k < comps.size(); ++k) {
      const double u = x[i] - comps[k].mean, e = -0.5 * (u * u) * comps[k].inv_var;
      if (e > top) top = e, arg = k;
    }
    double z = 0, s = 0;
    for (std::size_t k = 0; k < comps.size(); ++k) {
      const auto& c = comps[k];
      const double u = x[i] - c.mean, g = c.coef * (k == arg ? 1.0 : std::exp(-0.5 * (u * u) * c.inv_var - top));
      z += g;
      s += g * u * c.inv_var;
    }
    out[i] = f.a * x[i] - f.b * (s / z) + f.c;
  }
}

#ifdef CORE_LIBMVEC
// The same arithmetic on 4 particles at a time with exp from libmvec, for n a multiple of 4 (the blocks
// are). One component needs no exp; two (the default mixture) need one, exp(-|e_0 - e_1|), since the
// larger exponent's weight is exactly its coefficient.
#pragma GCC push_options
#pragma GCC target("avx2,fma")

__m256d exponent(__m256d u, const Component& c) {
  return _mm256_mul_pd(_mm256_mul_pd(_mm256_set1_pd(-0.5), _mm256_mul_pd(u, u)), _mm256_set1_pd(c.inv_var));
}

// a x - b (s / z) + c, with s / z the score.
__m256d affine(Affine f, __m256d x, __m256d s, __m256d z) {
  const __m256d ax_c = _mm256_fmadd_pd(_mm256_set1_pd(f.a), x, _mm256_set1_pd(f.c));
  return _mm256_fnmadd_pd(_mm256_set1_pd(f.b), _mm256_div_pd(s, z), ax_c);
}

void field_one(const Component& a, Affine f, const double* x, double* out, std::size_t n) {
  const __m256d mean = _mm256_set1_pd(a.mean), inv_var = _mm256_set1_pd(a.inv_var), one = _mm256_set1_pd(1);
  for (std::size_t i = 0; i < n; i += 4) {
    const __m256d xi = _mm256_loadu_pd(x + i);
    _mm256_storeu_pd(out + i, affine(f, xi, _mm256_mul_pd(_mm256_sub_pd(xi, mean), inv_var), one));
  }
}

// Three passes over up to 64 particles: the exponent gaps, their exps back to back (so that the
// out-of-order core overlaps successive libmvec calls), then the weights and the field.
void field_two(const Component& a, const Component& b, Affine f, const double* x, double* out, std::size_t n) {
  const __m256d ca = _mm256_set1_pd(a.coef), cb = _mm256_set1_pd(b.coef);
  const __m256d ia = _mm256_set1_pd(a.inv_var), ib = _mm256_set1_pd(b.inv_var);
  const __m256d ma = _mm256_set1_pd(a.mean), mb = _mm256_set1_pd(b.mean);
  alignas(32) double gap[64], r[64];
  for (std::size_t base = 0; base < n; base += 64) {
    const std::size_t m = std::min<std::size_t>(64, n - base);
    for (std::size_t i = 0; i < m; i += 4) {
      const __m256d xi = _mm256_loadu_pd(x + base + i);
      _mm256_store_pd(gap + i, _mm256_sub_pd(exponent(_mm256_sub_pd(xi, ma), a), exponent(_mm256_sub_pd(xi, mb), b)));
    }
    for (std::size_t i = 0; i < m; i += 4)  // exp(-|gap|)
      _mm256_store_pd(r + i, _ZGVdN4v_exp(_mm256_or_pd(_mm256_set1_pd(-0.0), _mm256_load_pd(gap + i))));
    for (std::size_t i = 0; i < m; i += 4) {
      const __m256d xi = _mm256_loadu_pd(x + base + i), ri = _mm256_load_pd(r + i);
      const __m256d a_top = _mm256_cmp_pd(_mm256_load_pd(gap + i), _mm256_setzero_pd(), _CMP_GT_OQ);
      const __m256d ga = _mm256_blendv_pd(_mm256_mul_pd(ca, ri), ca, a_top);
      const __m256d gb = _mm256_blendv_pd(cb, _mm256_mul_pd(cb, ri), a_top);
      const __m256d s = _mm256_fmadd_pd(_mm256_mul_pd(ga, _mm256_sub_pd(xi, ma)), ia,
                                        _mm256_mul_pd(_mm256_mul_pd(gb, _mm256_sub_pd(xi, mb)), ib));
      _mm256_storeu_pd(out + base + i, affine(f, xi, s, _mm256_add_pd(ga, gb)));
    }
  }
}

void field_many(const std::vector<Component>& comps, Affine f, const double* x, double* out, std::size_t n) {
  for (std::size_t i = 0; i < n; i += 4) {
    const __m256d xi = _mm256_loadu_pd(x + i);
    __m256d top = _mm256_set1_pd(-INFINITY);
    for (const auto& c : comps) top = _mm256_max_pd(top, exponent(_mm256_sub_pd(xi, _mm256_set1_pd(c.mean)), c));
    __m256d z = _mm256_setzero_pd(), s = z;
    for (const auto& c : comps) {
      const __m256d u = _mm256_sub_pd(xi, _mm256_set1_pd(c.mean));
      const __m256d g = _mm256_mul_pd(_mm256_set1_pd(c.coef), _ZGVdN4v_exp(_mm256_sub_pd(exponent(u, c), top)));
      z = _mm256_add_pd(z, g);
      s = _mm256_fmadd_pd(_mm256_mul_pd(g, u), _mm256_set1_pd(c.inv_var), s);
    }
    _mm256_storeu_pd(out + i, affine(f, xi, s, z));
  }
}

void field_avx2(const std::vector<Component>& comps, Affine f, const double* x, double* out, std::size_t n) {
  if (comps.size() == 1) return field_one(comps[0], f, x, out, n);
  if (comps.size() == 2) return field_two(comps[0], comps[1], f, x, out, n);
  field_many(comps, f, x, out, n);
}

#pragma GCC pop_options
#endif

}  // namespace

void mixture_field(const std::vector<Component>& comps, Affine f, const double* x, double* out, std::size_t n,
                   Simd simd) {
#ifdef CORE_LIBMVEC
  if (simd == Simd::avx2 && core::have_avx2()) {
    const std::size_t head = n / 4 * 4;
    field_avx2(comps, f, x, out, head);
    return field_scalar(comps, f, x + head, out + head, n - head);
  }
#endif
  (void)simd;
  field_scalar(comps, f, x, out, n);
}

namespace {

// The state of one block: the true flow's particles, then the model flow's.
using BlockState = std::array<double, 2 * flow_block>;

#ifdef CORE_LIBMVEC
// odeint's array algebra with its loops compiled for AVX2+FMA: the Runge-Kutta stage sums over a block
// otherwise cost as much as the scores. Only the loops that dopri5 and its error checker use.
struct Avx2ArrayAlgebra : boost::numeric::odeint::array_algebra {
  template <class Op, class S1, class... S>
  __attribute__((target("avx2,fma"))) static void apply(Op op, S1& s1, S&... s) {
    for (std::size_t i = 0; i < s1.size(); ++i) op(s1[i], s[i]...);
  }
  template <class S1, class S2, class S3, class Op>
  static void for_each3(S1& s1, S2& s2, S3& s3, Op op) {
    apply(op, s1, s2, s3);
  }
  template <class S1, class S2, class S3, class S4, class Op>
  static void for_each4(S1& s1, S2& s2, S3& s3, S4& s4, Op op) {
    apply(op, s1, s2, s3, s4);
  }
  template <class S1, class S2, class S3, class S4, class S5, class Op>
  static void for_each5(S1& s1, S2& s2, S3& s3, S4& s4, S5& s5, Op op) {
    apply(op, s1, s2, s3, s4, s5);
  }
  template <class S1, class S2, class S3, class S4, class S5, class S6, class Op>
  static void for_each6(S1& s1, S2& s2, S3& s3, S4& s4, S5& s5, S6& s6, Op op) {
    apply(op, s1, s2, s3, s4, s5, s6);
  }
  template <class S1, class S2, class S3, class S4, class S5, class S6, class S7, class Op>
  static void for_each7(S1& s1, S2& s2, S3& s3, S4& s4, S5& s5, S6& s6, S7& s7, Op op) {
    apply(op, s1, s2, s3, s4, s5, s6, s7);
  }
};
#endif

// The two probability-flow fields on a block: x' = -1/2 beta (x + s(x)) and
// y' = -1/2 beta (y + s_model(y)), s_model one of the score errors of mixture.hpp.
class BlockField {
 public:
  BlockField(const MixtureCase& c, Simd simd) : c_(c), simd_(simd) {}

  void operator()(const BlockState& x, BlockState& dxdt, double t) {
    constexpr std::size_t b = flow_block;
    const double h = -0.5 * c_.vp.beta(t), m = c_.vp.mean_scale(t), s2 = c_.vp.noise_var(t), eta = c_.eta;
    diffuse(c_.data, m, s2, 0, 1, truth_);
    mixture_field(truth_, {h, h, 0}, x.data(), dxdt.data(), b, simd_);
    Affine model{h, h, 0};
    switch (c_.error) {
      case ScoreError::bias: model.c = h * eta; break;
      case ScoreError::scale: model.b = h * (1 + eta); break;
      case ScoreError::wrong_gaussian: diffuse(c_.data, m, s2, eta, 1 + eta, model_); break;
      case ScoreError::time_linear: model.a = h * (1 + eta * t / c_.vp.t_end); break;
    }
    const bool wrong = c_.error == ScoreError::wrong_gaussian;
    mixture_field(wrong ? model_ : truth_, model, x.data() + b, dxdt.data() + b, b, simd_);
  }

 private:
  const MixtureCase& c_;
  Simd simd_;
  std::vector<Component> truth_, model_;  // reused across calls: no allocation per evaluation
};

// The pairs order[first, last) of `start` as one block; slots past the last pair repeat it, which leaves
// the max norm of the block's error, and so its steps, exactly as for the short block.
OdeStats integrate_block(const MixtureCase& c, Simd simd, const std::vector<double>& start,
                         const std::vector<std::size_t>& order, std::size_t first, std::size_t last, FlowResult& out) {
  constexpr std::size_t b = flow_block;
  BlockState x;
  for (std::size_t i = 0; i < b; ++i) x[i] = x[b + i] = start[order[std::min(first + i, last - 1)]];
  BlockField field(c, simd);
  const std::string what = "the particle flow (block of particles " + std::to_string(first) + " to " +
                           std::to_string(last - 1) + " in sorted order)";
  OdeStats stats;
#ifdef CORE_LIBMVEC
  if (simd == Simd::avx2 && core::have_avx2())
    stats = integrate_checked<Dopri5<BlockState, Avx2ArrayAlgebra>>(std::ref(field), x, c.vp.t_end, 0.0, c.tol, what);
  else
#endif
    stats = integrate_checked(std::ref(field), x, c.vp.t_end, 0.0, c.tol, what);
  for (std::size_t i = first; i < last; ++i) {
    out.p0[order[i]] = x[i - first];
    out.q0[order[i]] = x[b + i - first];
  }
  return stats;
}

// The particles' order by starting point (ties by index). In 1-D the flows keep the order, so a block of
// neighbours stays a narrow interval all the way: it meets the stiff stretch between the modes only if it
// lies there, and the others take far fewer steps (22 instead of 40 on average for the default case).
std::vector<std::size_t> sorted_order(const std::vector<double>& start) {
  std::vector<std::pair<double, std::size_t>> keyed(start.size());
  for (std::size_t i = 0; i < start.size(); ++i) keyed[i] = {start[i], i};
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::size_t> order(start.size());
  for (std::size_t i = 0; i < start.size(); ++i) order[i] = keyed[i].second;
  return order;
}

}  // namespace

FlowResult particle_flow(const MixtureCase& c, const std::vector<double>& start, Simd simd,
                         const std::function<void()>& alongside) {
  const std::size_t n = start.size(), blocks = (n + flow_block - 1) / flow_block, first = alongside ? 1 : 0;
  FlowResult out;
  out.order = sorted_order(start);
  out.p0.resize(n);
  out.q0.resize(n);
  auto last = [&](std::size_t k) { return std::min(n, (k + 1) * flow_block); };
  const auto stats = core::parallel_map(first + blocks, c.threads, [&](std::size_t item) {
    if (item < first) {
      alongside();
      return OdeStats{};
    }
    const std::size_t k = item - first;
    return integrate_block(c, simd, start, out.order, k * flow_block, last(k), out);
  });
  out.min_steps = blocks ? stats[first].steps : 0;
  for (std::size_t k = 0; k < blocks; ++k) {
    const OdeStats& s = stats[first + k];
    out.particle_steps += s.steps * (last(k) - k * flow_block);
    out.min_steps = std::min(out.min_steps, s.steps);
    out.max_steps = std::max(out.max_steps, s.steps);
    out.rejected += s.rejected;
  }
  return out;
}

}  // namespace w2
