#!/usr/bin/env bash
# Installs every Debian 12 package mailwarden needs to build, test and benchmark.
# Safe to run again: apt-get skips what is installed. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  # build
  cmake ninja-build g++ pkg-config
  libfmt-dev libexpected-dev catch2 libunbound-dev libspf2-dev libmilter-dev libopendkim-dev
  libssl-dev libyaml-cpp-dev
  # fuzzing (libFuzzer)
  clang-14 libclang-rt-14-dev
  # tests: loopback DNS server, the SPF conformance suites (python3-spf ships them), peers
  unbound python3-spf python3-yaml postfix-policyd-spf-python python3-dkim python3-nacl
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
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts an unbound service on install; tests run their own on loopback ports only.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now unbound >/dev/null 2>&1 || true
fi
