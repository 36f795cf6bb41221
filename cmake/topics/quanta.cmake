# quanta-scaling: scaling laws from the quantization model and a scaling-law fitter (lib/quanta,
# tools/quanta_scaling.cpp).
add_library(quanta STATIC lib/quanta/zipf.cpp lib/quanta/count_sums.cpp lib/quanta/simulate.cpp lib/quanta/fit.cpp lib/quanta/claims.cpp
                          lib/quanta/study.cpp)
target_link_libraries(quanta PUBLIC core Eigen3::Eigen)
# The fit's default input, the Chinchilla data copied into the project (data/README.md).
target_compile_definitions(quanta PUBLIC QUANTA_DEFAULT_CSV="${CMAKE_SOURCE_DIR}/data/chinchilla_fig4.csv")

add_executable(quanta-scaling tools/quanta_scaling.cpp)
target_link_libraries(quanta-scaling PRIVATE quanta)

suite_test(test_quanta LIBS quanta SOURCES tests/quanta/test_zipf.cpp tests/quanta/test_simulate.cpp tests/quanta/test_fit.cpp
           tests/quanta/test_claims.cpp tests/quanta/test_study.cpp
           tests/quanta/test_count_sums.cpp tests/quanta/test_estimates.cpp)
suite_cli_test(test_quanta_scaling_cli quanta-scaling tests/quanta/test_quanta_scaling_cli.cpp)
suite_reproduce_test(quanta-scaling)
