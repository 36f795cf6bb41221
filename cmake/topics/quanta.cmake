# quanta-scaling: scaling laws from the quantization model and a scaling-law fitter (lib/quanta,
# tools/quanta_scaling.cpp).
mlderiv_library(quanta lib/quanta/zipf.cpp lib/quanta/count_sums.cpp lib/quanta/simulate.cpp lib/quanta/fit.cpp lib/quanta/claims.cpp
                  lib/quanta/study.cpp lib/quanta/isoflop.cpp)
target_link_libraries(mlderiv_quanta PUBLIC mlderiv::core Eigen3::Eigen)
# The fit's default input, the Chinchilla data copied into the project (data/README.md): build/share/mlderiv
# and PREFIX/share/mlderiv, found relative to the executable (quanta::default_csv_path).
configure_file(data/chinchilla_fig4.csv ${PROJECT_BINARY_DIR}/${MLDERIV_DATADIR}/chinchilla_fig4.csv COPYONLY)
install(FILES data/chinchilla_fig4.csv data/README.md DESTINATION ${MLDERIV_DATADIR})

mlderiv_tool(quanta-scaling tools/quanta_scaling.cpp)
target_link_libraries(quanta-scaling PRIVATE mlderiv::quanta)

suite_test(test_quanta LIBS mlderiv::quanta SOURCES tests/quanta/test_zipf.cpp tests/quanta/test_simulate.cpp tests/quanta/test_fit.cpp
           tests/quanta/test_claims.cpp tests/quanta/test_study.cpp
           tests/quanta/test_count_sums.cpp tests/quanta/test_estimates.cpp tests/quanta/test_allocate.cpp
           tests/quanta/test_isoflop.cpp)
suite_cli_test(test_quanta_scaling_cli quanta-scaling tests/quanta/test_quanta_scaling_cli.cpp)
suite_reproduce_test(quanta-scaling)
