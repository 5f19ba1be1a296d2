# FindMilter: Sendmail's libmilter (Debian libmilter-dev ships no pkg-config or CMake file).
# Defines Milter_FOUND, Milter_INCLUDE_DIR, Milter_LIBRARY and the imported target Milter::Milter.
find_path(Milter_INCLUDE_DIR libmilter/mfapi.h)
find_library(Milter_LIBRARY milter)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Milter REQUIRED_VARS Milter_LIBRARY Milter_INCLUDE_DIR)

if(Milter_FOUND AND NOT TARGET Milter::Milter)
  add_library(Milter::Milter UNKNOWN IMPORTED)
  set_target_properties(Milter::Milter PROPERTIES
    IMPORTED_LOCATION "${Milter_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Milter_INCLUDE_DIR}")
endif()
mark_as_advanced(Milter_INCLUDE_DIR Milter_LIBRARY)
