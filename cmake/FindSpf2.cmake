# libspf2 (Debian libspf2-dev) ships no pkg-config or CMake file: find the header and the library.
# Used by the tests only (tests/differential): libspf2 is a second opinion, never linked by a daemon.
find_path(SPF2_INCLUDE_DIR spf2/spf.h)
find_library(SPF2_LIBRARY spf2)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Spf2 DEFAULT_MSG SPF2_LIBRARY SPF2_INCLUDE_DIR)
if(Spf2_FOUND AND NOT TARGET Spf2::Spf2)
  add_library(Spf2::Spf2 UNKNOWN IMPORTED)
  set_target_properties(Spf2::Spf2 PROPERTIES IMPORTED_LOCATION "${SPF2_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SPF2_INCLUDE_DIR}")
endif()
