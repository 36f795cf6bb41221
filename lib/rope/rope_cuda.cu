// The GPU twin of rope_min for a batch of bases (rope_cuda.hpp): one block per base, threads over m in
// tiles of the block size, each f_b(m) summed directly over the pairs (double: cos of m·θ_i with θ_i =
// exp(−(2i/d) ln b) as on the CPU; float: the float32 evaluation of rope_sum_float). After each tile the
// block stops if asked to and a negative sum was seen, so the first negative m is the CPU scan's.
#include <cuda_runtime.h>

#include <climits>
#include <string>

#include "core/errors.hpp"
#include "rope/rope_cuda.hpp"

namespace rope {

namespace {

constexpr unsigned threads_per_block = 256;

__device__ double frequency(double b, unsigned i, unsigned d, double) {
  return exp(-2.0 * i / d * log(b));
}
__device__ float frequency(double b, unsigned i, unsigned d, float) {
  return 1.0f / powf(static_cast<float>(b), static_cast<float>(2 * i) / static_cast<float>(d));
}

template <class T>
__global__ void rope_min_kernel(const double* bases, unsigned long long L, unsigned d, bool stop, double* out_min,
                                unsigned long long* out_argmin, unsigned long long* out_first) {
  extern __shared__ unsigned char shared_bytes[];
  T* theta = reinterpret_cast<T*>(shared_bytes);
  __shared__ unsigned long long first_negative;
  __shared__ double red_f[threads_per_block];
  __shared__ unsigned long long red_m[threads_per_block];
  const unsigned n = d / 2, tid = threadIdx.x;
  const double b = bases[blockIdx.x];
  for (unsigned i = tid; i < n; i += blockDim.x) theta[i] = frequency(b, i, d, T{});
  if (tid == 0) first_negative = ULLONG_MAX;
  __syncthreads();
  double best = 1e300;
  unsigned long long best_m = ULLONG_MAX;
  for (unsigned long long t0 = 0; t0 < L; t0 += blockDim.x) {
    const unsigned long long m = t0 + tid;
    if (m < L) {
      const T mt = static_cast<T>(m);
      T f = 0;
      for (unsigned i = 0; i < n; ++i) f += cos(mt * theta[i]);
      if (static_cast<double>(f) < best) {
        best = f;
        best_m = m;
      }
      if (f < 0) atomicMin(&first_negative, m);
    }
    __syncthreads();
    const bool done = stop && first_negative != ULLONG_MAX;
    __syncthreads();
    if (done) break;
  }
  red_f[tid] = best;
  red_m[tid] = best_m;
  __syncthreads();
  for (unsigned s = blockDim.x / 2; s > 0; s /= 2) {
    if (tid < s && (red_f[tid + s] < red_f[tid] || (red_f[tid + s] == red_f[tid] && red_m[tid + s] < red_m[tid]))) {
      red_f[tid] = red_f[tid + s];
      red_m[tid] = red_m[tid + s];
    }
    __syncthreads();
  }
  if (tid == 0) {
    out_min[blockIdx.x] = red_f[0];
    out_argmin[blockIdx.x] = red_m[0];
    out_first[blockIdx.x] = first_negative;
  }
}

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess)
    throw core::NumericalError(std::string("rope-base: CUDA ") + what + ": " + cudaGetErrorString(e));
}

}  // namespace

std::vector<RopeMin> rope_min_batch_cuda(const std::vector<double>& bases, std::uint64_t L, unsigned d, Precision p,
                                         bool stop_at_negative) {
  const std::size_t nb = bases.size();
  std::vector<RopeMin> out(nb);
  if (nb == 0) return out;
  double *d_bases = nullptr, *d_min = nullptr;
  unsigned long long *d_argmin = nullptr, *d_first = nullptr;
  check(cudaMalloc(&d_bases, nb * sizeof(double)), "malloc");
  check(cudaMalloc(&d_min, nb * sizeof(double)), "malloc");
  check(cudaMalloc(&d_argmin, nb * sizeof(unsigned long long)), "malloc");
  check(cudaMalloc(&d_first, nb * sizeof(unsigned long long)), "malloc");
  check(cudaMemcpy(d_bases, bases.data(), nb * sizeof(double), cudaMemcpyHostToDevice), "copy");
  const unsigned n = d / 2;
  if (p == Precision::float32)
    rope_min_kernel<float><<<static_cast<unsigned>(nb), threads_per_block, n * sizeof(float)>>>(
        d_bases, L, d, stop_at_negative, d_min, d_argmin, d_first);
  else
    rope_min_kernel<double><<<static_cast<unsigned>(nb), threads_per_block, n * sizeof(double)>>>(
        d_bases, L, d, stop_at_negative, d_min, d_argmin, d_first);
  check(cudaGetLastError(), "launch");
  std::vector<double> mins(nb);
  std::vector<unsigned long long> argmins(nb), firsts(nb);
  check(cudaMemcpy(mins.data(), d_min, nb * sizeof(double), cudaMemcpyDeviceToHost), "copy back");
  check(cudaMemcpy(argmins.data(), d_argmin, nb * sizeof(unsigned long long), cudaMemcpyDeviceToHost), "copy back");
  check(cudaMemcpy(firsts.data(), d_first, nb * sizeof(unsigned long long), cudaMemcpyDeviceToHost), "copy back");
  cudaFree(d_bases);
  cudaFree(d_min);
  cudaFree(d_argmin);
  cudaFree(d_first);
  for (std::size_t k = 0; k < nb; ++k)
    out[k] = {mins[k], argmins[k], firsts[k] == ULLONG_MAX ? -1 : static_cast<std::int64_t>(firsts[k])};
  return out;
}

}  // namespace rope
