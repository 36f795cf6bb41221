# The install as a user gets it (tests/install/*.sh): `cmake --install` into a temporary prefix that is then
# moved (so no install path can be baked in), used from another directory by a find_package consumer, a
# pkg-config consumer, the tools themselves, man and bash, the Python module; and the Debian package. The fixture installs once.
set(mlderiv_install_test_dir ${PROJECT_BINARY_DIR}/install-test)
add_test(NAME "install: cmake --install into a temporary prefix, then moved"
         COMMAND ${PROJECT_SOURCE_DIR}/tests/install/setup.sh ${PROJECT_BINARY_DIR} ${mlderiv_install_test_dir})
set_tests_properties("install: cmake --install into a temporary prefix, then moved" PROPERTIES FIXTURES_SETUP mlderiv_installed)
foreach(check IN ITEMS find_package pkg_config tools man completion python)
  string(REPLACE "_" "-" label ${check})
  add_test(NAME "install: ${label}"
           COMMAND ${PROJECT_SOURCE_DIR}/tests/install/check.sh ${check} ${mlderiv_install_test_dir}/moved
                   ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
  set_tests_properties("install: ${label}" PROPERTIES FIXTURES_REQUIRED mlderiv_installed SKIP_RETURN_CODE 77)
endforeach()
add_test(NAME "deb: make deb builds a package that declares its dependencies"
         COMMAND ${PROJECT_SOURCE_DIR}/tests/install/deb.sh ${PROJECT_BINARY_DIR})
set_tests_properties("deb: make deb builds a package that declares its dependencies" PROPERTIES SKIP_RETURN_CODE 77)
