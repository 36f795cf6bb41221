# lib/attn: the softmax statistics engine (shared with jl-entropy) and attn-sweep's softmax sweeps
# (scale, sparsity, noise); tests/attn; the CLI tests of those subcommands. The tool itself is joined in
# cmake/topics/attn-sweep.cmake.
mlderiv_library(attn lib/attn/softmax_stats.cpp lib/attn/scale.cpp lib/attn/sparsity.cpp lib/attn/noise.cpp
                lib/attn/study.cpp lib/attn/claims.cpp)
target_link_libraries(mlderiv_attn PUBLIC mlderiv::core Eigen3::Eigen GSL::gsl)
# The engine parallelises over tiles of rows itself; Eigen's own OpenMP split of each small tile product
# would start a nested team per tile (most of the run time went to libgomp before this). PUBLIC, as in every
# library that sets it: code including these headers sees the same Eigen.
target_compile_definitions(mlderiv_attn PUBLIC EIGEN_DONT_PARALLELIZE)
if(SUITE_CUDA)
  target_sources(mlderiv_attn PRIVATE lib/attn/softmax_stats.cu)
  target_compile_definitions(mlderiv_attn PRIVATE ATTN_CUDA)
  target_link_libraries(mlderiv_attn PUBLIC CUDA::cudart_static)
endif()

suite_test(test_attn LIBS mlderiv::attn SOURCES tests/attn/test_softmax_stats.cpp tests/attn/test_scale.cpp tests/attn/test_sparsity.cpp
           tests/attn/test_noise.cpp tests/attn/test_claims.cpp)
suite_cli_test(test_attn_sweep_softmax_cli attn-sweep tests/attn/test_attn_sweep_softmax_cli.cpp)
