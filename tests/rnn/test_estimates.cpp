// The time estimates behind core::require_time: they grow with every size option, the largest value each
// option accepts is refused at a 2 s limit, and the defaults stay far below a day.
#include <catch2/catch.hpp>

#include "rnn/study.hpp"

namespace {

constexpr double limit = 2;  // the seconds the CLI tests set as MLDERIV_MAX_SECONDS
constexpr double day = 86400;

template <class Config, class Change>
double estimate_with(Change change) {
  Config c;
  change(c);
  return rnn::estimated_seconds(c);
}

}  // namespace

TEMPLATE_TEST_CASE("converge's and gru's estimates grow with --T, --d, --rho and --max-iter, --d 4096 is refused", "",
                   rnn::ConvergeConfig, rnn::GruConvergeConfig) {
  const auto grown = [](auto change) { return estimate_with<TestType>(change); };
  const double at_default = grown([](auto&) {});
  CHECK(at_default < day);
  CHECK(grown([](auto& c) { c.model.T *= 2; }) > at_default);
  CHECK(grown([](auto& c) { c.model.d *= 2; }) > at_default);
  CHECK(grown([](auto& c) { c.model.rho = 0.99; }) > at_default);
  CHECK(grown([](auto& c) { c.model.rho = 1.2; }) > grown([](auto& c) { c.model.rho = 0.99; }));
  CHECK(grown([](auto& c) { c.iteration.max_iterations = 10; }) < at_default);
  // T d^2 below 2^20: the passes stay on one thread, whatever --threads says.
  CHECK(grown([](auto& c) { c.iteration.threads = 2; }) == at_default);
  // Above it each iteration's two parallel regions may wait for a time slice.
  const auto large = [](auto& c) {
    c.model.T = 2000;
    c.model.d = 64;
  };
  CHECK(grown([&](auto& c) {
          large(c);
          c.iteration.threads = 2;
        }) != grown(large));
  CHECK(grown([](auto& c) { c.iteration.schemes = {rnn::Scheme::newton}; }) < at_default);
  CHECK(grown([](auto& c) { c.model.d = 4096; }) > limit);
}

TEST_CASE("sweep's estimate grows with --T-list, --d, --max-iter and the radii, --max-iter 10^8 is refused") {
  const auto grown = [](auto change) { return estimate_with<rnn::SweepConfig>(change); };
  const double at_default = grown([](auto&) {});
  CHECK(at_default < day);
  CHECK(grown([](auto& c) { c.lengths.push_back(200000); }) > at_default);
  CHECK(grown([](auto& c) { c.d *= 2; }) > at_default);
  CHECK(grown([](auto& c) { c.max_iterations *= 2; }) > at_default);
  CHECK(grown([](auto& c) { c.radii.push_back(1.7); }) > at_default);
  CHECK(grown([](auto& c) { c.base.T *= 2; }) > at_default);
  CHECK(grown([](auto& c) { c.threads = 2; }) <= at_default);
  CHECK(grown([](auto& c) { c.max_iterations = 100000000; }) > limit);
  // --max-iter beyond T counts T: a run cannot take more.
  CHECK(grown([](auto& c) { c.max_iterations = 100000000; }) == grown([](auto& c) { c.max_iterations = 100000; }));
}

TEST_CASE("scan-bench's and timing's estimates grow with --repeats and the sizes, --repeats 1000 is refused") {
  const auto bench = [](auto change) { return estimate_with<rnn::ScanBenchConfig>(change); };
  const double bench_default = bench([](auto&) {});
  CHECK(bench_default < day);
  CHECK(bench([](auto& c) { c.repeats *= 2; }) > bench_default);
  CHECK(bench([](auto& c) { c.lengths.push_back(2000000); }) > bench_default);
  CHECK(bench([](auto& c) { c.dims = {64}; }) > bench_default);
  CHECK(bench([](auto& c) { c.threads = 2; }) > bench_default);  // every solver on 1 .. threads
  CHECK(bench([](auto& c) { c.repeats = 1000; }) > limit);

  const auto timing = [](auto change) { return estimate_with<rnn::TimingConfig>(change); };
  const double timing_default = timing([](auto&) {});
  CHECK(timing_default < day);
  CHECK(timing([](auto& c) { c.repeats *= 2; }) > timing_default);
  CHECK(timing([](auto& c) { c.model.T *= 2; }) > timing_default);
  CHECK(timing([](auto& c) { c.model.d *= 2; }) > timing_default);
  CHECK(timing([](auto& c) { c.sequential_only = true; }) < timing_default);
  CHECK(timing([](auto& c) {
          c.repeats = 1000;
          c.threads = 2;
        }) > limit);
}
