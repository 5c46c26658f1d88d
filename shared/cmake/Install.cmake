# Installs parley::shared as a CMake package:
#   find_package(parley_shared CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE parley::shared)
# Everything goes in the "parley_shared" component so the package can be installed
# on its own: cmake --install <build> --component parley_shared.
# The wasm client consumes the library from the same build tree; nothing to install.
if(EMSCRIPTEN)
  return()
endif()

include(CMakePackageConfigHelpers)

set(PARLEY_SHARED_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/parley_shared)

# A static parley_shared exports nlohmann_json as $<LINK_ONLY:...>, so consumers need
# the nlohmann_json::nlohmann_json target: the package config finds it for them.
install(TARGETS parley_shared
  EXPORT parley_sharedTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT parley_shared
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT parley_shared
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT parley_shared)

install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/parley
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  COMPONENT parley_shared
  FILES_MATCHING PATTERN "*.hpp")

install(EXPORT parley_sharedTargets
  NAMESPACE parley::
  DESTINATION ${PARLEY_SHARED_CMAKE_DIR}
  COMPONENT parley_shared)

configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/parley_sharedConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/parley_sharedConfig.cmake
  INSTALL_DESTINATION ${PARLEY_SHARED_CMAKE_DIR})

# Before 1.0 a minor release may change the wire structs, so only the same minor
# version is compatible.
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/parley_sharedConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)

install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/parley_sharedConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/parley_sharedConfigVersion.cmake
  DESTINATION ${PARLEY_SHARED_CMAKE_DIR}
  COMPONENT parley_shared)
