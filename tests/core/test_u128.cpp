#include <catch2/catch.hpp>

#include "core/u128.hpp"

using core::u128;

TEST_CASE("u128 decimal text round-trips at the extremes") {
  const u128 big = (u128{1} << 127) - 1;
  CHECK(core::to_string(0) == "0");
  CHECK(core::to_string(big) == "170141183460469231731687303715884105727");
  CHECK(core::to_string(core::u128_max) == "340282366920938463463374607431768211455");
  CHECK(core::parse_u128("170141183460469231731687303715884105727") == big);
  CHECK(core::parse_u128("340282366920938463463374607431768211455") == core::u128_max);
}

TEST_CASE("u128 parsing accepts powers and offsets, exactly") {
  CHECK(core::parse_u128("2^127-1") == (u128{1} << 127) - 1);
  CHECK(core::parse_u128("10^24") == u128{1000000000000ull} * 1000000000000ull);
  CHECK(core::parse_u128("10^0") == u128{1});
  CHECK(core::parse_u128("0^0") == u128{1});
  CHECK(core::parse_u128("0^5") == u128{0});
  CHECK(core::parse_u128("2^64+5") == (u128{1} << 64) + 5);
  CHECK(core::parse_u128("007") == u128{7});
}

TEST_CASE("u128 parsing reads back every bound describe_integer writes, 2^128-1 included") {
  // The power may exceed 2^128 - 1 when the offset brings it back (found by fuzz/integer.cpp: the
  // messages said "[0, 2^128-1]" and "2^128-1" was refused).
  CHECK(core::parse_u128("2^128-1") == core::u128_max);
  CHECK(core::parse_u128("3^81-103144121322099306484875023187381681348") == core::u128_max);  // 3^81 > 2^128
  CHECK_FALSE(core::parse_u128("3^81-103144121322099306484875023187381681347").has_value());
  for (const u128 v : {u128{0}, u128{1} << 20, (u128{1} << 20) - 1, (u128{1} << 127) - 1, core::u128_max,
                       u128{1000000000000ull} * 1000000000000ull})
    CHECK(core::parse_u128(core::describe_integer(v)) == v);
}

TEST_CASE("u128 parsing rejects junk, signs and overflow") {
  for (const char* bad :
       {"", "-5", "+5", "12x", " 12", "12 ", "1.5", "1e3", "2^128", "340282366920938463463374607431768211456", "2^",
        "^3", "2^3^4", "2^3-", "5-1", "2^3-9", "2^128", "2^128+0", "2^129-2^128", "2^130-1", "0x10", "2^127+2^1"})
    CHECK_FALSE(core::parse_u128(bad).has_value());
}

TEST_CASE("describe_integer writes range bounds the way people write them") {
  CHECK(core::describe_integer((u128{1} << 127) - 1) == "2^127-1");
  CHECK(core::describe_integer(u128{1} << 64) == "2^64");
  CHECK(core::describe_integer(1000000000) == "10^9");
  CHECK(core::describe_integer(core::u128_max) == "2^128-1");
  CHECK(core::describe_integer(1024) == "1024");
  CHECK(core::describe_integer(0) == "0");
}
