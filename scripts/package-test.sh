#!/usr/bin/env bash
# Builds the .deb from a copy of the tree (so nothing lands in it), installs it on this machine,
# checks files, user, modes, conffiles, man pages and the systemd units, starts each daemon as
# its unit's ExecStart would (systemd need not be PID 1), then purges the package and checks
# what is left. Needs root and Postfix (scripts/setup-debian.sh installs it). Changes the
# machine: it leaves the package purged and the mailwarden user (Debian keeps system users).
# usage: scripts/package-test.sh [DIR_WITH_BUILT_DEB]   (skips the build when given)
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
DAEMONS=(policyd dkim dnsbl spam)
fails=0

ok() { echo "package: ok   $*"; }
bad() { echo "package: FAIL $*"; fails=$((fails + 1)); }
check() {  # check DESCRIPTION COMMAND...: the command's output is shown only when it fails
  local what=$1 out; shift
  if out=$("$@" 2>&1); then ok "$what"; else bad "$what"; [ -z "$out" ] || echo "$out" | head -20; fi
}
mode_is() {  # mode_is PATH MODE OWNER:GROUP
  [ "$(stat -c '%a %U:%G' "$1")" = "$2 $3" ]
}
running() {  # running PID: alive and not a zombie (state, not kill -0: a zombie answers kill -0)
  local state
  state=$(ps -o stat= -p "$1") && [[ $state != Z* ]]
}
socket_of() {  # the path a daemon listens on, from its own settings
  "/usr/sbin/mailwarden-$1" -d | sed -n 's/^listen = unix://p'
}

build_deb() {  # build_deb OUT: copies the tree (no build dirs, no .git) and runs dpkg-buildpackage
  local out=$1
  mkdir -p "$out/src"
  tar --exclude='./build*' --exclude=./.git --exclude='./obj-*' -cf - . | tar -C "$out/src" -xf -
  (cd "$out/src" && DEB_BUILD_OPTIONS="parallel=$JOBS nocheck noautodbgsym" \
     dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) || { tail -40 "$out/build.log"; exit 1; }
}

unit_command() {  # unit_command NAME KEY: the command line of ExecStart or ExecStartPre
  sed -n "s/^$2=//p" "/lib/systemd/system/mailwarden-$1.service"
}

# start_daemon NAME: runs ExecStartPre and ExecStart of its unit (as root, as systemd would; only
# the log goes to stderr instead of syslog), waits for the socket, SIGTERMs it.
start_daemon() {
  local name=$1 sock pid status
  # shellcheck disable=SC2046  # the unit's command line, split into words as systemd does
  check "$name: ExecStartPre passes" $(unit_command "$name" ExecStartPre)
  sock=$(socket_of "$name") || true
  rm -f "$sock"
  # shellcheck disable=SC2046
  $(unit_command "$name" ExecStart) -o log_target=stderr 2>"$work/$name.log" &
  pid=$!
  # spam compiles its rules before it listens: allow it the time
  for _ in $(seq 300); do [ -S "$sock" ] && break; sleep 0.1; done
  check "$name: socket $sock appears" test -S "$sock"
  check "$name: socket owned postfix:postfix 0660" mode_is "$sock" 660 postfix:postfix
  for _ in $(seq 20); do [ "$(ps -o user= -p "$pid")" = mailwarden ] && break; sleep 0.1; done
  check "$name: runs as mailwarden" test "$(ps -o user= -p "$pid")" = mailwarden
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do running "$pid" || break; sleep 0.1; done
  running "$pid" && kill -KILL "$pid"  # a daemon that ignores SIGTERM fails, never hangs the test
  status=0
  wait "$pid" || status=$?
  check "$name: exits 0 on SIGTERM" test "$status" -eq 0
  [ "$status" -eq 0 ] || cat "$work/$name.log"
}

work=$(mktemp -d /tmp/mailwarden-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
debdir=${1:-}
if [ -z "$debdir" ]; then
  echo "package: building the .deb in $work"
  build_deb "$work"
  debdir=$work
fi
deb=$(ls "$debdir"/mailwarden_*.deb)
# A left-over install from an earlier run would make this one a no-op: start from none.
if dpkg -s mailwarden >/dev/null 2>&1; then apt-get purge -y -qq mailwarden >/dev/null; fi
echo "package: installing $(basename "$deb")"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; exit 1; }

for n in "${DAEMONS[@]}"; do
  check "/usr/sbin/mailwarden-$n installed" test -x "/usr/sbin/mailwarden-$n"
  check "/etc/mailwarden/$n.conf is a conffile" grep -qx "/etc/mailwarden/$n.conf" /var/lib/dpkg/info/mailwarden.conffiles
  check "/etc/mailwarden/$n.conf passes -t" "/usr/sbin/mailwarden-$n" -t -c "/etc/mailwarden/$n.conf"
  check "man page mailwarden-$n(8)" man -w 8 "mailwarden-$n"
  check "unit mailwarden-$n.service installed" test -f "/lib/systemd/system/mailwarden-$n.service"
  check "unit mailwarden-$n.service enabled" test -L "/etc/systemd/system/multi-user.target.wants/mailwarden-$n.service"
done
check "/usr/bin/mailwarden installed" /usr/bin/mailwarden --version
check "man page mailwarden(1)" man -w 1 mailwarden
check "main.cf snippet in /usr/share/doc" test -f /usr/share/doc/mailwarden/main.cf.snippet
check "master.cf snippet in /usr/share/doc" test -f /usr/share/doc/mailwarden/master.cf.snippet
check "system user mailwarden" test "$(id -u mailwarden)" -lt 1000
check "group mailwarden" getent group mailwarden
check "mailwarden is in group postfix" bash -c 'id -nG mailwarden | grep -qw postfix'
check "/var/spool/postfix/mailwarden 0750 mailwarden:postfix" mode_is /var/spool/postfix/mailwarden 750 mailwarden:postfix
check "/var/lib/mailwarden 0750 mailwarden:mailwarden" mode_is /var/lib/mailwarden 750 mailwarden:mailwarden
check "/etc/mailwarden/keys 0700 mailwarden:mailwarden" mode_is /etc/mailwarden/keys 700 mailwarden:mailwarden
check "postinst printed the main.cf lines" grep -q "check_policy_service unix:private/mailwarden-policyd" "$work/install.log"
# verify exits 0 on unknown keys (it only warns): any output at all is a failure.
verify_units() {
  local out
  if out=$(systemd-analyze verify /lib/systemd/system/mailwarden-{policyd,dkim,dnsbl,spam}.service 2>&1) \
     && [ -z "$out" ]; then return 0; fi
  echo "$out"
  return 1
}
check "systemd-analyze verify passes on the units, no warnings" verify_units

for n in "${DAEMONS[@]}"; do start_daemon "$n"; done

# A key the admin made, then remove: configs, keys and state stay; purge removes them.
install -o mailwarden -g mailwarden -m 0600 /dev/null /etc/mailwarden/keys/test.private
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq mailwarden >"$work/remove.log" 2>&1 \
  || { cat "$work/remove.log"; exit 1; }
check "removed: binaries gone" test ! -e /usr/sbin/mailwarden-dkim
for p in /etc/mailwarden/dkim.conf /etc/mailwarden/keys/test.private /var/lib/mailwarden; do
  check "removed: $p kept" test -e "$p"
done
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq mailwarden >"$work/purge.log" 2>&1 \
  || { cat "$work/purge.log"; exit 1; }
check "purged: package gone" bash -c '! dpkg -s mailwarden'
for p in /usr/sbin/mailwarden-policyd /usr/bin/mailwarden /etc/mailwarden /var/lib/mailwarden \
         /var/spool/postfix/mailwarden /lib/systemd/system/mailwarden-dkim.service \
         /etc/systemd/system/multi-user.target.wants/mailwarden-dkim.service; do
  check "purged: $p removed" test ! -e "$p"
done

[ "$fails" -eq 0 ] || { echo "package: $fails check(s) failed"; exit 1; }
echo "package: all checks passed"
