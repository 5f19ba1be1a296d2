#!/usr/bin/env bash
# Layering rules (docs/ARCHITECTURE.md): common/ never includes a daemon or tools/; daemons never
# include each other; each outside C library has exactly one owning file; includes of project
# headers are written from the repo root; no grab-bag file names.
set -uo pipefail
cd "$(dirname "$0")/../.."
bad=0
complain() { echo "layering: $*"; bad=1; }

grep -rnE '#include "(policyd|milters|tools)/' common/ && complain "common/ includes a daemon or tools/"
for d in policyd milters/dkim milters/dnsbl milters/spam; do
  [ -d "$d" ] || continue
  others=$(grep -rnE '#include "(policyd|milters)/' "$d" | grep -v "#include \"$d/" || true)
  [ -n "$others" ] && { echo "$others"; complain "$d includes another daemon"; }
done

owner() {  # owner HEADER_REGEX ALLOWED_FILE...
  local re=$1; shift
  local files
  files=$(grep -rlE "#include <$re" common policyd milters tools tests 2>/dev/null | sort)
  for f in $files; do
    local ok=0
    for allowed in "$@"; do [ "$f" = "$allowed" ] && ok=1; done
    [ $ok = 1 ] || complain "$f includes <$re> (owned by $*)"
  done
}
owner 'unbound\.h>' common/dns/unbound_resolver.cpp
owner 'syslog\.h>' common/log/syslog_sink.cpp
owner 'spf2/' tests/support/libspf2_checker.cpp
owner 'libmilter/' common/milter/libmilter_driver.cpp bench/dkim/null_milter.cpp
owner 'opendkim/' tests/support/libopendkim_dkim.cpp
owner 'gmime/' milters/spam/mime/message_parser.cpp milters/spam/mime/charset_converter.cpp
owner 'gumbo\.h>' milters/spam/mime/html_text.cpp
owner 'hs\.h>' milters/spam/regex/hyperscan_database.cpp
owner 'pcre2\.h>' milters/spam/regex/pcre_regex.cpp milters/spam/scan/capture_regex.cpp

rel=$(grep -rnE '#include "\.\./|#include "[a-z_]+\.hpp"' common policyd tests tools milters bench 2>/dev/null || true)
[ -n "$rel" ] && { echo "$rel"; complain "project includes must be written from the repo root"; }

names=$(find common policyd milters tools -regextype posix-extended \
  -regex '.*/(util|utils|helper|helpers|misc)[^/]*|.*/common\.hpp' 2>/dev/null || true)
[ -n "$names" ] && { echo "$names"; complain "grab-bag file names"; }

[ $bad = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $bad
