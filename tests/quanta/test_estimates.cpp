// The time estimates behind core::require_time: they grow with every size option, the largest value each
// option accepts is refused at a 2 s limit, and the defaults stay far below a day.
#include <catch2/catch.hpp>

#include "quanta/study.hpp"

namespace {

constexpr double limit = 2;  // the seconds the CLI tests set as MLDERIV_MAX_SECONDS
constexpr double day = 86400;
constexpr std::size_t chinchilla_rows = 245;  // the default CSV's

}  // namespace

TEST_CASE(
    "simulate's estimate grows with --points, --seeds, --to and --quanta, and --points 10000 and --seeds 10^5 are "
    "refused") {
  const auto base = quanta::resolve(quanta::SimulateConfig{});
  const auto grown = [&](auto change) {
    auto c = base;
    c.threads = 2;
    change(c);
    return quanta::estimated_seconds(c);
  };
  const double at_default = grown([](auto&) {});
  CHECK(at_default < day);
  CHECK(grown([](auto& c) { c.points *= 2; }) > at_default);
  CHECK(grown([](auto& c) { c.seeds *= 2; }) > at_default);
  CHECK(grown([](auto& c) { c.to *= 100; }) > at_default);
  CHECK(grown([](auto& c) { c.gammas.push_back(0.2); }) > at_default);
  CHECK(grown([](auto& c) { c.quanta = 1e4; }) < at_default);  // fewer blocks
  CHECK(grown([](auto& c) { c.threads = 1; }) > at_default);
  CHECK(grown([](auto& c) { c.points = 10000; }) > limit);
  CHECK(grown([](auto& c) { c.seeds = 100000; }) > limit);
  // The params axis has no randomness: one Hurwitz zeta per point.
  CHECK(grown([](auto& c) { c.axis = quanta::Axis::params; }) < 0.1);
}

TEST_CASE(
    "fit's estimate grows with --bootstrap, --perturbations, the rows and --max-iterations up to what a start takes") {
  const quanta::FitSettings base{.threads = 2};
  const auto grown = [&](auto change, std::size_t rows = chinchilla_rows) {
    auto s = base;
    change(s);
    return quanta::estimated_seconds(s, rows);
  };
  const double at_default = grown([](auto&) {});
  CHECK(at_default < day);
  CHECK(grown([](auto&) {}, 2 * chinchilla_rows) > at_default);
  CHECK(grown([](auto& s) { s.bootstrap *= 2; }) > at_default);
  CHECK(grown([](auto& s) { s.perturbations += 1; }) > at_default);
  CHECK(grown([](auto& s) { s.minimizer.max_iterations = 10; }) < at_default);
  // A start stops long before a large cap: the estimate stays put beyond what starts take.
  CHECK(grown([](auto& s) { s.minimizer.max_iterations = 1000000; }) == at_default);
  CHECK(grown([](auto& s) { s.form = quanta::LawForm::power; }) < at_default);  // 150 starts, not 4,500
  CHECK(grown([](auto& s) { s.bootstrap = 1000000; }) > limit);
  CHECK(grown([](auto& s) { s.perturbations = 100; }) > limit);
  CHECK(grown([](auto& s) { s.minimizer.max_iterations = 1000000; }) > limit);
}
