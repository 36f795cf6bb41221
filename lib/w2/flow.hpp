// The particle flow of `score-w2 mixture`: M particles x_T ~ p_T pushed from t = T to 0 through the
// probability-flow ODE of the data (the true score) and of the model (the perturbed score), each pair
// (x_i, y_i) sharing its start. The cloud is cut into blocks of flow_block pairs; each block is one state
// under Boost.Odeint's adaptive Dormand-Prince 5(4) with its own step sizes, so every particle meets the
// tolerance (max norm over its block) without a stiff particle elsewhere setting its steps. Blocks are
// independent: the clouds depend on the block size but not on the number of threads.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "w2/mixture.hpp"

namespace w2 {

// One component of the mixture diffused to time t: w / sqrt(v), m_t (mu + shift) and 1 / v, with
// v = m_t^2 var_scale v_k + sigma_t^2. Components of weight 0 are left out. `out` is overwritten (its
// storage reused: the flow calls this at every stage).
struct Component {
  double coef, mean, inv_var;
};
void diffuse(const Mixture& data, double m, double s2, double shift, double var_scale, std::vector<Component>& out);

// Which code runs a block: plain C++ (std::exp, odeint's loops as compiled for the baseline CPU), or
// AVX2+FMA (4 particles at a time, exp from glibc's libmvec, odeint's loops over the block compiled for
// AVX2). The two agree to a few ulp per evaluation.
enum class Simd { scalar, avx2 };
Simd best_simd();  // avx2 when the CPU and the build have it

// out[i] = a x[i] + b score(x[i]) + c for the diffused mixture `comps` (at least one component), i < n.
// Every probability-flow field of mixture.hpp, -1/2 beta (x + s_model(x)), has this form; {0, 1, 0}
// gives the score itself.
struct Affine {
  double a = 0, b = 1, c = 0;
};
void mixture_field(const std::vector<Component>& comps, Affine f, const double* x, double* out, std::size_t n,
                   Simd simd);

// Particle pairs per block: 64 pairs (1 KiB of state, ~10 KiB for the stepper) stay in L1, and the max
// norm over 64 particles asks for far fewer steps than over the whole cloud. A multiple of 4 (AVX2).
constexpr std::size_t flow_block = 64;
static_assert(flow_block % 4 == 0, "the AVX2 kernels take whole groups of 4");

struct FlowResult {
  std::vector<double> p0, q0;      // the clouds at t = 0 (true flow, model flow), in the order of start
  std::vector<std::size_t> order;  // the pairs by starting point: in 1-D both flows keep this order
  std::size_t particle_steps = 0;  // sum over blocks of accepted steps x pairs in the block
  std::size_t min_steps = 0, max_steps = 0;  // accepted steps of the easiest and the hardest block
  std::size_t rejected = 0;                  // rejected trial steps, all blocks
};

// Integrates every pair from c.vp.t_end to 0 at tolerance c.tol on c.threads threads (blocks scheduled
// dynamically). A block that cannot meet its tolerance throws core::NumericalError. `alongside`, when
// given, runs as the first item of the same parallel loop, so that on two or more threads other work
// (mixture_w2's bound integrals) overlaps with the blocks instead of waiting for them.
FlowResult particle_flow(const MixtureCase& c, const std::vector<double>& start, Simd simd = best_simd(),
                         const std::function<void()>& alongside = {});

}  // namespace w2
