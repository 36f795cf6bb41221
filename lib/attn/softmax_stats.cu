// The softmax statistics engine on a GPU (softmax_stats_cuda.hpp): one thread block per query row. The
// block computes the row's scores q·k into a scratch row (scores, never exponentials), reduces the max and
// the mean, then for each α the sums S0 = Σ e^x, S1 = Σ x e^x, S2 = Σ e^(2x) with x = α (s − max) and
// the needle's e^x. Everything in double, like the CPU path; only the order of the sums differs, so the
// two agree to attn::cuda_cpu_tolerance (scripts/gpu-check.d/attn-softmax.sh checks it on a device).
#include <cuda_runtime.h>

#include <algorithm>
#include <string>

#include "attn/softmax_stats_cuda.hpp"
#include "core/errors.hpp"

namespace attn::cuda {

namespace {

constexpr int block_threads = 256;

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw core::NumericalError(std::string("cuda: ") + what + ": " + cudaGetErrorString(e));
}

// Tree reduction over the block (a fixed order, so a run's digits repeat).
template <class Op>
__device__ double block_reduce(double v, double* shared, Op op) {
  shared[threadIdx.x] = v;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) shared[threadIdx.x] = op(shared[threadIdx.x], shared[threadIdx.x + s]);
    __syncthreads();
  }
  const double r = shared[0];
  __syncthreads();
  return r;
}

struct Max {
  __device__ double operator()(double a, double b) const { return a > b ? a : b; }
};
struct Sum {
  __device__ double operator()(double a, double b) const { return a + b; }
};

__global__ void row_stats(const double* keys, const double* queries, const double* needle, std::size_t n, std::size_t d,
                          std::size_t row0, const double* alphas, std::size_t n_alphas, double* scratch, double* out) {
  __shared__ double shared[block_threads];
  const std::size_t row = row0 + blockIdx.x;
  const double* q = queries + row * d;
  double* s = scratch + static_cast<std::size_t>(blockIdx.x) * n;
  double local_max = -1e308, local_sum = 0;
  for (std::size_t j = threadIdx.x; j < n; j += blockDim.x) {
    const double* k = (needle && j == 0) ? needle + row * d : keys + j * d;
    double v = 0;
    for (std::size_t c = 0; c < d; ++c) v += q[c] * k[c];
    s[j] = v;
    local_max = v > local_max ? v : local_max;
    local_sum += v;
  }
  const double top = block_reduce(local_max, shared, Max{});
  const double total = block_reduce(local_sum, shared, Sum{});
  for (std::size_t a = 0; a < n_alphas; ++a) {
    const double alpha = alphas[a];
    double t0 = 0, t1 = 0, t2 = 0;
    for (std::size_t j = threadIdx.x; j < n; j += blockDim.x) {
      const double x = alpha * (s[j] - top), e = exp(x);
      t0 += e;
      t1 += x * e;
      t2 += e * e;
    }
    const double s0 = block_reduce(t0, shared, Sum{});
    const double s1 = block_reduce(t1, shared, Sum{});
    const double s2 = block_reduce(t2, shared, Sum{});
    if (threadIdx.x == 0) {
      double* o = out + (row * n_alphas + a) * stats_fields;
      const double h = log(s0) - s1 / s0;
      o[0] = s2 / (s0 * s0);
      o[1] = h > 0 ? h : 0;
      o[2] = 1 / s0;
      o[3] = needle ? exp(alpha * (s[0] - top)) / s0 : 0;
      o[4] = top;
      o[5] = total / static_cast<double>(n);
    }
  }
}

template <class T>
struct DeviceArray {
  T* p = nullptr;
  explicit DeviceArray(std::size_t count) {
    check(cudaMalloc(&p, std::max<std::size_t>(1, count) * sizeof(T)), "cudaMalloc");
  }
  ~DeviceArray() { cudaFree(p); }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  void upload(const T* host, std::size_t count) {
    check(cudaMemcpy(p, host, count * sizeof(T), cudaMemcpyHostToDevice), "copy to device");
  }
};

}  // namespace

void softmax_stats(const double* keys, const double* queries, const double* needle_keys, std::size_t n, std::size_t d,
                   std::size_t rows, const double* alphas, std::size_t n_alphas, double* out) {
  DeviceArray<double> k(n * d), q(rows * d), a(n_alphas), o(rows * n_alphas * stats_fields);
  k.upload(keys, n * d);
  q.upload(queries, rows * d);
  a.upload(alphas, n_alphas);
  DeviceArray<double> z(needle_keys ? rows * d : 0);
  if (needle_keys) z.upload(needle_keys, rows * d);
  // Rows per launch: their scratch rows of scores within 1 GiB.
  const std::size_t chunk = std::max<std::size_t>(1, std::min<std::size_t>(rows, (std::size_t{1} << 27) / n));
  DeviceArray<double> scratch(chunk * n);
  for (std::size_t r0 = 0; r0 < rows; r0 += chunk) {
    const std::size_t count = std::min(chunk, rows - r0);
    row_stats<<<static_cast<unsigned>(count), block_threads>>>(k.p, q.p, needle_keys ? z.p : nullptr, n, d, r0, a.p,
                                                               n_alphas, scratch.p, o.p);
    check(cudaGetLastError(), "kernel launch");
  }
  check(cudaMemcpy(out, o.p, rows * n_alphas * stats_fields * sizeof(double), cudaMemcpyDeviceToHost), "copy to host");
}

}  // namespace attn::cuda
