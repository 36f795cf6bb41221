# The smallest RoPE base for a context length (lib/rope; attn-sweep rope-base, rope-curves): the
# library, its tests and the CLI tests of those subcommands. The tool itself is joined in attn-sweep.cmake.
mlderiv_library(rope lib/rope/rope_sum.cpp lib/rope/scan_kernel.cpp lib/rope/search.cpp lib/rope/claims.cpp lib/rope/study.cpp)
if(SUITE_CUDA)
  target_sources(mlderiv_rope PRIVATE lib/rope/rope_cuda.cu)
else()
  target_sources(mlderiv_rope PRIVATE lib/rope/rope_cuda_none.cpp)
endif()
target_link_libraries(mlderiv_rope PUBLIC mlderiv::core)

suite_test(test_rope LIBS mlderiv::rope SOURCES tests/rope/test_rope_sum.cpp tests/rope/test_search.cpp tests/rope/test_claims.cpp
           tests/rope/test_study.cpp tests/rope/test_accuracy.cpp)
suite_cli_test(test_attn_sweep_rope_cli attn-sweep tests/rope/test_attn_sweep_rope_cli.cpp)
