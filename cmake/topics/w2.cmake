# score-w2: the score-matching loss as an upper bound of the W2 distance (lib/w2, tools/score_w2.cpp).
mlderiv_library(w2 lib/w2/vp.cpp lib/w2/bures.cpp lib/w2/bound.cpp lib/w2/gaussian.cpp lib/w2/mixture.cpp lib/w2/flow.cpp
                      lib/w2/sde.cpp lib/w2/dsm.cpp lib/w2/study.cpp lib/w2/claims.cpp)
target_link_libraries(mlderiv_w2 PUBLIC mlderiv::core Eigen3::Eigen)
# Eigen's own OpenMP splitting of products would change the summation order with --threads; rows are
# parallel already (core::parallel_map), so Eigen stays single-threaded.
target_compile_definitions(mlderiv_w2 PUBLIC EIGEN_DONT_PARALLELIZE)

mlderiv_tool(score-w2 tools/score_w2.cpp)
target_link_libraries(score-w2 PRIVATE mlderiv::w2)

suite_test(test_w2 LIBS mlderiv::w2 SOURCES tests/w2/test_bures.cpp tests/w2/test_gaussian.cpp tests/w2/test_mixture.cpp tests/w2/test_flow.cpp tests/w2/test_sde_dsm.cpp
           tests/w2/test_claims.cpp tests/w2/test_study.cpp)
suite_cli_test(test_score_w2_cli score-w2 tests/w2/test_score_w2_cli.cpp)
suite_reproduce_test(score-w2)
