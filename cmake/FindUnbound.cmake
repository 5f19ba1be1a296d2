# libunbound: Debian's libunbound.pc requires libevent's .pc, which we do not need.
include(MwFindCLibrary)
mw_find_c_library(Unbound unbound.h unbound)
