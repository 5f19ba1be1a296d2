# libunbound: Debian's libunbound.pc requires libevent's .pc, which we do not need; find it directly.
find_path(UNBOUND_INCLUDE_DIR unbound.h)
find_library(UNBOUND_LIBRARY unbound)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Unbound DEFAULT_MSG UNBOUND_LIBRARY UNBOUND_INCLUDE_DIR)
if(Unbound_FOUND AND NOT TARGET Unbound::Unbound)
  add_library(Unbound::Unbound UNKNOWN IMPORTED)
  set_target_properties(Unbound::Unbound PROPERTIES IMPORTED_LOCATION "${UNBOUND_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${UNBOUND_INCLUDE_DIR}")
endif()
