# libopendkim (Debian libopendkim-dev): used by the tests and bench only (tests/interop,
# bench/dkim_verify_compare), never linked by a daemon. Its header is included as <opendkim/dkim.h>.
include(MwFindCLibrary)
mw_find_c_library(OpenDKIM opendkim/dkim.h opendkim)
