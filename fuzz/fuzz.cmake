# The fuzz targets (fuzz/*.cpp, one LLVMFuzzerTestOneInput each) and the libraries each one reads through.
# Always: fuzz_TARGET_replay, the target run once over its committed corpus fuzz/corpus/TARGET, a CTest
# test with any compiler. With -DMLDERIV_FUZZ=ON (clang, as scripts/fuzz.sh configures build-fuzz/ with
# every source instrumented by -fsanitize=fuzzer-no-link,address,undefined): fuzz_TARGET, the libFuzzer
# binary that `make fuzz` runs.
option(MLDERIV_FUZZ "Build the libFuzzer targets (needs clang)" OFF)
set(mlderiv_fuzz_targets integer numbers csv)
set(mlderiv_fuzz_libs_integer mlderiv::core mlderiv::abc)
set(mlderiv_fuzz_libs_numbers mlderiv::core)
set(mlderiv_fuzz_libs_csv mlderiv::core mlderiv::quanta mlderiv::jl)
foreach(t IN LISTS mlderiv_fuzz_targets)
  if(mlderiv_tests)
    add_executable(fuzz_${t}_replay fuzz/${t}.cpp fuzz/replay.cpp)
    target_link_libraries(fuzz_${t}_replay PRIVATE ${mlderiv_fuzz_libs_${t}})
    add_test(NAME "fuzz corpus: ${t}" COMMAND fuzz_${t}_replay ${PROJECT_SOURCE_DIR}/fuzz/corpus/${t})
  endif()
  if(MLDERIV_FUZZ)
    add_executable(fuzz_${t} fuzz/${t}.cpp)
    target_link_libraries(fuzz_${t} PRIVATE ${mlderiv_fuzz_libs_${t}})
    target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer)
  endif()
endforeach()
