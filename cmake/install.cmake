# The install (make install PREFIX=...; make deb): the libraries and headers (mlderiv_library), the six
# tools (mlderiv_tool), and here the CMake package, the pkg-config file, the man pages and the bash
# completion of every tool, and the Debian package's CPack settings. Nothing installed holds an absolute
# path: the tools find their data relative to themselves, mlderiv.pc relative to itself.
include(CMakePackageConfigHelpers)

# ---- CMake package: find_package(mlderiv CONFIG REQUIRED) ----
set(mlderiv_cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/${PROJECT_NAME})
install(EXPORT mlderivTargets NAMESPACE mlderiv:: DESTINATION ${mlderiv_cmakedir})
configure_package_config_file(cmake/mlderivConfig.cmake.in ${PROJECT_BINARY_DIR}/mlderivConfig.cmake
                              INSTALL_DESTINATION ${mlderiv_cmakedir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mlderivConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mlderivConfig.cmake ${PROJECT_BINARY_DIR}/mlderivConfigVersion.cmake
        DESTINATION ${mlderiv_cmakedir})

# ---- pkg-config: pkg-config --cflags --libs mlderiv (every library, dependents first) ----
set(mlderiv_pc_libs "")
foreach(topic IN ITEMS w2 rnn rope quanta jl attn abc core)
  string(APPEND mlderiv_pc_libs " -lmlderiv_${topic}")
endforeach()
string(STRIP "${mlderiv_pc_libs}" mlderiv_pc_libs)
set(mlderiv_pc_cuda "")
if(SUITE_CUDA)
  set(mlderiv_pc_cuda "-L${CUDAToolkit_LIBRARY_DIR} -lcudart_static -ldl -lrt -lpthread")
endif()
configure_file(cmake/mlderiv.pc.in ${PROJECT_BINARY_DIR}/mlderiv.pc @ONLY)
file(RELATIVE_PATH mlderiv_pc_up /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" mlderiv_pc_up "${mlderiv_pc_up}")
file(READ ${PROJECT_BINARY_DIR}/mlderiv.pc mlderiv_pc)
string(REPLACE "\${pcfiledir}/../.." "\${pcfiledir}/${mlderiv_pc_up}" mlderiv_pc "${mlderiv_pc}")
file(WRITE ${PROJECT_BINARY_DIR}/mlderiv.pc "${mlderiv_pc}")
install(FILES ${PROJECT_BINARY_DIR}/mlderiv.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# ---- man pages (help2man over TOOL --help and every TOOL SUBCOMMAND --help) and bash completion
# (TOOL --completion bash), written at build time from the tools themselves ----
find_program(HELP2MAN help2man)
set(mlderiv_generated "")
foreach(tool IN LISTS mlderiv_tools)
  set(completion ${PROJECT_BINARY_DIR}/${CMAKE_INSTALL_DATADIR}/bash-completion/completions/${tool})
  add_custom_command(OUTPUT ${completion}
                     COMMAND sh -c "\"$0\" --completion bash > \"$1\"" $<TARGET_FILE:${tool}> ${completion}
                     DEPENDS ${tool} VERBATIM COMMENT "bash completion of ${tool}")
  list(APPEND mlderiv_generated ${completion})
  install(FILES ${completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
  if(HELP2MAN)
    set(page ${PROJECT_BINARY_DIR}/${CMAKE_INSTALL_MANDIR}/man1/${tool}.1)
    add_custom_command(OUTPUT ${page}
                       COMMAND ${PROJECT_SOURCE_DIR}/scripts/man-page.sh ${HELP2MAN} $<TARGET_FILE:${tool}> ${page}
                       DEPENDS ${tool} ${PROJECT_SOURCE_DIR}/scripts/man-page.sh VERBATIM COMMENT "man page of ${tool}")
    list(APPEND mlderiv_generated ${page})
    install(FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endif()
endforeach()
if(NOT HELP2MAN)
  message(STATUS "help2man not found: no man pages (make deps installs it)")
endif()
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/${CMAKE_INSTALL_DATADIR}/bash-completion/completions
     ${PROJECT_BINARY_DIR}/${CMAKE_INSTALL_MANDIR}/man1)
add_custom_target(mlderiv_docs ALL DEPENDS ${mlderiv_generated})

# ---- make deb: one Debian package with the tools, libraries, headers, data and pages ----
if(NOT PROJECT_IS_TOP_LEVEL)
  return()  # a project that adds this one packages itself
endif()
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ${PROJECT_NAME})
set(CPACK_PACKAGE_VENDOR "ml-derivations")
set(MLDERIV_MAINTAINER "ml-derivations maintainers" CACHE STRING "The Maintainer field of make deb's package (Name <email>)")
set(CPACK_PACKAGE_CONTACT "${MLDERIV_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # dpkg-shlibdeps: libboost-program-options, libgsl, libgomp1, ...
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libboost-program-options-dev, libgsl-dev, libeigen3-dev, cmake, pkg-config")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Six command-line tools (abc-min, attn-sweep, jl-entropy, quanta-scaling, rnn-fixpoint, score-w2)
that check published derivations about machine learning with numbers, and their C++20 libraries
(find_package(mlderiv), pkg-config mlderiv).")
set(CPACK_PACKAGE_DESCRIPTION "${CPACK_DEBIAN_PACKAGE_DESCRIPTION}")
set(CPACK_OUTPUT_FILE_PREFIX ${PROJECT_BINARY_DIR}/deb)
include(CPack)
