# mw_find_c_library(NAME HEADER LIBRARY): for C libraries Debian ships without a pkg-config or
# CMake file (libunbound's .pc drags in libevent; libspf2 and libmilter have none). Finds the
# header and the library and defines NAME_FOUND and the imported target NAME::NAME.
include(FindPackageHandleStandardArgs)

macro(mw_find_c_library name header library)
  find_path(${name}_INCLUDE_DIR ${header})
  find_library(${name}_LIBRARY ${library})
  find_package_handle_standard_args(${name} REQUIRED_VARS ${name}_LIBRARY ${name}_INCLUDE_DIR)
  if(${name}_FOUND AND NOT TARGET ${name}::${name})
    add_library(${name}::${name} UNKNOWN IMPORTED)
    set_target_properties(${name}::${name} PROPERTIES IMPORTED_LOCATION "${${name}_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${${name}_INCLUDE_DIR}")
  endif()
  mark_as_advanced(${name}_INCLUDE_DIR ${name}_LIBRARY)
endmacro()
