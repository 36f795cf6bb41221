// The minimum of S = a + b + c over natural numbers with N = a·b + c (kexue.fm/archives/9775).
// For a >= 2 the best b is floor(N/a), so S(a) = a + floor(N/a) + N mod a, and an optimum has a in
// (sqrt(N/2), sqrt(N)] once N is large (O(sqrt N) scan). With p = a + b, q = b - a one gets
// 4S = 4N + q^2 + 4 - (p - 2)^2 and the optimal p in the window (2 sqrt N, 2 sqrt N + 2 + sqrt(1 + 4 sqrt N)]
// of width O(N^(1/4)); scanning it with the best S so far as the upper end (S >= p) prunes further.
// Exact unsigned 128-bit arithmetic throughout, N <= 2^127 - 1.
//
// Tie rule (every method returns the same triple): the smallest S, then the smallest c, with a <= b.
// Equal S and c fix a + b and a·b, hence {a, b}, so the rule picks exactly one triple.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/u128.hpp"

namespace abc {

using core::u128;

inline constexpr u128 max_n = (u128{1} << 127) - 1;

enum class Method { brute, sqrt, quarter, pruned, automatic };

inline constexpr Method exact_methods[] = {Method::brute, Method::sqrt, Method::quarter, Method::pruned};
// What `solve --method` accepts: the exact methods and automatic.
inline constexpr Method all_methods[] = {Method::brute, Method::sqrt, Method::quarter, Method::pruned,
                                         Method::automatic};

std::string_view to_string(Method m);
// The methods' names joined by `separator` ("brute, sqrt"; "brute|sqrt").
std::string method_names(std::span<const Method> methods, std::string_view separator);
std::optional<Method> parse_method(std::string_view name);

struct Solution {
  u128 a = 0, b = 0, c = 0;      // a <= b
  u128 sum = 0;                  // S = a + b + c
  std::uint64_t candidates = 0;  // values of a (brute, sqrt) or of p = a + b (quarter, pruned) evaluated

  bool same_triple(const Solution& o) const { return a == o.a && b == o.b && c == o.c; }
};

// Its members for a shard file (core/row_codec.hpp).
template <class Io>
void fields(Io& io, Solution& s) {
  io(s.a, s.b, s.c, s.sum, s.candidates);
}

// The method `automatic` runs: the pruned window scan, the fastest exact method for every N.
Method resolve(Method m);

// The largest N a method accepts, so that one solve stays within about a second:
// brute 10^9 (O(N)), sqrt 10^18 (O(sqrt N)), quarter 10^30 (O(N^(1/4))), pruned and auto 2^127 - 1.
u128 method_limit(Method m);

// InputError "N: the brute method accepts N up to 10^9, got ... (use --method auto)" past the limit.
void check_method_limit(u128 n, Method m);

// Exact minimum; N above method_limit(m) is an InputError.
Solution min_sum_abc(u128 n, Method m = Method::automatic);

Solution min_sum_brute(u128 n);  // every a in [0, N], b = floor(N/a): the trusted O(N) oracle; N < 2^32
Solution min_sum_sqrt(u128 n);   // a in (sqrt(N/2), sqrt(N)], extended downward while a + N/a <= S_best
Solution min_sum_quarter(
    u128 n);  // p in [floor(2 sqrt N), 2 sqrt N + 2 + sqrt(1 + 4 sqrt N)], extended while p <= S_best
Solution min_sum_pruned(u128 n);  // p from floor(2 sqrt N) while p <= S_best

// The "naive guess": the better of a = b = floor(sqrt N) and a = floor(sqrt N), b = a + 1 (when ab <= N).
u128 naive_sum(u128 n);

// The tie-rule triple for every N in [0, m], by exhaustion over every pair a <= b with a·b <= m (a sieve,
// O(m log m)): an oracle that shares no step of any derivation above. candidates is left 0.
std::vector<Solution> min_sum_table(std::uint64_t m);

// floor(2 sqrt N), exactly (without forming 4N, which overflows near 2^127). p > 2 sqrt N iff p > this.
u128 floor_two_sqrt(u128 n);

// S - 2 sqrt(N), accurate to double precision even when S and 2 sqrt(N) agree to 40 bits.
double gap_to_two_sqrt(u128 n, u128 s);

}  // namespace abc
