// The time estimates behind core::require_time: they grow with every size option, the largest value each
// option accepts is refused at a 2 s limit, and the defaults stay far below a day.
#include <catch2/catch.hpp>

#include "jl/study.hpp"

namespace {

constexpr double limit = 2;  // the seconds the CLI tests set as MLDERIV_MAX_SECONDS
constexpr double day = 86400;

}  // namespace

TEST_CASE("min-dim's estimate grows with --trials, --points, --dim and 1/--eps, --trials 100000 is refused") {
  const jl::MinDimConfig base;
  auto more = base;
  more.trials *= 2;
  CHECK(jl::estimated_seconds(more) > jl::estimated_seconds(base));
  more = base;
  more.points.push_back(3000);
  CHECK(jl::estimated_seconds(more) > jl::estimated_seconds(base));
  more = base;
  more.dim *= 4;
  CHECK(jl::estimated_seconds(more) > jl::estimated_seconds(base));
  more = base;
  more.eps /= 2;
  CHECK(jl::estimated_seconds(more) > jl::estimated_seconds(base));
  more = base;
  more.threads = 2;
  CHECK(jl::estimated_seconds(more) < jl::estimated_seconds(base));
  CHECK(jl::estimated_seconds(base) < day);
  more = base;
  more.trials = 100000;
  more.threads = 2;
  CHECK(jl::estimated_seconds(more) > limit);
}

TEST_CASE("the tails' estimates grow with --trials and --n, --trials 10^8 is refused for both") {
  for (auto kind : {jl::TailKind::norm, jl::TailKind::ortho}) {
    const jl::TailConfig base{.kind = kind};
    auto more = base;
    more.trials *= 2;
    CHECK(jl::estimated_seconds(more) > jl::estimated_seconds(base));
    more = base;
    more.dims.push_back(4096);
    CHECK(jl::estimated_seconds(more) > jl::estimated_seconds(base));
    CHECK(jl::estimated_seconds(base) < day);
    more = base;
    more.trials = 100000000;
    more.threads = 2;
    CHECK(jl::estimated_seconds(more) > limit);
  }
  const jl::TailConfig norm, ortho{.kind = jl::TailKind::ortho};
  CHECK(jl::estimated_seconds(ortho) > jl::estimated_seconds(norm));  // two draws per coordinate
}

TEST_CASE("entropy's estimate grows with --d, --log2-to, --work and --max-queries, their maxima are refused") {
  const jl::EntropyConfig base;
  const auto grown = [&](auto change) {
    auto c = base;
    c.threads = 2;
    change(c);
    return jl::estimated_seconds(c);
  };
  const double at_default = grown([](auto&) {});
  CHECK(at_default < day);
  CHECK(grown([](auto& c) { c.d *= 2; }) > at_default);
  CHECK(grown([](auto& c) { c.log2_to += 1; }) > at_default);
  CHECK(grown([](auto& c) { c.work *= 2; }) > at_default);
  CHECK(grown([](auto& c) { c.max_queries *= 2; }) > at_default);
  CHECK(grown([](auto& c) { c.min_queries *= 2; }) > at_default);
  CHECK(grown([](auto& c) { c.threads = 1; }) > at_default);
  CHECK(grown([](auto& c) { c.d = 65536; }) > limit);
  CHECK(grown([](auto& c) { c.log2_to = 30; }) > limit);
  CHECK(grown([](auto& c) { c.work = std::size_t{1} << 40; }) > limit);
  CHECK(grown([](auto& c) { c.max_queries = std::size_t{1} << 24; }) > limit);
}
