# abc-min: the minimum of a + b + c with N = ab + c (lib/abc, tools/abc_min.cpp).
mlderiv_library(abc lib/abc/min_sum.cpp lib/abc/study.cpp lib/abc/claims.cpp)
target_link_libraries(mlderiv_abc PUBLIC mlderiv::core)

mlderiv_tool(abc-min tools/abc_min.cpp)
target_link_libraries(abc-min PRIVATE mlderiv::abc)

suite_test(test_abc LIBS mlderiv::abc SOURCES tests/abc/test_isqrt.cpp tests/abc/test_min_sum.cpp tests/abc/test_study.cpp
           tests/abc/test_claims.cpp)
suite_cli_test(test_abc_min_cli abc-min tests/abc/test_abc_min_cli.cpp)
suite_reproduce_test(abc-min)
