#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <sstream>

#include "core/csv.hpp"
#include "core/errors.hpp"

TEST_CASE("CSV rows mix exact integers, shortest doubles, booleans and quoted text") {
  std::ostringstream out;
  core::CsvWriter csv(out, {{"n"}, {"x"}, {"ok"}, {"label"}, {"neg"}});
  csv.row({(core::u128{1} << 127) - 1, 0.1, true, "a,b \"c\"", -3});
  csv.row({0u, 1e300, false, "plain", std::int64_t{-9}});
  CHECK(out.str() ==
        "n,x,ok,label,neg\n"
        "170141183460469231731687303715884105727,0.1,true,\"a,b \"\"c\"\"\",-3\n"
        "0,1e+300,false,plain,-9\n");
  CHECK(csv.rows() == 2);
}

TEST_CASE("every double printed reads back as the same double") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(-300, 300);
  for (int i = 0; i < 10000; ++i) {
    const double x = std::pow(10.0, exponent(rng)) * (i % 2 ? -1 : 1);
    const std::string s = core::format_double(x);
    double back = 0;
    std::from_chars(s.data(), s.data() + s.size(), back);
    REQUIRE(back == x);
  }
}

TEST_CASE("a non-finite value is an error unless its column allows it, and leaves no half row") {
  std::ostringstream out;
  core::CsvWriter csv(out, {{"a"}, {"b", true}});
  csv.row({1.0, std::numeric_limits<double>::quiet_NaN()});
  CHECK_THROWS_AS(csv.row({std::numeric_limits<double>::infinity(), 1.0}), core::NumericalError);
  CHECK(out.str() == "a,b\n1,nan\n");
  CHECK_THROWS_AS(csv.row({1.0}), std::logic_error);
}
