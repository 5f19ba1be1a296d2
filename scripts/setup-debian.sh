#!/usr/bin/env bash
# Installs every Debian 12 package mailwarden needs to build, test and benchmark.
# Safe to run again: apt-get skips what is installed. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  # build
  cmake ninja-build g++ pkg-config
  libfmt-dev libexpected-dev catch2 libunbound-dev libspf2-dev libmilter-dev libopendkim-dev
  libssl-dev libyaml-cpp-dev
  # mailwarden-spam: MIME, HTML, Perl regexes, multi-pattern prefilter; SpamAssassin's stock rules
  libgmime-3.0-dev libgumbo-dev libpcre2-dev libhyperscan-dev spamassassin
  # fuzzing (libFuzzer)
  clang-14 libclang-rt-14-dev
  # tests: loopback DNS server, the SPF conformance suites (python3-spf ships them), peers
  unbound python3-spf python3-yaml postfix-policyd-spf-python python3-dkim python3-nacl
  # package test (scripts/package-test.sh): build the .deb, install it, verify the units
  build-essential debhelper dpkg-dev adduser man-db systemd postfix
  # end-to-end tests (tests/e2e): the real mail stack, started in a namespace by scripts/e2e.sh
  dovecot-core dovecot-lmtpd dovecot-sieve swaks rbldnsd rsyslog iproute2 util-linux
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
# Postfix installed for the package test only: no mail system configured (no main.cf questions).
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
# No service may start during the install (postinst of postfix, dovecot, rbldnsd, rsyslog): the
# e2e test runs its own instances. policy-rc.d answers 101 for the time of apt-get only.
rcd=/usr/sbin/policy-rc.d
rcd_saved=$(mktemp)
[ -e "$rcd" ] && $SUDO cp -p "$rcd" "$rcd_saved" || rcd_saved=""
printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$rcd" >/dev/null && $SUDO chmod 755 "$rcd"
install_rc=0
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || install_rc=$?
if [ -n "$rcd_saved" ]; then $SUDO mv "$rcd_saved" "$rcd"; else $SUDO rm -f "$rcd"; fi
[ "$install_rc" -eq 0 ] || exit "$install_rc"
# Debian starts an unbound service on install; tests run their own on loopback ports only.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now unbound >/dev/null 2>&1 || true
  $SUDO systemctl disable --now dovecot rbldnsd >/dev/null 2>&1 || true  # e2e runs its own
fi
