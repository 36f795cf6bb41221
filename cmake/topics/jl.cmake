# jl-entropy: Johnson–Lindenstrauss experiments and the log n attention scale (lib/jl, tools/jl_entropy.cpp).
# The entropy sweep calls the shared softmax statistics engine of lib/attn (cmake/topics/attn.cmake).
mlderiv_library(jl lib/jl/tails.cpp lib/jl/projection.cpp lib/jl/study.cpp)
target_link_libraries(mlderiv_jl PUBLIC mlderiv::core Eigen3::Eigen)
# Parallelism comes from core::parallel_map over seeded items; Eigen's own OpenMP splitting of a product
# could change the order of its sums with --threads.
target_compile_definitions(mlderiv_jl PUBLIC EIGEN_DONT_PARALLELIZE)
target_sources(mlderiv_jl PRIVATE lib/jl/entropy.cpp lib/jl/claims.cpp)
target_link_libraries(mlderiv_jl PUBLIC mlderiv::attn)

mlderiv_tool(jl-entropy tools/jl_entropy.cpp)
target_link_libraries(jl-entropy PRIVATE mlderiv::jl)

suite_test(test_jl LIBS mlderiv::jl SOURCES tests/jl/test_tails.cpp tests/jl/test_projection.cpp tests/jl/test_entropy.cpp
           tests/jl/test_study.cpp
           tests/jl/test_estimates.cpp tests/jl/test_positions.cpp tests/jl/test_tail_accuracy.cpp)
suite_cli_test(test_jl_entropy_cli jl-entropy tests/jl/test_jl_entropy_cli.cpp)
suite_reproduce_test(jl-entropy)
