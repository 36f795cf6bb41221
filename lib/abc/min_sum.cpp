#include "abc/min_sum.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "abc/isqrt.hpp"
#include "core/errors.hpp"

namespace abc {

std::string_view to_string(Method m) {
  switch (m) {
    case Method::brute: return "brute";
    case Method::sqrt: return "sqrt";
    case Method::quarter: return "quarter";
    case Method::pruned: return "pruned";
    case Method::automatic: return "auto";
  }
  return "?";
}

std::string method_names(std::span<const Method> methods, std::string_view separator) {
  std::string out;
  for (Method m : methods) out.append(out.empty() ? "" : separator).append(to_string(m));
  return out;
}

std::optional<Method> parse_method(std::string_view name) {
  for (Method m : all_methods)
    if (to_string(m) == name) return m;
  return std::nullopt;
}

Method resolve(Method m) {
  return m == Method::automatic ? Method::pruned : m;
}

u128 method_limit(Method m) {
  constexpr u128 e9 = 1000000000;
  switch (resolve(m)) {
    case Method::brute: return e9;
    case Method::sqrt: return e9 * e9;
    case Method::quarter: return e9 * e9 * e9 * 1000;
    default: return max_n;
  }
}

namespace {

// Keeps the best triple under the tie rule (smallest S, then smallest c), starting from the candidate
// every method has: a = b = 0, c = N (S = N).
class Best {
 public:
  explicit Best(u128 n) { sol_ = {0, 0, n, n, 1}; }
  void offer(u128 a, u128 b, u128 c) { offer_split(a + b, b - a, c); }  // a <= b
  // The candidate a = (p - q)/2, b = (p + q)/2 with remainder c; S = p + c, a and b formed only if it wins.
  void offer_split(u128 p, u128 q, u128 c) {
    const u128 s = p + c;
    ++sol_.candidates;
    if (s > sol_.sum || (s == sol_.sum && c >= sol_.c)) return;
    sol_.a = (p - q) / 2;
    sol_.b = (p + q) / 2;
    sol_.c = c;
    sol_.sum = s;
  }
  u128 sum() const { return sol_.sum; }
  const Solution& solution() const { return sol_; }

 private:
  Solution sol_;
};

// Brute force over every a; a + floor(N/a) + N mod a fits in 64 bits for N < 2^32 (brute's limit is
// 10^9), and the 32-bit division is the whole cost of the loop.
Solution brute_scan32(std::uint32_t n) {
  std::uint64_t best_s = n, best_c = n, best_a = 0, best_b = 0;  // a = b = 0, c = N
  for (std::uint64_t a = 1; a <= n; ++a) {
    const std::uint32_t b = n / static_cast<std::uint32_t>(a), c = n % static_cast<std::uint32_t>(a);
    const std::uint64_t s = a + b + c;
    if (s < best_s || (s == best_s && c < best_c)) best_s = s, best_c = c, best_a = a, best_b = b;
  }
  return {std::min(best_a, best_b), std::max(best_a, best_b), best_c, best_s, std::uint64_t{n} + 1};
}

// a + N/a <= bound, exactly (a >= 1).
bool may_reach(u128 n, u128 a, u128 bound) {
  if (bound < a) return false;
  return (n + a - 1) / a <= bound - a;  // ceil(N/a) <= bound - a  <=>  N/a <= bound - a
}

// The window scans: for p = a + b the best split has the smallest q = b - a of p's parity with
// a·b = P4 - Q4 <= N, where P4 = floor(p^2/4) and Q4 = floor(q^2/4) (p, q of equal parity). So with
// m = P4 - N the remainder is c = Q4 - m for the smallest Q4 >= m, and S = p + c.
// m is carried from p to p + 1 (P4 grows by ceil(p/2)), so the loop squares nothing but h; for
// N < 2^127, p < 2^65 and h = floor(q/2) < 2^64, so h^2 is one 64x64 -> 128-bit multiplication.
// This loop is the whole cost of the pruned method.
template <class More>
void scan_window(Best& best, u128 n, u128 p, More more) {
  const auto k0 = static_cast<std::uint64_t>(p >> 1);
  u128 p4 = u128{k0} * k0 + ((p & 1) ? k0 : 0);
  for (; more(p); p4 += (p + 1) >> 1, ++p) {
    const bool odd = p & 1;
    if (p4 <= n) {  // q = 0 or 1: a = b or b = a + 1, Q4 = 0
      best.offer_split(p, odd, n - p4);
      continue;
    }
    const u128 m = p4 - n;  // need Q4 >= m
    const auto quarter_square = [odd](std::uint64_t h) { return odd ? u128{h} * (h + 1) : u128{h} * h; };  // Q4
    auto h = static_cast<std::uint64_t>(isqrt(m));
    // h or h + 1: for odd p a coin flip, so branch-free (a mispredicted branch cost more than the multiply).
    h += quarter_square(h) < m;
    best.offer_split(p, 2 * u128{h} + odd, quarter_square(h) - m);
  }
}

// floor(2 sqrt N) given r = floor(sqrt N): 2 sqrt N >= 2r + 1 iff N >= r^2 + r + 1/4, i.e. N > r^2 + r.
u128 floor_two_sqrt(u128 n, u128 r) {
  return 2 * r + (r * r + r < n ? 1 : 0);
}

}  // namespace

u128 floor_two_sqrt(u128 n) {
  return floor_two_sqrt(n, isqrt(n));
}

Solution min_sum_brute(u128 n) {
  if (n > ~std::uint32_t{0}) throw core::InputError("N: brute force takes N below 2^32, got " + core::to_string(n));
  return brute_scan32(static_cast<std::uint32_t>(n));
}

Solution min_sum_sqrt(u128 n) {
  Best best(n);
  const u128 r = isqrt(n);
  const u128 lo = isqrt(n / 2) + 1;  // smallest a with a > sqrt(N/2)
  u128 a = r;
  for (; a >= lo && a >= 2; --a) best.offer(a, n / a, n % a);
  // Below the window S(a) >= a + N/a, which grows as a falls: stop once it exceeds the best S.
  for (; a >= 2 && may_reach(n, a, best.sum()); --a) best.offer(a, n / a, n % a);
  return best.solution();
}

Solution min_sum_quarter(u128 n) {
  Best best(n);
  const u128 r = isqrt(n);
  // An integer upper end >= 2 sqrt N + 2 + sqrt(1 + 4 sqrt N), using sqrt N < r + 1; it may exceed the
  // exact window by a few candidates, never fall short of it.
  const u128 window_end = 2 * (r + 1) + 2 + isqrt(4 * (r + 1) + 1) + 1;
  // Past the window only while p <= S_best (S >= p): needed for small N only.
  scan_window(best, n, floor_two_sqrt(n, r), [&](u128 p) { return p <= window_end || p <= best.sum(); });
  return best.solution();
}

Solution min_sum_pruned(u128 n) {
  Best best(n);
  scan_window(best, n, floor_two_sqrt(n, isqrt(n)), [&](u128 p) { return p <= best.sum(); });
  return best.solution();
}

void check_method_limit(u128 n, Method m) {
  if (n > method_limit(m))
    throw core::InputError("N: the " + std::string(to_string(m)) + " method accepts N up to " +
                           core::describe_integer(method_limit(m)) + ", got " + core::to_string(n) +
                           (n <= max_n ? " (--method auto takes up to 2^127-1)" : ""));
}

Solution min_sum_abc(u128 n, Method m) {
  check_method_limit(n, m);
  switch (resolve(m)) {
    case Method::brute: return min_sum_brute(n);
    case Method::sqrt: return min_sum_sqrt(n);
    case Method::quarter: return min_sum_quarter(n);
    default: return min_sum_pruned(n);
  }
}

u128 naive_sum(u128 n) {
  const u128 r = isqrt(n);
  u128 s = 2 * r + (n - r * r);
  if (r * (r + 1) <= n) s = std::min(s, 2 * r + 1 + (n - r * (r + 1)));
  return s;
}

std::vector<Solution> min_sum_table(std::uint64_t m) {
  // For every product v: the pair a <= b with a·b = v and the smallest a + b (a = b = 0 for v = 0).
  constexpr std::uint64_t none = ~std::uint64_t{0};
  std::vector<std::uint64_t> pair_sum(m + 1, none), pair_a(m + 1, 0);
  pair_sum[0] = 0;
  for (std::uint64_t a = 1; a * a <= m; ++a)
    for (std::uint64_t b = a; a * b <= m; ++b)
      if (a + b < pair_sum[a * b]) pair_sum[a * b] = a + b, pair_a[a * b] = a;
  // S(N) = N + min over v <= N of (pair_sum[v] - v); ties go to the larger v, i.e. the smaller c = N - v.
  std::vector<Solution> out(m + 1);
  long long best_key = 0;
  std::uint64_t best_v = 0;
  for (std::uint64_t n = 0; n <= m; ++n) {
    if (pair_sum[n] != none) {
      const long long key = static_cast<long long>(pair_sum[n]) - static_cast<long long>(n);
      if (key <= best_key) best_key = key, best_v = n;
    }
    const std::uint64_t a = pair_a[best_v];
    out[n] = {a, a ? best_v / a : 0, n - best_v, static_cast<std::uint64_t>(static_cast<long long>(n) + best_key), 0};
  }
  return out;
}

double gap_to_two_sqrt(u128 n, u128 s) {
  // S - 2 sqrt N = (S - 2r) - 2 (N - r^2) / (sqrt N + r), r = floor(sqrt N): both terms small and exact-ish.
  const u128 r = isqrt(n);
  const long double whole = s >= 2 * r ? static_cast<long double>(s - 2 * r) : -static_cast<long double>(2 * r - s);
  if (r == 0) return static_cast<double>(whole);  // N = 0
  const long double frac =
      2 * static_cast<long double>(n - r * r) / (std::sqrt(static_cast<long double>(n)) + static_cast<long double>(r));
  return static_cast<double>(whole - frac);
}

}  // namespace abc
