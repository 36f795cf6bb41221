// The GPU twin of rope_min for a batch of bases (rope_cuda.hpp): one block per base, threads over m in
// tiles of the block size, each f_b(m) summed directly over the pairs (double: cos of m·θ_i with θ_i =
// exp(−(2i/d) ln b) as on the CPU; float: the float32 evaluation of rope_sum_float). After each tile the
// block stops if asked to and a negative sum was seen, so the first negative m is the CPU scan's. And
// rope_scan_cuda: one base with m spread over every block, for the certificate's full scans.
#include <cuda_runtime.h>

#include <algorithm>
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
__device__ T rope_sum_at(const T* theta, unsigned n, unsigned long long m) {
  const T mt = static_cast<T>(m);
  T f = 0;
  for (unsigned i = 0; i < n; ++i) f += cos(mt * theta[i]);
  return f;
}

// The block's smallest (f, m) (ties to the smaller m) into red_f[0], red_m[0].
__device__ void block_min(double* red_f, unsigned long long* red_m, double f, unsigned long long m) {
  const unsigned tid = threadIdx.x;
  red_f[tid] = f;
  red_m[tid] = m;
  __syncthreads();
  for (unsigned s = blockDim.x / 2; s > 0; s /= 2) {
    if (tid < s && (red_f[tid + s] < red_f[tid] || (red_f[tid + s] == red_f[tid] && red_m[tid + s] < red_m[tid]))) {
      red_f[tid] = red_f[tid + s];
      red_m[tid] = red_m[tid + s];
    }
    __syncthreads();
  }
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
      const T f = rope_sum_at(theta, n, m);
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
  block_min(red_f, red_m, best, best_m);
  if (tid == 0) {
    out_min[blockIdx.x] = red_f[0];
    out_argmin[blockIdx.x] = red_m[0];
    out_first[blockIdx.x] = first_negative;
  }
}

// One base, m spread over every block (grid-stride): each block's minimum and argmin, and the first
// negative m over the whole grid (atomicMin on *first). No early exit: the scan covers every m < L.
__global__ void rope_scan_kernel(double b, unsigned long long L, unsigned d, double* out_min,
                                 unsigned long long* out_argmin, unsigned long long* first) {
  extern __shared__ unsigned char shared_bytes[];
  double* theta = reinterpret_cast<double*>(shared_bytes);
  __shared__ double red_f[threads_per_block];
  __shared__ unsigned long long red_m[threads_per_block];
  const unsigned n = d / 2, tid = threadIdx.x;
  for (unsigned i = tid; i < n; i += blockDim.x) theta[i] = frequency(b, i, d, double{});
  __syncthreads();
  double best = 1e300;
  unsigned long long best_m = ULLONG_MAX;
  const unsigned long long stride = static_cast<unsigned long long>(gridDim.x) * blockDim.x;
  for (unsigned long long m = static_cast<unsigned long long>(blockIdx.x) * blockDim.x + tid; m < L; m += stride) {
    const double f = rope_sum_at(theta, n, m);
    if (f < best) {
      best = f;
      best_m = m;
    }
    if (f < 0) atomicMin(first, m);
  }
  block_min(red_f, red_m, best, best_m);
  if (tid == 0) {
    out_min[blockIdx.x] = red_f[0];
    out_argmin[blockIdx.x] = red_m[0];
  }
}

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess)
    throw core::NumericalError(std::string("rope-base: CUDA ") + what + ": " + cudaGetErrorString(e));
}

// Device memory freed on every path out (a failed check throws).
template <class T>
struct DeviceArray {
  T* ptr = nullptr;
  explicit DeviceArray(std::size_t n) { check(cudaMalloc(&ptr, n * sizeof(T)), "malloc"); }
  ~DeviceArray() { cudaFree(ptr); }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
};

}  // namespace

RopeMin rope_scan_cuda(double b, std::uint64_t L, unsigned d) {
  constexpr unsigned long long none = ULLONG_MAX;
  const unsigned blocks = static_cast<unsigned>(std::min<std::uint64_t>(1024, (L + threads_per_block - 1) / threads_per_block));
  DeviceArray<double> mins(blocks);
  DeviceArray<unsigned long long> argmins(blocks), first(1);
  check(cudaMemcpy(first.ptr, &none, sizeof none, cudaMemcpyHostToDevice), "copy");
  rope_scan_kernel<<<blocks, threads_per_block, (d / 2) * sizeof(double)>>>(b, L, d, mins.ptr, argmins.ptr, first.ptr);
  check(cudaGetLastError(), "launch");
  std::vector<double> m(blocks);
  std::vector<unsigned long long> a(blocks);
  unsigned long long f = none;
  check(cudaMemcpy(m.data(), mins.ptr, blocks * sizeof(double), cudaMemcpyDeviceToHost), "copy back");
  check(cudaMemcpy(a.data(), argmins.ptr, blocks * sizeof(unsigned long long), cudaMemcpyDeviceToHost), "copy back");
  check(cudaMemcpy(&f, first.ptr, sizeof f, cudaMemcpyDeviceToHost), "copy back");
  RopeMin r{m[0], a[0], f == none ? -1 : static_cast<std::int64_t>(f)};
  for (unsigned k = 1; k < blocks; ++k)
    if (m[k] < r.min_f || (m[k] == r.min_f && a[k] < r.argmin)) r.min_f = m[k], r.argmin = a[k];
  return r;
}

std::vector<RopeMin> rope_min_batch_cuda(const std::vector<double>& bases, std::uint64_t L, unsigned d, Precision p,
                                         bool stop_at_negative) {
  const std::size_t nb = bases.size();
  std::vector<RopeMin> out(nb);
  if (nb == 0) return out;
  DeviceArray<double> d_bases(nb), d_min(nb);
  DeviceArray<unsigned long long> d_argmin(nb), d_first(nb);
  check(cudaMemcpy(d_bases.ptr, bases.data(), nb * sizeof(double), cudaMemcpyHostToDevice), "copy");
  const unsigned n = d / 2;
  if (p == Precision::float32)
    rope_min_kernel<float><<<static_cast<unsigned>(nb), threads_per_block, n * sizeof(float)>>>(
        d_bases.ptr, L, d, stop_at_negative, d_min.ptr, d_argmin.ptr, d_first.ptr);
  else
    rope_min_kernel<double><<<static_cast<unsigned>(nb), threads_per_block, n * sizeof(double)>>>(
        d_bases.ptr, L, d, stop_at_negative, d_min.ptr, d_argmin.ptr, d_first.ptr);
  check(cudaGetLastError(), "launch");
  std::vector<double> mins(nb);
  std::vector<unsigned long long> argmins(nb), firsts(nb);
  check(cudaMemcpy(mins.data(), d_min.ptr, nb * sizeof(double), cudaMemcpyDeviceToHost), "copy back");
  check(cudaMemcpy(argmins.data(), d_argmin.ptr, nb * sizeof(unsigned long long), cudaMemcpyDeviceToHost), "copy back");
  check(cudaMemcpy(firsts.data(), d_first.ptr, nb * sizeof(unsigned long long), cudaMemcpyDeviceToHost), "copy back");
  for (std::size_t k = 0; k < nb; ++k)
    out[k] = {mins[k], argmins[k], firsts[k] == ULLONG_MAX ? -1 : static_cast<std::int64_t>(firsts[k])};
  return out;
}

}  // namespace rope
