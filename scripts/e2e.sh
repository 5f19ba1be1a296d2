#!/usr/bin/env bash
# End-to-end tests (tests/e2e/README.md): a real Postfix, Dovecot, unbound, rbldnsd and rsyslog
# carry mail through every mailwarden daemon, inside a private network, mount and PID namespace
# (nothing touches the machine's mail servers or resolver). Needs root and the binaries of a
# build dir (BUILD, default build/). Arguments go to tests/e2e/run_e2e.py: case names, --hold,
# --list. KEEP=1 keeps the temp dir (configs, mail.log, Maildirs); it is kept on failure too.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
[ "$(id -u)" -eq 0 ] || { echo "e2e: needs root (namespaces, Postfix)"; exit 1; }
for b in policyd/mailwarden-policyd milters/dkim/mailwarden-dkim milters/dnsbl/mailwarden-dnsbl milters/spam/mailwarden-spam tools/mailwarden; do
  [ -x "$BUILD/$b" ] || { echo "e2e: $BUILD/$b missing: build first (ninja -C $BUILD)"; exit 1; }
done
for c in postfix dovecot sievec swaks rbldnsd rsyslogd unbound unshare; do
  command -v "$c" >/dev/null || { echo "e2e: $c missing: run scripts/setup-debian.sh"; exit 1; }
done
base=$(mktemp -d /tmp/mw-e2e-XXXXXX)
rc=0
timeout --signal=KILL 600 unshare --net --mount --pid --fork --mount-proc --propagation private -- \
  /usr/bin/python3 tests/e2e/run_e2e.py --repo "$PWD" --build "$PWD/$BUILD" --base "$base" "$@" || rc=$?
# Removed here, after the namespace and its mounts are gone; never across a file system.
if [ "$rc" -eq 0 ] && [ "${KEEP:-0}" != 1 ]; then
  rm -rf --one-file-system "$base"
else
  echo "e2e: files kept in $base"
fi
exit "$rc"
