# The Python module (python/): the package mlderiv, its extension mlderiv._mlderiv built with Debian's
# pybind11 from the same lib/, in build/python/mlderiv/ beside python/mlderiv/__init__.py (so
# PYTHONPATH=build/python imports it), installed into the interpreter's site directory under the prefix
# (lib/python3.X/dist-packages on Debian), and its pytest suite (tests/python/) registered with CTest.
# MLDERIV_PYTHON is ON when pybind11 and Python's headers are found; -DMLDERIV_PYTHON=OFF skips it.

# Debian's interpreter, the one with python3-numpy, -pytest and -matplotlib (the first python3 on PATH may
# be another); -DPython_EXECUTABLE=... chooses another.
if(NOT DEFINED Python_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python_EXECUTABLE /usr/bin/python3)
endif()
find_package(Python 3 COMPONENTS Interpreter Development.Module QUIET)
if(Python_FOUND)
  find_package(pybind11 2.10 CONFIG QUIET)
endif()
set(mlderiv_python_default OFF)
if(Python_FOUND AND pybind11_FOUND)
  set(mlderiv_python_default ON)
endif()
option(MLDERIV_PYTHON "Build the Python module (needs pybind11 and Python's headers)" ${mlderiv_python_default})
message(STATUS "MLDERIV_PYTHON: ${MLDERIV_PYTHON}")
if(NOT MLDERIV_PYTHON)
  return()
endif()
if(NOT Python_FOUND OR NOT pybind11_FOUND)
  message(FATAL_ERROR "MLDERIV_PYTHON needs pybind11 (pybind11-dev) and Python's headers (python3-dev); make deps installs them")
endif()

# The static libraries go into a shared object.
foreach(topic IN ITEMS core abc quanta jl w2 rnn attn rope)
  set_target_properties(mlderiv_${topic} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endforeach()

set(mlderiv_python_dir ${PROJECT_BINARY_DIR}/python/mlderiv)
pybind11_add_module(mlderiv_python MODULE
  python/src/module.cpp python/src/abc.cpp python/src/quanta.cpp python/src/jl.cpp python/src/w2.cpp
  python/src/rnn.cpp python/src/attn.cpp python/src/rope.cpp)
target_link_libraries(mlderiv_python PRIVATE mlderiv::abc mlderiv::quanta mlderiv::jl mlderiv::w2 mlderiv::rnn
                      mlderiv::attn mlderiv::rope mlderiv::core)
target_compile_features(mlderiv_python PRIVATE cxx_std_20)
set_target_properties(mlderiv_python PROPERTIES OUTPUT_NAME _mlderiv LIBRARY_OUTPUT_DIRECTORY ${mlderiv_python_dir})
configure_file(python/mlderiv/__init__.py ${mlderiv_python_dir}/__init__.py COPYONLY)

# The site directory relative to the prefix: lib/python3.11/dist-packages for Debian's interpreter.
execute_process(COMMAND ${Python_EXECUTABLE} -c "import sysconfig; print(sysconfig.get_path('platlib'))"
                OUTPUT_VARIABLE mlderiv_platlib OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REGEX REPLACE "^.*/(lib[^/]*/python[^/]*/[^/]+-packages)$" "\\1" mlderiv_site "${mlderiv_platlib}")
set(MLDERIV_PYTHON_INSTALL_DIR ${mlderiv_site} CACHE STRING "Where make install puts the package mlderiv, relative to the prefix")
install(TARGETS mlderiv_python LIBRARY DESTINATION ${MLDERIV_PYTHON_INSTALL_DIR}/mlderiv)
install(FILES python/mlderiv/__init__.py DESTINATION ${MLDERIV_PYTHON_INSTALL_DIR}/mlderiv)

# One CTest test per file of tests/python, each run by pytest with the module and the tools of this build.
if(mlderiv_tests)
  file(GLOB mlderiv_python_tests CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/python/test_*.py)
  foreach(file IN LISTS mlderiv_python_tests)
    get_filename_component(name ${file} NAME_WE)
    add_test(NAME "python: ${name}"
             COMMAND ${Python_EXECUTABLE} -m pytest -q -p no:cacheprovider ${file})
    set_tests_properties("python: ${name}" PROPERTIES
      ENVIRONMENT "PYTHONPATH=${PROJECT_BINARY_DIR}/python;MLDERIV_BIN=${PROJECT_BINARY_DIR}/${CMAKE_INSTALL_BINDIR};MPLBACKEND=Agg"
      TIMEOUT 300)
  endforeach()
endif()
