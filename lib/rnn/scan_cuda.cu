// The CUDA twin of solve_diagonal_chunked (linear_scan.hpp): y_t = lambda .* y_{t-1} + c_t, the same
// three steps (zero-start chunk ends, serial carry, rerun from the carried start), one GPU thread per
// (channel, chunk). Built only with SUITE_CUDA; scripts/gpu-check.d/rnn-scan.sh compares it with the CPU.
#include <cuda_runtime.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "rnn/diagonal_scan.hpp"

namespace rnn {

namespace {

struct z2 {
  double re, im;
};

__device__ inline z2 zmul(z2 p, z2 q) {
  return {p.re * q.re - p.im * q.im, p.re * q.im + p.im * q.re};
}

__device__ inline z2 zfma(z2 l, z2 s, z2 c) {
  const z2 m = zmul(l, s);
  return {m.re + c.re, m.im + c.im};
}

__device__ inline z2 zpow(z2 z, unsigned long long n) {
  z2 r{1.0, 0.0};
  for (; n; n >>= 1) {
    if (n & 1) r = zmul(r, z);
    z = zmul(z, z);
  }
  return r;
}

__device__ inline unsigned long long chunk_begin(unsigned long long k, unsigned long long K, unsigned long long T) {
  return k * T / K;
}

// Pass 1: the end state of chunk k from a zero start (chunk 0 writes its final values).
__global__ void zero_start_ends(const z2* lambda, const z2* c, z2* y, z2* ends, unsigned long long d,
                                unsigned long long T, unsigned long long K) {
  const unsigned long long id = blockIdx.x * 1ull * blockDim.x + threadIdx.x;
  if (id >= d * (K - 1)) return;
  const unsigned long long j = id % d, k = id / d;
  const z2 l = lambda[j];
  z2 s{0.0, 0.0};
  for (unsigned long long i = chunk_begin(k, K, T); i < chunk_begin(k + 1, K, T); ++i) {
    s = zfma(l, s, c[i * d + j]);
    if (k == 0) y[i * d + j] = s;
  }
  ends[k * d + j] = s;
}

// The serial carry, one thread per channel: starts[k] = lambda^len(k-1) starts[k-1] + ends[k-1].
__global__ void carry(const z2* lambda, const z2* ends, z2* starts, unsigned long long d, unsigned long long T,
                      unsigned long long K) {
  const unsigned long long j = blockIdx.x * 1ull * blockDim.x + threadIdx.x;
  if (j >= d) return;
  z2 s = ends[j];
  starts[d + j] = s;
  for (unsigned long long k = 1; k + 1 < K; ++k) {
    const z2 p = zpow(lambda[j], chunk_begin(k + 1, K, T) - chunk_begin(k, K, T));
    s = zfma(p, s, ends[k * d + j]);
    starts[(k + 1) * d + j] = s;
  }
}

// Pass 2: chunks 1..K-1 rerun from their carried start.
__global__ void rerun(const z2* lambda, const z2* c, z2* y, const z2* starts, unsigned long long d,
                      unsigned long long T, unsigned long long K) {
  const unsigned long long id = blockIdx.x * 1ull * blockDim.x + threadIdx.x;
  if (id >= d * (K - 1)) return;
  const unsigned long long j = id % d, k = id / d + 1;
  const z2 l = lambda[j];
  z2 s = starts[k * d + j];
  for (unsigned long long i = chunk_begin(k, K, T); i < chunk_begin(k + 1, K, T); ++i) {
    s = zfma(l, s, c[i * d + j]);
    y[i * d + j] = s;
  }
}

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw core::NumericalError(std::string("CUDA scan: ") + what + ": " + cudaGetErrorString(e));
}

}  // namespace

bool diagonal_cuda_available() {
  int n = 0;
  return cudaGetDeviceCount(&n) == cudaSuccess && n > 0;
}

void solve_diagonal_cuda(const std::vector<cplx>& lambda, const cplx* c, cplx* y, std::size_t T, std::size_t chunks) {
  const unsigned long long d = lambda.size();
  if (T == 0 || d == 0) return;
  if (T == 1) {
    std::copy(c, c + d, y);
    return;
  }
  unsigned long long K = chunks ? chunks : 256;
  if (K > T) K = T;
  if (K < 2) K = 2;
  const std::size_t n = T * d;
  z2 *dl = nullptr, *dc = nullptr, *dy = nullptr, *de = nullptr, *ds = nullptr;
  check(cudaMalloc(&dl, d * sizeof(z2)), "cudaMalloc");
  check(cudaMalloc(&dc, n * sizeof(z2)), "cudaMalloc");
  check(cudaMalloc(&dy, n * sizeof(z2)), "cudaMalloc");
  check(cudaMalloc(&de, K * d * sizeof(z2)), "cudaMalloc");
  check(cudaMalloc(&ds, K * d * sizeof(z2)), "cudaMalloc");
  check(cudaMemcpy(dl, lambda.data(), d * sizeof(z2), cudaMemcpyHostToDevice), "copy lambda");
  check(cudaMemcpy(dc, c, n * sizeof(z2), cudaMemcpyHostToDevice), "copy c");
  const unsigned block = 128;
  const auto grid = static_cast<unsigned>((d * (K - 1) + block - 1) / block);
  zero_start_ends<<<grid, block>>>(dl, dc, dy, de, d, T, K);
  carry<<<static_cast<unsigned>((d + block - 1) / block), block>>>(dl, de, ds, d, T, K);
  rerun<<<grid, block>>>(dl, dc, dy, ds, d, T, K);
  check(cudaGetLastError(), "kernel launch");
  check(cudaDeviceSynchronize(), "kernel");
  check(cudaMemcpy(y, dy, n * sizeof(z2), cudaMemcpyDeviceToHost), "copy y");
  for (z2* p : {dl, dc, dy, de, ds}) cudaFree(p);
}

}  // namespace rnn
