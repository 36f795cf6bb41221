# rnn-fixpoint: nonlinear RNNs by parallel fixed-point and Newton iteration (lib/rnn, tools/rnn_fixpoint.cpp).
mlderiv_library(rnn lib/rnn/kernels.cpp lib/rnn/linear_scan.cpp lib/rnn/model.cpp lib/rnn/fixpoint.cpp lib/rnn/study.cpp
                    lib/rnn/claims.cpp)
target_link_libraries(mlderiv_rnn PUBLIC mlderiv::core Eigen3::Eigen)
# Eigen would run its matrix products on OpenMP threads of its own, nested inside ours and oversubscribing the
# cores (a 16 x 16 by 16 x 1000 complex product took 24 ms instead of 1); our parallelism is explicit.
target_compile_definitions(mlderiv_rnn PUBLIC EIGEN_DONT_PARALLELIZE)
if(SUITE_CUDA)
  target_sources(mlderiv_rnn PRIVATE lib/rnn/scan_cuda.cu)
  target_link_libraries(mlderiv_rnn PUBLIC CUDA::cudart_static)
else()
  target_sources(mlderiv_rnn PRIVATE lib/rnn/scan_cuda_none.cpp)
endif()

mlderiv_tool(rnn-fixpoint tools/rnn_fixpoint.cpp)
target_link_libraries(rnn-fixpoint PRIVATE mlderiv::rnn)

suite_test(test_rnn LIBS mlderiv::rnn SOURCES tests/rnn/test_kernels.cpp tests/rnn/test_linear_scan.cpp tests/rnn/test_fixpoint.cpp tests/rnn/test_claims.cpp
           tests/rnn/test_estimates.cpp tests/rnn/test_accuracy.cpp)
suite_cli_test(test_rnn_fixpoint_cli rnn-fixpoint tests/rnn/test_rnn_fixpoint_cli.cpp)
suite_reproduce_test(rnn-fixpoint)
