# abc-min: the minimum of a + b + c with N = ab + c (lib/abc, tools/abc_min.cpp).
add_library(abc STATIC lib/abc/min_sum.cpp lib/abc/study.cpp lib/abc/claims.cpp)
target_link_libraries(abc PUBLIC core)

add_executable(abc-min tools/abc_min.cpp)
target_link_libraries(abc-min PRIVATE abc)

suite_test(test_abc LIBS abc SOURCES tests/abc/test_isqrt.cpp tests/abc/test_min_sum.cpp tests/abc/test_study.cpp
           tests/abc/test_claims.cpp)
suite_cli_test(test_abc_min_cli abc-min tests/abc/test_abc_min_cli.cpp)
suite_reproduce_test(abc-min)
