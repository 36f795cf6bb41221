#include <catch2/catch.hpp>

#include "core/device.hpp"
#include "core/errors.hpp"

TEST_CASE(
    "the device switch: cpu always works, auto falls back to cpu without a GPU, cuda without one is an input error") {
  CHECK(core::resolve_device("cpu") == core::Device::cpu);
  CHECK_THROWS_AS(core::resolve_device("gpu"), core::InputError);
  if (core::cuda_device_count() == 0) {
    CHECK(core::resolve_device("auto") == core::Device::cpu);
    CHECK_THROWS_AS(core::resolve_device("cuda"), core::InputError);
  } else {
    CHECK(core::built_with_cuda());
    CHECK(core::resolve_device("auto") == core::Device::cuda);
    CHECK(core::resolve_device("cuda") == core::Device::cuda);
  }
}
