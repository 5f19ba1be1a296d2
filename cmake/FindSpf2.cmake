# libspf2: used by the tests only (tests/differential), never linked by a daemon.
include(MwFindCLibrary)
mw_find_c_library(Spf2 spf2/spf.h spf2)
