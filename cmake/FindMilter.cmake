# Sendmail's libmilter (Debian libmilter-dev): the only user is common/milter/libmilter_driver.cpp.
include(MwFindCLibrary)
mw_find_c_library(Milter libmilter/mfapi.h milter)
