// min over m < L of f_b(m) for Llama 3's base, certified when it exceeds the scan's rounding bound.
#include <cstdio>
#include <mlderiv/rope/rope_sum.hpp>

int main() {
  const double b = 500000;
  const unsigned L = 8192, d = 128;
  const auto min = rope::rope_min(b, L, d);
  const double bound = rope::rope_sum_error_bound(b, L, d);
  std::printf("f_b(%llu) = %.6f, error bound %.3g: %s\n", static_cast<unsigned long long>(min.argmin), min.min_f,
              bound, min.min_f > bound ? "certified" : "not certified");
  return min.min_f > bound ? 0 : 1;
}
